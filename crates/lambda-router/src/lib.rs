//! # lambda-router
//!
//! A router for AWS Lambda functions behind API Gateway (REST API v1, HTTP API v2), ALB and
//! Lambda Function URLs, in the manner of the Powertools for AWS Lambda (Python) event
//! handler, with route tables compiled at build time and a request path that allocates
//! nothing.
#![deny(missing_docs, missing_debug_implementations, unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

// The generated code of `#[handler]` and `#[middleware]` names `::lambda_router`, also here.
extern crate self as lambda_router;

pub mod agent;
mod app;
mod arena;
mod cors;
mod env;
mod error;
mod event;
mod handler;
mod limits;
mod middleware;
pub mod openapi;
mod request;
mod response;
mod route;
mod router;
mod runtime;
pub mod testing;
pub mod validate;

pub use app::{App, Mount, Workspace};
pub use arena::ArenaRef;
pub use cors::Cors;
pub use error::{BodyError, Error, Panic, ServiceError};
pub use event::{Declared, EventError, Headers, Query, Source};
pub use handler::{CatchAllHandler, IntoHandler, NotFoundHandler};
pub use lambda_router_core::{Match, Method, MethodSet, Params, PatternError, PatternErrorKind, RouteError};
/// Marks a handler with typed inputs (or any handler) so that a route table can name it: a
/// `fn` or `async fn` of the request and, optionally, a type deriving
/// [`Input`](validate::Input) whose values are validated before it runs.
///
/// ```
/// use lambda_router::validate::Input;
/// use lambda_router::{Error, Request, Response, Route, handler};
///
/// #[derive(Input)]
/// struct GetTodo {
///     #[param]
///     todo_id: i64,
/// }
///
/// #[handler]
/// async fn get_todo<'a>(req: &Request<'a>, input: GetTodo) -> Result<Response<'a>, Error> {
///     Ok(Response::text(200, req.format(format_args!("todo {}", input.todo_id))))
/// }
///
/// const ROUTES: &[Route] = &[Route::get("/todos/<todo_id>", get_todo)];
/// # let _ = ROUTES;
/// ```
pub use lambda_router_macros::handler;
/// Marks an `async fn` of the request and the rest of the chain as a [`Middleware`], named
/// directly in `App::middleware(&[..])` or a route's `.middleware(&[..])`. A third argument
/// `config: &C` makes it a configured middleware: `C` is the value the app was given at
/// start-up with [`App::state`], so one middleware, written once, is configured per function.
///
/// ```
/// use lambda_router::{App, Error, Next, Request, Response, Route, Router, middleware};
///
/// /// The issuer an auth middleware trusts, read from the environment at start-up.
/// struct Issuer(String);
///
/// #[middleware]
/// async fn auth<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>, issuer: &'r Issuer) -> Result<Response<'a>, Error> {
///     if req.header("x-issuer") != Some(issuer.0.as_str()) {
///         return Ok(Response::text(401, "untrusted issuer"));
///     }
///     next.run().await
/// }
///
/// fn hello<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
///     Ok(Response::text(200, "hello"))
/// }
///
/// let router = Router::builder().push(Route::get("/hello", hello).middleware(&[auth])).build().unwrap();
/// let app = App::with_router(router).state(Issuer("https://issuer.example".into()));
/// let call = |issuer: &str| {
///     let request = lambda_router::testing::TestRequest::get("/hello").header("x-issuer", issuer);
///     request.http_v2().invoke(&app).unwrap().status()
/// };
/// assert_eq!((call("https://issuer.example"), call("https://evil.example")), (200, 401));
/// ```
///
/// A type parameter gives one middleware a configuration per use: with
/// `async fn auth<'r, 'a, C: Trusts>(.., trusts: &'r C)`, a route lists `auth::<Admins>` and
/// another `auth::<Partners>`, each reading its own value of `App::state`. A configuration the
/// app was not given answers 500 and logs the middleware and the type it needs.
pub use lambda_router_macros::middleware;
pub use limits::Limits;
pub use middleware::{Middleware, Next, NextFuture};
pub use request::{
    ContextKey, Dependency, ExactNumber, InvocationContext, JsonSerializer, JsonValue, LambdaContext, Request,
    Serializable,
};
pub use response::{
    APPLICATION_JSON, Body, BodyStream, Cookie, Response, SameSite, Sse, SseEvent, StreamError, TEXT_HTML, TEXT_PLAIN,
    Write, Writer,
};
pub use route::{Route, RouteDoc};
pub use router::{Router, RouterBuilder};
pub use runtime::{run, run_async};

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
    pub use crate::arena::ArenaFuture;
    pub use crate::handler::{PlainAsyncFn, PlainFn, Started, TypedFn, TypedStart, pending, ready, validated};
    pub use crate::middleware::missing_config;
    pub use crate::route::RouteParts;
    pub use crate::validate::check::{Texts, Validation};
    pub use crate::validate::json::{Json, JsonKind, default_json, int_literal_key};
    pub use crate::validate::response::model_response;
    pub use crate::validate::{pattern_matches, union_label};
    pub use lambda_router_core::__private::*;
    pub use regex::Regex;
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
