//! `Route`: what an app's `const` route table holds — methods, a pattern, a handler and the
//! route's HTTP options (gzip, CORS, `Cache-Control`).
//!
//! The router (`lambda-router-core`) sees only the methods and the pattern, through
//! [`Declared`]; everything HTTP lives here, on the app's side.

use std::fmt;

use lambda_router_core::Declared;

use crate::handler::{AsyncHandler, Handler, SyncHandler};
use crate::middleware::Middleware;
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
    const fn with(methods: MethodSet, pattern: &'static str, handler: Handler) -> Route {
        Route {
            methods,
            pattern,
            handler,
            options: Options { middleware: &[], compress: false, cors: None, cache_control: None },
        }
    }

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

    /// Middleware for this route alone, outermost first, inside the app's (see
    /// [`Middleware`]):
    ///
    /// ```
    /// # use lambda_router::{Error, Middleware, Next, Request, Response, Route};
    /// # async fn auth<'r, 'a>(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> { next.run().await }
    /// # fn secret<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> { Ok(Response::text(200, "s")) }
    /// const AUTH: Middleware = |req, next| req.in_arena(auth(req, next));
    /// const ROUTES: &[Route] = &[Route::get("/secret", secret).middleware(&[AUTH])];
    /// # let _ = ROUTES;
    /// ```
    pub const fn middleware(mut self, middleware: &'static [Middleware]) -> Route {
        self.options.middleware = middleware;
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
        matches!(self.handler, Handler::Async(_))
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
