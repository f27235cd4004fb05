#!/usr/bin/env bash
# Cold start: time from process spawn to the first response, through the Runtime API emulator
# of test-support/tests/runtime_e2e.rs, median of 20 runs, for lambda-router (10 routes, 1,000
# routes compiled at build time, the hello example) and lambda_http + axum (10 and 1,000 routes
# built at start-up); with the stripped release binary sizes. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet -p hello -p test-support --example cold_start_10 --example cold_start_1000 --example axum_cold_start
cargo test --release --quiet -p test-support --test runtime_e2e cold_start_to_first_response -- --ignored --nocapture 2>/dev/null | grep '^|'
