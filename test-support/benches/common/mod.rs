//! What the pipeline benches share: the peer app (lambda_http + axum) and the scenarios.

#[allow(dead_code)] // each bench uses its own part of the peer
pub mod peer;
#[allow(dead_code)] // each bench uses its own part of the scenarios
pub mod scenarios;
#[allow(dead_code)] // the typed benches' peer
pub mod typed_peer;

/// The status code of a Lambda response's bytes.
#[allow(dead_code)] // not every bench checks statuses this way
pub fn status_of(response: &[u8]) -> u64 {
    let value: serde_json::Value = serde_json::from_slice(response).expect("a JSON response");
    value["statusCode"].as_u64().unwrap_or(0)
}
