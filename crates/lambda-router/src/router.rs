//! An app's router: its [`Route`]s and their compiled table, made at build time
//! (`lambda-router-build`) or at run time with a [`RouterBuilder`].
//!
//! The table is the one source of truth for what each route answers: a route's methods and
//! pattern are compiled from the route itself, and a runtime builder takes whole routes only,
//! so nothing can attach one route's methods to another's handler.

use lambda_router_core::{Match, Method, MethodSet, RouteError, Table};

use crate::route::Route;

/// An app's routes and their compiled table.
///
/// ```
/// use lambda_router::{Error, Method, Request, Response, Route, Router};
/// fn hello<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
///     Ok(Response::text(200, "hello"))
/// }
/// let router = Router::builder().push(Route::get("/hello/<name>", hello)).build().unwrap();
/// let found = router.find(Method::Get, "/hello/ada").unwrap();
/// assert_eq!(router.full_pattern(found.route), "/hello/<name>");
/// assert_eq!(found.params.get("name"), Some("ada"));
/// ```
pub struct Router {
    inner: lambda_router_core::Router<Route>,
}

impl Router {
    /// A builder for a router composed at run time.
    pub fn builder() -> RouterBuilder {
        RouterBuilder::new()
    }

    /// A router generated at build time (`lambda-router-build` writes the call): route `index`
    /// is `assemble(index)`, the table was compiled from the same routes.
    #[doc(hidden)]
    pub const fn __from_static_fn(assemble: fn(usize) -> Route, table: &'static Table) -> Router {
        Router { inner: lambda_router_core::Router::from_static_fn(assemble, table) }
    }

    /// Finds the route for a method and a routing path.
    #[inline]
    pub fn find<'t, 'p>(&'t self, method: Method, path: &'p str) -> Option<Match<'t, 'p>> {
        self.inner.find(method, path)
    }

    /// As [`find`](Router::find), as the reference's REST API resolver matches a path:
    /// trailing slashes aside (see `Table::find_ignoring_trailing_slashes`). Returns the
    /// routing path that matched.
    pub(crate) fn find_ignoring_trailing_slashes<'t, 'p>(
        &'t self,
        method: Method,
        path: &'p str,
    ) -> Option<(Match<'t, 'p>, &'p str)> {
        self.inner.table().find_ignoring_trailing_slashes(method, path)
    }

    /// The number of routes.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether the router has no route.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// Route `index` in declaration order (an index from a [`Match`]).
    ///
    /// # Panics
    ///
    /// When `index` is not a route of this router: an index from [`find`](Router::find) always is.
    #[inline]
    pub fn route(&self, index: usize) -> Route {
        self.inner.route(index)
    }

    /// The routes in declaration order.
    pub fn routes(&self) -> impl ExactSizeIterator<Item = Route> + '_ {
        self.inner.routes()
    }

    /// The full pattern of route `index`, mount prefix included, as the table compiled it.
    pub fn full_pattern(&self, index: usize) -> &str {
        self.inner.full_pattern(index)
    }

    /// The methods route `index` answers, as the table compiled them.
    pub fn methods(&self, index: usize) -> MethodSet {
        self.inner.methods(index)
    }

    /// The compiled table (for tests that compare build-time and run-time tables).
    #[doc(hidden)]
    pub fn __table(&self) -> &Table {
        self.inner.table()
    }
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.inner, f)
    }
}

/// Composes an app's router while the program runs: whole routes, one by one, from a `const`
/// table, or from another builder mounted under a prefix (the reference's
/// `include_router(prefix=...)`).
///
/// ```
/// use lambda_router::{Error, Request, Response, Route, Router};
/// fn ok<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
///     Ok(Response::text(200, "ok"))
/// }
/// const USERS: &[Route] = &[Route::get("/", ok), Route::get("/<id>", ok)];
/// let users = Router::builder().extend(USERS.iter().copied());
/// let router = Router::builder().push(Route::get("/health", ok)).include("/users", users).build().unwrap();
/// assert_eq!(router.full_pattern(2), "/users/<id>");
/// ```
///
/// It takes whole routes only: a route's methods come with its pattern and handler, and the
/// table compiled from them is what the pre-flight's `Access-Control-Allow-Methods`, the route
/// table and the OpenAPI document read.
///
/// ```compile_fail,E0599
/// use lambda_router::{Error, Request, Response, Route, Router};
/// fn h<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
///     Ok(Response::text(200, "h"))
/// }
/// // error: no method `get`: a route's methods cannot be attached to another route
/// let router = Router::builder().get("/a", Route::post("/b", h));
/// ```
#[derive(Debug, Default)]
pub struct RouterBuilder {
    inner: lambda_router_core::RouterBuilder<Route>,
}

impl RouterBuilder {
    /// An empty builder.
    pub fn new() -> RouterBuilder {
        RouterBuilder::default()
    }

    /// Adds a route.
    pub fn push(self, route: Route) -> RouterBuilder {
        RouterBuilder { inner: self.inner.push(route) }
    }

    /// Adds every route of a table, in order.
    pub fn extend(self, routes: impl IntoIterator<Item = Route>) -> RouterBuilder {
        RouterBuilder { inner: self.inner.extend(routes) }
    }

    /// Mounts every route of `other` under `prefix`, joined without `//`; the prefix keeps its
    /// own root (`/users` + `/` = `/users`).
    pub fn include(self, prefix: &str, other: RouterBuilder) -> RouterBuilder {
        RouterBuilder { inner: self.inner.include(prefix, other.inner) }
    }

    /// Compiles the routes, or names the route that cannot be compiled.
    pub fn build(self) -> Result<Router, RouteError> {
        self.inner.build().map(|inner| Router { inner })
    }
}
