//! A function with a shutdown hook (lambda-router's `graceful-shutdown` feature). `GET /hello`
//! counts its invocations in memory, as a telemetry buffer would; when Lambda sends SIGTERM the
//! hook flushes the count (here, a line on stdout) before the process exits.

use std::sync::atomic::{AtomicU64, Ordering};

use lambda_router::{App, Error, Request, Response, Route, Router};

/// What a telemetry exporter would hold until it flushes.
static SERVED: AtomicU64 = AtomicU64::new(0);

fn hello<'a>(_: &Request<'a>) -> Result<Response<'a>, Error> {
    SERVED.fetch_add(1, Ordering::Relaxed);
    Ok(Response::text(200, "hello"))
}

fn main() {
    let router = Router::builder().push(Route::get("/hello", hello)).build().expect("a valid table");
    let app = App::with_router(router).on_shutdown(|| async {
        // An async flush: an exporter's last batch over the network, say.
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        println!("flushed: {} invocations served", SERVED.load(Ordering::Relaxed));
    });
    std::process::exit(lambda_router::run(app));
}
