//! The arena's INVARIANT, tested where it could break: a future suspended in the arena when its
//! pipeline future is dropped, leaked, or unwound by a panic, and a workspace dropped under a
//! leaked one. Each test has statics of its own: tests run in parallel.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::task::{Context, Poll, Waker};

use crate::{App, Error, LambdaContext, Next, Request, Response, Route, Router, Workspace, middleware};

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

/// Sets its flag when dropped.
struct SetOnDrop(&'static AtomicBool);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

const CANARY_BYTE: u8 = 0xA5;
const CANARY_LEN: usize = 256;
static CANARY: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());

/// Keeps a canary in its own state, in the arena, across an await.
async fn waits<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    let canary = [CANARY_BYTE; CANARY_LEN];
    CANARY.store(canary.as_ptr().cast_mut(), Ordering::SeqCst);
    YieldOnce(false).await;
    std::hint::black_box(&canary);
    Ok(Response::text(200, "waited"))
}

static PANICKED_GUARD: AtomicBool = AtomicBool::new(false);

async fn panics_after_waiting<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    let guard = SetOnDrop(&PANICKED_GUARD);
    YieldOnce(false).await;
    std::hint::black_box(&guard);
    panic!("resumed, then panicked")
}

static HANDLER_GUARD: AtomicBool = AtomicBool::new(false);

/// Suspends for ever, holding a guard: only the destructor of its future drops the guard.
async fn suspended<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    let guard = SetOnDrop(&HANDLER_GUARD);
    std::future::pending::<()>().await;
    std::hint::black_box(&guard);
    Ok(Response::text(200, "never"))
}

static MIDDLEWARE_GUARD: AtomicBool = AtomicBool::new(false);
static INNER_GUARD: AtomicBool = AtomicBool::new(false);

/// A middleware suspended for ever before it calls `next`, holding a guard.
#[middleware]
async fn stalls<'r, 'a>(_: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    let guard = SetOnDrop(&MIDDLEWARE_GUARD);
    std::future::pending::<()>().await;
    std::hint::black_box(&guard);
    next.run().await
}

/// A middleware that calls `next` and holds a guard across it.
#[middleware]
async fn around<'r, 'a>(_: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
    let guard = SetOnDrop(&INNER_GUARD);
    let response = next.run().await;
    std::hint::black_box(&guard);
    response
}

static AROUND_HANDLER_GUARD: AtomicBool = AtomicBool::new(false);

async fn suspended_inside<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    let guard = SetOnDrop(&AROUND_HANDLER_GUARD);
    std::future::pending::<()>().await;
    std::hint::black_box(&guard);
    Ok(Response::text(200, "never"))
}

/// Writes over the first 16 KB of the arena below the payload.
fn fills<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    std::hint::black_box(req.arena().alloc_slice_fill_copy(16 * 1024, 0u8));
    Ok(Response::text(200, "filled"))
}

fn app() -> App {
    let router = Router::builder()
        .push(Route::get("/wait", waits))
        .push(Route::get("/panic", panics_after_waiting))
        .push(Route::get("/suspended", suspended))
        .push(Route::get("/stalls", suspended).middleware(&[stalls]))
        .push(Route::get("/around", suspended_inside).middleware(&[around]))
        .push(Route::get("/fill", fills))
        .build()
        .expect("routes");
    App::with_router(router)
}

fn event(path: &str) -> Vec<u8> {
    format!(r#"{{"httpMethod":"GET","path":"{path}","headers":{{}},"requestContext":{{"stage":"prod"}}}}"#).into_bytes()
}

/// Polls the pipeline for `path` once and hands it back, suspended.
fn suspend<'w>(
    app: &'w App,
    workspace: &'w mut Workspace,
    input: &'w [u8],
) -> Pin<Box<impl Future<Output = Result<&'w [u8], crate::EventError>> + 'w>> {
    let mut pipeline = Box::pin(app.handle_async(workspace, input, &LambdaContext::LOCAL));
    let polled = pipeline.as_mut().poll(&mut Context::from_waker(Waker::noop()));
    assert!(polled.is_pending(), "the handler suspended");
    pipeline
}

#[test]
fn dropping_a_suspended_pipeline_future_runs_the_handlers_destructor_in_place() {
    let app = app();
    let mut workspace = Workspace::new();
    let input = event("/suspended");
    let pipeline = suspend(&app, &mut workspace, &input);
    assert!(!HANDLER_GUARD.load(Ordering::SeqCst));
    // Nothing unwinds here: only the arena future's `drop_in_place` can run the guard's
    // destructor (remove that line from `ArenaFuture::drop` and this fails).
    drop(pipeline);
    assert!(HANDLER_GUARD.load(Ordering::SeqCst), "the suspended handler's future was dropped in place");
    assert_eq!(workspace.pinned_futures(), 0, "uncounted after its destructor ran");
    let response = app.handle(&mut workspace, &event("/fill"), &LambdaContext::LOCAL).expect("an event");
    assert!(std::str::from_utf8(response).unwrap().contains("filled"));
}

#[test]
fn dropping_a_suspended_middleware_future_runs_its_destructor_in_place() {
    let app = app();
    let mut workspace = Workspace::new();
    let input = event("/stalls");
    let pipeline = suspend(&app, &mut workspace, &input);
    drop(pipeline);
    assert!(MIDDLEWARE_GUARD.load(Ordering::SeqCst), "the suspended middleware's future was dropped in place");
    assert_eq!(workspace.pinned_futures(), 0);

    // A middleware suspended in `next`, around a suspended handler: both futures are dropped,
    // both uncounted.
    let input = event("/around");
    let pipeline = suspend(&app, &mut workspace, &input);
    drop(pipeline);
    assert!(INNER_GUARD.load(Ordering::SeqCst), "the middleware's future was dropped in place");
    assert!(AROUND_HANDLER_GUARD.load(Ordering::SeqCst), "the handler's future inside it too");
    assert_eq!(workspace.pinned_futures(), 0);
}

#[test]
fn a_pipeline_future_leaked_mid_await_leaks_its_arena_instead_of_reusing_it() {
    let app = app();
    let mut workspace = Workspace::new();
    let wait = event("/wait");
    // Safe code may do this: the handler's future stays pinned in the arena, never dropped.
    std::mem::forget(suspend(&app, &mut workspace, &wait));
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
    assert!(PANICKED_GUARD.load(Ordering::SeqCst), "the future's state was dropped");
    assert_eq!(workspace.pinned_futures(), 0);
}

#[test]
fn an_arena_with_a_pinned_future_is_leaked_when_dropped_and_freed_otherwise() {
    let mut arena = super::Arena::new();
    let future = super::in_arena(&arena, async { Ok::<_, Error>(Response::new(200)) });
    drop(future);
    assert_eq!(arena.pinned(), 0, "an unpolled future is never counted");
    arena.reset();
    let mut future = super::in_arena(&arena, std::future::pending::<Result<Response<'static>, Error>>());
    assert!(future.poll(&mut Context::from_waker(Waker::noop())).is_pending());
    std::mem::forget(future);
    assert_eq!(arena.pinned(), 1);
    // Dropped with a future pinned: its chunks are leaked (an ASan or leak-checker run of
    // `tests/soundness.rs` shows the difference), not freed.
    drop(arena);
}
