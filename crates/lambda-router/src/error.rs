//! Errors a handler returns, and the HTTP errors they become.
//!
//! `ServiceError` is the reference's `ServiceError` family: a status and a message that
//! answer `{"statusCode":N,"message":"..."}`. Any other error type travels boxed — a unit
//! struct costs no allocation, since a `Box` of a zero-sized value allocates nothing — and an
//! app may register an error handler for its type (the reference's `exception_handler`).

use std::any::Any;
use std::borrow::Cow;
use std::fmt;

/// An HTTP error with a status and a message: `{"statusCode":N,"message":"..."}`.
///
/// ```
/// use lambda_router::ServiceError;
/// let err = ServiceError::bad_request("Missing required parameter");
/// assert_eq!((err.status(), err.message()), (400, "Missing required parameter"));
/// assert_eq!(ServiceError::not_found().message(), "Not found");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    status: u16,
    message: Cow<'static, str>,
}

impl ServiceError {
    /// An error with any status. A `&'static str` message costs no allocation.
    pub fn new(status: u16, message: impl Into<Cow<'static, str>>) -> ServiceError {
        ServiceError { status, message: message.into() }
    }

    /// 400 Bad Request.
    pub fn bad_request(message: impl Into<Cow<'static, str>>) -> ServiceError {
        ServiceError::new(400, message)
    }

    /// 401 Unauthorized.
    pub fn unauthorized(message: impl Into<Cow<'static, str>>) -> ServiceError {
        ServiceError::new(401, message)
    }

    /// 403 Forbidden.
    pub fn forbidden(message: impl Into<Cow<'static, str>>) -> ServiceError {
        ServiceError::new(403, message)
    }

    /// 404 Not Found, with the reference's default message `Not found`.
    pub fn not_found() -> ServiceError {
        ServiceError::new(404, "Not found")
    }

    /// 404 Not Found with a message.
    pub fn not_found_message(message: impl Into<Cow<'static, str>>) -> ServiceError {
        ServiceError::new(404, message)
    }

    /// 405 Method Not Allowed.
    pub fn method_not_allowed(message: impl Into<Cow<'static, str>>) -> ServiceError {
        ServiceError::new(405, message)
    }

    /// 409 Conflict.
    pub fn conflict(message: impl Into<Cow<'static, str>>) -> ServiceError {
        ServiceError::new(409, message)
    }

    /// 413 Content Too Large.
    pub fn content_too_large(message: impl Into<Cow<'static, str>>) -> ServiceError {
        ServiceError::new(413, message)
    }

    /// 429 Too Many Requests.
    pub fn too_many_requests(message: impl Into<Cow<'static, str>>) -> ServiceError {
        ServiceError::new(429, message)
    }

    /// 500 Internal Server Error.
    pub fn internal(message: impl Into<Cow<'static, str>>) -> ServiceError {
        ServiceError::new(500, message)
    }

    /// 502 Bad Gateway.
    pub fn bad_gateway(message: impl Into<Cow<'static, str>>) -> ServiceError {
        ServiceError::new(502, message)
    }

    /// 503 Service Unavailable.
    pub fn service_unavailable(message: impl Into<Cow<'static, str>>) -> ServiceError {
        ServiceError::new(503, message)
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.message)
    }
}

impl std::error::Error for ServiceError {}

/// Why a request body could not be read as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyError {
    /// `isBase64Encoded` is true but the body is not valid (padded) base64.
    InvalidBase64,
    /// The body is not UTF-8.
    InvalidUtf8,
    /// The body is not valid JSON; where the problem was found.
    InvalidJson {
        /// Byte offset into the body.
        offset: usize,
    },
    /// The body is valid JSON of another shape than the handler asked for (a missing field,
    /// a string where a number was expected, ...).
    UnexpectedShape,
    /// A `multipart/form-data` body whose `Content-Type` gives no boundary.
    MissingBoundary,
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::InvalidBase64 => f.write_str("the body is not valid base64"),
            BodyError::InvalidUtf8 => f.write_str("the body is not UTF-8"),
            BodyError::InvalidJson { offset } => write!(f, "the body is not valid JSON (at byte {offset})"),
            BodyError::UnexpectedShape => f.write_str("the body is JSON of another shape than expected"),
            BodyError::MissingBoundary => f.write_str("the multipart/form-data body's Content-Type gives no boundary="),
        }
    }
}

impl std::error::Error for BodyError {}

#[derive(Debug)]
pub(crate) enum ErrorKind {
    Service(ServiceError),
    Body(BodyError),
    Panic(Panic),
    Request(crate::validate::RequestValidationError),
    Unsupported(crate::validate::UnsupportedContentType),
    Response(crate::validate::ResponseValidationError),
    Other(Box<dyn std::error::Error + Send + Sync + 'static>),
}

/// A handler or a middleware panicked: the panic as an error, so that it can take the one
/// error path. By default it answers 500 (with the message in debug mode); an error handler
/// registered for `Panic` ([`App::error_handler`](crate::App::error_handler)), or the
/// catch-all with [`App::catch_panics`](crate::App::catch_panics), answers it instead.
#[derive(Debug, Clone)]
pub struct Panic {
    message: Cow<'static, str>,
}

impl Panic {
    /// The message of a caught panic's payload: a `&'static str` or a `String` (moved out of
    /// its box, so no allocation), or a placeholder for any other payload.
    pub(crate) fn new(payload: Box<dyn Any + Send>) -> Panic {
        let message = match payload.downcast::<String>() {
            Ok(text) => Cow::Owned(*text),
            Err(payload) => {
                Cow::Borrowed(payload.downcast_ref::<&'static str>().copied().unwrap_or("a handler panicked"))
            }
        };
        Panic { message }
    }

    /// The panic's message (`"a handler panicked"` when the payload was no string).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Panic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Panic {}

/// What a handler returns when it fails: a [`ServiceError`] (an HTTP error), a [`BodyError`],
/// or any other error, which an error handler registered for its type turns into a response
/// (otherwise: 500).
///
/// Any `std::error::Error + Send + Sync + 'static` converts with `?`. It is boxed, and a box
/// of a unit struct allocates nothing, so `Err(BadValue.into())` costs no allocation.
///
/// ```
/// use lambda_router::{Error, ServiceError};
/// #[derive(Debug)]
/// struct BadValue;
/// impl std::fmt::Display for BadValue {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("bad value") }
/// }
/// impl std::error::Error for BadValue {}
///
/// let err: Error = BadValue.into();
/// assert!(err.downcast_ref::<BadValue>().is_some());
/// let err: Error = ServiceError::unauthorized("Unauthorized").into();
/// assert_eq!(err.downcast_ref::<ServiceError>().map(|e| e.status()), Some(401));
/// ```
pub struct Error {
    pub(crate) kind: ErrorKind,
}

impl Error {
    /// The error as `E`, if it is one.
    pub fn downcast_ref<E: std::error::Error + 'static>(&self) -> Option<&E> {
        match &self.kind {
            ErrorKind::Service(e) => (e as &dyn Any).downcast_ref(),
            ErrorKind::Body(e) => (e as &dyn Any).downcast_ref(),
            ErrorKind::Panic(e) => (e as &dyn Any).downcast_ref(),
            ErrorKind::Request(e) => (e as &dyn Any).downcast_ref(),
            ErrorKind::Unsupported(e) => (e as &dyn Any).downcast_ref(),
            ErrorKind::Response(e) => (e as &dyn Any).downcast_ref(),
            ErrorKind::Other(e) => e.downcast_ref(),
        }
    }

    /// The error as a `std::error::Error`.
    pub fn as_error(&self) -> &(dyn std::error::Error + 'static) {
        match &self.kind {
            ErrorKind::Service(e) => e,
            ErrorKind::Body(e) => e,
            ErrorKind::Panic(e) => e,
            ErrorKind::Request(e) => e,
            ErrorKind::Unsupported(e) => e,
            ErrorKind::Response(e) => e,
            ErrorKind::Other(e) => &**e,
        }
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for Error {
    fn from(error: E) -> Error {
        // The two kinds the library answers itself travel unboxed; the check is on the
        // concrete type, with no allocation either way.
        let mut slot = Some(error);
        let any: &mut dyn Any = &mut slot;
        if let Some(service) = any.downcast_mut::<Option<ServiceError>>().and_then(Option::take) {
            return Error { kind: ErrorKind::Service(service) };
        }
        if let Some(body) = any.downcast_mut::<Option<BodyError>>().and_then(Option::take) {
            return Error { kind: ErrorKind::Body(body) };
        }
        if let Some(request) =
            any.downcast_mut::<Option<crate::validate::RequestValidationError>>().and_then(Option::take)
        {
            return Error { kind: ErrorKind::Request(request) };
        }
        if let Some(unsupported) =
            any.downcast_mut::<Option<crate::validate::UnsupportedContentType>>().and_then(Option::take)
        {
            return Error { kind: ErrorKind::Unsupported(unsupported) };
        }
        if let Some(response) =
            any.downcast_mut::<Option<crate::validate::ResponseValidationError>>().and_then(Option::take)
        {
            return Error { kind: ErrorKind::Response(response) };
        }
        match slot {
            Some(error) => Error { kind: ErrorKind::Other(Box::new(error)) },
            // Taken only by a branch that returned above.
            None => Error { kind: ErrorKind::Service(ServiceError::internal("Internal Server Error")) },
        }
    }
}

impl Error {
    /// A panic caught while a handler or a middleware ran.
    pub(crate) fn panic(payload: Box<dyn Any + Send>) -> Error {
        Error { kind: ErrorKind::Panic(Panic::new(payload)) }
    }

    /// Runs user code (a handler, a middleware, a poll of their future), a panic becoming a
    /// [`Panic`] error that takes the one error path.
    pub(crate) fn catching<T>(run: impl FnOnce() -> T) -> Result<T, Error> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).map_err(Error::panic)
    }

    /// Whether this is a caught panic ([`Panic`]).
    pub fn is_panic(&self) -> bool {
        matches!(self.kind, ErrorKind::Panic(_))
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.kind, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_error(), f)
    }
}
