//! Routes and routers: routes declared (in a `const` table or one by one), compiled into a
//! [`Table`], and looked up per request.
//!
//! A route's value is any type: the runtime stores its HTTP endpoints here, tests store
//! numbers. Nothing here knows what the value means.

use std::borrow::Cow;
use std::fmt;

use crate::compile::{self, RouteError, RouteSpec};
use crate::matcher::Match;
use crate::method::{Method, MethodSet};
use crate::pattern;
use crate::table::Table;

/// What the table compiler needs to know of a declared route: the methods it answers and its
/// pattern. Implemented by [`Route`] and by the runtime's route type, so that a
/// [`RouterBuilder`] can take either from a `const` table.
pub trait Declared {
    /// The methods the route answers.
    fn methods(&self) -> MethodSet;
    /// The pattern as declared (without a mount prefix).
    fn pattern(&self) -> &str;
}

/// A route of the router alone: methods, a pattern and a value (like matchit's
/// `insert(route, value)`), declared in a `const` table.
///
/// ```
/// use lambda_router_core::{Method, MethodSet, Route};
/// const IDS: &[Route<u32>] = &[
///     Route::new(MethodSet::one(Method::Get), "/users/<id>", 7),
///     Route::new(MethodSet::of(&[Method::Put, Method::Post]), "/items/<id>", 8),
/// ];
/// assert_eq!(*IDS[0].value(), 7);
/// assert_eq!(IDS[1].pattern(), "/items/<id>");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route<T> {
    methods: MethodSet,
    pattern: &'static str,
    value: T,
}

impl<T> Route<T> {
    /// A route that answers `methods` on `pattern`.
    pub const fn new(methods: MethodSet, pattern: &'static str, value: T) -> Route<T> {
        Route { methods, pattern, value }
    }

    /// The methods the route answers.
    pub const fn methods(&self) -> MethodSet {
        self.methods
    }

    /// The pattern as declared (without a mount prefix).
    pub const fn pattern(&self) -> &'static str {
        self.pattern
    }

    /// The route's value.
    pub const fn value(&self) -> &T {
        &self.value
    }
}

impl<T> Declared for Route<T> {
    fn methods(&self) -> MethodSet {
        self.methods
    }

    fn pattern(&self) -> &str {
        self.pattern
    }
}

enum Routes<R: 'static> {
    /// A `const` table's values, one array.
    Static(&'static [R]),
    /// Values a generated function assembles from arrays of their parts (see
    /// [`Router::from_static_fn`]).
    Assembled(fn(usize) -> R),
    Owned(Vec<R>),
}

/// Routes and their compiled table.
///
/// Made at build time (`lambda-router-build` writes a `static` router from a `const` route
/// table) or at run time with a [`RouterBuilder`]. Both give the same table for the same
/// routes, and [`Router::find`] is the same lookup.
///
/// ```
/// use lambda_router_core::{Method, RouterBuilder};
/// let router = RouterBuilder::new().get("/health", "health").get("/users/<id>", "user").build().unwrap();
/// let found = router.find(Method::Get, "/users/7").unwrap();
/// assert_eq!(router.route(found.route), "user");
/// assert_eq!(router.full_pattern(found.route), "/users/<id>");
/// ```
pub struct Router<R: 'static> {
    routes: Routes<R>,
    table: Cow<'static, Table>,
}

impl<R: 'static> Router<R> {
    /// A builder for a router composed at run time.
    pub fn builder() -> RouterBuilder<R> {
        RouterBuilder::new()
    }

    /// A router over `routes` with the table compiled from them at build time. Generated
    /// code calls this; it also checks, at compile time, that `table` was compiled from these
    /// very routes, in this order.
    pub const fn from_static(routes: &'static [R], table: &'static Table) -> Router<R> {
        Router { routes: Routes::Static(routes), table: Cow::Borrowed(table) }
    }

    /// A router whose route `index` is `assemble(index)`, with the table compiled from the
    /// routes at build time. Generated code calls this for values that hold pointers: it
    /// stores their parts in arrays of their own, so that the few parts that point (a handler)
    /// sit together. The loader patches every pointer of a `static` at start, and copies each
    /// page holding one: one array of whole routes would cost a function with 1,000 routes a
    /// page copy per 40 routes at every cold start.
    ///
    /// `assemble` is called with indexes below the table's length only.
    ///
    /// ```
    /// use lambda_router_core::{Method, Router, Table};
    /// static TABLE: std::sync::LazyLock<Table> = std::sync::LazyLock::new(|| {
    ///     Router::builder().get("/a", ()).get("/b/<id>", ()).build().unwrap().table().clone()
    /// });
    /// static NAMES: [&str; 2] = ["a", "b"];
    /// let router = Router::from_static_fn(|index| NAMES[index], &TABLE);
    /// let found = router.find(Method::Get, "/b/7").unwrap();
    /// assert_eq!(router.route(found.route), "b");
    /// assert_eq!(router.routes().collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub const fn from_static_fn(assemble: fn(usize) -> R, table: &'static Table) -> Router<R> {
        Router { routes: Routes::Assembled(assemble), table: Cow::Borrowed(table) }
    }

    /// Finds the route for a request. `path` is the routing path (see
    /// [`PathOptions::routing_path`](crate::PathOptions::routing_path)).
    #[inline]
    pub fn find<'t, 'p>(&'t self, method: Method, path: &'p str) -> Option<Match<'t, 'p>> {
        self.table.find(method, path)
    }

    /// The number of routes.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the router has no route.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The routes' values in declaration order.
    pub fn routes(&self) -> impl ExactSizeIterator<Item = R> + '_
    where
        R: Clone,
    {
        (0..self.len()).map(|index| self.route(index))
    }

    /// The value of route `index` in declaration order (an index from a [`Match`]).
    ///
    /// # Panics
    ///
    /// When `index` is not a route of this router: an index from [`find`](Router::find) always
    /// is.
    #[inline]
    pub fn route(&self, index: usize) -> R
    where
        R: Clone,
    {
        match &self.routes {
            Routes::Static(routes) => routes[index].clone(),
            Routes::Owned(routes) => routes[index].clone(),
            Routes::Assembled(assemble) => {
                assert!(index < self.len(), "route {index} of a router of {} routes", self.len());
                assemble(index)
            }
        }
    }

    /// The compiled table.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// The full pattern of route `index`, mount prefix included (`""` for no such route).
    pub fn full_pattern(&self, index: usize) -> &str {
        self.table.pattern(index).unwrap_or("")
    }

    /// The methods route `index` answers (none for no such route).
    pub fn methods(&self, index: usize) -> MethodSet {
        self.table.methods(index)
    }
}

impl<R: 'static> fmt::Debug for Router<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for index in 0..self.table.len() {
            list.entry(&format_args!("{} {}", self.table.methods(index), self.full_pattern(index)));
        }
        list.finish()
    }
}

/// Composes a router while the program runs: routes added one by one or in a loop, and
/// other builders mounted under a prefix (the reference's `include_router(prefix=...)`).
///
/// ```
/// use lambda_router_core::{Method, RouterBuilder};
/// let users = RouterBuilder::new().get("/", "list").get("/<id>", "show");
/// let router = RouterBuilder::new().get("/health", "health").include("/users", users).build().unwrap();
/// let found = router.find(Method::Get, "/users").unwrap();
/// assert_eq!(router.route(found.route), "list");
/// assert_eq!(router.full_pattern(2), "/users/<id>");
/// ```
pub struct RouterBuilder<R: 'static> {
    routes: Vec<(String, MethodSet, R)>,
}

impl<R: 'static> RouterBuilder<R> {
    /// An empty builder.
    pub fn new() -> RouterBuilder<R> {
        RouterBuilder { routes: Vec::new() }
    }

    /// Adds a route as declared in a `const` table.
    pub fn push(mut self, route: R) -> RouterBuilder<R>
    where
        R: Declared,
    {
        self.routes.push((route.pattern().to_owned(), route.methods(), route));
        self
    }

    /// Adds every route of a `const` table, in order.
    pub fn extend(mut self, routes: impl IntoIterator<Item = R>) -> RouterBuilder<R>
    where
        R: Declared,
    {
        for route in routes {
            self = self.push(route);
        }
        self
    }

    /// Adds a route answering `methods` on `pattern`. The pattern may be built at run time.
    pub fn route(mut self, methods: MethodSet, pattern: &str, value: R) -> RouterBuilder<R> {
        self.routes.push((pattern.to_owned(), methods, value));
        self
    }

    /// Mounts every route of `other` under `prefix`, joined without `//`; the prefix keeps
    /// its own root (`/users` + `/` = `/users`).
    pub fn include(mut self, prefix: &str, other: RouterBuilder<R>) -> RouterBuilder<R> {
        for (pattern, methods, route) in other.routes {
            self.routes.push((pattern::join_prefix(prefix, &pattern), methods, route));
        }
        self
    }

    /// Each route's full pattern and methods, in order, as they would be compiled.
    pub fn declared(&self) -> impl Iterator<Item = (&str, MethodSet, &R)> {
        self.routes.iter().map(|(pattern, methods, route)| (pattern.as_str(), *methods, route))
    }

    /// Compiles the routes into a router, or names the route that cannot be compiled.
    pub fn build(self) -> Result<Router<R>, RouteError> {
        let specs: Vec<RouteSpec> = self
            .routes
            .iter()
            .map(|(pattern, methods, _)| RouteSpec { pattern: pattern.clone(), methods: *methods })
            .collect();
        let table = compile::compile(&specs)?;
        Ok(Router {
            routes: Routes::Owned(self.routes.into_iter().map(|(_, _, route)| route).collect()),
            table: Cow::Owned(table),
        })
    }
}

macro_rules! builder_methods {
    ($($name:ident => $method:ident),* $(,)?) => {$(
        #[doc = concat!("Adds a route answering `", stringify!($method), "` on `pattern`.")]
        pub fn $name(self, pattern: &str, value: R) -> RouterBuilder<R> {
            self.route(MethodSet::one(Method::$method), pattern, value)
        }
    )*};
}

impl<R: 'static> RouterBuilder<R> {
    builder_methods! {
        get => Get, post => Post, put => Put, patch => Patch, delete => Delete,
        head => Head, options => Options,
    }
}

impl<R: 'static> Default for RouterBuilder<R> {
    fn default() -> RouterBuilder<R> {
        RouterBuilder::new()
    }
}

impl<R: 'static> fmt::Debug for RouterBuilder<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.routes.iter().map(|(pattern, methods, _)| format!("{methods} {pattern}"))).finish()
    }
}
