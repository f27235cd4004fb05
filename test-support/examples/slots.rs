//! A function for the isolation tests at concurrency (`tests/runtime_e2e.rs`), built with
//! lambda-router's `concurrency` feature, so that `AWS_LAMBDA_MAX_CONCURRENCY` above 1 serves
//! that many invocations at once:
//!
//! - `GET /burn/<ms>` computes for that many milliseconds without awaiting, as a handler that
//!   parses, hashes or renders does;
//! - `GET /whoami/<n>` answers the invocation's request id and trace id, read from its context
//!   before and after awaiting a 1 ms timer (other invocations run meanwhile), and `n`;
//! - `GET /wait/<ms>` awaits a timer of that many milliseconds, then answers `ms`;
//! - `GET /boom/<n>` panics after awaiting a 1 ms timer (other invocations run meanwhile);
//! - `GET /spawn/<ms>` and `GET /spawn-local/<ms>` answer at once and leave a task on the
//!   runtime (`tokio::spawn`, `tokio::task::spawn_local`) that waits `ms` milliseconds, then
//!   prints `spawn <ms>` (or `spawn-local <ms>`) on standard output.

use std::time::{Duration, Instant};

use lambda_router::{App, Error, Request, Response, Route, Router};
use serde::Serialize;

/// The route's `<ms>`, 0 when it is not a number.
fn millis(req: &Request<'_>) -> u64 {
    req.param("ms").unwrap_or("0").parse().unwrap_or(0)
}

fn burn<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let ms = millis(req);
    let until = Instant::now() + Duration::from_millis(ms);
    let mut spins = 0u64;
    while Instant::now() < until {
        spins = std::hint::black_box(spins.wrapping_add(1));
    }
    req.json_response(&ms)
}

#[derive(Serialize)]
struct Whoami<'a> {
    n: &'a str,
    request_id: &'a str,
    xray_trace_id: Option<&'a str>,
    after_await: (&'a str, Option<&'a str>),
}

async fn whoami<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let before = req.lambda_context();
    let (request_id, xray_trace_id) = (before.request_id, before.xray_trace_id);
    tokio::time::sleep(Duration::from_millis(1)).await;
    let after = req.lambda_context();
    req.json_response(&Whoami {
        n: req.param("n").unwrap_or(""),
        request_id,
        xray_trace_id,
        after_await: (after.request_id, after.xray_trace_id),
    })
}

async fn wait<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let ms = millis(req);
    tokio::time::sleep(Duration::from_millis(ms)).await;
    req.json_response(&ms)
}

async fn boom<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    tokio::time::sleep(Duration::from_millis(1)).await;
    panic!("boom {}", req.param("n").unwrap_or(""));
}

async fn later(kind: &'static str, ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    println!("{kind} {ms}");
}

fn spawn<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let ms = millis(req);
    tokio::spawn(later("spawn", ms));
    req.json_response(&ms)
}

fn spawn_local<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    let ms = millis(req);
    tokio::task::spawn_local(later("spawn-local", ms));
    req.json_response(&ms)
}

fn main() {
    let router = Router::builder()
        .push(Route::get("/burn/<ms>", burn))
        .push(Route::get("/whoami/<n>", whoami))
        .push(Route::get("/wait/<ms>", wait))
        .push(Route::get("/boom/<n>", boom))
        .push(Route::get("/spawn/<ms>", spawn))
        .push(Route::get("/spawn-local/<ms>", spawn_local))
        .build()
        .expect("the routes are valid");
    std::process::exit(lambda_router::run(App::with_router(router)));
}
