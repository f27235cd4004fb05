//! The floor functions' handler (`bare_function`, `bare_concurrent`): the event skipped unread
//! (`IgnoredAny`), a fixed response, hello's body.

use lambda_runtime::LambdaEvent;
use serde::Serialize;
use serde::de::IgnoredAny;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fixed {
    status_code: u16,
    body: &'static str,
    is_base64_encoded: bool,
}

pub async fn fixed(_: LambdaEvent<IgnoredAny>) -> Result<Fixed, lambda_runtime::Error> {
    Ok(Fixed { status_code: 200, body: r#"{"message":"hello universe"}"#, is_base64_encoded: false })
}
