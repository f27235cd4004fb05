//! What the pipeline logs: one structured line per invocation, and debug mode's switch.

use crate::request::Request;

/// Whether the next invocation is the process's first.
static COLD_START: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// One structured line per invocation, at INFO. `tracing` checks the level before any field
/// is formatted, so a filtered-out line costs a load and a branch.
pub(crate) fn log_invocation(request: &Request<'_>, status: u16, started: std::time::Instant) {
    let cold_start = COLD_START.swap(false, std::sync::atomic::Ordering::Relaxed);
    tracing::info!(
        request_id = request.lambda.request_id,
        source = request.source().name(),
        method = request.method(),
        path = request.routing_path(),
        route = request.route_pattern().unwrap_or(""),
        status,
        duration_us = started.elapsed().as_micros() as u64,
        cold_start,
        "request"
    );
}

pub(crate) fn debug_from_env() -> bool {
    ["POWERTOOLS_EVENT_HANDLER_DEBUG", "POWERTOOLS_DEV"].iter().any(|name| {
        std::env::var(name).is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"))
    })
}
