//! The contract app of `shared/conformance/contract/SPEC.md`:
//!
//! ```sh
//! cargo run --release -p contract -- --event -     # JSON lines on stdin
//! cargo run --release -p contract -- --openapi     # the OpenAPI document
//! ```

fn main() {
    std::process::exit(lambda_router::run(contract::app()));
}
