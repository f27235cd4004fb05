//! Two tables compiled into one router at build time, one under a prefix.

pub mod health;
pub mod users;

lambda_router::include_router!("mounted_routes.rs");
