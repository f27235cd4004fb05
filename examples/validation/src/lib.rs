//! The validation app of `shared/conformance/validation/SPEC.md`, as a library: the binary
//! serves it, and the workspace's tests and benches run the same routes.

mod models;
mod routes;

pub use models::{Item, Order, Priority, TodoUpdate};
pub use routes::{ROUTER, ROUTES, app};
