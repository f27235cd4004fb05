//! The build-time table compiler, for build scripts (enable the `build` feature on the
//! build-dependency).
//!
//! Declare routes in a `const` table next to their handlers, compile it from `build.rs`, and
//! include the generated router where the table is:
//!
//! ```text
//! # Cargo.toml
//! [dependencies]
//! lambda-router = "0.1"
//! [build-dependencies]
//! lambda-router = { version = "0.1", features = ["build"] }
//! ```
//!
//! ```no_run
//! // build.rs
//! lambda_router::build::compile_routes("src/routes.rs", "routes.rs")
//!     .unwrap_or_else(|err| panic!("{err}"));
//! ```
//!
//! A malformed pattern, or two routes that can never be told apart, fails the build with the
//! file, the line and the route. The generated code asserts at compile time that the table
//! still holds the routes it was generated from.

pub use crate::router::codegen::{Build, BuildError, compile_routes};
