//! What the pipeline writes to stderr. Nothing per invocation by default: Lambda writes its
//! own START, END and REPORT lines, and CloudWatch bills every byte. Opt-in:
//!
//! - the access log (`App::access_log`): one JSON line per invocation, written from a buffer
//!   reused across invocations straight to stderr, so it allocates nothing;
//! - debug mode (`App::debug`): the event and the response, whatever the log level, as the
//!   reference prints them (it allocates; it is for debugging).
//!
//! Handler panics are logged through `tracing` at ERROR (rare, and worth an allocation).

use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::request::Request;
use crate::response::encode::{escape_into, write_str, write_u64};

/// Whether the next invocation is the process's first.
static COLD_START: AtomicBool = AtomicBool::new(true);

/// Writes the access-log line of one invocation into `line` (cleared first), then to stderr:
/// `{"level":"INFO","message":"request","request_id":..,"xray_trace_id":..,"correlation_id":..,
/// "method":..,"path":..,"route":..,"status":..,"duration_us":..,"cold_start":..}`. The trace id
/// is the invocation's (`Lambda-Runtime-Trace-Id`), `null` outside Lambda; the correlation id
/// is API Gateway's request id (`requestContext.requestId`), `null` for sources without one.
pub(crate) fn access_log(line: &mut Vec<u8>, request: &Request<'_>, status: u16, duration_us: u64) {
    let cold_start = COLD_START.swap(false, Ordering::Relaxed);
    line.clear();
    line.extend_from_slice(br#"{"level":"INFO","message":"request","request_id":"#);
    write_str(line, request.lambda.request_id);
    line.extend_from_slice(br#","xray_trace_id":"#);
    match request.lambda.xray_trace_id {
        Some(id) => write_str(line, id),
        None => line.extend_from_slice(b"null"),
    }
    line.extend_from_slice(br#","correlation_id":"#);
    match request.request_id() {
        Some(id) => write_str(line, id),
        None => line.extend_from_slice(b"null"),
    }
    line.extend_from_slice(br#","method":"#);
    write_str(line, request.method());
    line.extend_from_slice(br#","path":""#);
    escape_into(line, request.path());
    line.extend_from_slice(br#"","route":"#);
    match request.route_pattern() {
        Some(route) => write_str(line, route),
        None => line.extend_from_slice(b"null"),
    }
    line.extend_from_slice(br#","status":"#);
    write_u64(line, u64::from(status));
    line.extend_from_slice(br#","duration_us":"#);
    write_u64(line, duration_us);
    line.extend_from_slice(if cold_start { br#","cold_start":true}"# } else { br#","cold_start":false}"# });
    line.push(b'\n');
    // One write of the whole line: lines from concurrent invocations never interleave.
    let _ = std::io::stderr().lock().write_all(line);
}

/// Debug mode's line for an event or a response.
pub(crate) fn debug_line(what: &str, request_id: &str, json: &[u8]) {
    let text = String::from_utf8_lossy(json);
    let mut line = Vec::with_capacity(text.len() + 96);
    line.extend_from_slice(br#"{"level":"DEBUG","message":"lambda-router "#);
    escape_into(&mut line, what);
    line.extend_from_slice(br#"","request_id":"#);
    write_str(&mut line, request_id);
    line.extend_from_slice(b",\"");
    escape_into(&mut line, what);
    line.extend_from_slice(b"\":");
    // The event or response itself, as JSON when it is (a response always is).
    if serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok() {
        line.extend_from_slice(text.trim().as_bytes());
    } else {
        write_str(&mut line, &text);
    }
    line.extend_from_slice(b"}\n");
    let _ = std::io::stderr().lock().write_all(&line);
}

/// Debug mode from the environment, as the reference reads it.
pub(crate) fn debug_from_env() -> bool {
    ["POWERTOOLS_EVENT_HANDLER_DEBUG", "POWERTOOLS_DEV"].iter().any(|name| env_flag(name))
}

/// The access log from the environment (`LAMBDA_ROUTER_ACCESS_LOG`).
pub(crate) fn access_log_from_env() -> bool {
    env_flag("LAMBDA_ROUTER_ACCESS_LOG")
}

fn env_flag(name: &str) -> bool {
    crate::env::switch(name) == Some(true)
}
