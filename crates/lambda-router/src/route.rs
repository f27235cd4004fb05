//! `Route`: what an app's `const` route table holds — methods, a pattern, a handler and the
//! route's HTTP options (gzip, CORS, `Cache-Control`).
//!
//! The router (`lambda-router-core`) sees only the methods and the pattern, through
//! [`Declared`]; everything HTTP lives here, on the app's side.

use std::fmt;

use lambda_router_core::Declared;

use crate::handler::{Handler, IntoHandler};
use crate::middleware::Middleware;
use crate::validate::{InputSchema, ResponseSpec};
use crate::{Method, MethodSet};

/// One route: the methods it answers, its pattern, its handler and its options.
///
/// Routes are declared in a `const` table next to their handlers; the constructors are
/// `const fn` for that reason:
///
/// ```
/// use lambda_router::{Error, Method, MethodSet, Request, Response, Route};
/// fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
///     Ok(Response::text(200, "hello"))
/// }
/// const ROUTES: &[Route] = &[
///     Route::get("/hello", hello),
///     Route::get("/hello/<name>", hello),
///     Route::new(MethodSet::of(&[Method::Put, Method::Post]), "/items/<id>", hello),
///     Route::get("/compressed", hello).compress(),
///     Route::get("/nocors", hello).cors(false),
///     Route::get("/cached", hello).cache_control("max-age=60"),
/// ];
/// assert_eq!(ROUTES[2].pattern(), "/items/<id>");
/// ```
#[derive(Clone, Copy)]
pub struct Route {
    methods: MethodSet,
    pattern: &'static str,
    handler: Handler,
    options: Options,
}

/// A route's HTTP options.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    pub(crate) middleware: &'static [Middleware],
    pub(crate) compress: bool,
    /// `None`: as the app says; `Some(true)`: on, with the app's configuration or else the
    /// reference's default one; `Some(false)`: off.
    pub(crate) cors: Option<bool>,
    pub(crate) cache_control: Option<&'static str>,
    pub(crate) doc: Option<&'static RouteDoc>,
    /// The model the route answers with (checked, documented), when it declares one.
    pub(crate) response: Option<&'static ResponseSpec>,
    /// The status of the route's successful answers (200 when `None`).
    pub(crate) status: Option<u16>,
    /// The status a response that does not validate answers with, for this route.
    pub(crate) validation_status: Option<u16>,
}

impl Options {
    const NONE: Options = Options {
        middleware: &[],
        compress: false,
        cors: None,
        cache_control: None,
        doc: None,
        response: None,
        status: None,
        validation_status: None,
    };
}

/// A response the document lists for a route, beyond the ones the route implies: a status,
/// its description and, optionally, the model of its body.
///
/// ```
/// use lambda_router::RouteDoc;
/// use lambda_router::openapi::ResponseDoc;
/// use lambda_router::validate::Model;
/// #[derive(Model)]
/// struct Conflict<'a> {
///     message: &'a str,
/// }
/// const DOC: RouteDoc = RouteDoc::new().responses(&[ResponseDoc::new(409, "Name taken").model::<Conflict>()]);
/// # let _ = DOC;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ResponseDoc {
    pub(crate) status: u16,
    pub(crate) description: &'static str,
    pub(crate) schema: Option<&'static crate::validate::Schema>,
}

impl ResponseDoc {
    /// A response with this status and description, without a body schema.
    pub const fn new(status: u16, description: &'static str) -> ResponseDoc {
        ResponseDoc { status, description, schema: None }
    }

    /// The model of the response's JSON body.
    pub const fn model<T: crate::validate::ResponseModel>(mut self) -> ResponseDoc {
        self.schema = Some(<T::Value<'static> as crate::validate::Value<'static>>::SCHEMA);
        self
    }
}

/// A security requirement: the schemes (by their names in the document's security schemes)
/// that together allow the call, each with its scopes.
pub type SecurityRequirement = &'static [(&'static str, &'static [&'static str])];

/// What the OpenAPI document says of a route beyond its inputs, attached with
/// [`Route::doc`]. Kept apart from the route, behind one pointer, so that routes without it
/// stay small in the static table (a function with 1,000 routes loads them all at start).
///
/// ```
/// use lambda_router::{Error, Request, Response, Route, RouteDoc};
/// fn list<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
///     Ok(Response::text(200, "[]"))
/// }
/// const ROUTES: &[Route] = &[Route::get("/carts", list).doc(
///     &RouteDoc::new().summary("List carts").tags(&["carts"]).operation_id("list_carts"),
/// )];
/// # let _ = ROUTES;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct RouteDoc {
    pub(crate) summary: Option<&'static str>,
    pub(crate) description: Option<&'static str>,
    pub(crate) tags: &'static [&'static str],
    pub(crate) operation_id: Option<&'static str>,
    pub(crate) deprecated: bool,
    pub(crate) hidden: bool,
    pub(crate) response: Option<&'static crate::validate::Schema>,
    pub(crate) responses: &'static [ResponseDoc],
    pub(crate) security: Option<&'static [SecurityRequirement]>,
    pub(crate) extensions: &'static [(&'static str, &'static str)],
    /// The success is documented as JSON of no particular schema (not as any object).
    pub(crate) schemaless: bool,
}

/// A route without a [`RouteDoc`].
pub(crate) const NO_DOC: RouteDoc = RouteDoc::new();

impl Default for RouteDoc {
    fn default() -> RouteDoc {
        RouteDoc::new()
    }
}

impl RouteDoc {
    /// Nothing said: the summary is `METHOD /path`, the operation id made from both.
    pub const fn new() -> RouteDoc {
        RouteDoc {
            summary: None,
            description: None,
            tags: &[],
            operation_id: None,
            deprecated: false,
            hidden: false,
            response: None,
            responses: &[],
            security: None,
            extensions: &[],
            schemaless: false,
        }
    }

    /// More responses the operation may answer (a 409, a 404), each with its description and
    /// model.
    pub const fn responses(mut self, responses: &'static [ResponseDoc]) -> RouteDoc {
        self.responses = responses;
        self
    }

    /// The operation's security requirements, replacing the document's (`&[]`: none, a
    /// public operation): `&[&[("bearer", &[])]]`.
    pub const fn security(mut self, security: &'static [SecurityRequirement]) -> RouteDoc {
        self.security = Some(security);
        self
    }

    /// Specification extensions of the operation, each an `x-` name and its value as JSON text:
    /// `&[("x-rate-limit", "10")]`.
    pub const fn extensions(mut self, extensions: &'static [(&'static str, &'static str)]) -> RouteDoc {
        self.extensions = extensions;
        self
    }

    /// The operation's summary.
    pub const fn summary(mut self, summary: &'static str) -> RouteDoc {
        self.summary = Some(summary);
        self
    }

    /// The operation's description.
    pub const fn description(mut self, description: &'static str) -> RouteDoc {
        self.description = Some(description);
        self
    }

    /// The operation's tags.
    pub const fn tags(mut self, tags: &'static [&'static str]) -> RouteDoc {
        self.tags = tags;
        self
    }

    /// The operation's id.
    pub const fn operation_id(mut self, operation_id: &'static str) -> RouteDoc {
        self.operation_id = Some(operation_id);
        self
    }

    /// Marks the operation deprecated.
    pub const fn deprecated(mut self) -> RouteDoc {
        self.deprecated = true;
        self
    }

    /// Leaves the route out of the document (it still answers).
    pub const fn hidden(mut self) -> RouteDoc {
        self.hidden = true;
        self
    }

    /// Documents the success as JSON without a schema (`"content": {"application/json": {}}`,
    /// the reference's handler without a return annotation) rather than as any JSON object
    /// (its `-> dict`), for a route without a model.
    pub const fn schemaless(mut self) -> RouteDoc {
        self.schemaless = true;
        self
    }

    /// The model the route answers with, for the document alone (by default any JSON object;
    /// [`Route::returns`] also checks the answers).
    pub const fn returns<T: crate::validate::ResponseModel>(mut self) -> RouteDoc {
        self.response = Some(<T::Value<'static> as crate::validate::Value<'static>>::SCHEMA);
        self
    }
}

macro_rules! method_constructors {
    ($($name:ident => $method:ident),* $(,)?) => {$(
        #[doc = concat!("A route that answers `", stringify!($method), "` on `pattern` (see [`Route::new`]).")]
        pub const fn $name<H: IntoHandler<M>, M>(pattern: &'static str, handler: H) -> Route {
            Route::new(MethodSet::one(Method::$method), pattern, handler)
        }
    )*};
}

impl Route {
    /// A route that answers `methods` on `pattern` with `handler`: a plain `fn` or `async fn`
    /// of the request, or a `#[handler]` with typed inputs (see [`IntoHandler`]).
    ///
    /// A typed handler's path parameters (`#[param]`) must be in the pattern; in a `const`
    /// table, one that is not is a compile error at the route's line (`lambda-router-build`
    /// names the parameter when the input type is declared in the table's file):
    ///
    /// ```compile_fail,E0080
    /// use lambda_router::validate::Input;
    /// use lambda_router::{Error, Request, Response, Route, handler};
    /// #[derive(Input)]
    /// struct GetTodo {
    ///     #[param]
    ///     todo_id: i64,
    /// }
    /// #[handler]
    /// fn get_todo<'a>(_: &Request<'a>, _: GetTodo) -> Result<Response<'a>, Error> {
    ///     Ok(Response::text(200, "todo"))
    /// }
    /// // error: a #[param] (path parameter) of this route's Input is not in its pattern
    /// const ROUTES: &[Route] = &[Route::get("/todos/<id>", get_todo)];
    /// ```
    pub const fn new<H: IntoHandler<M>, M>(methods: MethodSet, pattern: &'static str, handler: H) -> Route {
        let handler = Handler::of(handler);
        if let Some(input) = handler.input() {
            input.check_path(pattern);
        }
        Route { methods, pattern, handler, options: Options::NONE }
    }

    method_constructors! {
        get => Get, post => Post, put => Put, patch => Patch, delete => Delete, head => Head, options => Options,
    }

    /// What the OpenAPI document says of the route beyond its inputs (see [`RouteDoc`]).
    pub const fn doc(mut self, doc: &'static RouteDoc) -> Route {
        self.options.doc = Some(doc);
        self
    }

    /// The route's typed inputs, if it has any.
    pub(crate) const fn input(&self) -> Option<&'static InputSchema> {
        self.handler.input()
    }

    /// Middleware for this route alone, outermost first, inside the app's (see
    /// [`Middleware`]):
    ///
    /// ```
    /// # use lambda_router::{Error, Next, Request, Response, Route, middleware};
    /// #[middleware]
    /// async fn auth<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    ///     next.run().await
    /// }
    /// # fn secret<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> { Ok(Response::text(200, "s")) }
    /// const ROUTES: &[Route] = &[Route::get("/secret", secret).middleware(&[auth])];
    /// # let _ = ROUTES;
    /// ```
    pub const fn middleware(mut self, middleware: &'static [Middleware]) -> Route {
        self.options.middleware = middleware;
        self
    }

    /// The model the route answers with: each successful answer's JSON is read into it and
    /// written back from it (unknown fields dropped, as the reference does), and the document
    /// gives it. An answer that does not validate is a [`ResponseValidationError`]
    /// (`crate::validate`), answered with the route's [`response_validation_status`], else the
    /// app's, else 422 (the reference's default).
    ///
    /// [`ResponseValidationError`]: crate::validate::ResponseValidationError
    /// [`response_validation_status`]: Route::response_validation_status
    pub const fn returns<T: crate::validate::ResponseModel>(mut self) -> Route {
        self.options.response = Some(crate::validate::ResponseOf::<T>::SPEC);
        self
    }

    /// The status of the route's successful answers: a 200 of its handler is sent with it, and
    /// the document lists it instead of 200 (the reference's `status_code`).
    pub const fn status(mut self, status: u16) -> Route {
        self.options.status = Some(status);
        self
    }

    /// The status this route's answers that do not validate against their model are sent with
    /// (the reference's `custom_response_validation_http_code`), whatever the app's.
    pub const fn response_validation_status(mut self, status: u16) -> Route {
        self.options.validation_status = Some(status);
        self
    }

    /// Asks for gzip on this route's responses when the client accepts it.
    pub const fn compress(mut self) -> Route {
        self.options.compress = true;
        self
    }

    /// Turns CORS on or off for this route. Unset, the route follows the app (on when the app
    /// has a CORS configuration). On without an app configuration, the route's responses carry
    /// the reference's default CORS headers (any origin), as its `cors=True` does.
    pub const fn cors(mut self, enabled: bool) -> Route {
        self.options.cors = Some(enabled);
        self
    }

    /// Sets `Cache-Control` on the route's 200 responses (`no-cache` on the others), as the
    /// reference's `cache_control` does.
    pub const fn cache_control(mut self, value: &'static str) -> Route {
        self.options.cache_control = Some(value);
        self
    }

    /// The methods the route answers.
    pub const fn methods(&self) -> MethodSet {
        self.methods
    }

    /// The pattern as declared (without a mount prefix).
    pub const fn pattern(&self) -> &'static str {
        self.pattern
    }

    /// Whether the handler is async.
    pub const fn is_async(&self) -> bool {
        self.handler.is_async()
    }

    pub(crate) const fn handler(&self) -> Handler {
        self.handler
    }

    pub(crate) const fn http(&self) -> &Options {
        &self.options
    }
}

impl Declared for Route {
    fn methods(&self) -> MethodSet {
        self.methods
    }

    fn pattern(&self) -> &str {
        self.pattern
    }
}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Route")
            .field("methods", &self.methods)
            .field("pattern", &self.pattern)
            .field("handler", &self.handler)
            .field("options", &self.options)
            .finish()
    }
}

/// A build-time router's routes as generated code stores them: the handlers in one array, the
/// options in another, the methods and patterns in the route table (which holds no pointer).
///
/// Only the handlers point somewhere for every route; an option points only when it is set
/// (middleware, `Cache-Control`, a [`RouteDoc`]). The loader patches each pointer of a
/// `static` at start and copies each page holding one, so keeping them together is what keeps
/// the cold start of a function with 1,000 routes near that of one with 10: about 6 pages of
/// handlers instead of the 24 pages of whole routes.
#[doc(hidden)]
pub struct RouteParts<const N: usize> {
    handlers: [Handler; N],
    options: [Options; N],
}

impl<const N: usize> fmt::Debug for RouteParts<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RouteParts").field("handlers", &self.handlers).field("options", &self.options).finish()
    }
}

/// What fills `RouteParts`' arrays before every slot is set.
fn unset<'a>(_: &crate::Request<'a>) -> Result<crate::Response<'a>, crate::Error> {
    Err(crate::ServiceError::internal("a route part was not set").into())
}

impl<const N: usize> RouteParts<N> {
    /// Splits `routes` (evaluated at compile time, in generated code).
    pub const fn split(routes: [Route; N]) -> RouteParts<N> {
        // Overwritten below for every index: never in a generated `static`.
        const UNSET: Handler = Handler::of(unset);
        let mut handlers = [UNSET; N];
        let mut options = [Options::NONE; N];
        let mut index = 0;
        while index < N {
            handlers[index] = routes[index].handler;
            options[index] = routes[index].options;
            index += 1;
        }
        RouteParts { handlers, options }
    }

    /// Route `index`, its methods and pattern read from `table`, the table compiled from the
    /// routes split.
    ///
    /// # Panics
    ///
    /// When `index` is not below `N` (the router asks for its table's routes only).
    #[inline]
    pub fn route(&'static self, index: usize, table: &'static lambda_router_core::Table) -> Route {
        Route {
            methods: table.methods(index),
            pattern: table.pattern(index).unwrap_or(""),
            handler: self.handlers[index],
            options: self.options[index],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Handler, Route, RouteDoc, RouteParts};
    use crate::{Error, Request, Response, Router};

    fn ok<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
        Ok(Response::text(200, "ok"))
    }

    async fn later<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
        Ok(Response::text(200, "later"))
    }

    #[crate::middleware]
    async fn pass<'r, 'a>(_: &'r Request<'a>, next: crate::Next<'r, 'a>) -> Result<Response<'a>, Error> {
        next.run().await
    }
    const ROUTES: [Route; 4] = [
        Route::get("/a", ok),
        Route::post("/b/<id>", later).compress().cors(false),
        Route::get("/c/{rest+}", ok).cache_control("max-age=1").middleware(&[pass]).cors(true),
        Route::delete("/d", ok).doc(&RouteDoc::new().summary("d").hidden()),
    ];
    static PARTS: RouteParts<4> = RouteParts::split(ROUTES);

    /// A build-time router assembles each route from its parts: every part comes back as
    /// declared, the methods and the pattern from the table compiled from the routes.
    #[test]
    fn split_routes_come_back_as_declared() {
        let router = Router::builder().extend(ROUTES).build().expect("the routes compile");
        let table = Box::leak(Box::new(router.__table().clone()));
        for (index, declared) in ROUTES.iter().enumerate() {
            let route = PARTS.route(index, table);
            assert_eq!((route.methods(), route.pattern()), (declared.methods(), declared.pattern()));
            assert_eq!(route.is_async(), declared.is_async(), "route {index}");
            let (options, expected) = (route.http(), declared.http());
            assert_eq!(
                (options.compress, options.cors, options.cache_control, options.middleware.len()),
                (expected.compress, expected.cors, expected.cache_control, expected.middleware.len()),
                "route {index}"
            );
            assert_eq!(options.doc.map(|doc| doc.summary), expected.doc.map(|doc| doc.summary), "route {index}");
        }
    }

    /// What the loader patches per route at every cold start is the handler, in a dense array:
    /// it stays small (a typed handler's input behind its vtable).
    #[test]
    fn a_handler_stays_small() {
        let size = std::mem::size_of::<Handler>();
        eprintln!("Handler: {size} bytes");
        assert!(size <= 24, "Handler is {size} bytes");
    }
}
