#!/usr/bin/env bash
# Instructions per invocation, sequentially (issue #25's "no regression": hello adds at most
# 22,000 to a bare lambda_runtime function): hello as deployed and the bare function
# (`examples/bare_function.rs`, a fixed answer, the event unread), each run under
# `valgrind --tool=callgrind` against the Rust Runtime API of `examples/runtime_load.rs` for
# SHORT and LONG invocations of the REST `GET /hello` event; the difference of the two totals over
# LONG - SHORT is the cost of one invocation, start-up and shutdown cancelled out. callgrind
# counts instructions, not time: the same figure whatever else the machine does.
#
#   bash test-support/benches/instructions.sh [SHORT LONG]     (default 200 2200)
set -euo pipefail
cd "$(dirname "$0")/../.."
SHORT=${1:-200} LONG=${2:-2200}
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
cargo build --release --quiet -p hello
cargo build --release --quiet -p test-support --example runtime_load --example bare_function
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/event.json" <<'JSON'
{"httpMethod":"GET","path":"/hello","resource":"/hello","headers":{"Accept":"*/*","Host":"abc.execute-api.us-east-1.amazonaws.com","User-Agent":"curl/8.5.0"},"multiValueHeaders":{"Accept":["*/*"],"Host":["abc.execute-api.us-east-1.amazonaws.com"],"User-Agent":["curl/8.5.0"]},"queryStringParameters":null,"multiValueQueryStringParameters":null,"pathParameters":null,"stageVariables":null,"requestContext":{"accountId":"123456789012","resourceId":"abc","stage":"prod","requestId":"x","httpMethod":"GET","path":"/prod/hello","resourcePath":"/hello","identity":{"sourceIp":"1.2.3.4"},"apiId":"abc"},"body":null,"isBase64Encoded":false}
JSON
printf '%s' '{"message":"hello universe"}' > "$WORK/expected"
# The function, as runtime_load starts it, under callgrind (the wrapper execs: same pid).
cat > "$WORK/under_callgrind" <<'SH'
#!/bin/sh
exec valgrind --tool=callgrind --callgrind-out-file="$CALLGRIND_OUT" "$CALLGRIND_BINARY"
SH
chmod +x "$WORK/under_callgrind"
total() {
    CALLGRIND_BINARY=$1 CALLGRIND_OUT="$WORK/out" RUNTIME_LOAD_PATIENT=1 \
        target/release/examples/runtime_load "$WORK/under_callgrind" "$WORK/event.json" "$WORK/expected" 1 "$2" \
        | python3 -c 'import json,sys; r=json.load(sys.stdin); assert r["answered"]==r["invocations"] and r["wrong"]==0, r' >&2
    sed -n 's/^summary: *//p; s/^totals: *//p' "$WORK/out" | head -1
}
printf '| function | instructions, %s invocations | %s invocations | per invocation |\n|---|---|---|---|\n' "$SHORT" "$LONG"
declare -A PER
for name in bare_function hello; do
    case $name in
        hello) binary=target/release/hello ;;
        *) binary=target/release/examples/$name ;;
    esac
    short=$(total "$binary" "$SHORT") long=$(total "$binary" "$LONG")
    PER[$name]=$(( (long - short) / (LONG - SHORT) ))
    printf '| %s | %s | %s | %s |\n' "$name" "$short" "$long" "${PER[$name]}"
done
echo
echo "hello adds $(( PER[hello] - PER[bare_function] )) instructions per invocation to the bare function"
