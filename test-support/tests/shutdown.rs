//! `App::on_shutdown` with the process and a real signal: the shutdown example is started
//! against a Runtime API (and Extensions API) emulator, registers its no-op extension in the
//! Init phase (Lambda sends SIGTERM only to functions with one), answers two invocations, then
//! gets SIGTERM: its async hook runs (it flushes the count of invocations to stdout) and the
//! process exits with 0.

mod common;

use std::collections::VecDeque;
use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;

#[derive(Default)]
struct State {
    queue: VecDeque<(String, Vec<u8>)>,
    registered: Vec<String>,
    responses: Vec<String>,
}

async fn route(
    state: Arc<Mutex<State>>,
    request: hyper::Request<hyper::body::Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let path = request.uri().path().to_owned();
    if path == "/2020-01-01/extension/register" {
        let name = request.headers().get("Lambda-Extension-Name").map(|v| v.to_str().unwrap_or("").to_owned());
        state.lock().unwrap().registered.push(name.unwrap_or_default());
        return hyper::Response::builder()
            .header("Lambda-Extension-Identifier", "ext-1")
            .body(Full::new(Bytes::from_static(
                br#"{"functionName":"shutdown","functionVersion":"$LATEST","handler":"bootstrap"}"#,
            )))
            .unwrap();
    }
    if path == "/2020-01-01/extension/event/next" {
        // No event ever: the extension's idle long poll.
        std::future::pending::<()>().await;
    }
    if path.ends_with("/invocation/next") {
        let next = loop {
            if let Some(next) = state.lock().unwrap().queue.pop_front() {
                break next;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        };
        return hyper::Response::builder()
            .header("Lambda-Runtime-Aws-Request-Id", &next.0)
            .header("Lambda-Runtime-Deadline-Ms", "9999999999999")
            .header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:shutdown")
            .body(Full::new(Bytes::from(next.1)))
            .unwrap();
    }
    let body = request.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    state.lock().unwrap().responses.push(String::from_utf8_lossy(&body).into_owned());
    hyper::Response::builder().status(202).body(Full::new(Bytes::new())).unwrap()
}

fn event() -> Vec<u8> {
    br#"{"httpMethod":"GET","path":"/hello","headers":{},"requestContext":{"stage":"prod","requestId":"r"},"body":null,"isBase64Encoded":false}"#.to_vec()
}

#[test]
fn sigterm_runs_the_shutdown_hook_and_exits_cleanly() {
    // One invocation at a time (through `lambda_runtime`), then four at once (a thread per slot,
    // the hook on the main thread): the same binary path built two ways, so one after the other.
    shutdown_after_two_invocations(&common::deployed_binary("shutdown"), None);
    shutdown_after_two_invocations(&common::binary_with("shutdown", &["concurrency"]), Some(4));
}

fn shutdown_after_two_invocations(binary: &std::path::Path, concurrency: Option<u32>) {
    let state = Arc::new(Mutex::new(State::default()));
    let (_runtime, port) =
        common::serve_http(state.clone(), |state, request| async move { Ok(route(state, request).await) });
    let mut command = Command::new(binary);
    if let Some(slots) = concurrency {
        command.env("AWS_LAMBDA_MAX_CONCURRENCY", slots.to_string());
    }
    let mut child = command
        .env("AWS_LAMBDA_RUNTIME_API", format!("127.0.0.1:{port}"))
        .env("AWS_LAMBDA_FUNCTION_NAME", "shutdown")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_LEVEL", "ERROR")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the shutdown example starts");
    for id in ["one", "two"] {
        state.lock().unwrap().queue.push_back((id.to_owned(), event()));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while state.lock().unwrap().responses.len() < 2 {
        assert!(Instant::now() < deadline, "two answers within 30 s");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(state.lock().unwrap().registered, ["_lambda-rust-runtime-no-op-graceful-shutdown-helper"]);
    let sent = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill runs");
    assert!(sent.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "the process exits after SIGTERM");
        std::thread::sleep(Duration::from_millis(2));
    };
    let mut stdout = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    println!(
        "concurrency {concurrency:?}, after SIGTERM ({:.1} ms): exit {status}, stdout {stdout:?}",
        started.elapsed().as_secs_f64() * 1e3
    );
    assert!(status.success(), "{status}");
    assert_eq!(stdout, "flushed: 2 invocations served\n");
}
