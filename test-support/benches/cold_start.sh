#!/usr/bin/env bash
# Cold start and per-invocation cost through lambda_runtime, measured through the Runtime API
# emulator of test-support/tests/runtime_e2e.rs (release builds, default configuration):
# - spawn to first response, 101 rounds in shuffled orders (COLD_START_ROUNDS; COLD_START_EXTRA=
#   NAME=PATH,... adds variants built elsewhere to the same rounds), median and the
#   median of each round's ratio to the bare function, split into spawn to first /next and
#   /next to response, the clock read by the emulator: a bare lambda_runtime function
#   (fixed response, no parsing), the hello example as deployed, lambda-router with 10 and
#   1,000 routes compiled at build time, lambda_http + axum with 10 and 1,000 routes;
# - 20,000 invocations, per invocation, 5 alternated runs, median and the median of the paired
#   ratios: hello against the bare function.
# With two CPUs or more, the emulator runs on CPU 0 and the measured function on CPU 1.
# Prints Markdown tables.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo test --release --quiet -p test-support --test runtime_e2e -- --ignored --nocapture --test-threads 1 \
    cold_start_to_first_response per_invocation_through_lambda_runtime 2>/dev/null | grep '^|'
