//! # lambda-router
//!
//! A router for AWS Lambda functions behind API Gateway (REST API v1, HTTP API v2), ALB and
//! Lambda Function URLs, in the manner of the Powertools for AWS Lambda (Python) event
//! handler, with route tables compiled at build time and a request path that allocates
//! nothing.
#![deny(missing_docs, missing_debug_implementations, unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

mod app;
mod cors;
mod env;
mod error;
mod event;
mod handler;
mod limits;
mod middleware;
mod request;
mod response;
mod route;
mod runtime;
pub mod testing;
pub mod validate;

pub use app::{App, CatchAllHandler, Mount, NotFoundHandler, Workspace};
pub use cors::Cors;
pub use error::{BodyError, Error, Panic, ServiceError};
pub use event::{EventError, Headers, Query, Source};
pub use handler::{AsyncHandler, HandlerFuture, SyncHandler, TypedAsyncHandler, TypedHandler};
pub use limits::Limits;
pub use middleware::{Middleware, Next, NextFuture};
pub use request::{ContextKey, ExactNumber, InvocationContext, JsonSerializer, JsonValue, LambdaContext, Request};
pub use response::{APPLICATION_JSON, Body, Cookie, Response, SameSite, TEXT_HTML, TEXT_PLAIN};
pub use route::{Route, RouteDoc};
pub use runtime::{run, run_async};

/// The router: the std-only route-table core (`lambda-router-core`), re-exported. Its
/// [`Router`](router::Router) and [`RouterBuilder`](router::RouterBuilder) hold values of any
/// type; an app's hold [`Route`]s.
pub use lambda_router_core as router;
pub use lambda_router_core::{
    Match, Method, MethodSet, Params, PathOptions, PatternError, PatternErrorKind, RouteError, Table, parse_pattern,
};

/// An app's router: [`Route`]s and their compiled table, made at build time
/// (`lambda-router-build`) or at run time with [`RouterBuilder`].
///
/// ```
/// use lambda_router::{Error, Method, Request, Response, Route, Router};
/// fn hello<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
///     Ok(Response::text(200, "hello"))
/// }
/// let router: Router = Router::builder().push(Route::get("/hello/<name>", hello)).build().unwrap();
/// let found = router.find(Method::Get, "/hello/ada").unwrap();
/// assert_eq!(router.route(found.route).pattern(), "/hello/<name>");
/// ```
pub type Router<R = Route> = lambda_router_core::Router<R>;

/// Composes an app's router at run time (see [`router::RouterBuilder`]).
pub type RouterBuilder<R = Route> = lambda_router_core::RouterBuilder<R>;

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
#[doc(hidden)]
pub mod __private {
    //! Items used by generated code only. Not part of the public API.
    pub use crate::route::RouteParts;
    pub use lambda_router_core::__private::*;
    pub use serde;
}

/// Includes a router generated at build time by `lambda-router-build` from `$OUT_DIR`. Put it
/// in the module that declares the table.
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
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
