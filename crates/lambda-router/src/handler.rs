//! Handlers, sync and async, and the arena-allocated future an async handler returns.
//!
//! All the unsafe code of the crate's request path is here: an async handler's future is
//! moved into the invocation's arena (no heap allocation), pinned there when the pipeline
//! first polls it, and dropped in place when the handle goes away.
//!
//! INVARIANT (`Pin`'s drop guarantee): the memory of a pinned future is not reused before the
//! future is dropped. Upheld by facts that safe code outside this module cannot change:
//! - a [`HandlerFuture`] does not implement `Future`: user code can only drop or leak one that
//!   was never pinned, which is allowed. Only the crate polls it, through
//!   [`poll_in_pipeline`](HandlerFuture::poll_in_pipeline): the pipeline, and a middleware's
//!   [`NextFuture`](crate::NextFuture), which is how the chain runs;
//! - `poll_in_pipeline` counts the future in the workspace before its first poll pins it, and
//!   only its destructor uncounts it, after `drop_in_place` has run;
//! - the handle borrows the arena, so the arena cannot be reset while the handle lives; the
//!   pipeline drops every handle it holds before it returns, on a panic too (the handle's
//!   `Drop` runs during unwinding);
//! - what safe code can still do is leak a polled handle's owner: a `handle_async` future, or a
//!   middleware's `NextFuture`, passed to `mem::forget` mid-await. Then the count stays up,
//!   and the next invocation leaks the whole arena instead of resetting it
//!   (`Workspace::reset_arena`): memory lost, never reused.

use std::cell::Cell;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::Error;
use crate::request::Request;
use crate::response::Response;
use crate::validate::{Input, InputSchema, Validation};

/// A synchronous handler: the request in, a response or an error out.
pub type SyncHandler = for<'r, 'a> fn(&'r Request<'a>) -> Result<Response<'a>, Error>;

/// An asynchronous handler: returns its future moved into the invocation's arena, with
/// [`Request::in_arena`]:
///
/// ```
/// use lambda_router::{Error, Request, Response, Route};
/// async fn slow<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
///     let name = req.param("name").unwrap_or("world");
///     Ok(Response::text(200, req.format(format_args!("hello {name}"))))
/// }
/// const ROUTES: &[Route] = &[Route::get_async("/slow/<name>", |req| req.in_arena(slow(req)))];
/// # let _ = ROUTES;
/// ```
pub type AsyncHandler = for<'r, 'a> fn(&'r Request<'a>) -> HandlerFuture<'r, 'a>;

/// A typed route's handler: the request and its validated inputs (see
/// [`validate`](crate::validate)).
pub type TypedHandler<I> = for<'r, 'a> fn(&'r Request<'a>, <I as Input>::Value<'a>) -> Result<Response<'a>, Error>;

/// A typed route's async handler: returns its future moved into the invocation's arena.
pub type TypedAsyncHandler<I> = for<'r, 'a> fn(&'r Request<'a>, <I as Input>::Value<'a>) -> HandlerFuture<'r, 'a>;

/// A route's handler.
#[derive(Clone, Copy)]
pub enum Handler {
    /// Runs to completion when called.
    Sync(SyncHandler),
    /// Returns a future the pipeline awaits.
    Async(AsyncHandler),
    /// Validates the route's inputs, then runs its handler, sync or async.
    Typed(Typed),
}

impl std::fmt::Debug for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Handler::Sync(_) => "Handler::Sync",
            Handler::Async(_) => "Handler::Async",
            Handler::Typed(_) => "Handler::Typed",
        })
    }
}

/// A typed handler with its input type erased, so that routes of every input type fit one
/// `const` table: the user's `fn` pointer, and the static vtable of its input type `I` (the
/// validation of `I` that calls it, and `I`'s schema). Two words: a table of 1,000 routes is
/// loaded at every cold start.
///
/// INVARIANT: `handler` is a [`TypedHandler<I>`] (a [`TypedAsyncHandler<I>`] when the vtable's
/// `run` is async) for the very `I` the vtable was made for. Both fields are private and only
/// set together, by [`Typed::new`] and [`Typed::new_async`]; safe code outside this module
/// cannot pair them otherwise.
#[derive(Clone, Copy)]
pub struct Typed {
    vtable: &'static TypedVtable,
    handler: ErasedFn,
}

struct TypedVtable {
    run: ErasedRun,
    input: &'static InputSchema,
}

/// The vtables of one input type, made at compile time.
struct VtableOf<I>(std::marker::PhantomData<I>);

impl<I: Input> VtableOf<I> {
    const SYNC: &'static TypedVtable = &TypedVtable { run: ErasedRun::Sync(run_typed::<I>), input: I::SCHEMA };
    const ASYNC: &'static TypedVtable = &TypedVtable { run: ErasedRun::Async(run_typed_async::<I>), input: I::SCHEMA };
}

#[derive(Clone, Copy)]
enum ErasedRun {
    Sync(for<'r, 'a> fn(&'r Request<'a>, ErasedFn) -> Outcome<'a>),
    Async(for<'r, 'a> fn(&'r Request<'a>, ErasedFn) -> Result<HandlerFuture<'r, 'a>, Outcome<'a>>),
}

/// A `fn` pointer with its signature erased: code, immutable, shareable between threads.
#[derive(Clone, Copy)]
struct ErasedFn(*const ());

// SAFETY: an `ErasedFn` is a function pointer, which is `Send` and `Sync`; it is only turned
// back into the `fn` it was made from.
unsafe impl Send for ErasedFn {}
// SAFETY: as above.
unsafe impl Sync for ErasedFn {}

impl Typed {
    pub(crate) const fn new<I: Input>(handler: TypedHandler<I>) -> Typed {
        // A `fn` pointer round-trips through `*const ()` only where both have one size.
        assert!(std::mem::size_of::<TypedHandler<I>>() == std::mem::size_of::<*const ()>());
        Typed { vtable: VtableOf::<I>::SYNC, handler: ErasedFn(handler as *const ()) }
    }

    pub(crate) const fn new_async<I: Input>(handler: TypedAsyncHandler<I>) -> Typed {
        assert!(std::mem::size_of::<TypedAsyncHandler<I>>() == std::mem::size_of::<*const ()>());
        Typed { vtable: VtableOf::<I>::ASYNC, handler: ErasedFn(handler as *const ()) }
    }

    /// The route's inputs.
    pub(crate) const fn input(&self) -> &'static InputSchema {
        self.vtable.input
    }

    /// Whether the handler is async.
    pub(crate) const fn is_async(&self) -> bool {
        matches!(self.vtable.run, ErasedRun::Async(_))
    }

    /// Validates, then starts the handler: `Ok` holds an async handler's future, `Err` the
    /// outcome of a sync handler, or of inputs that do not validate.
    #[allow(clippy::result_large_err)] // the outcome is a `Response`, moved once: boxing it would allocate
    pub(crate) fn start<'r, 'a>(&self, req: &'r Request<'a>) -> Result<HandlerFuture<'r, 'a>, Outcome<'a>> {
        match self.vtable.run {
            ErasedRun::Async(run) => run(req, self.handler),
            ErasedRun::Sync(run) => Err(run(req, self.handler)),
        }
    }
}

/// Validates `I`, answering 422 (or the body's 400) when it does not validate.
#[allow(clippy::result_large_err)] // the rejection is a 422 `Response`, moved once: boxing it would allocate
fn validated<'a, I: Input>(req: &Request<'a>) -> Result<I::Value<'a>, Outcome<'a>> {
    let mut cx = Validation::new(req);
    let value = I::extract(req, &mut cx);
    cx.finish(req, value)
}

fn run_typed<'a, I: Input>(req: &Request<'a>, handler: ErasedFn) -> Outcome<'a> {
    // SAFETY: `handler` was made from a `TypedHandler<I>` for this very `I` (the INVARIANT of
    // `Typed`); a `fn` pointer cast to `*const ()` and back is the same pointer.
    let handler: TypedHandler<I> = unsafe { std::mem::transmute_copy(&handler.0) };
    match validated::<I>(req) {
        Ok(value) => handler(req, value),
        Err(outcome) => outcome,
    }
}

#[allow(clippy::result_large_err)] // the rejection is a 422 `Response`, moved once: boxing it would allocate
fn run_typed_async<'r, 'a, I: Input>(
    req: &'r Request<'a>,
    handler: ErasedFn,
) -> Result<HandlerFuture<'r, 'a>, Outcome<'a>> {
    // SAFETY: as in `run_typed`, for a `TypedAsyncHandler<I>`.
    let handler: TypedAsyncHandler<I> = unsafe { std::mem::transmute_copy(&handler.0) };
    validated::<I>(req).map(|value| handler(req, value))
}

type Outcome<'a> = Result<Response<'a>, Error>;

/// The future of an async handler, living in the invocation's arena. Only the pipeline polls
/// it: it is not a `Future` that user code could pin and then leak.
///
/// ```compile_fail,E0599
/// use std::cell::Cell;
/// use lambda_router::{Error, HandlerFuture, Request, Response};
/// async fn slow<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
///     Ok(Response::text(200, "done"))
/// }
/// fn poll_it<'r, 'a>(req: &'r Request<'a>) {
///     let mut future: HandlerFuture<'r, 'a> = req.in_arena(slow(req));
///     let waker = std::task::Waker::noop();
///     // error: `HandlerFuture` is not a future
///     let _ = std::pin::Pin::new(&mut future).poll(&mut std::task::Context::from_waker(waker));
///     std::mem::forget(future);
/// }
/// ```
pub struct HandlerFuture<'r, 'a> {
    future: &'r mut (dyn Future<Output = Outcome<'a>> + 'r),
    /// The workspace's count of pinned futures; `polled` says whether this one is counted.
    pinned: &'r Cell<usize>,
    polled: bool,
}

impl<'a> Request<'a> {
    /// Moves an async handler's future into the invocation's arena: no heap allocation, and
    /// dropped in place when the pipeline is done with it.
    pub fn in_arena<'r, F>(&'r self, future: F) -> HandlerFuture<'r, 'a>
    where
        F: Future<Output = Outcome<'a>> + 'r,
    {
        let future: &'r mut F = self.arena.alloc(future);
        HandlerFuture { future, pinned: self.pinned, polled: false }
    }
}

impl<'a> HandlerFuture<'_, 'a> {
    /// Polls the handler's future: the pipeline's alone (see the module's INVARIANT).
    pub(crate) fn poll_in_pipeline(&mut self, cx: &mut Context<'_>) -> Poll<Outcome<'a>> {
        if !self.polled {
            // Counted before the first poll pins it, uncounted only after its destructor ran.
            self.polled = true;
            self.pinned.set(self.pinned.get() + 1);
        }
        // SAFETY: the future sits in the arena, which does not move it; this handle holds the
        // only reference to it and never moves it out. Its memory is not reused before
        // `drop_in_place` below: the handle borrows the arena (no reset while it lives), and a
        // leaked handle stays counted in `pinned`, which makes the next reset leak the arena.
        let pinned = unsafe { Pin::new_unchecked(&mut *self.future) };
        pinned.poll(cx)
    }
}

impl Drop for HandlerFuture<'_, '_> {
    fn drop(&mut self) {
        // SAFETY: the arena never runs destructors, so the future's runs here, once: this is
        // the only handle to it, and nothing reads it afterwards (the arena memory is reclaimed
        // at the next reset, untouched).
        unsafe { std::ptr::drop_in_place(self.future as *mut (dyn Future<Output = Outcome<'_>> + '_)) }
        // Only now may its memory be reused (a destructor that panicked leaves it counted).
        if self.polled {
            self.pinned.set(self.pinned.get().saturating_sub(1));
        }
    }
}

impl std::fmt::Debug for HandlerFuture<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HandlerFuture").field("polled", &self.polled).finish_non_exhaustive()
    }
}

/// Polls a future, turning a panic during a poll into an error (the future is not polled
/// again). The pipeline wraps async handlers in it, the Lambda layer the whole invocation.
pub(crate) struct CatchUnwind<F>(pub(crate) F);

impl<F: Future + Unpin> Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let future = &mut self.0;
        match catch_unwind(AssertUnwindSafe(|| Pin::new(&mut *future).poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

#[cfg(test)]
mod tests {
    //! The INVARIANT above, tested where it could break: a pipeline future leaked while its
    //! handler is suspended, and a handler that panics while its future is pinned.

    use std::future::Future;
    use std::pin::Pin;
    use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
    use std::task::{Context, Poll, Waker};

    use crate::{App, Error, LambdaContext, Request, Response, Route, Router, Workspace};

    /// Suspends once, as a future waiting on I/O would.
    struct YieldOnce(bool);

    impl Future for YieldOnce {
        type Output = ();

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if std::mem::replace(&mut self.0, true) {
                return Poll::Ready(());
            }
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    const CANARY_BYTE: u8 = 0xA5;
    const CANARY_LEN: usize = 256;
    static CANARY: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
    static DROPPED: AtomicBool = AtomicBool::new(false);

    /// Keeps a canary in its own state, in the arena, across an await.
    async fn waits<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
        let canary = [CANARY_BYTE; CANARY_LEN];
        CANARY.store(canary.as_ptr().cast_mut(), Ordering::SeqCst);
        YieldOnce(false).await;
        std::hint::black_box(&canary);
        Ok(Response::text(200, "waited"))
    }

    struct SetOnDrop;

    impl Drop for SetOnDrop {
        fn drop(&mut self) {
            DROPPED.store(true, Ordering::SeqCst);
        }
    }

    async fn panics_after_waiting<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
        let guard = SetOnDrop;
        YieldOnce(false).await;
        std::hint::black_box(&guard);
        panic!("resumed, then panicked")
    }

    /// Writes over the first 16 KB of the arena below the payload.
    fn fills<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
        std::hint::black_box(req.arena().alloc_slice_fill_copy(16 * 1024, 0u8));
        Ok(Response::text(200, "filled"))
    }

    fn app() -> App {
        let router = Router::builder()
            .push(Route::get_async("/wait", |req| req.in_arena(waits(req))))
            .push(Route::get_async("/panic", |req| req.in_arena(panics_after_waiting(req))))
            .push(Route::get("/fill", fills))
            .build()
            .expect("routes");
        App::with_router(router)
    }

    fn event(path: &str) -> Vec<u8> {
        format!(r#"{{"httpMethod":"GET","path":"{path}","headers":{{}},"requestContext":{{"stage":"prod"}}}}"#)
            .into_bytes()
    }

    #[test]
    fn a_pipeline_future_leaked_mid_await_leaks_its_arena_instead_of_reusing_it() {
        let app = app();
        let mut workspace = Workspace::new();
        let wait = event("/wait");
        {
            let mut pipeline = Box::pin(app.handle_async(&mut workspace, &wait, &LambdaContext::LOCAL));
            let polled = pipeline.as_mut().poll(&mut Context::from_waker(Waker::noop()));
            assert!(polled.is_pending(), "the handler suspended");
            // Safe code may do this: the handler's future stays pinned in the arena, never dropped.
            std::mem::forget(pipeline);
        }
        assert_eq!(workspace.pinned_futures(), 1);
        let canary = CANARY.load(Ordering::SeqCst);
        assert!(!canary.is_null());
        let response = app.handle(&mut workspace, &event("/fill"), &LambdaContext::LOCAL).expect("an event");
        assert!(std::str::from_utf8(response).unwrap().contains("filled"));
        assert_eq!(workspace.pinned_futures(), 0, "the next invocation starts from a fresh arena");
        // SAFETY: `canary` points into the leaked future's state, in the arena that was leaked,
        // never freed nor reused: reading it is reading live memory. Had the arena been reset,
        // `/fill` would have zeroed it (the test's point).
        let bytes = unsafe { std::slice::from_raw_parts(canary, CANARY_LEN) };
        assert!(bytes.iter().all(|&b| b == CANARY_BYTE), "the pinned future's memory was reused");
        // And the workspace keeps working.
        let again = app.handle(&mut workspace, &wait, &LambdaContext::LOCAL).expect("an event");
        assert!(std::str::from_utf8(again).unwrap().contains("waited"));
        assert_eq!(workspace.pinned_futures(), 0);
    }

    #[test]
    fn a_handler_that_panics_while_pinned_is_dropped_before_the_arena_resets() {
        let app = app();
        let mut workspace = Workspace::new();
        let response = app.handle(&mut workspace, &event("/panic"), &LambdaContext::LOCAL).expect("an event");
        assert!(std::str::from_utf8(response).unwrap().contains("\"statusCode\":500"));
        assert!(DROPPED.load(Ordering::SeqCst), "the future's destructor ran");
        assert_eq!(workspace.pinned_futures(), 0);
    }
}
