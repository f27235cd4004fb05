//! The agents app of `shared/conformance/agents/SPEC.md`:
//!
//! ```sh
//! cargo run --release -p agents -- --event -              # JSON lines on stdin
//! cargo run --release -p agents -- --openapi --agent      # the action group's OpenAPI 3.0 document
//! cargo run --release -p agents -- --function-schema      # the function action group's schema
//! ```

fn main() {
    std::process::exit(lambda_router::run(agents::app()));
}
