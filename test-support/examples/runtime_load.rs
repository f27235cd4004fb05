//! A Lambda Runtime API that hands one event to many pollers at once, as fast as it can, and
//! checks every answer: the load generator of the concurrency measurement (issue #25).
//!
//! `runtime_load FUNCTION_BINARY EVENT_FILE EXPECTED_BODY_FILE CONCURRENCY INVOCATIONS`
//! starts the function with `AWS_LAMBDA_RUNTIME_API` pointing here and
//! `AWS_LAMBDA_MAX_CONCURRENCY=CONCURRENCY`, hands out INVOCATIONS copies of the event (request
//! ids `r-0`, `r-1`, ...), and checks that each answer's body is the expected one, that none is
//! lost or answered twice. It prints one JSON line: wall time, the function's CPU time (user +
//! system, from `/proc`), invocations per second of wall time and per CPU-second of the
//! function (requests per second per core), and the function's RSS sampled every 5% of the run.
//!
//! The generator runs on one thread of its own; the function gets the rest of the machine.

use std::collections::VecDeque;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;

struct State {
    event: Bytes,
    expected: Bytes,
    total: usize,
    handed: AtomicUsize,
    answered: AtomicUsize,
    wrong: AtomicUsize,
    duplicate: AtomicUsize,
    seen: Mutex<Vec<bool>>,
    /// Pollers waiting once every event was handed out (they are never answered).
    idle: AtomicU64,
    errors: Mutex<VecDeque<String>>,
}

async fn route(state: Arc<State>, request: hyper::Request<hyper::body::Incoming>) -> hyper::Response<Full<Bytes>> {
    let path = request.uri().path();
    if path.ends_with("/invocation/next") {
        let index = state.handed.fetch_add(1, Ordering::Relaxed);
        if index >= state.total {
            state.idle.fetch_add(1, Ordering::Relaxed);
            std::future::pending::<()>().await;
        }
        return hyper::Response::builder()
            .header("Lambda-Runtime-Aws-Request-Id", format!("r-{index}"))
            .header("Lambda-Runtime-Deadline-Ms", "9999999999999")
            .header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:load")
            .header("Lambda-Runtime-Trace-Id", format!("Root=1-00000000-{index:024x};Sampled=0"))
            .body(Full::new(state.event.clone()))
            .unwrap();
    }
    // /2018-06-01/runtime/invocation/r-N/response or /error
    let index: Option<usize> = path.split('/').nth(4).and_then(|id| id.strip_prefix("r-")).and_then(|n| n.parse().ok());
    let is_error = path.ends_with("/error");
    let body = request.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    match index {
        Some(index) if index < state.total => {
            let first = !std::mem::replace(&mut state.seen.lock().unwrap()[index], true);
            if !first {
                state.duplicate.fetch_add(1, Ordering::Relaxed);
            }
            if is_error || !answer_matches(&body, &state.expected) {
                state.wrong.fetch_add(1, Ordering::Relaxed);
                let mut errors = state.errors.lock().unwrap();
                if errors.len() < 3 {
                    errors.push_back(String::from_utf8_lossy(&body).into_owned());
                }
            }
            state.answered.fetch_add(1, Ordering::Relaxed);
        }
        _ => {
            state.wrong.fetch_add(1, Ordering::Relaxed);
        }
    }
    hyper::Response::builder().status(202).body(Full::new(Bytes::new())).unwrap()
}

/// The answer's `body` field (a Lambda HTTP response) is the expected text.
fn answer_matches(answer: &[u8], expected: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(answer)
        .ok()
        .and_then(|value| value["body"].as_str().map(|body| body.as_bytes() == expected))
        .unwrap_or(false)
}

/// The process's CPU time (user + system) in seconds, and its RSS in KiB.
fn usage(pid: u32) -> (f64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    // SAFETY: sysconf with a valid name; it reads a constant and touches no memory of ours.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let cpu = (ticks(11) + ticks(12)) as f64 / hz;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:")?.trim().strip_suffix(" kB")?.trim().parse().ok())
        .unwrap_or(0);
    (cpu, rss)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [binary, event, expected, concurrency, invocations] = &args[..] else {
        eprintln!("usage: runtime_load FUNCTION_BINARY EVENT_FILE EXPECTED_BODY_FILE CONCURRENCY INVOCATIONS");
        std::process::exit(2);
    };
    let total: usize = invocations.parse().expect("a number of invocations");
    let state = Arc::new(State {
        event: Bytes::from(std::fs::read(event).expect("the event file")),
        expected: Bytes::from(std::fs::read(expected).expect("the expected body file")),
        total,
        handed: AtomicUsize::new(0),
        answered: AtomicUsize::new(0),
        wrong: AtomicUsize::new(0),
        duplicate: AtomicUsize::new(0),
        seen: Mutex::new(vec![false; total]),
        idle: AtomicU64::new(0),
        errors: Mutex::new(VecDeque::new()),
    });
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let port = listener.local_addr().unwrap().port();
    let shared = state.clone();
    let server = std::thread::spawn(move || {
        runtime.block_on(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let _ = stream.set_nodelay(true);
                let state = shared.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let state = state.clone();
                        async move { Ok::<_, std::convert::Infallible>(route(state, request).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        })
    });
    let started = Instant::now();
    let mut child = Command::new(binary)
        .env("AWS_LAMBDA_RUNTIME_API", format!("127.0.0.1:{port}"))
        .env("AWS_LAMBDA_FUNCTION_NAME", "load")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "2048")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_LEVEL", "ERROR")
        .env("AWS_LAMBDA_MAX_CONCURRENCY", concurrency)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the function starts");
    let pid = child.id();
    let mut rss = Vec::new();
    let mut next_sample = 0;
    let deadline = Instant::now() + Duration::from_secs(3600);
    while state.answered.load(Ordering::Relaxed) < total {
        let answered = state.answered.load(Ordering::Relaxed);
        if answered * 20 >= next_sample * total {
            rss.push((answered, usage(pid).1));
            next_sample += 1;
        }
        if Instant::now() > deadline || child.try_wait().ok().flatten().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let wall = started.elapsed().as_secs_f64();
    let (cpu, last_rss) = usage(pid);
    rss.push((state.answered.load(Ordering::Relaxed), last_rss));
    // SIGTERM first, so that a function run under a tool (valgrind) writes its results; SIGKILL
    // after a second if it is still there.
    // SAFETY: `kill` on the child's pid, which `child` has not reaped yet (no `wait` before).
    unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) };
    let stopping =
        Instant::now() + Duration::from_secs(if std::env::var_os("RUNTIME_LOAD_PATIENT").is_some() { 120 } else { 1 });
    while child.try_wait().ok().flatten().is_none() && Instant::now() < stopping {
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
    drop(server);
    let answered = state.answered.load(Ordering::Relaxed);
    let seen = state.seen.lock().unwrap().iter().filter(|s| **s).count();
    let report = serde_json::json!({
        "binary": binary.rsplit('/').next(),
        "concurrency": concurrency.parse::<u32>().unwrap_or(0),
        "invocations": total,
        "answered": answered,
        "lost": total - seen,
        "duplicated": state.duplicate.load(Ordering::Relaxed),
        "wrong": state.wrong.load(Ordering::Relaxed),
        "wall_s": (wall * 1000.0).round() / 1000.0,
        "function_cpu_s": cpu,
        "rps_wall": (answered as f64 / wall).round(),
        "rps_per_core": (answered as f64 / cpu.max(1e-9)).round(),
        "rss_kib": rss,
        "first_errors": state.errors.lock().unwrap().iter().cloned().collect::<Vec<_>>(),
    });
    println!("{report}");
}
