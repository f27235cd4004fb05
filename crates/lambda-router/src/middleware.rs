//! Middleware, on the reference's model: a function of the request and the rest of the chain
//! (`next`). It may answer itself without calling `next`, or call it and change the response;
//! it may `await` (its future lives in the invocation's arena, as an async handler's does).
//!
//! Order is an onion: the app's middleware outermost (in the order given), then its mount's
//! (`Mount`), then the route's (in declared order), then the endpoint; responses travel back out
//! in reverse. An error (or a panic) anywhere inside bubbles out to the app's error handlers:
//! the middleware it passed through see no response. Nothing here allocates on the heap, and
//! nothing here knows the `App`: the pipeline hands the chain its endpoint, ready to run.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::MethodSet;
use crate::arena::ArenaFuture;
use crate::error::Error;
use crate::handler::{Handler, NotFoundHandler, Outcome, Started};
use crate::request::Request;
use crate::response::{Body, Response};
use crate::validate::ResponseSpec;

/// A middleware: an `async fn` of the request and the rest of the chain, marked
/// `#[middleware]`, named directly in the app's or a route's list.
///
/// ```
/// use lambda_router::{Error, Next, Request, Response, Route, middleware};
///
/// /// Answers 401 itself unless the bearer token is right; otherwise lets the request through.
/// #[middleware]
/// async fn auth<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
///     if req.header("Authorization") != Some("Bearer good") {
///         return Ok(Response::json_text(401, r#"{"message":"no token"}"#));
///     }
///     let response = next.run().await?;
///     Ok(response.header("X-Checked", "yes"))
/// }
///
/// fn secret<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
///     Ok(Response::text(200, "s"))
/// }
///
/// const ROUTES: &[Route] = &[Route::get("/secret", secret).middleware(&[auth])];
/// # let _ = ROUTES;
/// ```
///
/// Put it on the app (`App::middleware`, for every request) or on a route in its `const` table
/// (`Route::get(..).middleware(&[auth])`). `#[middleware]` moves the function's future into the
/// invocation's arena and gives it this signature: it starts the middleware and returns it
/// running.
///
/// A middleware may take its configuration as a third argument, `config: &C`: the value of type
/// `C` the app was given at start-up with [`App::state`](crate::App::state), the same for every
/// route that lists the middleware (see [`middleware`](macro@crate::middleware)).
pub type Middleware = for<'r, 'a> fn(&'r Request<'a>, Next<'r, 'a>) -> NextFuture<'r, 'a>;

/// A configured middleware whose configuration the app was not given: a 500, and an error in
/// the log that names the middleware and the type it needs.
#[doc(hidden)]
pub fn missing_config<'r, 'a>(middleware: &'static str, config: &'static str) -> NextFuture<'r, 'a> {
    tracing::error!(
        middleware,
        config,
        "the middleware `{middleware}` needs its configuration, a `{config}` given to the app at start-up (App::state)"
    );
    NextFuture::ready(Err(crate::ServiceError::internal("Internal Server Error").into()))
}

/// What becomes of a route's answer before it travels back out: the status of its success, and
/// the model it is checked against.
#[derive(Debug, Clone, Copy)]
pub(crate) struct After {
    /// The route's success status, for its handler's 200s.
    pub(crate) status: Option<u16>,
    /// The route's response model.
    pub(crate) model: Option<&'static ResponseSpec>,
    /// The status of an answer that does not validate (the route's, else the app's); without
    /// one, the reference's request validation error.
    pub(crate) validation_status: Option<u16>,
}

impl After {
    /// Applies the route's status and checks its model.
    fn apply<'a>(&self, req: &Request<'a>, outcome: Outcome<'a>) -> Outcome<'a> {
        let mut response = outcome?;
        if let Some(status) = self.status
            && response.status() == 200
        {
            response = response.with_status(status);
        }
        match self.model {
            Some(model) => model.validate(req, response, self.validation_status),
            None => Ok(response),
        }
    }
}

/// What answers at the centre of the chain, with everything it needs.
#[derive(Clone, Copy)]
pub(crate) enum Endpoint<'a> {
    /// The matched route's handler, and what becomes of its answer.
    Handler(Handler, After),
    /// No route matched: the mount's or the app's not-found handler, or the 404.
    NotFound(Option<NotFoundHandler>),
    /// A CORS pre-flight: 204 with the allowed methods.
    Preflight(&'a str),
    /// No route for this method, but some for the path: 405 with `Allow`.
    MethodNotAllowed(MethodSet),
    /// A page or document of the app's own (the Swagger UI, the OpenAPI document).
    Page { content_type: &'a str, body: &'a str },
}

/// The rest of the chain, handed to a middleware: [`run`](Next::run) calls it.
pub struct Next<'r, 'a> {
    request: &'r Request<'a>,
    global: &'r [Middleware],
    mount: &'r [Middleware],
    route: &'r [Middleware],
    endpoint: Endpoint<'a>,
}

impl<'r, 'a> Next<'r, 'a> {
    pub(crate) fn new(
        request: &'r Request<'a>,
        [global, mount, route]: [&'r [Middleware]; 3],
        endpoint: Endpoint<'a>,
    ) -> Next<'r, 'a> {
        Next { request, global, mount, route, endpoint }
    }

    /// Runs the rest of the chain: the next middleware, or the endpoint.
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
        match Error::catching(|| middleware(request, next)) {
            Ok(running) => running,
            Err(panic) => NextFuture::ready(Err(panic)),
        }
    }

    /// Runs the chain at once when it is a sync handler alone (no middleware): its outcome,
    /// checked, with no future between the handler and the pipeline. Otherwise (a middleware,
    /// an async handler, another endpoint) the chain, running, to await.
    pub(crate) fn run_now(self) -> Ran<'r, 'a> {
        let alone = self.global.is_empty() && self.mount.is_empty() && self.route.is_empty();
        match self.endpoint {
            Endpoint::Handler(handler, after) if alone && !handler.is_async() => {
                let request = self.request;
                match Error::catching(|| handler.start(request)) {
                    Ok(Started::Ready(outcome)) => Ran::Done(after.apply(request, outcome)),
                    started => {
                        let mut running = NextFuture::started(started);
                        running.after = Some(after);
                        running.request = Some(request);
                        Ran::Running(running)
                    }
                }
            }
            _ => Ran::Running(self.run()),
        }
    }

    fn endpoint(self) -> NextFuture<'r, 'a> {
        let request = self.request;
        let outcome = match self.endpoint {
            Endpoint::Handler(handler, after) => {
                let mut started = NextFuture::started(Error::catching(|| handler.start(request)));
                started.after = Some(after);
                started.request = Some(request);
                return started;
            }
            Endpoint::NotFound(Some(handler)) => Error::catching(|| handler(request)),
            Endpoint::NotFound(None) => Ok(request.error_response(404, "Not found")),
            Endpoint::Preflight(methods) => {
                Ok(Response::new(204).with_body(Body::Text("")).header("Access-Control-Allow-Methods", methods))
            }
            Endpoint::MethodNotAllowed(allowed) => Ok(request
                .error_response(405, "Method Not Allowed")
                .header("Allow", request.format(format_args!("{allowed}")))),
            Endpoint::Page { content_type, body } => {
                Ok(Response::new(200).with_content_type(content_type).with_body(Body::Text(body)))
            }
        };
        NextFuture::ready(outcome)
    }
}

impl std::fmt::Debug for Next<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Next")
            .field("middleware_left", &(self.global.len() + self.mount.len() + self.route.len()))
            .finish()
    }
}

/// What [`Next::run_now`] gives: the outcome, or the chain running.
// Both variants are large; the outcome is moved once, and boxing either would allocate.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Ran<'r, 'a> {
    /// Run to its end.
    Done(Outcome<'a>),
    /// To await.
    Running(NextFuture<'r, 'a>),
}

/// The rest of the chain, running: await it for its response or error. A panic inside
/// becomes an error ([`Panic`](crate::Panic)), which `?` passes on to the error handlers.
#[must_use = "the rest of the chain runs only when awaited"]
pub struct NextFuture<'r, 'a> {
    state: State<'r, 'a>,
    /// For a handler: what becomes of its answer, and the request it answers.
    after: Option<After>,
    request: Option<&'r Request<'a>>,
}

// A ready response is large (its headers and cookies are inline) and a pending future small;
// boxing the response would be a heap allocation per invocation, which is what this avoids.
#[allow(clippy::large_enum_variant)]
enum State<'r, 'a> {
    Ready(Option<Outcome<'a>>),
    Arena(ArenaFuture<'r, 'a>),
    Done,
}

impl<'r, 'a> NextFuture<'r, 'a> {
    fn ready(outcome: Outcome<'a>) -> NextFuture<'r, 'a> {
        NextFuture { state: State::Ready(Some(outcome)), after: None, request: None }
    }

    /// A middleware started (generated code of `#[middleware]`).
    #[doc(hidden)]
    pub fn __started(started: Started<'r, 'a>) -> NextFuture<'r, 'a> {
        NextFuture::started(Ok(started))
    }

    /// A middleware or a handler started, or the panic that starting it was.
    fn started(started: Result<Started<'r, 'a>, Error>) -> NextFuture<'r, 'a> {
        match started {
            Ok(Started::Ready(outcome)) => NextFuture::ready(outcome),
            Ok(Started::Pending(future)) => NextFuture { state: State::Arena(future), after: None, request: None },
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
            // Counted in the arena before its first poll (see `arena.rs`): if this future is
            // leaked while the inner one is pinned, the workspace leaks the arena rather than
            // reuse it.
            State::Arena(future) => match Error::catching(|| future.poll(cx)) {
                Ok(Poll::Pending) => return Poll::Pending,
                Ok(Poll::Ready(outcome)) => Some(outcome),
                Err(panic) => Some(Err(panic)),
            },
            State::Done => None,
        };
        // Done: the arena future (if any) is dropped here, before the result goes out.
        this.state = State::Done;
        let outcome = outcome.unwrap_or_else(|| {
            Err(crate::ServiceError::internal("a middleware's `next` was polled after it finished").into())
        });
        Poll::Ready(match (this.after.take(), this.request) {
            (Some(after), Some(request)) => after.apply(request, outcome),
            _ => outcome,
        })
    }
}

impl std::fmt::Debug for NextFuture<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NextFuture")
    }
}
