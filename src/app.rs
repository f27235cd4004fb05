//! `App`: routes plus configuration, and the one function at the heart of the library — an
//! invocation's bytes in, the Lambda response's bytes out.
//!
//! One straight pass: copy the payload into the arena, parse it in place, detect the source,
//! route, call the handler, encode the response for the source. Every buffer is reused across
//! invocations (`Workspace`), so the steady state allocates nothing. No input panics the
//! process: a bad event is an error value, a panicking handler answers 500.

use std::cell::RefCell;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use bumpalo::Bump;
use serde::Serialize;
use simd_json::{Buffers, INPUT_PADDING, tape::Tape};
use smallvec::SmallVec;

use crate::cors::{Cors, CorsHeaders};
use crate::error::{Error, ErrorKind};
use crate::event::{self, EventError, JsonScratch, JsonSerializer, LambdaContext, Request, Source};
use crate::handler::{CatchUnwind, Handler};
use crate::limits::Limits;
use crate::response::compress::{Gzip, gzip_acceptable_values};
use crate::response::encode::{self, WireBody};
use crate::response::{Body, Response};
use crate::router::matcher::Params;
use crate::router::{Method, MethodSet, PathOptions, Route, Router};

/// A not-found handler: answers requests that match no route (pre-flights aside).
pub type NotFoundHandler = for<'r, 'a> fn(&'r Request<'a>) -> Response<'a>;

type ErasedErrorHandler = Box<dyn for<'r, 'a> Fn(&Error, &'r Request<'a>) -> Option<Response<'a>> + Send + Sync>;

enum RouterRef {
    Static(&'static Router<Handler>),
    Owned(Box<Router<Handler>>),
}

/// Routes and configuration: CORS, strip prefixes, error handlers, a not-found handler,
/// debug mode.
///
/// ```
/// use lambda_router::{App, Error, LambdaContext, Request, Response, Route, Router, Workspace};
/// fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
///     req.json_response(&serde_json::json!({"message": "hello universe"}))
/// }
/// let router = Router::builder().push(Route::get("/hello", hello)).build().unwrap();
/// let app = App::with_router(router);
/// let mut workspace = Workspace::new();
/// let event = br#"{"httpMethod":"GET","path":"/hello","headers":{},"requestContext":{"stage":"prod"}}"#;
/// let response = app.handle(&mut workspace, event, &LambdaContext::LOCAL).unwrap();
/// assert_eq!(
///     std::str::from_utf8(response).unwrap(),
///     r#"{"statusCode":200,"multiValueHeaders":{"Content-Type":["application/json"]},"body":"{\"message\":\"hello universe\"}","isBase64Encoded":false}"#
/// );
/// ```
pub struct App {
    router: RouterRef,
    paths: PathOptions,
    cors: Option<CorsHeaders>,
    error_handlers: Vec<ErasedErrorHandler>,
    not_found: Option<NotFoundHandler>,
    debug: bool,
    serializer: Option<JsonSerializer>,
    limits: Limits,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("routes", self.router())
            .field("paths", &self.paths)
            .field("cors", &self.cors.as_ref().map(|c| &c.config))
            .field("error_handlers", &self.error_handlers.len())
            .field("debug", &self.debug)
            .finish()
    }
}

impl App {
    /// An app over a router generated at build time.
    pub fn new(router: &'static Router<Handler>) -> App {
        App::from_ref(RouterRef::Static(router))
    }

    /// An app over a router built at run time.
    pub fn with_router(router: Router<Handler>) -> App {
        App::from_ref(RouterRef::Owned(Box::new(router)))
    }

    fn from_ref(router: RouterRef) -> App {
        App {
            router,
            paths: PathOptions::new(),
            cors: None,
            error_handlers: Vec::new(),
            not_found: None,
            debug: debug_from_env(),
            serializer: None,
            limits: Limits::default(),
        }
    }

    fn router(&self) -> &Router<Handler> {
        match &self.router {
            RouterRef::Static(router) => router,
            RouterRef::Owned(router) => router,
        }
    }

    /// Turns CORS on for every route (but those declared `.cors(false)`), with automatic
    /// pre-flight answers.
    pub fn cors(mut self, cors: Cors) -> App {
        let mut methods = MethodSet::one(Method::Options);
        for route in self.router().routes().iter().filter(|r| r.has_cors()) {
            methods = methods.union(route.methods());
        }
        self.cors = Some(CorsHeaders::new(cors, methods.to_string()));
        self
    }

    /// Cuts `prefix` from routing paths (the reference's `strip_prefixes`).
    pub fn strip_prefix(mut self, prefix: &str) -> App {
        self.paths = self.paths.strip_prefix(prefix);
        self
    }

    /// Turns errors of type `E` into responses (the reference's `exception_handler`). Handlers
    /// registered for [`ServiceError`] or [`BodyError`](crate::BodyError) replace the built-in
    /// answers.
    pub fn error_handler<E: std::error::Error + 'static>(
        mut self,
        handler: for<'r, 'a> fn(&E, &'r Request<'a>) -> Response<'a>,
    ) -> App {
        self.error_handlers.push(Box::new(move |err, req| err.downcast_ref::<E>().map(|e| handler(e, req))));
        self
    }

    /// Replaces the default 404 (`{"statusCode":404,"message":"Not found"}`).
    pub fn not_found(mut self, handler: NotFoundHandler) -> App {
        self.not_found = Some(handler);
        self
    }

    /// Sets the limits on what an invocation may carry (see [`Limits`] for the defaults).
    pub fn limits(mut self, limits: Limits) -> App {
        self.limits = limits;
        self
    }

    /// Replaces the JSON serializer of [`Request::json_response`] and
    /// [`Request::to_json`] (the reference's `serializer`), for another formatting or another
    /// encoder.
    pub fn serializer(mut self, serializer: JsonSerializer) -> App {
        self.serializer = Some(serializer);
        self
    }

    /// Debug mode: 500 answers carry the error chain. Off by default; also turned on by
    /// `POWERTOOLS_EVENT_HANDLER_DEBUG` or `POWERTOOLS_DEV` set to `true`, as in the reference.
    pub fn debug(mut self, debug: bool) -> App {
        self.debug = debug;
        self
    }

    /// The route table, one line per route: methods and full pattern.
    pub fn route_table(&self) -> Vec<String> {
        let router = self.router();
        router
            .routes()
            .iter()
            .enumerate()
            .map(|(index, route)| {
                let kind = if matches!(route.handler(), Handler::Async(_)) { " (async)" } else { "" };
                format!("{:<16} {}{kind}", route.methods().to_string(), router.full_pattern(index))
            })
            .collect()
    }

    /// Handles one invocation: `input` is the payload as the Lambda Runtime API delivers it;
    /// the result is the Lambda response's bytes, valid until the next call with the same
    /// workspace. An input that is no supported event is an [`EventError`].
    ///
    /// Async handlers are awaited by a minimal executor on this thread; inside a tokio
    /// runtime, await [`handle_async`](Self::handle_async) instead.
    pub fn handle<'w>(
        &self,
        workspace: &'w mut Workspace,
        input: &[u8],
        lambda: &LambdaContext<'_>,
    ) -> Result<&'w [u8], EventError> {
        block_on(self.handle_async(workspace, input, lambda))
    }

    /// As [`handle`](Self::handle), awaiting async handlers on the caller's executor.
    pub async fn handle_async<'w>(
        &self,
        workspace: &'w mut Workspace,
        input: &[u8],
        lambda: &LambdaContext<'_>,
    ) -> Result<&'w [u8], EventError> {
        let started = std::time::Instant::now();
        if self.debug {
            tracing::debug!(request_id = lambda.request_id, event = %String::from_utf8_lossy(input), "lambda-router event");
        }
        if input.len() > self.limits.max_event_bytes {
            return Err(EventError::TooLarge { limit: self.limits.max_event_bytes });
        }
        workspace.arena.reset();
        let Workspace { arena, buffers, tape, out, gzip, scratch } = workspace;
        let arena: &Bump = arena;
        let len = input.len();
        // The one copy of the payload: simd-json parses (and unescapes) in place, past the end
        // of the document it needs INPUT_PADDING bytes it may read.
        let buffer = arena.alloc_slice_fill_copy(len + INPUT_PADDING, 0u8);
        buffer[..len].copy_from_slice(input);
        let mut parsed: Tape<'_> = tape.take().unwrap_or_else(|| Tape(Vec::new())).reset();
        let result = match simd_json::fill_tape_padded(buffer, len, buffers, &mut parsed) {
            Err(err) => Err(EventError::InvalidJson { offset: err.index() }),
            Ok(()) => match event::parse(parsed.as_value()) {
                Err(err) => Err(err),
                Ok(event) => {
                    let lambda = LambdaContext { ..*lambda };
                    self.dispatch(event, arena, &lambda, scratch, Output { out, gzip }, started).await;
                    Ok(())
                }
            },
        };
        *tape = Some(parsed.reset());
        result.map(|()| &out[..])
    }

    async fn dispatch<'a>(
        &'a self,
        event: event::Event<'a>,
        arena: &'a Bump,
        lambda: &LambdaContext<'a>,
        scratch: &'a RefCell<JsonScratch>,
        output: Output<'_>,
        started: std::time::Instant,
    ) {
        let router = self.router();
        let method = Method::parse(event.method);
        let routing_path = self.paths.routing_path_with(event.path, event.source.ignores_trailing_slash());
        let found = method.and_then(|m| router.find(m, routing_path));
        let (route, params) = match found {
            Some(found) => (Some(router.route(found.route)), (found.route, found.params)),
            None => (None, (0, Params::empty())),
        };
        let request = Request {
            event,
            routing_path,
            params: params.1,
            pattern: route.map(|_| router.full_pattern(params.0)),
            arena,
            lambda: *lambda,
            scratch,
            serializer: self.serializer,
            max_json_depth: self.limits.max_json_depth,
        };
        let cors_on = self.cors.is_some() && route.is_none_or(Route::has_cors);
        let over_limit = self.over_limit(&request);
        // A request over a limit is answered before routing: no handler, no compression.
        let route = route.filter(|_| over_limit.is_none());
        let response = match (over_limit, route) {
            (Some((status, message)), _) => error_response(&request, status, message),
            (None, Some(route)) => self.call(*route.handler(), &request).await,
            (None, None) if method == Some(Method::Options) && self.cors.is_some() => {
                let methods = self.cors.as_ref().map_or("", |c| c.allow_methods.as_str());
                Response::new(204).with_body(Body::Text("")).header("Access-Control-Allow-Methods", methods)
            }
            (None, None) => match self.not_found {
                Some(handler) => catch_unwind(AssertUnwindSafe(|| handler(&request)))
                    .unwrap_or_else(|panic| self.panic_response(&request, panic)),
                None => error_response(&request, 404, "Not found"),
            },
        };
        let Output { out, gzip } = output;
        self.finish(&request, route, cors_on, &response, out, gzip);
        log_invocation(&request, response.status(), started);
        if self.debug {
            tracing::debug!(
                request_id = request.lambda.request_id,
                response = std::str::from_utf8(out).unwrap_or(""),
                "lambda-router response"
            );
        }
    }

    /// The answer to a request over one of the limits, if it is.
    fn over_limit(&self, request: &Request<'_>) -> Option<(u16, &'static str)> {
        let limits = &self.limits;
        if request.path().len() > limits.max_path_bytes {
            return Some((414, "URI Too Long"));
        }
        if request.headers().count() > limits.max_headers {
            return Some((431, "Request Header Fields Too Large"));
        }
        if request.raw_body().is_some_and(|body| body.len() > limits.max_body_bytes) {
            return Some((413, "Content Too Large"));
        }
        None
    }

    /// Calls a handler, turning its error or its panic into a response.
    async fn call<'a>(&self, handler: Handler, request: &Request<'a>) -> Response<'a> {
        let outcome = match handler {
            Handler::Sync(handler) => catch_unwind(AssertUnwindSafe(|| handler(request))),
            Handler::Async(handler) => match catch_unwind(AssertUnwindSafe(|| handler(request))) {
                Ok(future) => CatchUnwind(future).await,
                Err(panic) => Err(panic),
            },
        };
        let error = match outcome {
            Ok(Ok(response)) => return response,
            Ok(Err(error)) => error,
            Err(panic) => return self.panic_response(request, panic),
        };
        for handler in &self.error_handlers {
            match catch_unwind(AssertUnwindSafe(|| handler(&error, request))) {
                Ok(Some(response)) => return response,
                Ok(None) => {}
                Err(panic) => return self.panic_response(request, panic),
            }
        }
        match &error.kind {
            ErrorKind::Service(service) => error_response(request, service.status(), service.message()),
            ErrorKind::Body(body) => error_response(request, 400, request.format(format_args!("{body}"))),
            ErrorKind::Other(other) => {
                if self.debug {
                    let mut chain = bumpalo::collections::String::new_in(request.arena());
                    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&**other);
                    while let Some(err) = source {
                        if !chain.is_empty() {
                            chain.push_str(": ");
                        }
                        use std::fmt::Write as _;
                        let _ = write!(chain, "{err}");
                        source = err.source();
                    }
                    error_response(request, 500, chain.into_bump_str())
                } else {
                    error_response(request, 500, "Internal Server Error")
                }
            }
        }
    }

    /// The 500 that answers a panic: generic, or with the panic's message in debug mode.
    fn panic_response<'a>(&self, request: &Request<'a>, panic: Box<dyn std::any::Any + Send>) -> Response<'a> {
        let message = panic
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("a handler panicked");
        let detail = if self.debug { request.alloc_str(message) } else { "Internal Server Error" };
        tracing::error!(request_id = request.lambda.request_id, panic = message, "a handler panicked");
        error_response(request, 500, detail)
    }

    /// Adds the app's headers (CORS, `Vary`, `Cache-Control`, `Content-Encoding`), compresses
    /// when asked and accepted, and encodes for the source.
    fn finish<'a>(
        &self,
        request: &Request<'a>,
        route: Option<&Route<Handler>>,
        cors_on: bool,
        response: &Response<'a>,
        out: &mut Vec<u8>,
        gzip: &mut Gzip,
    ) {
        let mut extra: SmallVec<[(&str, &str); 8]> = SmallVec::new();
        if cors_on
            && let Some(cors) = &self.cors
            && let Some(headers) = cors.for_origin(origin(request))
        {
            extra.extend(headers);
        }
        if let Some(cache) = route.and_then(Route::cache_control_value) {
            extra.push(("Cache-Control", if response.status() == 200 { cache } else { "no-cache" }));
        }
        let compress_route = route.is_some_and(Route::compresses);
        let wants_gzip = response.compression().unwrap_or(compress_route);
        let mut body = encode::wire_body(&response.body());
        if wants_gzip && !matches!(response.body(), Body::Empty) && gzip_acceptable_values(accept_encoding(request)) {
            let compressed = gzip.compress(response.body().as_bytes());
            if !compressed.is_empty() {
                extra.push(("Content-Encoding", "gzip"));
                body = WireBody::Base64(compressed);
            }
        }
        let vary = match (cors_on, compress_route || response.compression() == Some(true)) {
            (true, true) => Some("Origin, Accept-Encoding"),
            (true, false) => Some("Origin"),
            (false, true) => Some("Accept-Encoding"),
            (false, false) => None,
        };
        if let Some(vary) = vary {
            extra.push(("Vary", vary));
        }
        encode::encode(out, request.source(), response, &extra, body);
    }

    /// The line the local mode prints for an input that is no supported event.
    pub fn error_line(out: &mut Vec<u8>, error: &EventError) {
        out.clear();
        out.extend_from_slice(b"{\"error\":");
        let mut text = SmallString::default();
        let _ = std::fmt::Write::write_fmt(&mut text, format_args!("{error}"));
        encode::write_str(out, text.as_str());
        out.push(b'}');
    }
}

/// Runs a future to completion on this thread: polled with a no-op waker first (sync
/// handlers finish in one poll, with no allocation); a future that waits parks the thread
/// until woken.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    if let Poll::Ready(output) = future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        return output;
    }
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::park();
    }
}

/// A stack buffer for the short messages of [`EventError`].
#[derive(Default)]
struct SmallString {
    bytes: SmallVec<[u8; 256]>,
}

impl SmallString {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes).unwrap_or("invalid event")
    }
}

impl std::fmt::Write for SmallString {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.bytes.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

#[derive(Serialize)]
struct ErrorBody<'m> {
    #[serde(rename = "statusCode")]
    status_code: u16,
    message: &'m str,
}

/// `{"statusCode":N,"message":"..."}`, as the reference answers an HTTP error.
fn error_response<'a>(request: &Request<'a>, status: u16, message: &str) -> Response<'a> {
    let body = request
        .to_json(&ErrorBody { status_code: status, message })
        .unwrap_or(r#"{"statusCode":500,"message":"Internal Server Error"}"#);
    Response::json_text(status, body)
}

/// The request's `Origin` as the reference reads it: the first value of a multi-value map,
/// or the first comma-separated value of HTTP API v2's joined headers.
fn origin<'a>(request: &Request<'a>) -> Option<&'a str> {
    let headers = request.headers();
    let value = headers.get_all("origin").next()?;
    match request.source() {
        Source::HttpV2 | Source::FunctionUrl => value.split(',').next(),
        _ => Some(value),
    }
}

/// Every value of `Accept-Encoding` (the reference joins them with `,`).
fn accept_encoding<'a>(request: &Request<'a>) -> impl Iterator<Item = &'a str> + use<'a> {
    request.headers().get_all("accept-encoding")
}

/// Where a response goes: the output buffer and the gzip state.
struct Output<'o> {
    out: &'o mut Vec<u8>,
    gzip: &'o mut Gzip,
}

/// Whether the next invocation is the process's first.
static COLD_START: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// One structured line per invocation, at INFO. `tracing` checks the level before any field
/// is formatted, so a filtered-out line costs a load and a branch.
fn log_invocation(request: &Request<'_>, status: u16, started: std::time::Instant) {
    let cold_start = COLD_START.swap(false, std::sync::atomic::Ordering::Relaxed);
    tracing::info!(
        request_id = request.lambda.request_id,
        source = request.source().name(),
        method = request.method(),
        path = request.routing_path(),
        route = request.route_pattern().unwrap_or(""),
        status,
        duration_us = started.elapsed().as_micros() as u64,
        cold_start,
        "request"
    );
}

fn debug_from_env() -> bool {
    ["POWERTOOLS_EVENT_HANDLER_DEBUG", "POWERTOOLS_DEV"].iter().any(|name| {
        std::env::var(name).is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"))
    })
}

/// Memory one worker reuses across invocations: the arena, simd-json's buffers and tape, the
/// output buffer and the gzip state. Make one per concurrent invocation.
pub struct Workspace {
    arena: Bump,
    buffers: Buffers,
    tape: Option<Tape<'static>>,
    out: Vec<u8>,
    gzip: Gzip,
    scratch: RefCell<JsonScratch>,
}

impl Workspace {
    /// An empty workspace; it grows to the largest invocation it sees and stays there.
    pub fn new() -> Workspace {
        Workspace {
            arena: Bump::new(),
            buffers: Buffers::new(4096),
            tape: None,
            out: Vec::new(),
            gzip: Gzip::new(),
            scratch: RefCell::default(),
        }
    }

    /// The output buffer, for writing an error line.
    pub fn out(&mut self) -> &mut Vec<u8> {
        &mut self.out
    }
}

impl Default for Workspace {
    fn default() -> Workspace {
        Workspace::new()
    }
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("arena_bytes", &self.arena.allocated_bytes())
            .field("out_capacity", &self.out.capacity())
            .finish_non_exhaustive()
    }
}
