//! Issue #21, finding 1: a `Workspace` dropped (or replaced) while a pipeline future that was
//! leaked mid-await still has a handler's future pinned in its arena. The handler waits on a
//! `tokio::sync::Notify` shared through `App::state`, so the waiter node is linked into the
//! `Notify` from the arena. No `unsafe` here: every step is safe code.

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Waker};

use lambda_router::{App, Error, LambdaContext, Request, Response, Route, Router, Workspace};
use tokio::sync::Notify;

async fn waits<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let notify: &Arc<Notify> = req.state().expect("the app shares a Notify");
    notify.notified().await;
    Ok(Response::text(200, "notified"))
}

/// A streamed body whose producer waits on the `Notify` after its first chunk: in a buffered
/// function the pipeline gathers it, from a tail future that lives in the arena too.
async fn streams_then_waits<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let notify: &'a Arc<Notify> = req.state().expect("the app shares a Notify");
    Ok(Response::new(200).with_body(req.stream(move |out| async move {
        out.write(b"first").await?;
        notify.notified().await;
        out.write(b"second").await?;
        Ok(())
    })))
}

fn app(notify: Arc<Notify>) -> App {
    let router = Router::builder()
        .push(Route::get("/wait", waits))
        .push(Route::get("/stream", streams_then_waits))
        .build()
        .unwrap();
    App::with_router(router).state(notify)
}

const EVENT: &[u8] = br#"{"httpMethod":"GET","path":"/wait","headers":{},"requestContext":{"stage":"prod"}}"#;
const STREAM_EVENT: &[u8] = br#"{"httpMethod":"GET","path":"/stream","headers":{},"requestContext":{"stage":"prod"}}"#;

/// Polls the pipeline once (the handler parks its waiter in the `Notify`), then forgets it.
fn leak_a_pinned_waiter(app: &App, workspace: &mut Workspace) {
    leak_pinned(app, workspace, EVENT);
}

fn leak_pinned(app: &App, workspace: &mut Workspace, event: &[u8]) {
    let mut pipeline = Box::pin(app.handle_async(workspace, event, &LambdaContext::LOCAL));
    assert!(pipeline.as_mut().poll(&mut Context::from_waker(Waker::noop())).is_pending());
    std::mem::forget(pipeline);
}

/// Reuses freed memory, as the rest of a process would.
fn churn() {
    let blocks: Vec<Vec<u8>> = (0..256).map(|i| vec![i as u8; 4096 + i * 64]).collect();
    std::hint::black_box(&blocks);
}

#[test]
fn dropping_a_workspace_under_a_leaked_pinned_future_keeps_its_memory() {
    let notify = Arc::new(Notify::new());
    let app = app(notify.clone());
    let mut workspace = Workspace::new();
    leak_a_pinned_waiter(&app, &mut workspace);
    drop(workspace);
    churn();
    // The waiter node lives in the dropped workspace's arena: this walks and writes it.
    notify.notify_waiters();
}

#[test]
fn replacing_a_workspace_under_a_leaked_pinned_future_keeps_its_memory() {
    let notify = Arc::new(Notify::new());
    let app = app(notify.clone());
    let mut workspace = Workspace::new();
    leak_a_pinned_waiter(&app, &mut workspace);
    let old = std::mem::replace(&mut workspace, Workspace::new());
    drop(old);
    churn();
    notify.notify_waiters();
    // The new workspace serves as ever.
    let response = app.handle(&mut workspace, b"{}", &LambdaContext::LOCAL);
    assert!(response.is_err());
}

#[test]
fn dropping_a_workspace_under_a_leaked_gathering_of_a_stream_keeps_its_memory() {
    let notify = Arc::new(Notify::new());
    let app = app(notify.clone());
    let mut workspace = Workspace::new();
    leak_pinned(&app, &mut workspace, STREAM_EVENT);
    drop(workspace);
    churn();
    notify.notify_waiters();
}
