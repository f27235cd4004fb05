//! The agents app of `shared/conformance/agents/SPEC.md`, as a library: the binary serves it,
//! and the workspace's tests and benches run the same routes and tools.

mod routes;
mod tools;

pub use routes::{Claim, NewClaim, ROUTER, ROUTES};
pub use tools::TOOLS;

use lambda_router::App;
use lambda_router::openapi::OpenApi;

/// The app: the claims operations (for the OpenAPI action group, and for HTTP callers), the
/// tools (for the function action group), and the agent's document.
pub fn app() -> App {
    App::new(&ROUTER).tools(TOOLS).openapi(OpenApi::new("Claims agent", "1.0.0"))
}
