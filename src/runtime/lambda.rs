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
//! keeps serving.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use lambda_runtime::tower::{Layer, Service};
use lambda_runtime::{Diagnostic, LambdaEvent, LambdaInvocation, Runtime, service_fn};
use serde_json::value::RawValue;
use tokio::task::futures::TaskLocalFuture;

use crate::event::LambdaContext;
use crate::{App, Workspace};

type Outcome = Result<Box<RawValue>, Diagnostic>;

tokio::task_local! {
    /// The outcome of the invocation being posted, set by the layer for the inner handler.
    static OUTCOME: RefCell<Option<Outcome>>;
}

/// The app and a pool of workspaces: one per invocation in flight (several when
/// `AWS_LAMBDA_MAX_CONCURRENCY` > 1), reused afterwards.
struct Shared {
    app: App,
    pool: Mutex<Vec<Workspace>>,
}

#[derive(Clone)]
struct RawLayer(Arc<Shared>);

impl<S> Layer<S> for RawLayer {
    type Service = RawService<S>;

    fn layer(&self, inner: S) -> RawService<S> {
        RawService {
            shared: self.0.clone(),
            inner,
        }
    }
}

#[derive(Clone)]
struct RawService<S> {
    shared: Arc<Shared>,
    inner: S,
}

impl<S: Service<LambdaInvocation>> Service<LambdaInvocation> for RawService<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = TaskLocalFuture<RefCell<Option<Outcome>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut invocation: LambdaInvocation) -> Self::Future {
        let outcome = catch_unwind(AssertUnwindSafe(|| handle(&self.shared, &invocation)))
            .unwrap_or_else(|_| {
                Err(Diagnostic {
                    error_type: "LambdaRouter.Panic".into(),
                    error_message: "the invocation panicked".into(),
                })
            });
        // The inner handler gets a trivial event and posts the outcome.
        invocation.body = bytes::Bytes::from_static(b"null");
        OUTCOME.scope(RefCell::new(Some(outcome)), self.inner.call(invocation))
    }
}

fn handle(shared: &Shared, invocation: &LambdaInvocation) -> Outcome {
    let mut workspace = shared
        .pool
        .lock()
        .ok()
        .and_then(|mut pool| pool.pop())
        .unwrap_or_default();
    let context = LambdaContext {
        request_id: &invocation.context.request_id,
        deadline_ms: invocation.context.deadline,
        function_arn: &invocation.context.invoked_function_arn,
    };
    let outcome = match shared
        .app
        .handle(&mut workspace, &invocation.body, &context)
    {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            // SAFETY: `App::handle` writes exactly one JSON object, with no whitespace around
            // it (see `response::encode`), which is all `from_string_unchecked` requires.
            Ok(unsafe { RawValue::from_string_unchecked(text) })
        }
        Err(error) => Err(Diagnostic {
            error_type: "LambdaRouter.InvalidEvent".into(),
            error_message: error.to_string(),
        }),
    };
    if let Ok(mut pool) = shared.pool.lock() {
        pool.push(workspace);
    }
    outcome
}

async fn post_outcome(_: LambdaEvent<()>) -> Outcome {
    OUTCOME
        .with(|outcome| outcome.borrow_mut().take())
        .unwrap_or_else(|| {
            Err(Diagnostic {
                error_type: "LambdaRouter.Internal".into(),
                error_message: "no outcome".into(),
            })
        })
}

/// Serves invocations until the runtime stops. A current-thread tokio runtime: it reaches
/// the first `/next` sooner than a multi-thread one and opens one connection.
pub(super) fn serve(app: App) -> Result<(), lambda_runtime::Error> {
    let shared = Arc::new(Shared {
        app,
        pool: Mutex::new(Vec::new()),
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(
        Runtime::new(service_fn(post_outcome))
            .layer(RawLayer(shared))
            .run_concurrent(),
    )
}
