//! The floor of the concurrency measurement: `bare_function` (a fixed response, the event
//! skipped unread) behind `lambda_runtime::Runtime::run_concurrent`, which serves
//! `AWS_LAMBDA_MAX_CONCURRENCY` invocations at once. Same current-thread tokio runtime as
//! lambda-router's functions.

use lambda_runtime::{LambdaEvent, Runtime, service_fn};
use serde::Serialize;
use serde::de::IgnoredAny;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fixed {
    status_code: u16,
    body: &'static str,
    is_base64_encoded: bool,
}

async fn fixed(_: LambdaEvent<IgnoredAny>) -> Result<Fixed, lambda_runtime::Error> {
    Ok(Fixed { status_code: 200, body: r#"{"message":"hello universe"}"#, is_base64_encoded: false })
}

fn main() -> Result<(), lambda_runtime::Error> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(Runtime::new(service_fn(fixed)).run_concurrent())
}
