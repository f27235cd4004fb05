#!/usr/bin/env bash
# Requests per second per core with many invocations at once (issue #25): hello (lambda-router,
# `concurrency` feature), the todos example (its default `concurrency` feature; `GET /todos`
# through its auth middleware and its async store, answering the empty list), lambda_http + axum behind `run_concurrent` (wrapped as its users must),
# and the floor, a bare `lambda_runtime::run_concurrent` function that parses nothing; each at
# AWS_LAMBDA_MAX_CONCURRENCY 1, 8 and 64, through `examples/runtime_load.rs`, a Runtime API that
# hands events to every poller at once and checks each answer. "Per core" is per CPU-second of
# the function process (user + system, /proc): the generator shares the machine.
#
#   bash test-support/benches/concurrency.sh [INVOCATIONS]     (default 100000 per cell)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-100000}
cargo build --release --quiet -p hello --features lambda-router/concurrency
cargo build --release --quiet -p todos
cargo build --release --quiet -p test-support --example runtime_load --example bare_concurrent --example axum_concurrent
EVENT=$(mktemp) EXPECTED=$(mktemp) TODOS_EVENT=$(mktemp) TODOS_EXPECTED=$(mktemp)
trap 'rm -f "$EVENT" "$EXPECTED" "$TODOS_EVENT" "$TODOS_EXPECTED"' EXIT
cat > "$EVENT" <<'JSON'
{"httpMethod":"GET","path":"/hello","resource":"/hello","headers":{"Accept":"*/*","Host":"abc.execute-api.us-east-1.amazonaws.com","User-Agent":"curl/8.5.0"},"multiValueHeaders":{"Accept":["*/*"],"Host":["abc.execute-api.us-east-1.amazonaws.com"],"User-Agent":["curl/8.5.0"]},"queryStringParameters":null,"multiValueQueryStringParameters":null,"pathParameters":null,"stageVariables":null,"requestContext":{"accountId":"123456789012","resourceId":"abc","stage":"prod","requestId":"x","httpMethod":"GET","path":"/prod/hello","resourcePath":"/hello","identity":{"sourceIp":"1.2.3.4"},"apiId":"abc"},"body":null,"isBase64Encoded":false}
JSON
printf '%s' '{"message":"hello universe"}' > "$EXPECTED"
sed -e 's|"/hello"|"/todos"|g; s|/prod/hello|/prod/todos|' \
    -e 's|"Accept":"\*/\*",|"Accept":"*/*","Authorization":"Bearer load-token",|' \
    -e 's|"Accept":\["\*/\*"\],|"Accept":["*/*"],"Authorization":["Bearer load-token"],|' "$EVENT" > "$TODOS_EVENT"
printf '%s' '[]' > "$TODOS_EXPECTED"
export TODOS_TOKEN=load-token
# lambda_http routes REST events by `requestContext.path` (with the stage) unless told not to.
export AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH=true
printf '%-16s %5s %10s %10s %8s %6s %6s %6s\n' function conc rps/core rps-wall cpu-s lost dup wrong
for c in 1 8 64; do
    for b in target/release/hello target/release/todos target/release/examples/axum_concurrent target/release/examples/bare_concurrent; do
        event=$EVENT expected=$EXPECTED
        if [ "$b" = target/release/todos ]; then event=$TODOS_EVENT expected=$TODOS_EXPECTED; fi
        target/release/examples/runtime_load "$b" "$event" "$expected" "$c" "$N" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
print("%-16s %5d %10d %10d %8.2f %6d %6d %6d" % (r["binary"], r["concurrency"], r["rps_per_core"], r["rps_wall"], r["function_cpu_s"], r["lost"], r["duplicated"], r["wrong"]))'
    done
done
