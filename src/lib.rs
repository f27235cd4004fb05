//! # lambda-router
//!
//! A router for AWS Lambda functions behind API Gateway (REST API v1, HTTP API v2), ALB and
//! Lambda Function URLs, in the manner of the Powertools for AWS Lambda (Python) event
//! handler, with route tables compiled at build time and a request path that allocates
//! nothing.
//!
//! This crate is being built issue by issue; see the README for what is there today.
#![deny(missing_docs, missing_debug_implementations, unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

mod app;
mod cors;
mod error;
mod event;
mod handler;
mod limits;
mod response;
mod router;
mod runtime;
pub mod testing;

pub use app::{App, NotFoundHandler, Workspace};
pub use cors::Cors;
pub use error::{BodyError, Error, ServiceError};
pub use event::{EventError, ExactNumber, Headers, JsonSerializer, JsonValue, LambdaContext, Query, Request, Source};
pub use limits::Limits;

/// Money as the reference writes a `Decimal`: a JSON string (feature `rust_decimal`).
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Price {
///     #[serde(serialize_with = "lambda_router::decimal::serialize")]
///     amount: rust_decimal::Decimal,
/// }
/// let price = Price { amount: rust_decimal::Decimal::new(1050, 2) };
/// assert_eq!(serde_json::to_string(&price).unwrap(), r#"{"amount":"10.50"}"#);
/// ```
#[cfg(feature = "rust_decimal")]
pub mod decimal {
    /// Serializes a `Decimal` as its exact text, in a JSON string.
    pub fn serialize<S: serde::Serializer>(value: &rust_decimal::Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }
}
pub use handler::{AsyncHandler, Handler, HandlerFuture, SyncHandler};
pub use response::compress::gzip_acceptable;
pub use response::{APPLICATION_JSON, Body, Cookie, Response, SameSite, TEXT_HTML, TEXT_PLAIN};
pub use runtime::run;

pub use router::compile::RouteError;
pub use router::matcher::{Match, Params};
pub use router::method::{Method, MethodSet};
pub use router::path::PathOptions;
pub use router::pattern::{PatternError, PatternErrorKind};
pub use router::table::Table;
pub use router::{Route, Router, RouterBuilder, parse_pattern};

#[cfg(feature = "build")]
pub mod build;

#[doc(hidden)]
pub mod __private;

/// Includes a router generated at build time (see [`build`](crate::build), feature `build`)
/// from `$OUT_DIR`. Put it in the module that declares the table.
///
/// ```ignore
/// pub const ROUTES: &[Route] = &[Route::get("/hello", hello)];
/// lambda_router::include_router!("routes.rs"); // defines `pub static ROUTER`
/// ```
#[macro_export]
macro_rules! include_router {
    ($file:literal) => {
        include!(concat!(env!("OUT_DIR"), "/", $file));
    };
}

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
