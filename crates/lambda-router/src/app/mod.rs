//! `App`: routes plus configuration — CORS, strip prefixes, error handlers, a not-found
//! handler, limits, a serializer, debug mode. What one invocation does with them is
//! `pipeline.rs`; the memory it reuses is `workspace.rs`.

mod agent;
mod executor;
mod log;
mod mount;
mod pipeline;
mod workspace;

pub use mount::Mount;
pub(crate) use pipeline::StreamSink;
pub use workspace::Workspace;

use lambda_router_core::PathOptions;

use crate::cors::{Cors, CorsHeaders};
use crate::error::Error;
use crate::handler::{CatchAllHandler, NotFoundHandler};
use crate::limits::Limits;
use crate::middleware::Middleware;
use crate::openapi::OpenApi;
use crate::request::{JsonSerializer, Request};
use crate::response::Response;
use crate::router::Router;
use crate::{Method, MethodSet};

pub(crate) type ErasedErrorHandler =
    Box<dyn for<'r, 'a> Fn(&Error, &'r Request<'a>) -> Option<Response<'a>> + Send + Sync>;

enum RouterRef {
    Static(&'static Router),
    Owned(Box<Router>),
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
    /// The reference's default CORS headers, for routes declared `.cors(true)` in an app
    /// without a CORS configuration; made when the first such route answers.
    default_cors: std::sync::OnceLock<CorsHeaders>,
    error_handlers: Vec<ErasedErrorHandler>,
    not_found: Option<NotFoundHandler>,
    debug: bool,
    access_log: bool,
    /// Whether the function streams its responses (`App::streaming`).
    pub(crate) streaming: bool,
    state: Vec<Box<dyn std::any::Any + Send + Sync>>,
    overrides: Vec<Box<dyn std::any::Any + Send + Sync>>,
    middleware: Vec<Middleware>,
    mounts: Vec<Mount>,
    catch_all: Option<CatchAllHandler>,
    catch_panics: bool,
    method_not_allowed: bool,
    serializer: Option<JsonSerializer>,
    limits: Limits,
    openapi: Option<OpenApi>,
    /// The status of answers that do not validate against their route's model.
    response_validation_status: Option<u16>,
    /// The functions a Bedrock Agents function action group calls.
    tools: &'static [crate::agent::Tool],
    /// Run when Lambda sends SIGTERM (`App::on_shutdown`); taken by the runtime.
    #[cfg(feature = "graceful-shutdown")]
    pub(crate) shutdown: Option<ShutdownHook>,
}

/// An async hook, run once.
#[cfg(feature = "graceful-shutdown")]
pub(crate) type ShutdownHook =
    Box<dyn FnOnce() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> + Send + Sync>;

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
    pub fn new(router: &'static Router) -> App {
        App::from_ref(RouterRef::Static(router))
    }

    /// An app over a router built at run time.
    pub fn with_router(router: Router) -> App {
        App::from_ref(RouterRef::Owned(Box::new(router)))
    }

    fn from_ref(router: RouterRef) -> App {
        App {
            router,
            paths: PathOptions::new(),
            cors: None,
            default_cors: std::sync::OnceLock::new(),
            error_handlers: Vec::new(),
            not_found: None,
            debug: log::debug_from_env(),
            access_log: log::access_log_from_env(),
            streaming: false,
            state: Vec::new(),
            overrides: Vec::new(),
            middleware: Vec::new(),
            mounts: Vec::new(),
            catch_all: None,
            catch_panics: false,
            method_not_allowed: false,
            serializer: None,
            limits: Limits::default(),
            openapi: None,
            response_validation_status: None,
            tools: &[],
            #[cfg(feature = "graceful-shutdown")]
            shutdown: None,
        }
    }

    /// An async hook run when Lambda shuts the function down (SIGTERM; SIGINT too, for a local
    /// run), before the process exits: flush telemetry, close connections. It has about 500 ms
    /// before Lambda's SIGKILL.
    ///
    /// Lambda sends SIGTERM only to a function with an extension registered, so
    /// [`run`](crate::run) registers a no-op internal extension for it, through
    /// `lambda_runtime::spawn_graceful_shutdown_handler`: one request to the Extensions API in
    /// the Init phase, and the extension's idle long poll after. Needs lambda-router's
    /// `graceful-shutdown` feature.
    ///
    /// ```no_run
    /// # let app = lambda_router::App::with_router(lambda_router::Router::builder().build().unwrap());
    /// let app = app.on_shutdown(|| async {
    ///     // e.g. tracer_provider.force_flush()
    ///     eprintln!("flushed");
    /// });
    /// ```
    #[cfg(feature = "graceful-shutdown")]
    pub fn on_shutdown<F, Fut>(mut self, hook: F) -> App
    where
        F: FnOnce() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        self.shutdown = Some(Box::new(move || Box::pin(hook())));
        self
    }

    /// The functions an Amazon Bedrock Agents function action group calls, from a `const`
    /// table (see [`agent`](crate::agent)). An event naming another function answers
    /// `"Error: ..."` in Bedrock's envelope.
    pub fn tools(mut self, tools: &'static [crate::agent::Tool]) -> App {
        self.tools = tools;
        self
    }

    /// The app's tools.
    pub fn tool_table(&self) -> &'static [crate::agent::Tool] {
        self.tools
    }

    /// The `FunctionSchema` of the app's tools, as CloudFormation's `AWS::Bedrock::Agent`
    /// takes it in an action group (what `--function-schema` prints): each tool's name,
    /// description and typed parameters.
    pub fn function_schema(&self) -> String {
        crate::openapi::functions::write(self.tools)
    }

    /// The CORS headers of routes declared `.cors(true)` in an app without a CORS
    /// configuration.
    pub(crate) fn default_cors(&self) -> &CorsHeaders {
        self.default_cors.get_or_init(|| CorsHeaders::new(Cors::default()))
    }

    /// The methods a pre-flight allows: those the table gives the routes the app's CORS
    /// applies to (all but those declared `.cors(false)`), and `OPTIONS`.
    pub(crate) fn cors_methods(&self) -> MethodSet {
        let router = self.router();
        let cors_routes = router.routes().enumerate().filter(|(_, route)| route.http().cors != Some(false));
        cors_routes.fold(MethodSet::one(Method::Options), |set, (index, _)| set.union(router.methods(index)))
    }

    pub(crate) fn router(&self) -> &Router {
        match &self.router {
            RouterRef::Static(router) => router,
            RouterRef::Owned(router) => router,
        }
    }

    /// Turns CORS on for every route (but those declared `.cors(false)`), with automatic
    /// pre-flight answers.
    pub fn cors(mut self, cors: Cors) -> App {
        self.cors = Some(CorsHeaders::new(cors));
        self
    }

    /// Cuts `prefix` from routing paths (the reference's `strip_prefixes`).
    pub fn strip_prefix(mut self, prefix: &str) -> App {
        self.paths = self.paths.strip_prefix(prefix);
        self
    }

    /// Turns errors of type `E` into responses (the reference's `exception_handler`). Handlers
    /// registered for [`ServiceError`](crate::ServiceError) or [`BodyError`](crate::BodyError) replace the built-in
    /// answers.
    pub fn error_handler<E: std::error::Error + 'static>(
        mut self,
        handler: for<'r, 'a> fn(&E, &'r Request<'a>) -> Response<'a>,
    ) -> App {
        self.error_handlers.push(Box::new(move |err, req| err.downcast_ref::<E>().map(|e| handler(e, req))));
        self
    }

    /// Turns every error that no [`error_handler`](App::error_handler) took into a response
    /// (the reference's `exception_handler(Exception)`): service errors, body errors, errors of
    /// any type. A panic goes to it too with [`catch_panics`](App::catch_panics); otherwise a
    /// panic answers 500.
    ///
    /// ```
    /// use lambda_router::{App, Error, Request, Response, Route, Router, ServiceError};
    /// fn fails<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    ///     Err(ServiceError::bad_request("no").into())
    /// }
    /// fn problem<'a>(error: &Error, req: &Request<'a>) -> Response<'a> {
    ///     let status = error.downcast_ref::<ServiceError>().map_or(500, ServiceError::status);
    ///     Response::json_text(status, req.format(format_args!(r#"{{"title":"{error}"}}"#)))
    ///         .with_content_type("application/problem+json")
    /// }
    /// let app = App::with_router(Router::builder().push(Route::get("/fails", fails)).build().unwrap())
    ///     .catch_all(problem);
    /// let response = lambda_router::testing::TestRequest::get("/fails").http_v2().invoke(&app).unwrap();
    /// assert_eq!((response.status(), response.text()), (400, r#"{"title":"400 no"}"#.to_owned()));
    /// ```
    pub fn catch_all(mut self, handler: CatchAllHandler) -> App {
        self.catch_all = Some(handler);
        self
    }

    /// Sends panics of handlers and middleware to the catch-all handler (as a
    /// [`Panic`](crate::Panic) error) instead of the default 500. An error handler registered
    /// for `Panic` gets them either way.
    pub fn catch_panics(mut self, on: bool) -> App {
        self.catch_panics = on;
        self
    }

    /// Answers 405 with an `Allow` header when the path has routes but none for the method.
    /// Off by default, as in the reference (which answers 404).
    pub fn method_not_allowed(mut self, on: bool) -> App {
        self.method_not_allowed = on;
        self
    }

    /// Adds middleware that every request passes through, 404s and pre-flights included,
    /// outermost first and outside the routes' own (see [`Middleware`]).
    pub fn middleware(mut self, middleware: &[Middleware]) -> App {
        self.middleware.extend_from_slice(middleware);
        self
    }

    /// Configures the routes under a prefix: their own middleware, error handlers and
    /// not-found handler (see [`Mount`]).
    pub fn mount(mut self, mount: Mount) -> App {
        self.mounts.push(mount);
        self
    }

    /// The mount a request belongs to: the longest prefix its route's pattern, or its path
    /// when no route matched, is under.
    pub(crate) fn mount_for(&self, pattern_or_path: &str) -> Option<&Mount> {
        self.mounts.iter().filter(|mount| mount.covers(pattern_or_path)).max_by_key(|mount| mount.prefix().len())
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

    /// Shares a value with every handler and middleware, for the life of the process: an AWS
    /// SDK client, a configuration, a connection pool. Set once at start-up (one value per
    /// type; setting a type again replaces it), read with [`Request::state`] by reference,
    /// with no allocation and no lock.
    ///
    /// ```
    /// use lambda_router::{App, Error, Request, Response, Route, Router};
    /// struct Config {
    ///     greeting: &'static str,
    /// }
    /// fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    ///     let config: &Config = req.state().expect("set at start-up");
    ///     Ok(Response::text(200, config.greeting))
    /// }
    /// let router = Router::builder().push(Route::get("/hello", hello)).build().unwrap();
    /// let app = App::with_router(router).state(Config { greeting: "hello" });
    /// let response = lambda_router::testing::TestRequest::get("/hello").http_v2().invoke(&app).unwrap();
    /// assert_eq!(response.text(), "hello");
    /// ```
    pub fn state<T: Send + Sync + 'static>(mut self, value: T) -> App {
        self.state.retain(|existing| !existing.is::<T>());
        self.state.push(Box::new(value));
        self
    }

    /// Replaces the resolver of the dependency `D` for every request (the reference's
    /// `dependency_overrides`), for tests: a fake tenant, a token that needs no identity
    /// provider.
    ///
    /// ```
    /// use lambda_router::{App, Dependency, Error, Request, Response, Route, Router, ServiceError};
    /// struct Tenant;
    /// impl Dependency for Tenant {
    ///     type Output<'a> = &'a str;
    ///     fn resolve<'a>(req: &Request<'a>) -> Result<&'a str, Error> {
    ///         req.header("x-tenant").ok_or_else(|| ServiceError::unauthorized("no tenant").into())
    ///     }
    /// }
    /// fn whoami<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    ///     Ok(Response::text(200, req.depends::<Tenant>()?))
    /// }
    /// let router = Router::builder().push(Route::get("/whoami", whoami)).build().unwrap();
    /// let app = App::with_router(router).override_dependency::<Tenant>(|_| Ok("test-tenant"));
    /// let response = lambda_router::testing::TestRequest::get("/whoami").http_v2().invoke(&app).unwrap();
    /// assert_eq!(response.text(), "test-tenant");
    /// ```
    pub fn override_dependency<D: crate::request::Dependency>(
        mut self,
        resolve: for<'r, 'a> fn(&'r Request<'a>) -> Result<D::Output<'a>, Error>,
    ) -> App {
        self.overrides.retain(|existing| !existing.is::<crate::request::Override<D>>());
        self.overrides.push(Box::new(crate::request::Override::<D> { resolve }));
        self
    }

    /// Writes one JSON line per invocation to stderr: request id, API Gateway request id (the
    /// correlation id), method, path, route, status, duration and cold start. Off by default:
    /// Lambda logs every invocation already (START, END, REPORT). Also turned on by
    /// `LAMBDA_ROUTER_ACCESS_LOG=true` in the function's environment. The line is written from a
    /// buffer of the workspace, so it allocates nothing.
    pub fn access_log(mut self, on: bool) -> App {
        self.access_log = on;
        self
    }

    /// A streaming function: configured in Lambda with `InvokeMode: RESPONSE_STREAM` (a Function
    /// URL) or `responseTransferMode: STREAM` (a REST API method), which the event does not say.
    ///
    /// [`run`](crate::run) then posts every Function URL and REST API answer to the Runtime API
    /// as a stream: the prelude (status, headers, cookies), then the body as the handler writes
    /// it ([`Request::stream`], [`Request::sse`]); a buffered body is sent as one chunk, so every
    /// route keeps working. Other sources cannot stream and get their buffered answer. `--serve`
    /// streams too, over chunked HTTP/1.1; `--event` and `TestRequest::invoke` print the
    /// equivalent buffered response ([`TestEvent::stream`](crate::testing::TestEvent::stream)
    /// records the chunks).
    pub fn streaming(mut self) -> App {
        self.streaming = true;
        self
    }

    /// Debug mode: 500 answers carry the error chain or the panic message, and every event and
    /// response is written to stderr whatever the log level, as the reference prints them. Off
    /// by default; also turned on by `POWERTOOLS_EVENT_HANDLER_DEBUG` or `POWERTOOLS_DEV` set to
    /// `true`, as in the reference.
    pub fn debug(mut self, debug: bool) -> App {
        self.debug = debug;
        self
    }

    /// Serves the OpenAPI document of the app's routes and a Swagger UI page for it: `GET
    /// /swagger` (or the configured path) is the page, `GET /swagger?format=json` the document.
    ///
    /// ```
    /// use lambda_router::openapi::OpenApi;
    /// use lambda_router::{App, Router};
    /// let app = App::with_router(Router::builder().build().unwrap()).openapi(OpenApi::new("Orders API", "1.0.0"));
    /// let page = lambda_router::testing::TestRequest::get("/swagger").http_v2().invoke(&app).unwrap();
    /// assert!(page.text().contains("swagger-ui"));
    /// ```
    pub fn openapi(mut self, openapi: OpenApi) -> App {
        self.openapi = Some(openapi);
        self
    }

    /// The OpenAPI 3.1 document of the app's routes, as JSON (what `--openapi` prints): with
    /// the configuration of [`openapi`](Self::openapi), or a default title and version.
    pub fn openapi_document(&self) -> String {
        let status = self.response_validation_status;
        match &self.openapi {
            Some(openapi) => openapi.document(self.router(), status).to_owned(),
            None => OpenApi::default().document(self.router(), status).to_owned(),
        }
    }

    /// The OpenAPI 3.0 document of the app's routes as Amazon Bedrock Agents take it (what
    /// `--openapi --agent` prints): hidden routes left out, nullable values and exclusive
    /// bounds in 3.0's spelling.
    pub fn agent_openapi_document(&self) -> String {
        let status = self.response_validation_status;
        match &self.openapi {
            Some(openapi) => openapi.agent_document(self.router(), status).to_owned(),
            None => OpenApi::default().agent_document(self.router(), status).to_owned(),
        }
    }

    /// The status of every answer that does not validate against its route's model (the
    /// reference's `response_validation_error_http_code`), unless the route sets its own
    /// ([`Route::response_validation_status`](crate::Route::response_validation_status)).
    /// Unset, such an answer is the reference's 422.
    pub fn response_validation_status(mut self, status: u16) -> App {
        self.response_validation_status = Some(status);
        self
    }

    /// The route table, one line per route: methods and full pattern, as the table compiled
    /// them.
    pub fn route_table(&self) -> Vec<String> {
        let router = self.router();
        router
            .routes()
            .enumerate()
            .map(|(index, route)| {
                let kind = if route.is_async() { " (async)" } else { "" };
                format!("{:<16} {}{kind}", router.methods(index).to_string(), router.full_pattern(index))
            })
            .collect()
    }
}
