//! The peer of the typed-body benchmarks: axum 0.8's `Json<Order>` (serde) with garde's
//! derive carrying the SPEC's constraints, behind `lambda_http`; and the events both sides get.

use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use garde::Validate;
use serde::{Deserialize, Serialize};

use super::{peer::Peer, scenarios};

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

/// The peer app: `POST /orders` only.
pub fn peer() -> Peer {
    Peer::with_router(axum::Router::new().route("/orders", post(create_order)))
}

/// REST v1 `POST /orders` with a 3-item order: `(name, event, status)`, valid and with three
/// errors.
pub fn events() -> Vec<(&'static str, Vec<u8>, u64)> {
    let valid = r#"{"customer":"Ada Lovelace","items":[{"sku":"A-1","qty":2,"price":9.5},{"sku":"B-22","qty":1,"price":120.0},{"sku":"C-333","qty":10,"price":0.25}],"note":"leave at the door","priority":"high"}"#;
    let invalid = r#"{"customer":"Ada Lovelace","items":[{"sku":"","qty":2,"price":9.5},{"sku":"B-22","qty":0,"price":120.0},{"sku":"C-333","qty":10,"price":0}],"note":null,"priority":"low"}"#;
    let json = [("Content-Type", "application/json")];
    vec![
        ("typed body: POST /orders, 3 items, valid", scenarios::rest_v1("POST", "/orders", Some(valid), &json), 200),
        ("typed body: POST /orders, 3 items, 422", scenarios::rest_v1("POST", "/orders", Some(invalid), &json), 422),
    ]
}
