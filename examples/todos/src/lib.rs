//! The todos function as a library: the binary serves it, the workspace's tests call it.
//!
//! - `store.rs`: the state built at start-up (the configuration and the items);
//! - `auth.rs`: the bearer-token middleware and the caller it puts in the context;
//! - `routes.rs`: the routes, their handlers, the error handler, CORS.

mod auth;
mod routes;
mod store;

pub use auth::Caller;
pub use routes::{ROUTER, ROUTES, TodoError, app};
pub use store::{Store, Todo};
