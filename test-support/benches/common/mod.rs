//! What the pipeline benches share: the peer app (lambda_http + axum) and the scenarios.

pub mod peer;
pub mod scenarios;
