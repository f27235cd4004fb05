//! The middleware app of `shared/conformance/middleware/SPEC.md`:
//!
//! ```sh
//! cargo run --release -p middleware -- --event -          # JSON lines on stdin
//! cargo run --release -p middleware --features serve -- --serve # curl -H 'Authorization: Bearer good' localhost:3000/secret
//! ```
//!
//! Its `main` is async, as a function that builds AWS SDK clients at start-up writes it: the
//! app runs inside the program's own tokio runtime through `lambda_router::run_async`.

#[tokio::main]
async fn main() {
    std::process::exit(lambda_router::run_async(middleware::app()).await);
}
