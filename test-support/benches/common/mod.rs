//! What the pipeline benches share: the peer app (lambda_http + axum) and the scenarios.

#[allow(dead_code)] // each bench uses its own part of the peer
pub mod peer;
#[allow(dead_code)] // each bench uses its own part of the scenarios
pub mod scenarios;
#[allow(dead_code)] // the typed benches' peer
pub mod typed_peer;
