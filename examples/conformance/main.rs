//! The conformance app of `shared/conformance/SPEC.md`:
//!
//! ```sh
//! cargo run --release --example conformance -- --event -          # JSON lines on stdin
//! cargo run --release --example conformance -- --event FILE       # one event, or JSON lines
//! ```

mod routes;

use lambda_router::{App, Cors, Response, TEXT_PLAIN};

fn app() -> App {
    App::new(&routes::ROUTER)
        .cors(
            Cors::new("https://example.com")
                .extra_origin("https://app.example.com")
                .allow_header("X-Custom-Header")
                .expose_header("X-Expose-Me")
                .max_age(300)
                .allow_credentials(true),
        )
        .strip_prefix("/api")
        .error_handler::<routes::BadValue>(|_, _| Response::text(400, "Invalid request").with_content_type(TEXT_PLAIN))
}

fn main() {
    std::process::exit(lambda_router::run(app()));
}
