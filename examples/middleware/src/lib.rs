//! The middleware app of `shared/conformance/middleware/SPEC.md`, as a library: the binary
//! serves it, and the workspace's tests run the same app.
//!
//! - `middleware.rs`: the five middleware of the SPEC (trace, tenant, auth, first/second, bad,
//!   small-body) and the context keys they share;
//! - `routes.rs`: the routes with their middleware, in a `const` table compiled at build time,
//!   and the app's configuration.

mod middleware;
mod routes;

pub use middleware::{Tenant, Trail};
pub use routes::{BadValue, ROUTER, ROUTES, app};
