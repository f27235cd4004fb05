//! Cold-start measurement, the peer: lambda_http + axum, the router built at start-up as axum
//! users build it, with `ROUTES` routes (10 by default; the same shapes as lambda-router's
//! `cold_start_*` examples). `benches/cold_start.sh` runs it.

use axum::routing::get;

async fn hello() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({"message": "hello universe"}))
}

fn router(count: usize) -> axum::Router {
    let mut router = axum::Router::new().route("/hello", get(hello));
    for i in 1..count {
        router = router.route(&format!("/r{}/{{id}}/x{i}", i % 97), get(hello));
    }
    router
}

fn main() -> Result<(), lambda_http::Error> {
    let count = std::env::var("ROUTES").ok().and_then(|n| n.parse().ok()).unwrap_or(10);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(lambda_http::run(router(count)))
}
