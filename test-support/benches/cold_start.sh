#!/usr/bin/env bash
# Cold start and per-invocation cost through lambda_runtime, measured through the Runtime API
# emulator of test-support/tests/runtime_e2e.rs (release builds, default configuration):
# - spawn to first response, 101 alternated rounds (COLD_START_ROUNDS), median and the median
#   of each round's ratio to the bare function: a bare lambda_runtime function
#   (fixed response, no parsing), the hello example as deployed, lambda-router with 10 and
#   1,000 routes compiled at build time, lambda_http + axum with 10 and 1,000 routes;
# - 20,000 invocations, per invocation, 3 alternated runs, median: hello against the bare
#   function.
# Prints Markdown tables.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo test --release --quiet -p test-support --test runtime_e2e -- --ignored --nocapture --test-threads 1 \
    cold_start_to_first_response per_invocation_through_lambda_runtime 2>/dev/null | grep '^|'
