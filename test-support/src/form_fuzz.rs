//! The form fuzz target's checks, shared with `cargo test` (`tests/fuzz_regressions.rs`):
//! arbitrary bytes as the url-encoded body of the contract app's `POST /signup` and the
//! multipart body of its `POST /upload`, for every source, base64 or not, short or large enough
//! to be lifted out of the event before parsing (`event::lift`).
//!
//! The input: a first byte of choices (bit 0: the route; bits 1-2: the source; bit 3: base64;
//! bit 4: padded past 8 KiB; bit 5: no boundary), then, for the upload, the boundary up to the
//! first `\n` (at most 70 bytes), then the body.
//!
//! What must hold, for any input: the answer is 200, 400 (a body that cannot be decoded, no
//! boundary), 415 or 422, never a panic or a 500; a 422 lists errors under `body` of known
//! types (the app's error handler writes `loc` and `type`); a 200 from the upload reports a
//! size no larger than the body.

use base64_simd::STANDARD;
use lambda_router::{App, LambdaContext, Workspace};
use serde_json::{Value, json};

/// The error types a form's 422 may name.
const TYPES: &[&str] = &[
    "missing",
    "int_parsing",
    "int_parsing_size",
    "int_from_float",
    "int_type",
    "bool_parsing",
    "bool_type",
    "string_type",
    "string_too_short",
    "string_too_long",
    "string_pattern_mismatch",
    "string_unicode",
    "greater_than_equal",
    "json_invalid",
    "bytes_type",
    "model_attributes_type",
];

/// The event for `data` (see the module's notes), and whether it is an upload, and the body's
/// length.
pub fn event(data: &[u8]) -> (Vec<u8>, bool, usize) {
    let Some((&choices, rest)) = data.split_first() else {
        return (Vec::new(), false, 0);
    };
    let upload = choices & 1 == 1;
    let (content_type, body) = if upload {
        let (boundary, body) = match rest.iter().position(|&b| b == b'\n') {
            Some(at) if at <= 70 => (&rest[..at], &rest[at + 1..]),
            _ => (&b"fuzz"[..], rest),
        };
        let boundary = String::from_utf8_lossy(boundary).replace(['"', '\r'], "");
        let content_type = if choices & 32 == 0 {
            format!("multipart/form-data; boundary={boundary}")
        } else {
            "multipart/form-data".to_owned()
        };
        (content_type, body.to_vec())
    } else {
        ("application/x-www-form-urlencoded".to_owned(), rest.to_vec())
    };
    let mut body = body;
    if choices & 16 != 0 {
        body.resize(body.len() + 9 * 1024, b'x');
    }
    let len = body.len();
    let base64 = choices & 8 != 0 || std::str::from_utf8(&body).is_err();
    let text = if base64 { STANDARD.encode_to_string(&body) } else { String::from_utf8_lossy(&body).into_owned() };
    let path = if upload { "/upload" } else { "/signup" };
    let event = match (choices >> 1) & 3 {
        0 => json!({
            "resource": path, "path": path, "httpMethod": "POST",
            "headers": {"Content-Type": content_type}, "multiValueHeaders": {"Content-Type": [content_type]},
            "requestContext": {"resourcePath": path, "httpMethod": "POST", "stage": "prod"},
            "body": text, "isBase64Encoded": base64,
        }),
        1 => json!({
            "version": "2.0", "rawPath": path, "rawQueryString": "",
            "headers": {"content-type": content_type},
            "requestContext": {"http": {"method": "POST", "path": path}, "requestId": "fuzz", "stage": "$default"},
            "body": text, "isBase64Encoded": base64,
        }),
        2 => json!({
            "httpMethod": "POST", "path": path, "headers": {"content-type": content_type},
            "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:fuzz"}},
            "body": text, "isBase64Encoded": base64,
        }),
        _ => json!({
            "httpMethod": "POST", "path": path, "multiValueHeaders": {"content-type": [content_type]},
            "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:fuzz"}},
            "body": text, "isBase64Encoded": base64,
        }),
    };
    (serde_json::to_vec(&event).expect("serializes"), upload, len)
}

/// Runs `data` (see the module's notes) through the contract app and checks the answer.
pub fn run(app: &App, workspace: &mut Workspace, data: &[u8]) {
    let (event, upload, len) = event(data);
    if event.is_empty() {
        return;
    }
    let bytes = app.handle(workspace, &event, &LambdaContext::LOCAL).expect("a supported event");
    let response: Value = serde_json::from_slice(bytes).expect("the response is JSON");
    let status = response["statusCode"].as_u64().expect("a status");
    let body: Value = response["body"].as_str().and_then(|b| serde_json::from_str(b).ok()).unwrap_or(Value::Null);
    match status {
        200 if upload => {
            let size = body["size"].as_u64().expect("the upload's size");
            assert!(size as usize <= len, "a file of {size} bytes from a body of {len}");
        }
        200 | 400 | 415 => {}
        422 => {
            let detail = body["detail"].as_array().expect("a detail array");
            assert!(!detail.is_empty(), "a 422 names an error");
            for error in detail {
                assert_eq!(error["loc"][0], json!("body"), "{error}");
                assert!(TYPES.contains(&error["type"].as_str().unwrap_or_default()), "{error}");
            }
        }
        other => panic!("status {other}: {body} for {:?}", String::from_utf8_lossy(data)),
    }
}
