//! Middleware, on the reference's model: a function of the request and the rest of the chain
//! (`next`). It may answer itself without calling `next`, or call it and change the response;
//! it may `await` (middleware are async, their futures live in the invocation's arena, as
//! async handlers' do).
//!
//! Order is an onion: the app's middleware outermost (in the order given), then its mount's
//! (`Mount`), then the route's (in declared order), then the handler; responses travel back out in reverse. An error (or
//! a panic) anywhere inside bubbles out to the app's error handlers: the middleware it passed
//! through see no response. Nothing here allocates on the heap.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::app::App;
use crate::error::Error;
use crate::handler::{Handler, HandlerFuture};
use crate::request::Request;
use crate::response::Response;

type Outcome<'a> = Result<Response<'a>, Error>;

/// A middleware: the request and the rest of the chain in, a response or an error out. Written
/// as an `async fn` and moved into the invocation's arena with [`Request::in_arena`]:
///
/// ```
/// use lambda_router::{Error, Middleware, Next, Request, Response};
///
/// /// Answers 401 itself unless the bearer token is right; otherwise lets the request through.
/// async fn auth<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
///     if req.header("Authorization") != Some("Bearer good") {
///         return Ok(Response::json_text(401, r#"{"message":"no token"}"#));
///     }
///     let response = next.run().await?;
///     Ok(response.header("X-Checked", "yes"))
/// }
///
/// pub const AUTH: Middleware = |req, next| req.in_arena(auth(req, next));
/// ```
///
/// Put it on the app (`App::middleware`, for every request) or on a route in its `const`
/// table (`Route::get(..).middleware(&[AUTH])`).
pub type Middleware = for<'r, 'a> fn(&'r Request<'a>, Next<'r, 'a>) -> HandlerFuture<'r, 'a>;

/// What answers at the centre of the chain.
#[derive(Clone, Copy)]
pub(crate) enum Endpoint {
    /// The matched route's handler.
    Handler(Handler),
    /// No route matched: the mount's or the app's not-found handler, or the 404.
    NotFound(Option<crate::app::NotFoundHandler>),
    /// A CORS pre-flight: 204 with the allowed methods.
    Preflight,
    /// No route for this method, but some for the path: 405 with `Allow`.
    MethodNotAllowed(lambda_router_core::MethodSet),
    /// `GET` on the Swagger UI's path: the page, or the OpenAPI document.
    Swagger,
}

/// The rest of the chain, handed to a middleware: [`run`](Next::run) calls it.
pub struct Next<'r, 'a> {
    request: &'r Request<'a>,
    app: &'a App,
    global: &'r [Middleware],
    mount: &'r [Middleware],
    route: &'r [Middleware],
    endpoint: Endpoint,
}

impl<'r, 'a> Next<'r, 'a> {
    pub(crate) fn new(
        request: &'r Request<'a>,
        app: &'a App,
        [global, mount, route]: [&'r [Middleware]; 3],
        endpoint: Endpoint,
    ) -> Next<'r, 'a> {
        Next { request, app, global, mount, route, endpoint }
    }

    /// Runs the rest of the chain: the next middleware, or the handler.
    pub fn run(self) -> NextFuture<'r, 'a> {
        let (middleware, next) = if let Some((first, rest)) = self.global.split_first() {
            (*first, Next { global: rest, ..self })
        } else if let Some((first, rest)) = self.mount.split_first() {
            (*first, Next { mount: rest, ..self })
        } else if let Some((first, rest)) = self.route.split_first() {
            (*first, Next { route: rest, ..self })
        } else {
            return self.endpoint();
        };
        let request = self.request;
        NextFuture::started(Error::catching(|| middleware(request, next)))
    }

    #[allow(clippy::result_large_err)] // the rejection is a 422 `Response`, moved once: boxing it would allocate
    fn endpoint(self) -> NextFuture<'r, 'a> {
        let request = self.request;
        match self.endpoint {
            Endpoint::Handler(Handler::Sync(handler)) => {
                NextFuture::ready(Error::catching(|| handler(request)).and_then(|outcome| outcome))
            }
            Endpoint::Handler(Handler::Async(handler)) => NextFuture::started(Error::catching(|| handler(request))),
            Endpoint::Handler(Handler::Typed(typed)) => match Error::catching(|| typed.start(request)) {
                Ok(Ok(future)) => NextFuture::started(Ok(future)),
                Ok(Err(outcome)) => NextFuture::ready(outcome),
                Err(err) => NextFuture::ready(Err(err)),
            },
            Endpoint::NotFound(handler) => NextFuture::ready(self.app.not_found_response(request, handler)),
            Endpoint::Preflight => NextFuture::ready(Ok(self.app.preflight_response())),
            Endpoint::Swagger => NextFuture::ready(Ok(self.app.swagger_response(request))),
            Endpoint::MethodNotAllowed(allowed) => {
                NextFuture::ready(Ok(self.app.method_not_allowed_response(request, allowed)))
            }
        }
    }
}

impl std::fmt::Debug for Next<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Next")
            .field("middleware_left", &(self.global.len() + self.mount.len() + self.route.len()))
            .finish()
    }
}

/// The rest of the chain, running: await it for its response or error. A panic inside
/// becomes an error ([`Panic`](crate::Panic)), which `?` passes on to the error handlers.
#[must_use = "the rest of the chain runs only when awaited"]
pub struct NextFuture<'r, 'a> {
    state: State<'r, 'a>,
}

// A ready response is large (its headers and cookies are inline) and a pending future small;
// boxing the response would be a heap allocation per invocation, which is what this avoids.
#[allow(clippy::large_enum_variant)]
enum State<'r, 'a> {
    Ready(Option<Outcome<'a>>),
    Arena(HandlerFuture<'r, 'a>),
    Done,
}

impl<'r, 'a> NextFuture<'r, 'a> {
    fn ready(outcome: Outcome<'a>) -> NextFuture<'r, 'a> {
        NextFuture { state: State::Ready(Some(outcome)) }
    }

    /// A middleware's or an async handler's future, or the panic that made it.
    fn started(made: Result<HandlerFuture<'r, 'a>, Error>) -> NextFuture<'r, 'a> {
        match made {
            Ok(future) => NextFuture { state: State::Arena(future) },
            Err(panic) => NextFuture::ready(Err(panic)),
        }
    }
}

impl<'a> Future for NextFuture<'_, 'a> {
    type Output = Outcome<'a>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Outcome<'a>> {
        let this = &mut *self;
        let outcome = match &mut this.state {
            State::Ready(outcome) => outcome.take(),
            // Polled through the counted path of `handler.rs`: if this future is leaked while
            // the inner one is pinned, the workspace leaks the arena rather than reuse it.
            State::Arena(future) => match Error::catching(|| future.poll_in_pipeline(cx)) {
                Ok(Poll::Pending) => return Poll::Pending,
                Ok(Poll::Ready(outcome)) => Some(outcome),
                Err(panic) => Some(Err(panic)),
            },
            State::Done => None,
        };
        // Done: the arena future (if any) is dropped here, before the result goes out.
        this.state = State::Done;
        Poll::Ready(outcome.unwrap_or_else(|| {
            Err(crate::ServiceError::internal("a middleware's `next` was polled after it finished").into())
        }))
    }
}

impl std::fmt::Debug for NextFuture<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NextFuture")
    }
}
