//! The validation app of `shared/conformance/validation/SPEC.md`:
//!
//! ```sh
//! cargo run --release -p validation -- --event -     # JSON lines on stdin
//! cargo run --release -p validation -- --openapi     # the OpenAPI document
//! ```

fn main() {
    std::process::exit(lambda_router::run(validation::app()));
}
