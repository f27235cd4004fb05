//! A typed body parsed and validated: POST `/orders` with the SPEC's `Order` (3 items), valid
//! and with three errors, through the whole pipeline on both sides, in the same run.
//!
//! lambda-router: the validation example (`#[derive(Model)]`, `Route::post_with`), the body read
//! from simd-json's tape into borrowed fields, every error located, the order echoed. The peer:
//! `lambda_http` + axum 0.8 with `Json<Order>` (serde) and garde's derive carrying the same
//! constraints, answering 422 with garde's report, or the order echoed. Each iteration is
//! event bytes in, response bytes out, as in `benches/pipeline.rs`.
//!
//! Run: `cargo bench -p test-support --bench typed`.

mod common;

use std::hint::black_box;

use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use common::{peer, scenarios};
use criterion::{Criterion, criterion_group, criterion_main};
use garde::Validate;
use lambda_router::{LambdaContext, Workspace};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize, Validate)]
struct Item {
    #[garde(length(chars, min = 1, max = 16))]
    sku: String,
    #[garde(range(min = 1, max = 1000))]
    qty: i64,
    #[garde(custom(positive))]
    price: f64,
}

fn positive(value: &f64, _: &()) -> garde::Result {
    if *value > 0.0 { Ok(()) } else { Err(garde::Error::new("must be greater than 0")) }
}

#[derive(Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
enum Priority {
    #[default]
    Low,
    High,
}

#[derive(Deserialize, Serialize, Validate)]
struct Order {
    #[garde(length(chars, min = 1))]
    customer: String,
    #[garde(length(min = 1), dive)]
    items: Vec<Item>,
    #[garde(skip)]
    note: Option<String>,
    #[garde(skip)]
    #[serde(default)]
    priority: Priority,
}

async fn create_order(body: Result<axum::Json<Order>, JsonRejection>) -> Response {
    let order = match body {
        Ok(axum::Json(order)) => order,
        Err(rejection) => return rejection.into_response(),
    };
    match order.validate() {
        Ok(()) => axum::Json(order).into_response(),
        Err(report) => {
            let detail: Vec<serde_json::Value> = report
                .iter()
                .map(|(path, error)| serde_json::json!({"loc": path.to_string(), "msg": error.to_string()}))
                .collect();
            (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(serde_json::json!({"detail": detail}))).into_response()
        }
    }
}

fn status_of(response: &[u8]) -> u64 {
    let value: serde_json::Value = serde_json::from_slice(response).expect("a JSON response");
    value["statusCode"].as_u64().unwrap_or(0)
}

fn bench(c: &mut Criterion) {
    let app = validation::app();
    let mut workspace = Workspace::new();
    let mut peer = peer::Peer::with_router(axum::Router::new().route("/orders", post(create_order)));
    let valid = r#"{"customer":"Ada Lovelace","items":[{"sku":"A-1","qty":2,"price":9.5},{"sku":"B-22","qty":1,"price":120.0},{"sku":"C-333","qty":10,"price":0.25}],"note":"leave at the door","priority":"high"}"#;
    let invalid = r#"{"customer":"Ada Lovelace","items":[{"sku":"","qty":2,"price":9.5},{"sku":"B-22","qty":0,"price":120.0},{"sku":"C-333","qty":10,"price":0}],"note":null,"priority":"low"}"#;
    for (name, body, status) in [("valid", valid, 200), ("422", invalid, 422)] {
        let event = scenarios::rest_v1("POST", "/orders", Some(body), &[("Content-Type", "application/json")]);
        let ours = app.handle(&mut workspace, &event, &LambdaContext::LOCAL).expect("a supported event").to_vec();
        assert_eq!(status_of(&ours), status, "lambda-router {name}: {}", String::from_utf8_lossy(&ours));
        let theirs = peer.invoke(&event);
        assert_eq!(status_of(&theirs), status, "peer {name}: {}", String::from_utf8_lossy(&theirs));
        let mut group = c.benchmark_group(format!("typed body: rest-v1 POST /orders, 3 items, {name}"));
        group.bench_function("lambda-router", |b| {
            b.iter(|| {
                let response = app.handle(&mut workspace, black_box(&event), &LambdaContext::LOCAL).expect("handled");
                black_box(response.len())
            })
        });
        group.bench_function("lambda_http+axum+garde", |b| b.iter(|| black_box(peer.invoke(black_box(&event)).len())));
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
