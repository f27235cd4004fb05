//! The typed-body fuzz target's checks, shared with `cargo test` (`tests/fuzz_regressions.rs`):
//! arbitrary bytes as the body of the validation app's typed routes.
//!
//! What must hold, for any body:
//! - the answer is 200, 400 (a body that cannot be decoded) or 422, never a panic or a 500;
//! - a 422 lists at least one error, each with a `loc` under `body` and a known `type`;
//! - a 200 for `POST /orders` echoes an order that validates again to the same echo: parsing and
//!   validation are idempotent on their own output.

use base64_simd::STANDARD;
use lambda_router::{App, LambdaContext, Workspace};
use serde_json::{Value, json};

/// The error types a 422 may name.
const TYPES: &[&str] = &[
    "missing",
    "int_parsing",
    "int_parsing_size",
    "int_from_float",
    "int_type",
    "finite_number",
    "float_parsing",
    "float_type",
    "bool_parsing",
    "bool_type",
    "string_type",
    "string_too_short",
    "string_too_long",
    "too_short",
    "too_long",
    "list_type",
    "model_attributes_type",
    "literal_error",
    "greater_than",
    "greater_than_equal",
    "less_than",
    "less_than_equal",
    "json_invalid",
];

/// An HTTP API v2 event with `body`: as text when it is UTF-8, else base64.
fn event(method: &str, path: &str, body: &[u8]) -> Vec<u8> {
    let (body, base64) = match std::str::from_utf8(body) {
        Ok(text) => (text.to_owned(), false),
        Err(_) => (STANDARD.encode_to_string(body), true),
    };
    serde_json::to_vec(&json!({
        "version": "2.0",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "requestContext": {"http": {"method": method, "path": path}, "requestId": "fuzz", "stage": "$default"},
        "body": body,
        "isBase64Encoded": base64,
    }))
    .expect("serializes")
}

/// Status and parsed body of one invocation.
fn invoke(app: &App, workspace: &mut Workspace, input: &[u8]) -> (u64, Value) {
    let bytes = app.handle(workspace, input, &LambdaContext::LOCAL).expect("a supported event");
    let response: Value = serde_json::from_slice(bytes).expect("the response is JSON");
    let status = response["statusCode"].as_u64().expect("a status");
    let body = response["body"].as_str().and_then(|b| serde_json::from_str(b).ok()).unwrap_or(Value::Null);
    (status, body)
}

fn check_422(body: &Value) {
    assert_eq!(body["statusCode"], json!(422), "{body}");
    let detail = body["detail"].as_array().expect("a detail array");
    assert!(!detail.is_empty(), "a 422 names an error");
    for error in detail {
        assert_eq!(error["loc"][0], json!("body"), "{error}");
        assert!(TYPES.contains(&error["type"].as_str().unwrap_or_default()), "{error}");
    }
}

/// Runs `body` through `POST /orders` and `PUT /todos/7`.
pub fn run(app: &App, workspace: &mut Workspace, body: &[u8]) {
    for (method, path) in [("POST", "/orders"), ("PUT", "/todos/7")] {
        let (status, answer) = invoke(app, workspace, &event(method, path, body));
        match status {
            200 if path == "/orders" => {
                let again = serde_json::to_vec(&answer).expect("serializes");
                let (status, echoed) = invoke(app, workspace, &event(method, path, &again));
                assert_eq!((status, &echoed), (200, &answer), "the echo validates to itself");
            }
            200 | 400 => {}
            422 => check_422(&answer),
            other => panic!("{method} {path}: status {other} for {:?}", String::from_utf8_lossy(body)),
        }
    }
}
