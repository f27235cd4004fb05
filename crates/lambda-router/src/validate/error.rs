//! Validation errors as errors: a request's inputs or a handler's response that do not
//! validate travel the app's one error path, so an error handler can reshape them (into
//! `application/problem+json`, say). With no handler, they answer as the reference does.
//!
//! The problems themselves live in the invocation's arena (zero allocation); the error is a
//! small `Copy` value that reads them back from the request.

use serde::Serialize;

use super::Problem;
use crate::request::{ContextKey, Request};
use crate::response::{APPLICATION_JSON, Body, Response};

/// A request whose inputs do not validate: the reference's `RequestValidationError`. Without an
/// error handler for it, the answer is the reference's 422:
/// `{"statusCode":422,"detail":[{"loc":[...],"type":"..."},...]}`.
///
/// ```
/// use lambda_router::validate::{Input, RequestValidationError};
/// use lambda_router::{App, Error, Request, Response, Route, Router, handler};
///
/// #[derive(Input)]
/// struct Item {
///     #[param]
///     id: i64,
/// }
///
/// #[handler]
/// fn item<'a>(req: &Request<'a>, input: Item) -> Result<Response<'a>, Error> {
///     Ok(Response::text(200, req.format(format_args!("{}", input.id))))
/// }
///
/// /// Invalid requests as `application/problem+json`.
/// fn problem<'a>(error: &RequestValidationError, req: &Request<'a>) -> Response<'a> {
///     let first = error.errors(req).first().map_or("", |problem| problem.kind.as_str());
///     let body = req.format(format_args!(r#"{{"title":"invalid request","first":"{first}"}}"#));
///     Response::json_text(400, body).with_content_type("application/problem+json")
/// }
///
/// let router = Router::builder().push(Route::get("/items/<id>", item)).build().unwrap();
/// let app = App::with_router(router).error_handler(problem);
/// let response = lambda_router::testing::TestRequest::get("/items/x").http_v2().invoke(&app).unwrap();
/// assert_eq!(response.status(), 400);
/// assert_eq!(response.text(), r#"{"title":"invalid request","first":"int_parsing"}"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestValidationError {
    count: usize,
}

/// A handler's response that does not validate against the model its route declares: the
/// reference's `ResponseValidationError`. Without an error handler for it, the answer is the
/// route's response-validation status (500 unless the app or the route says otherwise) with
/// `{"statusCode":<status>,"detail":[{"loc":["response",...],"type":"..."},...]}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseValidationError {
    count: usize,
    status: u16,
}

/// Where a request's problems are kept, in the invocation's context.
struct RequestProblems;

impl ContextKey for RequestProblems {
    type Value<'a> = &'a [Problem<'a>];
}

/// Where a response's problems are kept.
struct ResponseProblems;

impl ContextKey for ResponseProblems {
    type Value<'a> = &'a [Problem<'a>];
}

impl RequestValidationError {
    /// Keeps `problems` with the request and makes the error.
    pub(crate) fn new<'a>(req: &Request<'a>, problems: &'a [Problem<'a>]) -> RequestValidationError {
        req.context().insert::<RequestProblems>(problems);
        RequestValidationError { count: problems.len() }
    }

    /// Every problem, located, in the reference's order.
    pub fn errors<'a>(&self, req: &Request<'a>) -> &'a [Problem<'a>] {
        req.context().get::<RequestProblems>().copied().unwrap_or(&[])
    }

    /// How many problems.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether there is no problem (never, for an error the pipeline made).
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The reference's 422.
    pub(crate) fn response<'a>(&self, req: &Request<'a>) -> Response<'a> {
        detail_response(req, 422, self.errors(req))
    }
}

impl ResponseValidationError {
    /// Keeps `problems` with the request and makes the error, answered with `status`.
    pub(crate) fn new<'a>(req: &Request<'a>, problems: &'a [Problem<'a>], status: u16) -> ResponseValidationError {
        req.context().insert::<ResponseProblems>(problems);
        ResponseValidationError { count: problems.len(), status }
    }

    /// Every problem, located under `response`.
    pub fn errors<'a>(&self, req: &Request<'a>) -> &'a [Problem<'a>] {
        req.context().get::<ResponseProblems>().copied().unwrap_or(&[])
    }

    /// The status this failure answers with: the route's, or the app's (500 by default).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// How many problems.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether there is no problem (never, for an error the pipeline made).
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The reference's answer.
    pub(crate) fn response<'a>(&self, req: &Request<'a>) -> Response<'a> {
        detail_response(req, self.status, self.errors(req))
    }
}

impl std::fmt::Display for RequestValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the request does not validate ({} errors)", self.count)
    }
}

impl std::error::Error for RequestValidationError {}

impl std::fmt::Display for ResponseValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the response does not validate against its model ({} errors)", self.count)
    }
}

impl std::error::Error for ResponseValidationError {}

/// A body whose `Content-Type` no typed input reads (neither JSON, nor a form, nor multipart):
/// the reference's `RequestUnsupportedContentType`, answered 415 with
/// `{"statusCode":415,"detail":[{"loc":["body"],"type":"unsupported_content_type"}]}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnsupportedContentType;

impl UnsupportedContentType {
    pub(crate) fn response<'a>(&self, _: &Request<'a>) -> Response<'a> {
        Response::json_text(415, r#"{"statusCode":415,"detail":[{"loc":["body"],"type":"unsupported_content_type"}]}"#)
    }
}

impl std::fmt::Display for UnsupportedContentType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the body's Content-Type is neither JSON, a form nor multipart/form-data")
    }
}

impl std::error::Error for UnsupportedContentType {}

/// `{"statusCode":N,"detail":[{"loc":[...],"type":"..."}, ...]}`.
#[derive(Serialize)]
struct Detail<'p, 'a> {
    #[serde(rename = "statusCode")]
    status_code: u16,
    detail: &'p [Problem<'a>],
}

fn detail_response<'a>(req: &Request<'a>, status: u16, problems: &[Problem<'a>]) -> Response<'a> {
    match req.to_json(&Detail { status_code: status, detail: problems }) {
        Ok(body) => Response::new(status).with_content_type(APPLICATION_JSON).with_body(Body::Text(body)),
        Err(_) => req.error_response(500, "Internal Server Error"),
    }
}
