//! The users routes under `/users` and the health routes at the root, compiled into one
//! static router: the prefix costs nothing at run time.
fn main() {
    lambda_router_build::Build::new("routes.rs")
        .mount("/users", "src/users.rs", "crate::users::ROUTES")
        .mount("", "src/health.rs", "crate::health::ROUTES")
        .write()
        .unwrap_or_else(|err| panic!("{err}"));
}
