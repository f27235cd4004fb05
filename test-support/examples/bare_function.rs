//! The floor of the cold-start and per-invocation measurements: a `lambda_runtime` function
//! with no router and no event parsing (the event is skipped unread, `IgnoredAny`), answering
//! a fixed response. Same runtime flavour (current-thread tokio), same `lambda_runtime`
//! features and the same release profile as lambda-router's functions.

#[path = "bare/fixed.rs"]
mod fixed;

use fixed::fixed;
use lambda_runtime::{Runtime, service_fn};

fn main() -> Result<(), lambda_runtime::Error> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(Runtime::new(service_fn(fixed)).run())
}
