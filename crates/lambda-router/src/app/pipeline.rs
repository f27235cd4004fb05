//! The invocation pipeline, the one function at the heart of the library: an invocation's
//! bytes in, the Lambda response's bytes out.
//!
//! One straight pass: copy the payload into the arena, parse it in place, detect the source,
//! route, call the handler, encode the response for the source. Every buffer is reused across
//! invocations (`Workspace`), so the steady state allocates nothing. No input panics the
//! process: a bad event is an error value, a panicking handler answers 500.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use lambda_router_core::Params;
use simd_json::tape::Tape;
use smallvec::SmallVec;

use super::executor::block_on;
use super::log;
use super::{App, Mount, Workspace};
use crate::arena::{Arena, in_arena};
use crate::cors::CorsHeaders;
use crate::error::{Error, ErrorKind, Panic};
use crate::event::{self, EventError, Source};
use crate::middleware::{After, Endpoint, Next, Ran};
use crate::request::{InvocationContext, JsonScratch, LambdaContext, Request};
use crate::response::compress::{Gzip, gzip_acceptable_values};
use crate::response::encode::{self, Shape, WireBody};
use crate::response::prelude;
use crate::response::stream::{self, Driver, Step};
use crate::response::{APPLICATION_JSON, Body, BodyStream, Response, TEXT_HTML};
use crate::route::Route;
use crate::{Method, MethodSet};

impl App {
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
        block_on(std::pin::pin!(self.handle_async(workspace, input, lambda)))
    }

    /// As [`handle`](Self::handle), awaiting async handlers on the caller's executor.
    pub async fn handle_async<'w>(
        &self,
        workspace: &'w mut Workspace,
        input: &[u8],
        lambda: &LambdaContext<'_>,
    ) -> Result<&'w [u8], EventError> {
        let mut mode = Mode::<NoSink>::Buffered;
        let pipeline = std::pin::pin!(self.run_pipeline(workspace, input, lambda, &mut mode));
        in_invocation_span(lambda, pipeline).await.map(|out| &out[..])
    }

    /// As [`handle_async`](Self::handle_async), for a streaming function: the response goes to
    /// `sink` (its prelude, then its body chunk by chunk, then its end) instead of a buffer. An
    /// error is returned before anything was sent.
    pub(crate) async fn handle_streaming<S: StreamSink>(
        &self,
        workspace: &mut Workspace,
        input: &[u8],
        lambda: &LambdaContext<'_>,
        sink: &mut S,
    ) -> Result<(), EventError> {
        let mut mode = Mode::Streaming(sink);
        let pipeline = std::pin::pin!(self.run_pipeline(workspace, input, lambda, &mut mode));
        in_invocation_span(lambda, pipeline).await.map(|_| ())
    }

    async fn run_pipeline<'w, S: StreamSink + ?Sized>(
        &self,
        workspace: &'w mut Workspace,
        input: &[u8],
        lambda: &LambdaContext<'_>,
        mode: &mut Mode<'_, S>,
    ) -> Result<&'w Vec<u8>, EventError> {
        // The clock is read only for the access log.
        let started = self.access_log.then(std::time::Instant::now);
        if self.debug {
            log::debug_line("event", lambda.request_id, input);
        }
        if input.len() > self.limits.event_bytes() {
            return Err(EventError::TooLarge { limit: self.limits.event_bytes() });
        }
        workspace.reset_arena();
        let Workspace { arena, buffers, tape, out, gzip, scratch, log } = workspace;
        let arena: &Arena = arena;
        // The one copy of the payload (a large body lifted out of it and copied beside it):
        // simd-json parses (and unescapes) in place, and reads up to INPUT_PADDING bytes past
        // the end of the document.
        let copy = event::lift::copy(arena.bump(), input);
        let lifted = copy.body.is_some();
        let mut parsed: Tape<'_> = tape.take().unwrap_or_else(|| Tape(Vec::new())).reset();
        let mut parse = simd_json::fill_tape_padded(copy.buffer, copy.len, buffers, &mut parsed);
        if parse.is_err() && lifted {
            // The offset of the error is the whole event's.
            parsed = parsed.reset();
            parse = simd_json::fill_tape_padded(
                event::json::padded_copy(arena.bump(), input),
                input.len(),
                buffers,
                &mut parsed,
            );
        }
        let result = match parse {
            Err(err) => Err(EventError::InvalidJson { offset: err.index() }),
            Ok(()) => match event::parse(parsed.as_value(), copy.body) {
                Err(err) => Err(err),
                Ok(event) => {
                    let lambda = LambdaContext { ..*lambda };
                    let memory = Memory { arena, scratch };
                    let answered = self.answer(event, memory, &lambda).await;
                    let output = Output { out, gzip, log };
                    // The common case, a buffered body, is encoded synchronously. The others
                    // await (a streamed body gathered, or sent as it is written): their futures
                    // go into the arena, so that the pipeline's own future, which every caller
                    // moves and a runtime copies, stays the size of its common path.
                    match mode {
                        Mode::Buffered if !matches!(answered.response.body(), Body::Stream(_)) => {
                            self.encode_buffered(&answered, output, started)
                        }
                        Mode::Buffered => {
                            let mut tail = in_arena(arena, self.send_buffered(answered, output, started));
                            std::future::poll_fn(|cx| tail.poll(cx)).await
                        }
                        Mode::Streaming(sink) => {
                            let mut tail = in_arena(arena, self.send_streamed(answered, output, started, &mut **sink));
                            std::future::poll_fn(|cx| tail.poll(cx)).await
                        }
                    }
                    Ok(())
                }
            },
        };
        *tape = Some(parsed.reset());
        result.map(|()| &*out)
    }

    /// Sends a buffered answer: a streamed body gathered, then the Lambda response of the
    /// event's source encoded into `out`.
    async fn send_buffered<'a>(
        &'a self,
        mut answered: Answered<'a>,
        output: Output<'_>,
        started: Option<std::time::Instant>,
    ) {
        if let Body::Stream(stream) = answered.response.body() {
            let body = gather(&answered.request, stream).await;
            answered.response = match body {
                Ok(body) => answered.response.with_body(body),
                Err(error) => self.error_to_response(error, &answered.request, None),
            };
        }
        self.encode_buffered(&answered, output, started);
    }

    /// Encodes a buffered answer (its body gathered) into `out`: the Lambda response of the
    /// event's source; then the access log and debug lines.
    fn encode_buffered(&self, answered: &Answered<'_>, output: Output<'_>, started: Option<std::time::Instant>) {
        let Answered { request, route, cors, response } = answered;
        let Output { out, gzip, log } = output;
        self.finish(request, route.as_ref(), *cors, response, out, gzip);
        stream::drop_all(request.streams.get());
        if let Some(started) = started {
            log::access_log(log, request, response.status(), started.elapsed().as_micros() as u64);
        }
        if self.debug {
            log::debug_line("response", request.lambda.request_id, out);
        }
    }

    /// Sends an answer to a streaming function's `sink`. A Function URL's or a REST API's: the
    /// prelude, then the body (a buffered one as one chunk, its bytes as they are), then the
    /// end, with the error trailers when the producer fails after the prelude. Any other
    /// source's (they cannot stream): the buffered response.
    async fn send_streamed<'a, S: StreamSink + ?Sized>(
        &'a self,
        answered: Answered<'a>,
        output: Output<'_>,
        started: Option<std::time::Instant>,
        sink: &mut S,
    ) {
        if !matches!(answered.request.source(), Source::FunctionUrl | Source::RestV1) {
            let Output { out, gzip, log } = output;
            self.send_buffered(answered, Output { out: &mut *out, gzip, log }, started).await;
            let _ = sink.buffered(out).await;
            return;
        }
        let Answered { request, route, cors, mut response } = answered;
        let Output { out, log, .. } = output;
        let mut extra: SmallVec<[(&str, &str); 8]> = SmallVec::new();
        self.extra_headers(&request, route.as_ref(), cors, &response, &mut extra);
        if let Err(invalid) = prelude::encode(out, &response, &extra) {
            tracing::error!(request_id = request.lambda.request_id, "{invalid}");
            response = request.error_response(500, "Internal Server Error");
            extra.clear();
            self.extra_headers(&request, route.as_ref(), cors, &response, &mut extra);
            // The library's own headers are valid.
            let _ = prelude::encode(out, &response, &extra);
        }
        let status = response.status();
        let ended = if sink.head(status, out).await.is_ok() {
            match response.body() {
                Body::Stream(stream) => match Driver::new(stream) {
                    Some(driver) => drive(driver, sink).await,
                    None => Ok(Ok(())),
                },
                body if body.as_bytes().is_empty() => Ok(Ok(())),
                body => sink.chunk(body.as_bytes()).await.map(Ok),
            }
        } else {
            Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
        };
        match &ended {
            Ok(produced) => {
                if let Err(error) = produced {
                    tracing::error!(request_id = request.lambda.request_id, "the stream ended early: {error}");
                }
                let _ = sink.end(produced.as_ref().err()).await;
            }
            Err(gone) => {
                tracing::warn!(request_id = request.lambda.request_id, "the stream's client went away: {gone}");
            }
        }
        stream::drop_all(request.streams.get());
        if let Some(started) = started {
            log::access_log(log, &request, status, started.elapsed().as_micros() as u64);
        }
    }

    /// The answer to `event`: routed, through the middleware and the handler, or the error path.
    async fn answer<'a>(
        &'a self,
        event: event::Event<'a>,
        memory: Memory<'a>,
        lambda: &LambdaContext<'a>,
    ) -> Answered<'a> {
        let Routed { request, route, tool, method, cors } = self.route(event, memory, lambda);
        let over_limit = self.over_limit(&request);
        // A request over a limit is answered before routing: no middleware, no handler, no
        // compression.
        let route = route.filter(|_| over_limit.is_none());
        let response = match over_limit {
            Some((status, message)) => request.error_response(status, message),
            None if request.source() == Source::BedrockAgentFunction && tool.is_none() => {
                super::agent::no_tool(&request, request.path())
            }
            None => {
                let mount = match request.route_pattern() {
                    Some(pattern) if !self.mounts.is_empty() => self.mount_for(pattern),
                    None if !self.mounts.is_empty() => self.mount_for(request.routing_path()),
                    _ => None,
                };
                let (endpoint, route_middleware) = match route {
                    Some(route) => {
                        let options = route.http();
                        let after = After {
                            status: options.status,
                            model: options.response.or(route.handler().response()),
                            validation_status: options.validation_status.or(self.response_validation_status),
                        };
                        (Endpoint::Handler(route.handler(), after), options.middleware)
                    }
                    None => match tool {
                        Some(tool) => {
                            let handler = tool.handler();
                            let after = After {
                                status: None,
                                model: handler.response(),
                                validation_status: self.response_validation_status,
                            };
                            (Endpoint::Handler(handler, after), &[][..])
                        }
                        None => (self.unrouted(&request, method, mount), &[][..]),
                    },
                };
                let mount_middleware = mount.map_or(&[][..], |mount| &mount.middleware[..]);
                let chain = Next::new(&request, [&self.middleware, mount_middleware, route_middleware], endpoint);
                let outcome = match chain.run_now() {
                    Ran::Done(outcome) => outcome,
                    Ran::Running(running) => running.await,
                };
                match outcome {
                    Ok(response) => response,
                    Err(error) => self.error_to_response(error, &request, mount),
                }
            }
        };
        Answered { request, route, cors, response }
    }

    /// The request for `event`: its route and parameters, and the CORS headers that apply.
    fn route<'a>(&'a self, event: event::Event<'a>, memory: Memory<'a>, lambda: &LambdaContext<'a>) -> Routed<'a> {
        let router = self.router();
        let method = Method::parse(event.method);
        let path = self.paths.routing_path_with(event.path, false);
        // REST API events route as the reference's REST resolver does, trailing slashes aside.
        let (found, routing_path) = match method {
            Some(method) if event.source.ignores_trailing_slash() => {
                match router.find_ignoring_trailing_slashes(method, path) {
                    Some((found, matched)) => (Some(found), matched),
                    None => (None, self.paths.routing_path_with(path, true)),
                }
            }
            Some(method) => (router.find(method, path), path),
            None => (None, path),
        };
        let (route, params) = match found {
            Some(found) if event.source != Source::BedrockAgentFunction => {
                (Some(router.route(found.route)), (found.route, found.params))
            }
            _ => (None, (0, Params::empty())),
        };
        let mut request = Request {
            event,
            routing_path,
            params: params.1,
            pattern: route.map(|_| router.full_pattern(params.0)),
            arena: memory.arena.bump(),
            memory: memory.arena,
            lambda: *lambda,
            scratch: memory.scratch,
            serializer: self.serializer,
            state: &self.state,
            overrides: &self.overrides,
            context: memory.arena.bump().alloc(InvocationContext::new(memory.arena.bump())),
            max_json_depth: self.limits.json_depth(),
            streams: memory.arena.bump().alloc(std::cell::Cell::new(None)),
        };
        if let Some(pairs) = super::agent::parameters(&request.event, request.arena) {
            request.event.query.pairs = Some(pairs);
        }
        if let Some(body) = super::agent::body(&request.event, request.arena) {
            request.event.body = Some(body);
        }
        // Which CORS headers apply: the app's, unless the route turned them off; or, for a route
        // that turned them on in an app without any, the reference's defaults.
        let cors = match (route.and_then(|route| route.http().cors), &self.cors) {
            (Some(false), _) => None,
            (_, Some(app)) => Some(app),
            (Some(true), None) => Some(self.default_cors()),
            (None, None) => None,
        };
        let tool = match request.source() {
            Source::BedrockAgentFunction => self.tools.iter().find(|tool| tool.name() == request.path()),
            _ => None,
        };
        // In the arena: the request is read, never moved, from here to the end of the
        // invocation, and the futures that hold it across their awaits stay small. Dropped with
        // its box (a route with many parameters spills them to the heap); a box forgotten
        // leaks them, as any forgotten value does.
        let request = bumpalo::boxed::Box::new_in(request, memory.arena.bump());
        Routed { request, route, tool, method, cors }
    }

    /// Readies `workspace` and the pipeline's code for the first invocation: a built-in event
    /// goes through every stage that runs no user code (the copy, the parse, reading the event,
    /// routing, the CORS headers, a 404 body serialized, or a fixed one when the app has a
    /// serializer of its own, then encoded), and the result is dropped. No
    /// handler, middleware, error handler or custom serializer runs, nothing is logged or
    /// compressed, and the workspace keeps the memory it grew. Returns whether the event went
    /// through every stage.
    pub(crate) fn warm_up(&self, workspace: &mut Workspace) -> bool {
        workspace.reset_arena();
        let Workspace { arena, buffers, tape, out, gzip, scratch, .. } = workspace;
        let arena: &Arena = arena;
        let input = WARM_UP_EVENT.as_bytes();
        let buffer = event::json::padded_copy(arena.bump(), input);
        let mut parsed: Tape<'_> = tape.take().unwrap_or_else(|| Tape(Vec::new())).reset();
        let mut went_through = false;
        if simd_json::fill_tape_padded(buffer, input.len(), buffers, &mut parsed).is_ok()
            && let Ok(event) = event::parse(parsed.as_value(), None)
        {
            let lambda = LambdaContext::LOCAL;
            let Routed { request, cors, .. } = self.route(event, Memory { arena, scratch }, &lambda);
            let response = match self.serializer {
                None => request.error_response(404, "Not found"),
                Some(_) => Response::json_text(404, r#"{"statusCode":404,"message":"Not found"}"#),
            };
            // As if unrouted: a route's compression would make libdeflate's state (~200 KB)
            // for a function that may never compress.
            self.finish(&request, None, cors, &response, out, gzip);
            went_through = !out.is_empty();
        }
        *tape = Some(parsed.reset());
        out.clear();
        workspace.reset_arena();
        went_through
    }

    /// The answer to a request over one of the limits, if it is.
    fn over_limit(&self, request: &Request<'_>) -> Option<(u16, &'static str)> {
        let limits = &self.limits;
        if request.path().len() > limits.path_bytes() {
            return Some((414, "URI Too Long"));
        }
        if request.headers().count() > limits.headers() {
            return Some((431, "Request Header Fields Too Large"));
        }
        if request.raw_body().is_some_and(|body| body.len() > limits.body_bytes()) {
            return Some((413, "Content Too Large"));
        }
        None
    }

    /// What answers a request that matched no route: a pre-flight, the Swagger UI or the
    /// OpenAPI document, a 405 when asked for and some other method has a route here, or the
    /// not-found answer.
    fn unrouted<'s>(&'s self, request: &Request<'_>, method: Option<Method>, mount: Option<&Mount>) -> Endpoint<'s> {
        if method == Some(Method::Options)
            && let Some(cors) = &self.cors
        {
            return Endpoint::Preflight(cors.allow_methods(|| self.cors_methods().to_string()));
        }
        if method == Some(Method::Get)
            && let Some(openapi) = self.openapi.as_ref().filter(|o| o.path() == request.routing_path())
        {
            return match request.query_param("format") {
                Some("json") => Endpoint::Page {
                    content_type: APPLICATION_JSON,
                    body: openapi.document(self.router(), self.response_validation_status),
                },
                Some("oauth2-redirect") => Endpoint::Page { content_type: TEXT_HTML, body: openapi.oauth2_redirect() },
                _ => Endpoint::Page { content_type: TEXT_HTML, body: openapi.page() },
            };
        }
        if self.method_not_allowed {
            let router = self.router();
            let allowed = Method::ALL
                .into_iter()
                .filter(|&other| router.find(other, request.routing_path()).is_some())
                .fold(MethodSet::EMPTY, |set, other| set.union(MethodSet::one(other)));
            if !allowed.is_empty() {
                return Endpoint::MethodNotAllowed(allowed);
            }
        }
        Endpoint::NotFound(mount.and_then(|mount| mount.not_found).or(self.not_found))
    }

    /// The one error path: an error of a handler or a middleware (a panic included) to a
    /// response, through the error handlers for its type (the mount's, then the app's), then
    /// the catch-all, then the built-in answers. A panicking error handler answers 500.
    fn error_to_response<'a>(&self, error: Error, request: &Request<'a>, mount: Option<&Mount>) -> Response<'a> {
        if request.source() == Source::BedrockAgentFunction {
            if error.is_panic() {
                tracing::error!(request_id = request.lambda.request_id, "a tool panicked");
            }
            return super::agent::tool_error(request, &error);
        }
        let mount_handlers = mount.map_or(&[][..], |mount| &mount.error_handlers[..]);
        for handler in mount_handlers.iter().chain(&self.error_handlers) {
            match catch_unwind(AssertUnwindSafe(|| handler(&error, request))) {
                Ok(Some(response)) => return response,
                Ok(None) => {}
                Err(panic) => return self.panic_response(request, &Panic::new(panic)),
            }
        }
        if let Some(catch_all) = self.catch_all.filter(|_| self.catch_panics || !error.is_panic()) {
            return catch_unwind(AssertUnwindSafe(|| catch_all(&error, request)))
                .unwrap_or_else(|panic| self.panic_response(request, &Panic::new(panic)));
        }
        match &error.kind {
            ErrorKind::Service(service) => request.error_response(service.status(), service.message()),
            ErrorKind::Body(body) => request.error_response(400, request.format(format_args!("{body}"))),
            ErrorKind::Panic(panic) => self.panic_response(request, panic),
            ErrorKind::Request(invalid) => invalid.response(request),
            ErrorKind::Unsupported(unsupported) => unsupported.response(request),
            ErrorKind::Response(invalid) => invalid.response(request),
            ErrorKind::Other(other) => {
                if self.debug {
                    let mut chain = bumpalo::collections::String::new_in(request.arena);
                    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&**other);
                    while let Some(err) = source {
                        if !chain.is_empty() {
                            chain.push_str(": ");
                        }
                        use std::fmt::Write as _;
                        let _ = write!(chain, "{err}");
                        source = err.source();
                    }
                    request.error_response(500, chain.into_bump_str())
                } else {
                    request.error_response(500, "Internal Server Error")
                }
            }
        }
    }

    /// The 500 that answers a panic: generic, or with the panic's message in debug mode.
    fn panic_response<'a>(&self, request: &Request<'a>, panic: &Panic) -> Response<'a> {
        let message = panic.message();
        let detail = if self.debug { request.alloc_str(message) } else { "Internal Server Error" };
        tracing::error!(request_id = request.lambda.request_id, panic = message, "a handler panicked");
        request.error_response(500, detail)
    }

    /// Adds the app's headers (CORS, `Vary`, `Cache-Control`, `Content-Encoding`), compresses
    /// when asked and accepted, and encodes for the source.
    fn finish<'a>(
        &self,
        request: &Request<'a>,
        route: Option<&Route>,
        cors: Option<&'a CorsHeaders>,
        response: &Response<'a>,
        out: &mut Vec<u8>,
        gzip: &mut Gzip,
    ) {
        if let Some(echo) = super::agent::echo(request) {
            let body = match super::agent::tool_body(request, response)
                .filter(|_| request.source() == Source::BedrockAgentFunction)
            {
                Some(json) => WireBody::Text(json),
                None => encode::wire_body(&response.body()),
            };
            return encode::encode_agent(out, &echo, response, body);
        }
        let mut extra: SmallVec<[(&str, &str); 8]> = SmallVec::new();
        let compress_route = route.is_some_and(|route| route.http().compress);
        let wants_gzip = response.compression().unwrap_or(compress_route);
        let mut body = encode::wire_body(&response.body());
        let mut gzipped = false;
        if wants_gzip && !matches!(response.body(), Body::Empty) && gzip_acceptable_values(accept_encoding(request)) {
            let compressed = gzip.compress(response.body().as_bytes());
            if !compressed.is_empty() {
                gzipped = true;
                body = WireBody::Base64(compressed);
            }
        }
        self.extra_headers(request, route, cors, response, &mut extra);
        if gzipped {
            // Where it always stood: after the CORS and cache headers, before `Vary`.
            let at = extra.iter().position(|(name, _)| *name == "Vary").unwrap_or(extra.len());
            extra.insert(at, ("Content-Encoding", "gzip"));
        }
        encode::encode(out, shape(request.source()), response, &extra, body);
    }

    /// The headers the app adds to a response: CORS, the route's `Cache-Control`, `Vary`.
    fn extra_headers<'s>(
        &self,
        request: &Request<'s>,
        route: Option<&Route>,
        cors: Option<&'s CorsHeaders>,
        response: &Response<'_>,
        extra: &mut SmallVec<[(&'s str, &'s str); 8]>,
    ) {
        if let Some(cors) = cors
            && let Some(headers) = cors.for_origin(origin(request))
        {
            extra.extend(headers.map(|(name, value)| (name as &str, value)));
        }
        if let Some(cache) = route.and_then(|route| route.http().cache_control) {
            extra.push(("Cache-Control", if response.status() == 200 { cache } else { "no-cache" }));
        }
        let compress_route = route.is_some_and(|route| route.http().compress);
        let vary = match (cors.is_some(), compress_route || response.compression() == Some(true)) {
            (true, true) => Some("Origin, Accept-Encoding"),
            (true, false) => Some("Origin"),
            (false, true) => Some("Accept-Encoding"),
            (false, false) => None,
        };
        if let Some(vary) = vary {
            extra.push(("Vary", vary));
        }
    }
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

/// The Lambda response's shape for each source, as the reference's serializers write it.
fn shape(source: Source) -> Shape {
    match source {
        Source::RestV1 | Source::AlbMultiValue => Shape::MultiValue,
        Source::HttpV2 | Source::FunctionUrl | Source::VpcLatticeV1 | Source::VpcLatticeV2 => Shape::JoinedWithCookies,
        Source::Alb => Shape::LastValue,
        // Answered in Bedrock's envelope (`encode_agent`); a shape for completeness.
        Source::BedrockAgent | Source::BedrockAgentFunction => Shape::JoinedWithCookies,
    }
}

/// Runs `invocation` in its span: `invocation`, at INFO, with the request id and the X-Ray trace
/// id. Everything the pipeline, the middleware and the handler log, and every await of theirs,
/// is inside it. Without a subscriber that wants it, it is a disabled span (no allocation, a
/// check of the callsite's interest), and entering it at a poll is a check of an `Option`.
///
/// The pipeline's future is pinned where it was made, in its caller's state, and polled there
/// through a reference: wrapped by value (`Instrument`), it would be copied into the wrapper
/// and the wrapper into the caller's state, all of its bytes (a few KiB) twice per invocation.
fn in_invocation_span<F: std::future::Future>(
    lambda: &LambdaContext<'_>,
    mut invocation: std::pin::Pin<&mut F>,
) -> impl std::future::Future<Output = F::Output> {
    let span = tracing::info_span!("invocation", request_id = lambda.request_id, xray_trace_id = lambda.xray_trace_id);
    std::future::poll_fn(move |cx| {
        let _entered = span.enter();
        invocation.as_mut().poll(cx)
    })
}

/// A request and its answer, before it is sent.
struct Answered<'a> {
    request: bumpalo::boxed::Box<'a, Request<'a>>,
    route: Option<Route>,
    cors: Option<&'a CorsHeaders>,
    response: Response<'a>,
}

/// Where the answer goes.
enum Mode<'s, S: ?Sized> {
    /// Into the workspace's buffer, as the Lambda response of the event's source.
    Buffered,
    /// To a streaming function's sink.
    Streaming(&'s mut S),
}

/// Where a streaming function's answers go: the Runtime API's chunked POST, the dev server's
/// chunked reply, a test's list of chunks. Each method resolves once its bytes are handed on;
/// an error means the client went away.
pub(crate) trait StreamSink {
    /// The prelude (its JSON, without the delimiter) and the status it holds.
    async fn head(&mut self, status: u16, prelude: &[u8]) -> std::io::Result<()>;
    /// A chunk of the body (never empty).
    async fn chunk(&mut self, bytes: &[u8]) -> std::io::Result<()>;
    /// The end: `Some` when the producer failed after the prelude was sent.
    async fn end(&mut self, error: Option<&Error>) -> std::io::Result<()>;
    /// Instead of the three above, a whole buffered Lambda response (a source that cannot
    /// stream).
    async fn buffered(&mut self, response: &[u8]) -> std::io::Result<()>;
}

/// No sink: the buffered pipeline's type parameter.
pub(crate) enum NoSink {}

impl StreamSink for NoSink {
    async fn head(&mut self, _: u16, _: &[u8]) -> std::io::Result<()> {
        match *self {}
    }
    async fn chunk(&mut self, _: &[u8]) -> std::io::Result<()> {
        match *self {}
    }
    async fn end(&mut self, _: Option<&Error>) -> std::io::Result<()> {
        match *self {}
    }
    async fn buffered(&mut self, _: &[u8]) -> std::io::Result<()> {
        match *self {}
    }
}

/// A streamed body gathered into one (in the arena): text when it is UTF-8, bytes otherwise.
async fn gather<'a>(request: &Request<'a>, stream: BodyStream<'a>) -> Result<Body<'a>, Error> {
    let Some(mut driver) = Driver::new(stream) else {
        return Ok(Body::Empty);
    };
    let mut body = bumpalo::collections::Vec::new_in(request.arena);
    loop {
        match driver.step().await {
            Step::Chunk => {
                body.extend_from_slice(&driver.chunk());
                driver.sent();
            }
            Step::Done(produced) => {
                produced?;
                break;
            }
        }
    }
    let body = body.into_bump_slice();
    Ok(match std::str::from_utf8(body) {
        Ok("") => Body::Empty,
        Ok(text) => Body::Text(text),
        Err(_) => Body::Binary(body),
    })
}

/// Drives a producer into `sink`: `Err` when the client went away (the producer is dropped),
/// else what the producer returned.
// The chunk's `Ref` is held while the sink sends it: the producer, the buffer's only writer, is
// not polled before `sent`, so no borrow can conflict.
#[allow(clippy::await_holding_refcell_ref)]
async fn drive<S: StreamSink + ?Sized>(mut driver: Driver<'_>, sink: &mut S) -> std::io::Result<Result<(), Error>> {
    loop {
        match driver.step().await {
            Step::Chunk => {
                let sent = {
                    let chunk = driver.chunk();
                    sink.chunk(&chunk).await
                };
                if let Err(gone) = sent {
                    driver.close();
                    return Err(gone);
                }
                driver.sent();
            }
            Step::Done(produced) => return Ok(produced),
        }
    }
}

/// A request and what routing found for it.
struct Routed<'a> {
    request: bumpalo::boxed::Box<'a, Request<'a>>,
    route: Option<Route>,
    /// The tool a Bedrock Agents function action group called.
    tool: Option<&'a crate::agent::Tool>,
    method: Option<Method>,
    cors: Option<&'a CorsHeaders>,
}

/// What `App::warm_up` runs through the pipeline: a REST API event with a browser's headers.
/// Its path may match a route of the app: routing runs, a handler never does.
const WARM_UP_EVENT: &str = include_str!("warm_up_event.json");

/// The invocation's memory a request borrows: the arena and the JSON scratch buffers.
struct Memory<'a> {
    arena: &'a Arena,
    scratch: &'a RefCell<JsonScratch>,
}

/// Where a response goes: the output buffer, the gzip state, the access log's line.
struct Output<'o> {
    out: &'o mut Vec<u8>,
    gzip: &'o mut Gzip,
    log: &'o mut Vec<u8>,
}
