//! The conformance app of `shared/conformance/SPEC.md`, as a library: the binary serves it,
//! and the workspace's tests and benches run the same routes and configuration.

mod routes;

pub use routes::{BadValue, ROUTER, ROUTES, app};
