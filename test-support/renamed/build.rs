fn main() {
    lambda_router_build::Build::new("routes.rs")
        .crate_path("::router")
        .mount("", "src/lib.rs", "ROUTES")
        .write()
        .unwrap_or_else(|err| panic!("{err}"));
}
