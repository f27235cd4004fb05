//! `Mount`: configuration for the routes under one prefix, the reference's included router
//! with its own middleware, error handlers and not-found handler. A request belongs to the
//! mount whose prefix is the longest one its route's pattern (or, when no route matched, its
//! path) is under, segment by segment.

use crate::error::Error;
use crate::middleware::Middleware;
use crate::request::Request;
use crate::response::Response;

use super::ErasedErrorHandler;
use crate::handler::NotFoundHandler;

/// Middleware, error handlers and a not-found handler for the routes under a prefix, such as
/// a table mounted with `lambda_router_build::Build::mount("/users", ..)` or
/// [`RouterBuilder::include`](crate::RouterBuilder::include).
///
/// Its middleware run inside the app's and outside the route's; its error handlers are tried
/// before the app's; its not-found handler answers unrouted paths under the prefix.
///
/// ```
/// use lambda_router::{App, Error, Mount, Request, Response, Route, Router, ServiceError};
/// fn user<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
///     Err(ServiceError::not_found_message("no such user").into())
/// }
/// let router = Router::builder().push(Route::get("/users/<id>", user)).build().unwrap();
/// let app = App::with_router(router).mount(
///     Mount::new("/users")
///         .error_handler::<ServiceError>(|e, _| Response::text(e.status(), "users: not here"))
///         .not_found(|_| Response::text(404, "users: no such page")),
/// );
/// let call = |path: &str| lambda_router::testing::TestRequest::get(path).http_v2().invoke(&app).unwrap().text();
/// assert_eq!(call("/users/7"), "users: not here");
/// assert_eq!(call("/users/7/photos"), "users: no such page");
/// assert_eq!(call("/other"), r#"{"statusCode":404,"message":"Not found"}"#);
/// ```
pub struct Mount {
    prefix: String,
    pub(super) middleware: Vec<Middleware>,
    pub(super) error_handlers: Vec<ErasedErrorHandler>,
    pub(super) not_found: Option<NotFoundHandler>,
}

impl Mount {
    /// The routes under `prefix` (`/users` covers `/users` and `/users/...`).
    pub fn new(prefix: &str) -> Mount {
        let prefix = prefix.trim_end_matches('/');
        Mount { prefix: prefix.to_owned(), middleware: Vec::new(), error_handlers: Vec::new(), not_found: None }
    }

    /// Adds middleware for the mount's routes, outermost first.
    pub fn middleware(mut self, middleware: &[Middleware]) -> Mount {
        self.middleware.extend_from_slice(middleware);
        self
    }

    /// Turns errors of type `E` from the mount's routes into responses, before the app's
    /// handlers are tried.
    pub fn error_handler<E: std::error::Error + 'static>(
        mut self,
        handler: for<'r, 'a> fn(&E, &'r Request<'a>) -> Response<'a>,
    ) -> Mount {
        self.error_handlers.push(Box::new(move |err: &Error, req| err.downcast_ref::<E>().map(|e| handler(e, req))));
        self
    }

    /// Answers the paths under the prefix that match no route.
    pub fn not_found(mut self, handler: NotFoundHandler) -> Mount {
        self.not_found = Some(handler);
        self
    }

    /// The prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Whether `path` (a pattern or a routing path) is under the prefix.
    pub(super) fn covers(&self, path: &str) -> bool {
        match path.strip_prefix(self.prefix.as_str()) {
            Some(rest) => rest.is_empty() || rest.starts_with('/'),
            None => false,
        }
    }
}

impl std::fmt::Debug for Mount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mount")
            .field("prefix", &self.prefix)
            .field("middleware", &self.middleware.len())
            .field("error_handlers", &self.error_handlers.len())
            .field("not_found", &self.not_found.is_some())
            .finish()
    }
}
