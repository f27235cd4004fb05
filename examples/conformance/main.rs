//! The conformance app of `shared/conformance/SPEC.md`:
//!
//! ```sh
//! cargo run --release --example conformance -- --event -          # JSON lines on stdin
//! cargo run --release --example conformance -- --event FILE       # one event, or JSON lines
//! ```

mod routes;

fn main() {
    std::process::exit(lambda_router::run(routes::app()));
}
