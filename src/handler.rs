//! Handlers, sync and async, and the arena-allocated future an async handler returns.
//!
//! All the unsafe code of the crate's request path is here: an async handler's future is
//! moved into the invocation's arena (no heap allocation), pinned there, and dropped in place
//! when the handle goes away. INVARIANT: a [`HandlerFuture`] is the only way to reach its
//! future, and the arena is not reset while the handle lives (it borrows the arena).

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::Error;
use crate::event::Request;
use crate::response::Response;

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

/// A route's handler.
#[derive(Clone, Copy)]
pub enum Handler {
    /// Runs to completion when called.
    Sync(SyncHandler),
    /// Returns a future the pipeline awaits.
    Async(AsyncHandler),
}

impl std::fmt::Debug for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Handler::Sync(_) => "Handler::Sync",
            Handler::Async(_) => "Handler::Async",
        })
    }
}

type Outcome<'a> = Result<Response<'a>, Error>;

/// The future of an async handler, living in the invocation's arena.
pub struct HandlerFuture<'r, 'a> {
    future: &'r mut (dyn Future<Output = Outcome<'a>> + 'r),
}

impl<'a> Request<'a> {
    /// Moves an async handler's future into the invocation's arena: no heap allocation, and
    /// dropped in place when the pipeline is done with it.
    pub fn in_arena<'r, F>(&'r self, future: F) -> HandlerFuture<'r, 'a>
    where
        F: Future<Output = Outcome<'a>> + 'r,
    {
        let future: &'r mut F = self.arena.alloc(future);
        HandlerFuture { future }
    }
}

impl<'a> Future for HandlerFuture<'_, 'a> {
    type Output = Outcome<'a>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Outcome<'a>> {
        // SAFETY: the future sits in the arena, which does not move or free it while this
        // handle borrows the arena; the handle holds the only reference to it and never moves
        // it out (see the module's INVARIANT). So it stays pinned at one address until
        // `drop_in_place` below.
        let pinned = unsafe { Pin::new_unchecked(&mut *self.get_mut().future) };
        pinned.poll(cx)
    }
}

impl Drop for HandlerFuture<'_, '_> {
    fn drop(&mut self) {
        // SAFETY: the arena never runs destructors, so the future's runs here, once: this is
        // the only handle to it, and nothing reads it afterwards (the arena memory is reclaimed
        // at the next reset, untouched).
        unsafe { std::ptr::drop_in_place(self.future as *mut (dyn Future<Output = Outcome<'_>> + '_)) }
    }
}

impl std::fmt::Debug for HandlerFuture<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HandlerFuture")
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
