//! The streaming peer: lambda_http + axum through `lambda_http::run_with_streaming_response`,
//! the streaming example's routes written as axum users write them: `GET /chat` server-sent
//! events (`axum::response::sse`, token i due at start + i·delay, as in ours), `GET /export` a
//! CSV body from a stream, `GET /hello` JSON. `tests/streaming_runtime.rs` measures both.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::Uri;
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream};

/// A query parameter as a number, or its default.
fn number(uri: &Uri, name: &str, default: u64) -> u64 {
    uri.query()
        .into_iter()
        .flat_map(|query| query.split('&'))
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(default)
}

async fn chat(uri: Uri) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let tokens = number(&uri, "tokens", 5);
    let delay = Duration::from_millis(number(&uri, "delay_ms", 50));
    let start = tokio::time::Instant::now();
    Sse::new(stream::unfold(0u64, move |i| async move {
        if i >= tokens {
            return None;
        }
        if i > 0 {
            tokio::time::sleep_until(start + delay * i as u32).await;
        }
        Some((Ok(Event::default().data(format!("token-{i}"))), i + 1))
    }))
}

async fn export(uri: Uri) -> Response {
    let rows = number(&uri, "rows", 1000);
    let body = stream::iter((0..rows).map(|i| Ok::<_, Infallible>(Bytes::from(format!("{i},row-{i},{}\n", 7 * i)))));
    ([("content-type", "text/csv")], Body::from_stream(body)).into_response()
}

async fn hello() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({"message": "hello, streaming"}))
}

fn main() -> Result<(), lambda_http::Error> {
    let router =
        axum::Router::new().route("/chat", get(chat)).route("/export", get(export)).route("/hello", get(hello));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(lambda_http::run_with_streaming_response(router))
}
