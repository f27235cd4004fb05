//! Two tables compiled into one router at build time, one under a prefix.

#[path = "health.rs"]
pub mod health;
#[path = "users.rs"]
pub mod users;

lambda_router::include_router!("mounted_routes.rs");
