//! Routes and the router: declared routes, compiled into a [`Table`], looked up per request.
//!
//! `pattern`, `compile`, `table` and `method` are also compiled into `build.rs` (by path), so
//! a table made at build time and one made at run time come from the same code.

pub(crate) mod compile;
pub(crate) mod matcher;
pub(crate) mod method;
pub(crate) mod path;
pub(crate) mod pattern;
pub(crate) mod table;

#[cfg(feature = "build")]
pub(crate) mod codegen;

use std::borrow::Cow;
use std::fmt;

use crate::handler::{AsyncHandler, Handler, SyncHandler};
use compile::{RouteError, RouteSpec};
use matcher::Match;
use table::Table;

pub(crate) use method::{Method, MethodSet};
pub(crate) use path::PathOptions;

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
///
/// // The router alone, with any value as the handler:
/// const IDS: &[Route<u32>] = &[Route::with(MethodSet::one(Method::Get), "/users/<id>", 7)];
/// assert_eq!(*IDS[0].handler(), 7);
/// ```
#[derive(Clone, Copy)]
pub struct Route<H = crate::handler::Handler> {
    methods: MethodSet,
    pattern: &'static str,
    handler: H,
    compress: bool,
    cors: bool,
    cache_control: Option<&'static str>,
}

macro_rules! method_constructors {
    ($($name:ident, $name_async:ident => $method:ident),* $(,)?) => {$(
        #[doc = concat!("A route that answers `", stringify!($method), "` on `pattern`.")]
        pub const fn $name(pattern: &'static str, handler: SyncHandler) -> Route {
            Route::with(MethodSet::one(Method::$method), pattern, Handler::Sync(handler))
        }

        #[doc = concat!("A route that answers `", stringify!($method), "` on `pattern` with an async handler.")]
        pub const fn $name_async(pattern: &'static str, handler: AsyncHandler) -> Route {
            Route::with(MethodSet::one(Method::$method), pattern, Handler::Async(handler))
        }
    )*};
}

impl Route {
    /// A route that answers `methods` on `pattern` with a handler.
    pub const fn new(methods: MethodSet, pattern: &'static str, handler: SyncHandler) -> Route {
        Route::with(methods, pattern, Handler::Sync(handler))
    }

    /// A route that answers `methods` on `pattern` with an async handler.
    pub const fn new_async(methods: MethodSet, pattern: &'static str, handler: AsyncHandler) -> Route {
        Route::with(methods, pattern, Handler::Async(handler))
    }

    method_constructors! {
        get, get_async => Get, post, post_async => Post, put, put_async => Put,
        patch, patch_async => Patch, delete, delete_async => Delete,
        head, head_async => Head, options, options_async => Options,
    }
}

impl<H> Route<H> {
    /// A route that answers `methods` on `pattern` with any value as its handler (the router
    /// alone, like matchit's `insert(route, value)`).
    pub const fn with(methods: MethodSet, pattern: &'static str, handler: H) -> Route<H> {
        Route { methods, pattern, handler, compress: false, cors: true, cache_control: None }
    }

    /// Asks for gzip on this route's responses when the client accepts it.
    pub const fn compress(mut self) -> Route<H> {
        self.compress = true;
        self
    }

    /// Turns CORS on (the default, when the app has a CORS configuration) or off for this route.
    pub const fn cors(mut self, enabled: bool) -> Route<H> {
        self.cors = enabled;
        self
    }

    /// Sets `Cache-Control` on the route's 200 responses (`no-cache` on the others), as the
    /// reference's `cache_control` does.
    pub const fn cache_control(mut self, value: &'static str) -> Route<H> {
        self.cache_control = Some(value);
        self
    }

    /// The `Cache-Control` value of the route's 200 responses.
    pub const fn cache_control_value(&self) -> Option<&'static str> {
        self.cache_control
    }

    /// The methods the route answers.
    pub const fn methods(&self) -> MethodSet {
        self.methods
    }

    /// The pattern as declared (without a mount prefix).
    pub const fn pattern(&self) -> &'static str {
        self.pattern
    }

    /// The handler.
    pub const fn handler(&self) -> &H {
        &self.handler
    }

    /// Whether the route asks for gzip.
    pub const fn compresses(&self) -> bool {
        self.compress
    }

    /// Whether CORS applies to the route.
    pub const fn has_cors(&self) -> bool {
        self.cors
    }
}

impl<H> fmt::Debug for Route<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Route")
            .field("methods", &self.methods)
            .field("pattern", &self.pattern)
            .field("compress", &self.compress)
            .field("cors", &self.cors)
            .finish_non_exhaustive()
    }
}

enum Routes<H: 'static> {
    Static(&'static [Route<H>]),
    Owned(Vec<Route<H>>),
}

/// Routes and their compiled table: what an app dispatches with.
///
/// Made at build time (the `build` feature writes a `static` router from a `const` route
/// table) or at run time with [`Router::builder`]. Both give the same table for the same
/// routes, and [`Router::find`] is the same lookup.
///
/// ```
/// use lambda_router::{Method, Router};
/// let router = lambda_router::RouterBuilder::new()
///     .get("/hello", 1)
///     .get("/hello/<name>", 2)
///     .get("/<message>/<name>", 3)
///     .build()
///     .unwrap();
/// let found = router.find(Method::Get, "/hello/world").unwrap();
/// assert_eq!(*router.route(found.route).handler(), 2);
/// assert_eq!(found.params.get("name"), Some("world"));
/// ```
pub struct Router<H: 'static = crate::handler::Handler> {
    routes: Routes<H>,
    table: Cow<'static, Table>,
}

impl Router {
    /// A builder for an app's router composed at run time (see [`RouterBuilder::new`] for a
    /// router of other values).
    pub fn builder() -> RouterBuilder {
        RouterBuilder::new()
    }
}

impl<H: 'static> Router<H> {
    /// A router over `routes` with the table compiled from them at build time. Generated
    /// code calls this; the generated code also checks, at compile time, that `table` was
    /// compiled from these very routes.
    pub const fn from_static(routes: &'static [Route<H>], table: &'static Table) -> Router<H> {
        Router { routes: Routes::Static(routes), table: Cow::Borrowed(table) }
    }

    /// Finds the route for a request. `path` is the routing path (see
    /// [`PathOptions::routing_path`](crate::PathOptions::routing_path)).
    #[inline]
    pub fn find<'t, 'p>(&'t self, method: Method, path: &'p str) -> Option<Match<'t, 'p>> {
        self.table.find(method, path)
    }

    /// The routes in declaration order.
    pub fn routes(&self) -> &[Route<H>] {
        match &self.routes {
            Routes::Static(routes) => routes,
            Routes::Owned(routes) => routes,
        }
    }

    /// Route `index` in declaration order (an index from a [`Match`]).
    ///
    /// # Panics
    ///
    /// When `index` is not a route of this router.
    pub fn route(&self, index: usize) -> &Route<H> {
        &self.routes()[index]
    }

    /// The compiled table.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// The full pattern of route `index`, mount prefix included.
    pub fn full_pattern(&self, index: usize) -> &str {
        self.table.pattern(index).unwrap_or("")
    }
}

impl<H: 'static> fmt::Debug for Router<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (index, route) in self.routes().iter().enumerate() {
            list.entry(&format_args!("{} {}", route.methods, self.full_pattern(index)));
        }
        list.finish()
    }
}

/// Composes a router while the program runs: routes added one by one or in a loop, and
/// other builders mounted under a prefix (the reference's `include_router(prefix=...)`).
///
/// ```
/// use lambda_router::{Method, Router};
/// use lambda_router::RouterBuilder;
/// let users = RouterBuilder::new().get("/", "list").get("/<id>", "show");
/// let router = RouterBuilder::new().get("/health", "health").include("/users", users).build().unwrap();
/// let found = router.find(Method::Get, "/users").unwrap();
/// assert_eq!(*router.route(found.route).handler(), "list");
/// assert_eq!(router.full_pattern(2), "/users/<id>");
/// ```
pub struct RouterBuilder<H: 'static = crate::handler::Handler> {
    routes: Vec<(String, Route<H>)>,
}

impl<H: 'static> RouterBuilder<H> {
    /// An empty builder.
    pub fn new() -> RouterBuilder<H> {
        RouterBuilder { routes: Vec::new() }
    }

    /// Adds a route as declared in a const table.
    pub fn push(mut self, route: Route<H>) -> RouterBuilder<H> {
        self.routes.push((route.pattern.to_owned(), route));
        self
    }

    /// Adds every route of a const table, in order.
    pub fn extend(mut self, routes: impl IntoIterator<Item = Route<H>>) -> RouterBuilder<H> {
        for route in routes {
            self = self.push(route);
        }
        self
    }

    /// Adds a route answering `methods` on `pattern`. The pattern may be built at run time.
    pub fn route(mut self, methods: &[Method], pattern: &str, handler: H) -> RouterBuilder<H> {
        let route = Route::with(MethodSet::of(methods), "", handler);
        self.routes.push((pattern.to_owned(), route));
        self
    }

    /// Mounts every route of `other` under `prefix`, joined without `//`; the prefix keeps
    /// its own root (`/users` + `/` = `/users`).
    pub fn include(mut self, prefix: &str, other: RouterBuilder<H>) -> RouterBuilder<H> {
        for (pattern, route) in other.routes {
            self.routes.push((pattern::join_prefix(prefix, &pattern), route));
        }
        self
    }

    /// Compiles the routes into a router, or names the route that cannot be compiled.
    pub fn build(self) -> Result<Router<H>, RouteError> {
        let specs: Vec<RouteSpec> = self
            .routes
            .iter()
            .map(|(pattern, route)| RouteSpec { pattern: pattern.clone(), methods: route.methods })
            .collect();
        let table = compile::compile(&specs)?;
        Ok(Router {
            routes: Routes::Owned(self.routes.into_iter().map(|(_, route)| route).collect()),
            table: Cow::Owned(table),
        })
    }
}

macro_rules! builder_methods {
    ($($name:ident => $method:ident),* $(,)?) => {$(
        #[doc = concat!("Adds a route answering `", stringify!($method), "` on `pattern`.")]
        pub fn $name(self, pattern: &str, handler: H) -> RouterBuilder<H> {
            self.route(&[Method::$method], pattern, handler)
        }
    )*};
}

impl<H: 'static> RouterBuilder<H> {
    builder_methods! {
        get => Get, post => Post, put => Put, patch => Patch, delete => Delete,
        head => Head, options => Options,
    }
}

impl<H: 'static> Default for RouterBuilder<H> {
    fn default() -> RouterBuilder<H> {
        RouterBuilder::new()
    }
}

impl<H: 'static> fmt::Debug for RouterBuilder<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.routes.iter().map(|(pattern, _)| pattern)).finish()
    }
}

/// Parses a route pattern, for checking one outside a table.
///
/// ```
/// assert!(lambda_router::parse_pattern("/files/{proxy+}").is_ok());
/// assert!(lambda_router::parse_pattern("/files/{proxy+}/more").is_err());
/// ```
pub fn parse_pattern(pattern: &str) -> Result<(), pattern::PatternError> {
    pattern::parse(pattern).map(|_| ())
}
