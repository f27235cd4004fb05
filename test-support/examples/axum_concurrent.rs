//! The peer of the concurrency measurement: lambda_http + axum behind
//! `lambda_http::run_concurrent`, wrapped as its users must. `run_concurrent` wants a `Clone +
//! Send` service whose response is `Send + Sync`, and axum's body is not `Sync`: the wrapper
//! runs the router and copies each body into a `lambda_http::Body`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::routing::get;
use http_body_util::BodyExt;
use tower::{Service, ServiceExt};

async fn hello() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({"message": "hello universe"}))
}

/// An axum router as `run_concurrent` accepts it: each response's body copied out.
#[derive(Clone)]
struct Buffered(axum::Router);

impl Service<lambda_http::Request> for Buffered {
    type Response = lambda_http::Response<lambda_http::Body>;
    type Error = lambda_http::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: lambda_http::Request) -> Self::Future {
        let router = self.0.clone();
        Box::pin(async move {
            let request = request.map(axum::body::Body::new);
            let response = router.oneshot(request).await?;
            let (parts, body) = response.into_parts();
            let bytes = body.collect().await?.to_bytes();
            Ok(lambda_http::Response::from_parts(parts, lambda_http::Body::from(bytes.to_vec())))
        })
    }
}

fn main() -> Result<(), lambda_http::Error> {
    let router = axum::Router::new().route("/hello", get(hello));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(lambda_http::run_concurrent(Buffered(router)))
}
