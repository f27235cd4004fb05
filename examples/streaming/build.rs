fn main() {
    lambda_router_build::compile_routes("src/routes.rs", "routes.rs").unwrap_or_else(|err| panic!("{err}"));
}
