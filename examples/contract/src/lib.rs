//! The contract app of `shared/conformance/contract/SPEC.md`, as a library: the binary serves
//! it, and the workspace's tests and benches run the same routes.

mod dependencies;
mod models;
mod routes;

pub use dependencies::{Region, Tenant};
pub use models::{Conflict, Created, Event, Item, Kind, Level, Place, User, Value};
pub use routes::{ROUTER, ROUTES, app, openapi};
