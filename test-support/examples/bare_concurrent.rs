//! The floor of the concurrency measurement: `bare_function` (a fixed response, the event
//! skipped unread) behind `lambda_runtime::Runtime::run_concurrent`, which serves
//! `AWS_LAMBDA_MAX_CONCURRENCY` invocations at once. Same current-thread tokio runtime as
//! lambda-router's functions.

#[path = "bare/fixed.rs"]
mod fixed;

use fixed::fixed;
use lambda_runtime::{Runtime, service_fn};

fn main() -> Result<(), lambda_runtime::Error> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(Runtime::new(service_fn(fixed)).run_concurrent())
}
