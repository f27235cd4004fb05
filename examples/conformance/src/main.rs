//! The conformance app of `shared/conformance/SPEC.md`:
//!
//! ```sh
//! cargo run --release -p conformance -- --event -          # JSON lines on stdin
//! cargo run --release -p conformance -- --event FILE       # one event, or JSON lines
//! ```

fn main() {
    std::process::exit(lambda_router::run(conformance::app()));
}
