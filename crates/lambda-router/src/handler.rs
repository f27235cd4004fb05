//! Handlers: what a route runs. A handler is written as a plain `fn` or `async fn` of the
//! request, or, with typed inputs, marked `#[handler]`; any of them is named directly in a
//! `const` route table (`Route::get("/x", handler)`).
//!
//! A table holds one [`Handler`] per route: a pointer to a static of the handler's type, which
//! holds the `fn` pointer that starts the handler and its typed inputs' schema. That `fn` is a
//! shim made for the handler's type `H` when the route is constructed; the shim makes the
//! handler's value anew for each call, which is free because `H` is zero-sized (a `fn` item, or
//! a capture- free closure). `#[handler]` rewrites a typed handler into a `fn` of the request
//! alone that validates the inputs, then calls it, and whose return type names the inputs' type
//! (so the route learns their schema).
//!
//! INVARIANT (the unsafe code of this file, [`conjure`]): a shim for `H` exists only if a value
//! of `H` was handed to [`Handler::of`], and `H` is zero-sized, `Copy`, `Send`, `Sync` and
//! `'static`. Making another value of such a type is then copying the one given, which `Copy`
//! allows, on any thread, for any lifetime. Can safe code outside this module break it? No:
//! `shim`, `InfoOf` and `Handler::of`'s body are private, the only way to a shim is
//! `Handler::of(value)`, and the size is checked at compile time. An impl of [`IntoHandler`] written by hand only
//! decides what its own `call` does with its own value.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::arena::{ArenaFuture, in_arena};
use crate::error::Error;
use crate::request::Request;
use crate::response::Response;
use crate::validate::{Input, InputSchema, ResponseModel, ResponseOf, ResponseSpec, Validation};

/// What a handler or a middleware returns.
pub(crate) type Outcome<'a> = Result<Response<'a>, Error>;

/// A not-found handler: answers requests that match no route (pre-flights aside).
pub type NotFoundHandler = for<'r, 'a> fn(&'r Request<'a>) -> Response<'a>;

/// A catch-all error handler: any error no typed handler took, to a response (the reference's
/// `exception_handler(Exception)`).
pub type CatchAllHandler = for<'r, 'a> fn(&Error, &'r Request<'a>) -> Response<'a>;

/// A handler that has been started: a sync handler's outcome, or an async handler's future in
/// the invocation's arena.
#[doc(hidden)]
#[allow(clippy::large_enum_variant)] // the outcome is a `Response`, moved once: boxing it would allocate
pub enum Started<'r, 'a> {
    /// Finished already.
    Ready(Outcome<'a>),
    /// Runs when awaited.
    Pending(ArenaFuture<'r, 'a>),
}

impl std::fmt::Debug for Started<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Started::Ready(_) => "Started::Ready",
            Started::Pending(_) => "Started::Pending",
        })
    }
}

type Run = for<'r, 'a> fn(&'r Request<'a>) -> Started<'r, 'a>;

/// A route's handler, as a `const` table stores it: one pointer, since a table of 1,000 routes
/// is loaded at every cold start and the loader patches every pointer a `static` holds. The
/// shim that starts the handler and what is known of the handler's type sit in one static of
/// that type, shared by every route naming it.
#[derive(Clone, Copy)]
pub struct Handler {
    info: &'static Info,
}

/// What a handler's type says of it, and the shim that starts it.
struct Info {
    run: Run,
    input: Option<&'static InputSchema>,
    response: Option<&'static ResponseSpec>,
    is_async: bool,
    /// The function's path (`std::any::type_name`), for the document's default operation id.
    name: fn() -> &'static str,
}

/// The info of the handler type `H`, made at compile time.
struct InfoOf<H, M>(std::marker::PhantomData<(H, M)>);

impl<H: IntoHandler<M>, M> InfoOf<H, M> {
    const INFO: &'static Info = &Info {
        run: shim::<H, M>,
        input: H::INPUT,
        response: H::RESPONSE,
        is_async: H::ASYNC,
        name: std::any::type_name::<H>,
    };
}

impl std::fmt::Debug for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handler")
            .field("name", &self.name())
            .field("typed", &self.info.input.is_some())
            .field("async", &self.info.is_async)
            .finish()
    }
}

impl Handler {
    /// The handler of `handler`'s type (see the module's INVARIANT).
    pub(crate) const fn of<H: IntoHandler<M>, M>(handler: H) -> Handler {
        const {
            assert!(
                std::mem::size_of::<H>() == 0,
                "a handler is a `fn` or `async fn` named directly (or a capture-free closure): not a `fn` pointer, not a closure that captures values"
            )
        };
        // A zero-sized `Copy` value: the shim makes it anew.
        let _ = handler;
        Handler { info: InfoOf::<H, M>::INFO }
    }

    /// Starts the handler: validates typed inputs, then calls it.
    pub(crate) fn start<'r, 'a>(&self, req: &'r Request<'a>) -> Started<'r, 'a> {
        (self.info.run)(req)
    }

    /// The handler's typed inputs, if any.
    pub(crate) const fn input(&self) -> Option<&'static InputSchema> {
        self.info.input
    }

    /// The model the handler returns, if it returns one.
    pub(crate) const fn response(&self) -> Option<&'static ResponseSpec> {
        self.info.response
    }

    /// Whether the handler is async.
    pub(crate) const fn is_async(&self) -> bool {
        self.info.is_async
    }

    /// The handler function's name (the last segment of its path).
    pub(crate) fn name(&self) -> &'static str {
        let path = (self.info.name)();
        path.rsplit("::").next().unwrap_or(path)
    }
}

/// Makes a value of `H` (see the module's INVARIANT).
///
/// # Safety
///
/// A value of `H` was handed to [`Handler::of`], and `H` is zero-sized.
unsafe fn conjure<H: Copy + Send + Sync + 'static>() -> H {
    // SAFETY: `H` is zero-sized, so there are no bytes to initialize, and a value of it was
    // given (the caller's contract): this is a copy of it, which `H: Copy` allows.
    unsafe { std::mem::zeroed() }
}

fn shim<'r, 'a, H: IntoHandler<M>, M>(req: &'r Request<'a>) -> Started<'r, 'a> {
    // SAFETY: `shim::<H, M>` is only named by `InfoOf::<H, M>::INFO`, which only
    // `Handler::of::<H, M>` reads, after it was handed a value of `H` and checked its size.
    let handler: H = unsafe { conjure() };
    handler.call(req)
}

/// Anything a route can run: a plain handler `fn` or `async fn`, or a `#[handler]`.
///
/// ```
/// use lambda_router::{Error, Request, Response, Route};
/// fn hello<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
///     Ok(Response::text(200, "hello"))
/// }
/// async fn later<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
///     Ok(Response::text(200, "later"))
/// }
/// const ROUTES: &[Route] = &[Route::get("/hello", hello), Route::get("/later", later)];
/// # let _ = ROUTES;
/// ```
///
/// A closure that captures values is not a handler (routes live in `const` tables):
///
/// ```compile_fail,E0080
/// use lambda_router::{Error, Request, Response, Route};
/// let greeting = String::from("hi");
/// let route = Route::get("/x", move |_: &Request<'_>| -> Result<Response<'_>, Error> {
///     let _ = &greeting;
///     Ok(Response::text(200, "x"))
/// });
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a handler",
    label = "not a handler",
    note = "a handler is `fn(&Request<'a>) -> Result<Response<'a>, Error>`, the same as an `async fn`, \
            or a `fn`/`async fn` with typed inputs marked `#[lambda_router::handler]`"
)]
pub trait IntoHandler<M>: Copy + Send + Sync + 'static {
    #[doc(hidden)]
    const ASYNC: bool;
    #[doc(hidden)]
    const INPUT: Option<&'static InputSchema> = None;
    #[doc(hidden)]
    const RESPONSE: Option<&'static ResponseSpec> = None;
    #[doc(hidden)]
    fn call<'r, 'a>(self, req: &'r Request<'a>) -> Started<'r, 'a>;
}

/// `IntoHandler`'s marker for a plain `fn` handler.
#[doc(hidden)]
#[derive(Debug)]
pub enum PlainFn {}

/// `IntoHandler`'s marker for a plain `async fn` handler.
#[doc(hidden)]
#[derive(Debug)]
pub enum PlainAsyncFn {}

/// `IntoHandler`'s marker for a `#[handler]` with typed inputs `I` and response model `R`.
#[doc(hidden)]
#[derive(Debug)]
pub struct TypedFn<I, R, const ASYNC: bool>(std::marker::PhantomData<(I, R)>);

/// What a `#[handler]` returns once made by the macro: the handler started (or its inputs
/// refused), typed by its inputs `I` and the model `R` it answers with (`()`: a `Response`), so
/// that a route learns their schemas.
#[doc(hidden)]
pub struct TypedStart<'r, 'a, I, R, const ASYNC: bool>(Started<'r, 'a>, std::marker::PhantomData<fn() -> (I, R)>);

impl<'r, 'a, I, R, const ASYNC: bool> TypedStart<'r, 'a, I, R, ASYNC> {
    /// Generated code's constructor.
    pub fn new(started: Started<'r, 'a>) -> TypedStart<'r, 'a, I, R, ASYNC> {
        TypedStart(started, std::marker::PhantomData)
    }
}

impl<I, R, const ASYNC: bool> std::fmt::Debug for TypedStart<'_, '_, I, R, ASYNC> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The response model a `#[handler]` declares by its return type, or none (`()`: it returns a
/// `Response`).
#[doc(hidden)]
pub trait DeclaredModel {
    const SPEC: Option<&'static ResponseSpec>;
}

impl DeclaredModel for () {
    const SPEC: Option<&'static ResponseSpec> = None;
}

impl<T: ResponseModel> DeclaredModel for T {
    const SPEC: Option<&'static ResponseSpec> = Some(ResponseOf::<T>::SPEC);
}

impl<F, I: Input, R: DeclaredModel, const ASYNC: bool> IntoHandler<TypedFn<I, R, ASYNC>> for F
where
    F: for<'r, 'a> Fn(&'r Request<'a>) -> TypedStart<'r, 'a, I, R, ASYNC> + Copy + Send + Sync + 'static,
{
    const ASYNC: bool = ASYNC;
    const INPUT: Option<&'static InputSchema> = Some(I::SCHEMA);
    const RESPONSE: Option<&'static ResponseSpec> = R::SPEC;

    fn call<'r, 'a>(self, req: &'r Request<'a>) -> Started<'r, 'a> {
        self(req).0
    }
}

impl<F> IntoHandler<PlainFn> for F
where
    F: for<'r, 'a> Fn(&'r Request<'a>) -> Outcome<'a> + Copy + Send + Sync + 'static,
{
    const ASYNC: bool = false;

    fn call<'r, 'a>(self, req: &'r Request<'a>) -> Started<'r, 'a> {
        Started::Ready(Error::catching(|| self(req)).and_then(|outcome| outcome))
    }
}

impl<F> IntoHandler<PlainAsyncFn> for F
where
    F: for<'r, 'a> AsyncFnOnce(&'r Request<'a>) -> Outcome<'a> + Copy + Send + Sync + 'static,
{
    const ASYNC: bool = true;

    fn call<'r, 'a>(self, req: &'r Request<'a>) -> Started<'r, 'a> {
        match Error::catching(|| self(req)) {
            Ok(future) => Started::Pending(req.in_arena(future)),
            Err(panic) => Started::Ready(Err(panic)),
        }
    }
}

/// Validates `I` for a `#[handler]` with typed inputs: its value, or the error of inputs that
/// do not validate (a `RequestValidationError`, or the body's `BodyError`).
#[doc(hidden)]
pub fn validated<'a, I: Input>(req: &Request<'a>) -> Result<I::Value<'a>, Error> {
    let mut cx = Validation::new(req);
    let value = I::extract(req, &mut cx);
    cx.finish(req, value)
}

/// Starts a sync `#[handler]`'s body (generated code calls it).
#[doc(hidden)]
pub fn ready<'r, 'a>(run: impl FnOnce() -> Outcome<'a>) -> Started<'r, 'a> {
    Started::Ready(Error::catching(run).and_then(|outcome| outcome))
}

/// Starts an async `#[handler]`'s or `#[middleware]`'s body: its future into the arena.
#[doc(hidden)]
pub fn pending<'r, 'a, F>(req: &'r Request<'a>, make: impl FnOnce() -> F) -> Started<'r, 'a>
where
    F: Future<Output = Outcome<'a>> + 'r,
{
    match Error::catching(make) {
        Ok(future) => Started::Pending(req.in_arena(future)),
        Err(panic) => Started::Ready(Err(panic)),
    }
}

impl<'a> Request<'a> {
    /// Moves a future into the invocation's arena.
    pub(crate) fn in_arena<'r, F>(&'r self, future: F) -> ArenaFuture<'r, 'a>
    where
        F: Future<Output = Outcome<'a>> + 'r,
    {
        in_arena(self.memory, future)
    }
}

/// Polls a future, turning a panic during a poll into an error (the future is not polled
/// again). The pipeline wraps async handlers in it, the Lambda layer the whole invocation.
pub(crate) struct CatchUnwind<F>(pub(crate) F);

impl<F: Future + Unpin> Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let future = &mut self.0;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Pin::new(&mut *future).poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}
