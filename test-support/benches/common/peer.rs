//! The peer of the pipeline benchmark, as Rust users run it today: `lambda_http` 1.x with an
//! axum router serving the same 60 routes. One invocation follows `lambda_http::run`'s own
//! path without the network: deserialize `LambdaRequest` from the bytes, convert it to
//! `http::Request`, call the axum router as a tower service (through `lambda_http::Adapter`,
//! the service `run` wraps the router in), convert the response back to the source's
//! `LambdaResponse`, serialize it to bytes.

use std::future::Future;

use axum::Json;
use axum::extract::Path;
use axum::routing::{get, post};
use lambda_http::lambda_runtime::{Context, LambdaEvent};
use lambda_http::request::LambdaRequest;
use lambda_http::tower::Service;

use test_support::pipeline::data::{Found, ITEMS, Item, Message, OwnedOrder};

async fn hello() -> Json<Message<'static>> {
    Json(Message { message: "hello universe" })
}

async fn hello_name(Path(name): Path<String>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "message": format!("hello {name}") }))
}

async fn echo(Json(order): Json<OwnedOrder>) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "id": order.id,
        "customer": order.customer,
        "total_cents": order.total_cents,
        "items": order.items,
        "city": order.address.city,
    }))
}

async fn compressed() -> Json<&'static [Item]> {
    Json(&ITEMS[..])
}

async fn filler(Path(id): Path<String>) -> Json<serde_json::Value> {
    Json(serde_json::to_value(Found { id: &id }).unwrap_or_default())
}

/// A middleware that does nothing but call the rest of the chain.
async fn pass(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    next.run(request).await
}

/// The axum router, built as axum users build it at start-up.
pub fn router() -> axum::Router {
    let mut router = axum::Router::new()
        .route("/hello", get(hello))
        .route("/hello/{name}", get(hello_name))
        .route("/echo", post(echo))
        .route("/compressed", get(compressed).layer(tower_http::compression::CompressionLayer::new()));
    for i in 0..56 {
        router = router.route(&format!("/v1/resource{i}/{{id}}/sub"), get(filler));
    }
    router
}

/// One invocation of the peer, bytes in, bytes out.
pub struct Peer {
    adapter: lambda_http::Adapter<'static, axum::response::Response, axum::Router>,
}

impl Peer {
    /// The peer app. Sets `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH`, as axum users behind a REST
    /// API stage do (lambda_http otherwise routes `/prod/hello`): call it before any thread
    /// starts.
    pub fn new() -> Peer {
        // SAFETY: called at the start of a benchmark's `main`-level setup, before the process
        // starts any thread that could read the environment concurrently.
        unsafe { std::env::set_var("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true") };
        Peer { adapter: lambda_http::Adapter::from(router()) }
    }

    /// Another axum router behind the same adapter.
    pub fn with_router(router: axum::Router) -> Peer {
        let mut peer = Peer::new();
        peer.adapter = lambda_http::Adapter::from(router);
        peer
    }

    /// The peer app with three no-op `axum::middleware::from_fn` layers around the router.
    pub fn with_middleware() -> Peer {
        let mut peer = Peer::new();
        let router = router()
            .layer(axum::middleware::from_fn(pass))
            .layer(axum::middleware::from_fn(pass))
            .layer(axum::middleware::from_fn(pass));
        peer.adapter = lambda_http::Adapter::from(router);
        peer
    }

    pub fn invoke(&mut self, input: &[u8]) -> Vec<u8> {
        let request: LambdaRequest = serde_json::from_slice(input).expect("lambda_http reads the event");
        let event = LambdaEvent::new(request, Context::default());
        let response = block_on(self.adapter.call(event)).expect("axum answers");
        serde_json::to_vec(&response).expect("the response serializes")
    }
}

/// Polls to completion with a no-op waker: nothing here waits on I/O.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}
