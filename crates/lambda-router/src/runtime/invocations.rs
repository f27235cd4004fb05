//! Invocations served through our own Runtime API client: a streaming function's, and a
//! function's that runs several invocations at once (`AWS_LAMBDA_MAX_CONCURRENCY` above 1,
//! with the `concurrency` feature, as on Lambda Managed Instances).
//!
//! A buffered function's slots, on Linux, are served by a few worker threads that share them
//! (`pool`). A streaming function's slot is a thread (and, elsewhere than Linux, every slot):
//! its own current-thread runtime, its own connection (`client`), its own workspace, and a loop
//! of `/next`, the pipeline, the answer; its handlers write the stream to that connection as
//! they go. A thread per slot lets the kernel schedule a handler that computes for 50 ms
//! without awaiting beside the others, and bounds the memory: exactly one workspace per slot,
//! made before the first `/next`, reused for every invocation of its slot.
//!
//! With one slot (a streaming function asked for one at a time) the loop runs on the calling
//! thread.
//!
//! Unlike `lambda_runtime`'s sequential loop, neither sets `_X_AMZN_TRACE_ID` per invocation:
//! `std::env::set_var` is `unsafe` (edition 2024) because another thread may read the
//! environment meanwhile, which here other slots do. The trace id is the context's
//! (`LambdaContext::xray_trace_id`) and the invocation span's; `lambda_runtime` does not set it
//! either when it runs invocations at once.

use std::io;

use super::client::{Config, Connection};
use super::streaming::Post;
use super::wire::Ids;
use super::{INVALID_EVENT, PANICKED};
use crate::handler::CatchUnwind;
use crate::{App, Workspace};

/// How many invocations Lambda asks for at once: `AWS_LAMBDA_MAX_CONCURRENCY` (1 when unset,
/// unreadable or 0).
pub(super) fn asked_from_env() -> usize {
    std::env::var("AWS_LAMBDA_MAX_CONCURRENCY").ok().and_then(|n| n.trim().parse::<usize>().ok()).unwrap_or(1).max(1)
}

/// How many of them are served at once: all with the `concurrency` feature, one without it.
pub(super) fn slots(asked: usize) -> usize {
    if cfg!(feature = "concurrency") { asked } else { 1 }
}

/// Serves invocations, as many at a time as `slots(asked)`, until the Runtime API goes away.
pub(super) fn serve(#[allow(unused_mut)] mut app: App, asked: usize) -> io::Result<()> {
    #[cfg(feature = "graceful-shutdown")]
    let shutdown = app.shutdown.take();
    let api =
        std::env::var("AWS_LAMBDA_RUNTIME_API").map_err(|_| io::Error::other("AWS_LAMBDA_RUNTIME_API is not set"))?;
    let config = Config::from_env();
    let slots = slots(asked);
    if slots < asked {
        tracing::warn!(
            "AWS_LAMBDA_MAX_CONCURRENCY asks for several invocations at once, but lambda-router was built \
             without its `concurrency` feature: one at a time"
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    // Before the first `/next`: the extension must register in the Init phase. Its task runs on
    // this thread's runtime, polled while this thread serves or waits for the slots.
    #[cfg(feature = "graceful-shutdown")]
    if let Some(hook) = shutdown {
        runtime.block_on(lambda_runtime::spawn_graceful_shutdown_handler(hook));
    }
    if slots == 1 {
        return runtime.block_on(serve_slot(&app, &api, &config, false));
    }
    #[cfg(all(feature = "concurrency", target_os = "linux"))]
    if !app.streaming {
        return super::pool::serve(app, slots, &api, config, &runtime);
    }
    tracing::debug!(slots, "serving streamed invocations at once, a thread and a workspace each");
    let app = &app;
    let (api, config) = (api.as_str(), &config);
    std::thread::scope(|scope| {
        let (ended, mut ends) = tokio::sync::mpsc::unbounded_channel();
        for slot in 0..slots {
            let slot_ended = ended.clone();
            let spawned =
                std::thread::Builder::new().name(format!("lambda-router-{slot}")).spawn_scoped(scope, move || {
                    let served = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .and_then(|runtime| runtime.block_on(serve_slot(app, api, config, true)));
                    if let Err(error) = &served {
                        tracing::error!(slot, "an invocation slot stopped: {error}");
                    }
                    let _ = slot_ended.send(served);
                });
            if let Err(error) = spawned {
                tracing::error!(slot, "cannot start an invocation slot's thread: {error}");
                let _ = ended.send(Err(error));
            }
        }
        drop(ended);
        // The process goes on while any slot does (as `lambda_runtime::run_concurrent`), and
        // reports the first slot's failure when none is left.
        runtime.block_on(async {
            let mut first = Ok(());
            while let Some(served) = ends.recv().await {
                if first.is_ok() {
                    first = served;
                }
            }
            first
        })
    })
}

/// One slot's loop: its connection, its workspace, one invocation at a time.
async fn serve_slot(app: &App, api: &str, config: &Config, warm_up: bool) -> io::Result<()> {
    let mut workspace = Workspace::new();
    // Off the request path (several slots are for instances provisioned ahead of their
    // traffic): each slot's memory faulted in and the pipeline's code run once.
    if warm_up && super::warm_up_from_env() {
        app.warm_up(&mut workspace);
    }
    let mut connection = Connection::open(api).await?;
    let mut event = Vec::new();
    let mut ids = Ids::default();
    loop {
        if let Err(error) = connection.next(&mut event, &mut ids).await {
            // The connection went away between invocations: one new one, once.
            tracing::debug!("reconnecting to the Runtime API: {error}");
            connection = Connection::open(api).await?;
            connection.next(&mut event, &mut ids).await?;
        }
        let context = config.context(&ids);
        let request_id = ids.request_id.as_str();
        let posted = if app.streaming {
            let mut sink = Post { connection: &mut connection, ids: &ids, started: false };
            let handled =
                CatchUnwind(std::pin::pin!(app.handle_streaming(&mut workspace, &event, &context, &mut sink))).await;
            let started = sink.started;
            match handled {
                Ok(Ok(())) if started => connection.read_answer().await,
                Ok(Ok(())) => Ok(()),
                Ok(Err(error)) => connection.post_error(&ids, INVALID_EVENT, &error.to_string()).await,
                // A bug (handlers' panics are answered with a 500 inside the pipeline). Once the
                // stream has started, what was sent of it is unknown: a new connection, on which
                // the Runtime API sees this one end mid-stream.
                Err(_) if started => Err(io::Error::other("the invocation panicked mid-stream")),
                Err(_) => connection.post_error(&ids, PANICKED.0, PANICKED.1).await,
            }
        } else {
            let handled = CatchUnwind(std::pin::pin!(app.handle_async(&mut workspace, &event, &context))).await;
            match handled {
                Ok(Ok(response)) => connection.post_response(&ids, response).await,
                Ok(Err(error)) => connection.post_error(&ids, INVALID_EVENT, &error.to_string()).await,
                Err(_) => connection.post_error(&ids, PANICKED.0, PANICKED.1).await,
            }
        };
        if let Err(error) = posted {
            // The client went away mid-stream (the Runtime API closed the connection), or the
            // answer could not be read: the next invocation gets a new connection.
            tracing::warn!(request_id, "the Runtime API connection ended: {error}");
            connection = Connection::open(api).await?;
        }
    }
}
