//! Inside Lambda: `lambda_runtime` polls the Runtime API; a tower layer hands the raw
//! invocation bytes to `App::handle` and the response bytes back, without deserializing the
//! event into owned types first.
//!
//! Copies per invocation: the runtime reads the payload into `Bytes` (1); `App::handle` copies
//! it once into the arena, where simd-json parses in place (2); the response bytes go into a
//! `String` for the `RawValue` the runtime accepts (3); the runtime's `serde_json::to_vec`
//! copies the `RawValue` into the request body (4), without re-escaping. (1) and (4) belong to
//! `lambda_runtime`, which has no raw-bytes API; (3) is the price of its response type.
//!
//! lambda_runtime catches panics only below this layer, in the (trivial) inner handler, so
//! the layer catches its own: a panic answers that invocation with an error and the process
//! keeps serving. (Handler panics never get that far: `App` answers them with a 500.)
//!
//! One invocation at a time: with the `concurrency` feature and `AWS_LAMBDA_MAX_CONCURRENCY`
//! above 1, the invocations are served by `invocations`, a thread per slot. Without the feature,
//! one at a time whatever Lambda asks (lambda_runtime warns at start when it asks for more).
//! The workspace (arena, buffers) is taken from a pool and returned: the pool holds the one the
//! warm-up readies, and never more than one.
//!
//! Cold start: while the runtime waits for the answer to its first `/next`, the idle thread
//! readies the first invocation's workspace and runs the pipeline's code once (`warm_up`), so
//! that the first event does not also pay for faulting in memory and fetching cold code.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use lambda_runtime::tower::{Layer, Service};
use lambda_runtime::{Diagnostic, LambdaEvent, LambdaInvocation, Runtime, service_fn};
use serde_json::value::RawValue;

use super::{INVALID_EVENT, PANICKED};
use crate::handler::CatchUnwind;
use crate::request::LambdaContext;
use crate::{App, Workspace};

type Outcome = Result<Box<RawValue>, Diagnostic>;

tokio::task_local! {
    /// The outcome of the invocation being posted, set by the layer for the inner handler.
    static OUTCOME: RefCell<Option<Outcome>>;
}

/// The app and a pool of workspaces: the one the invocations take in turn, readied by the
/// warm-up (a second only when the warm-up lands during an invocation).
struct Shared {
    app: App,
    pool: Mutex<Vec<Workspace>>,
}

#[derive(Clone)]
struct RawLayer(Arc<Shared>);

impl<S> Layer<S> for RawLayer {
    type Service = RawService<S>;

    fn layer(&self, inner: S) -> RawService<S> {
        RawService { shared: self.0.clone(), inner }
    }
}

#[derive(Clone)]
struct RawService<S> {
    shared: Arc<Shared>,
    inner: S,
}

impl<S> Service<LambdaInvocation> for RawService<S>
where
    S: Service<LambdaInvocation> + Clone + 'static,
    S::Future: 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = CurrentThread<Pin<Box<dyn Future<Output = Result<S::Response, S::Error>>>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut invocation: LambdaInvocation) -> Self::Future {
        // The service that was polled ready is the one that posts (tower's clone-and-swap).
        let ready = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, ready);
        let shared = self.shared.clone();
        // Boxed as it is made, and only the box is wrapped: the invocation's state machine is
        // about 3 KB (the pipeline's future and the posting's), and wrapping it by value copied
        // it through the stack once more (the runtime loop's frame was 9.5 KB, now 6.8 KB).
        let work = Box::pin(async move {
            let outcome = CatchUnwind(std::pin::pin!(handle(&shared, &invocation))).await.unwrap_or_else(|_| {
                Err(Diagnostic { error_type: PANICKED.0.into(), error_message: PANICKED.1.into() })
            });
            // The inner handler gets a trivial event and posts the outcome.
            invocation.body = bytes::Bytes::from_static(b"null");
            OUTCOME.scope(RefCell::new(Some(outcome)), inner.call(invocation)).await
        });
        CurrentThread::new(work)
    }
}

/// A future that is only ever polled and dropped on the thread that made it.
///
/// The pipeline's future borrows the workspace's arena and whatever a handler's future holds
/// (which need not be `Send`), so it is not `Send`; lambda_runtime asks for `Send` because a
/// multi-thread runtime could move it. `serve` runs a current-thread runtime, which never
/// moves a task, but that is a fact about the caller, which safe code elsewhere could change
/// (another runtime flavour, a `spawn` onto another runtime). So the wrapper checks instead of
/// trusting: polled on another thread it panics before touching the inner future, and dropped
/// on another thread it leaks the inner future rather than run its destructor there.
///
/// INVARIANT: the inner future is accessed (polled or dropped) on `owner` only.
struct CurrentThread<F> {
    owner: std::thread::ThreadId,
    inner: std::mem::ManuallyDrop<F>,
}

impl<F> CurrentThread<F> {
    fn new(inner: F) -> CurrentThread<F> {
        CurrentThread { owner: std::thread::current().id(), inner: std::mem::ManuallyDrop::new(inner) }
    }
}

// SAFETY: the only access to the non-`Send` inner future is through `poll` and `drop`, and both
// check that they run on `owner` (the INVARIANT above); moving the wrapper itself to another
// thread moves no access with it.
unsafe impl<F> Send for CurrentThread<F> {}

impl<F: Future> Future for CurrentThread<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        assert!(
            std::thread::current().id() == self.owner,
            "lambda-router: an invocation was polled on another thread than the one that started it; \
             run lambda_router on a current-thread tokio runtime"
        );
        // SAFETY: structural pinning of `inner`: it is never moved out of `self` (Drop drops
        // it in place or leaks it), and this runs on `owner` (checked above).
        unsafe { self.map_unchecked_mut(|wrapper| &mut *wrapper.inner) }.poll(cx)
    }
}

impl<F> Drop for CurrentThread<F> {
    fn drop(&mut self) {
        if std::thread::current().id() == self.owner {
            // SAFETY: dropped once, here, on `owner`; `inner` is not used afterwards.
            unsafe { std::mem::ManuallyDrop::drop(&mut self.inner) }
        }
        // On another thread the inner future is leaked: never dropped, never reused.
    }
}

async fn handle(shared: &Shared, invocation: &LambdaInvocation) -> Outcome {
    let mut workspace = shared.pool.lock().ok().and_then(|mut pool| pool.pop()).unwrap_or_default();
    let lambda = &invocation.context;
    let config = &lambda.env_config;
    let context = LambdaContext {
        request_id: &lambda.request_id,
        deadline_ms: lambda.deadline,
        function_arn: &lambda.invoked_function_arn,
        xray_trace_id: lambda.xray_trace_id.as_deref(),
        function_name: &config.function_name,
        function_version: &config.version,
        memory_mb: u32::try_from(config.memory).unwrap_or(0),
        log_group: &config.log_group,
        log_stream: &config.log_stream,
    };
    let outcome = match shared.app.handle_async(&mut workspace, &invocation.body, &context).await {
        Ok(bytes) => {
            // The response is UTF-8 (text comes from `&str`, binary bodies go out as base64), so
            // the lossy repair never runs; std's check reads a word at a time where
            // `from_utf8_lossy` reads a byte at a time (4,000 instructions on hello's 441 bytes).
            let text = String::from_utf8(bytes.to_vec())
                .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned());
            // SAFETY: `App::handle` writes exactly one JSON object, with no whitespace around
            // it (see `response::encode`), which is all `from_string_unchecked` requires.
            Ok(unsafe { RawValue::from_string_unchecked(text) })
        }
        Err(error) => Err(Diagnostic { error_type: INVALID_EVENT.into(), error_message: error.to_string() }),
    };
    if let Ok(mut pool) = shared.pool.lock() {
        pool.push(workspace);
    }
    outcome
}

async fn post_outcome(_: LambdaEvent<()>) -> Outcome {
    OUTCOME.with(|outcome| outcome.borrow_mut().take()).unwrap_or_else(|| {
        Err(Diagnostic { error_type: "LambdaRouter.Internal".into(), error_message: "no outcome".into() })
    })
}

/// Serves invocations until the runtime stops. A current-thread tokio runtime: it reaches
/// the first `/next` sooner than a multi-thread one and opens one connection.
pub(super) fn serve(#[allow(unused_mut)] mut app: App) -> Result<(), lambda_runtime::Error> {
    #[cfg(feature = "graceful-shutdown")]
    let shutdown = app.shutdown.take();
    let shared = Arc::new(Shared { app, pool: Mutex::new(Vec::new()) });
    let mut builder = tokio::runtime::Builder::new_current_thread();
    builder.enable_all();
    if super::warm_up_from_env() {
        let parks = AtomicUsize::new(0);
        let warmed = shared.clone();
        builder.on_thread_park(move || {
            if parks.fetch_add(1, Ordering::Relaxed) == FIRST_EVENT_PARK {
                warm_up(&warmed);
            }
        });
    }
    let runtime = builder.build()?;
    // Before the first `/next`: the extension must register in the Init phase.
    #[cfg(feature = "graceful-shutdown")]
    if let Some(hook) = shutdown {
        runtime.block_on(lambda_runtime::spawn_graceful_shutdown_handler(hook));
    }
    let lambda = Runtime::new(service_fn(post_outcome)).layer(RawLayer(shared));
    // Without the feature, lambda_runtime logs a warning when Lambda asks for more than one
    // invocation at a time, and serves them one after the other. With it, this loop serves
    // only `AWS_LAMBDA_MAX_CONCURRENCY` 1 or unset (`run_concurrent` then runs sequentially,
    // and takes a `1` without the warning `run` gives).
    #[cfg(feature = "concurrency")]
    return runtime.block_on(lambda.run_concurrent());
    #[cfg(not(feature = "concurrency"))]
    runtime.block_on(lambda.run())
}

/// The runtime's park that waits for the first event: its first park waits for the connection
/// to the Runtime API (a TCP connect completes asynchronously, even on loopback), its second
/// for the answer to the first `/next`, which it has just sent (`perf trace`: the warm-up's
/// page faults come between the `/next`'s `writev` and the `epoll_wait` for its answer).
/// Elsewhere it lands on another park, harmlessly: with a host name in
/// `AWS_LAMBDA_RUNTIME_API` (one more park, for the lookup) before the `/next`, on the critical
/// path; under SnapStart, during `/restore/next`, before the snapshot; with several
/// connections (`AWS_LAMBDA_MAX_CONCURRENCY`), on one of their connects.
const FIRST_EVENT_PARK: usize = 1;

/// Readies a workspace for the first invocation while the runtime waits for it.
///
/// Between sending its first `/next` and the Runtime API's answer, the process has nothing to
/// do. That time goes to what the first invocation would otherwise pay for on the clock: the
/// workspace's memory faulted in, the parse, routing and encoding code paged in and cached
/// (`App::warm_up`, which runs no user code). Should the event arrive meanwhile, it waits for
/// work it would mostly have done itself. Should that park come after the first invocation
/// (a connection made without parking), the pool already holds a workspace and nothing is
/// done; during one (an async handler waiting), the pool gains a second workspace. A panic
/// here (a bug) leaves the pool as it was and the runtime unharmed.
fn warm_up(shared: &Shared) {
    // Nothing unwinds into tokio's park: not a bug of the warm-up, nor a panic of a subscriber
    // the program installed, which the debug line below calls.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if shared.pool.lock().map_or(true, |pool| !pool.is_empty()) {
            return;
        }
        let started = std::time::Instant::now();
        let mut workspace = Workspace::new();
        if !shared.app.warm_up(&mut workspace) {
            return;
        }
        let pooled = shared.pool.lock().is_ok_and(|mut pool| {
            let empty = pool.is_empty();
            if empty {
                pool.push(workspace);
            }
            empty
        });
        if pooled {
            let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
            tracing::debug!(micros, "warmed up while waiting for the first event");
        }
    }));
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::Pin;
    use std::rc::Rc;
    use std::task::{Context, Poll, Waker};

    use super::{CurrentThread, Shared, warm_up};
    use crate::Workspace;
    use crate::testing::TestRequest;
    use crate::{App, Cors, Error, LambdaContext, Next, Request, Response, Route, Router, ServiceError};

    /// How many times user code ran: handlers, middleware, error, not-found and catch-all
    /// handlers, the serializer.
    static USER_CODE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    fn ran() {
        USER_CODE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    fn everything<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
        ran();
        req.json_response(&[req.path()])
    }

    #[crate::middleware]
    async fn counts<'r, 'a>(_: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error> {
        ran();
        next.run().await
    }

    /// An app whose every hook counts, with a route matching every GET path (the warm-up's
    /// too), compressed.
    fn hooked() -> App {
        hooked_with_default_serializer().serializer(|value, out| {
            ran();
            serde_json::to_writer(out, &value).map_err(|e| e.to_string())
        })
    }

    /// The same, with the library's own serializer: the warm-up's 404 is serialized.
    fn hooked_with_default_serializer() -> App {
        let router = Router::builder().push(Route::get("/{proxy+}", everything).compress()).build().unwrap();
        App::with_router(router)
            .cors(Cors::default())
            .middleware(&[counts])
            .not_found(|_| {
                ran();
                Response::text(404, "user")
            })
            .error_handler::<ServiceError>(|_, _| {
                ran();
                Response::text(500, "user")
            })
            .catch_all(|_, _| {
                ran();
                Response::text(500, "user")
            })
    }

    #[test]
    fn the_warm_up_runs_no_user_code_and_leaves_a_ready_workspace_in_the_pool() {
        let plain = Shared { app: hooked_with_default_serializer(), pool: std::sync::Mutex::new(Vec::new()) };
        warm_up(&plain);
        assert_eq!(plain.pool.lock().unwrap().len(), 1, "a warmed workspace in the pool");
        let shared = Shared { app: hooked(), pool: std::sync::Mutex::new(Vec::new()) };
        warm_up(&shared);
        assert_eq!(USER_CODE.load(std::sync::atomic::Ordering::SeqCst), 0, "no user code ran");
        let mut warmed = shared.pool.lock().unwrap().pop().expect("a warmed workspace in the pool");
        assert!(warmed.out().is_empty(), "nothing left in the output");
        assert_eq!(warmed.pinned_futures(), 0);
        assert!(!warmed.gzip_started(), "no compressor made for a function that may never compress");
        // The first invocation on it answers exactly as on a fresh workspace, user code included.
        let event = TestRequest::get("/hello").header("Origin", "https://example.com").rest_v1().to_bytes();
        let app = &shared.app;
        let answer = app.handle(&mut warmed, &event, &LambdaContext::LOCAL).unwrap().to_vec();
        let fresh = app.handle(&mut Workspace::new(), &event, &LambdaContext::LOCAL).unwrap().to_vec();
        assert_eq!(String::from_utf8(answer).unwrap(), String::from_utf8(fresh).unwrap());
        assert!(USER_CODE.load(std::sync::atomic::Ordering::SeqCst) >= 4, "the hooks count when they run");
        // A second warm-up leaves the pool alone when it already holds a workspace.
        shared.pool.lock().unwrap().push(warmed);
        warm_up(&shared);
        assert_eq!(shared.pool.lock().unwrap().len(), 1);
    }

    /// A future holding an `Rc` (not `Send`), counting polls and drops through it.
    struct Local(Rc<std::cell::Cell<u32>>);

    impl Future for Local {
        type Output = ();

        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
            self.0.set(self.0.get() + 1);
            Poll::Pending
        }
    }

    #[test]
    fn the_wrapped_future_is_never_touched_on_another_thread() {
        let polls = Rc::new(std::cell::Cell::new(0));
        let mut here = Box::pin(CurrentThread::new(Local(polls.clone())));
        let _ = here.as_mut().poll(&mut Context::from_waker(Waker::noop()));
        assert_eq!(polls.get(), 1);
        assert_eq!(Rc::strong_count(&polls), 2);
        // Moved to another thread (as a multi-thread runtime would move a task): polling
        // panics without touching the `Rc`, and dropping there leaks instead of decrementing
        // the `Rc`'s count from the wrong thread.
        let moved = std::thread::spawn(move || {
            let polled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let _ = here.as_mut().poll(&mut Context::from_waker(Waker::noop()));
            }));
            drop(here);
            polled.is_err()
        });
        assert!(moved.join().unwrap(), "polling on another thread panics");
        assert_eq!(polls.get(), 1, "the inner future was not polled there");
        assert_eq!(Rc::strong_count(&polls), 2, "nor dropped there: leaked");
        // On its own thread it is dropped normally.
        drop(Box::pin(CurrentThread::new(Local(polls.clone()))));
        assert_eq!(Rc::strong_count(&polls), 2);
    }
}
