#!/usr/bin/env bash
# The contract example's Swagger UI in a real headless browser: serves the app (`--serve`),
# opens `GET /swagger` in Debian's Chromium, and checks over the DevTools protocol that every
# operation of the app's own `--openapi` document is shown, that the title is rendered, that
# the page's Swagger options (persistAuthorization, initOAuth) are in effect, and that the
# browser saw no script error, failed asset or outside request.
#
# No request leaves the machine: the page links swagger-ui-dist on its CDN, and the browser's
# requests for those two files are rerouted to swagger-ui-dist from npm, served on localhost
# (any other outside request is blocked and fails the test). The app is not changed: the
# page and the document tested are the ones `--serve`, and a deployed function, answer.
#
#   test-support/browser/swagger_ui.sh                    # build, install what is missing, test
#   test-support/browser/swagger_ui.sh --bin FILE         # test this binary (built with --features serve)
#   test-support/browser/swagger_ui.sh --expect-doc FILE  # expect the operations of FILE instead
#   test-support/browser/swagger_ui.sh --dist DIR         # serve swagger-ui-dist's files from DIR
#
# Installs when absent: chromium and npm (apt-get, as root or with sudo), swagger-ui-dist@5
# (npm, cached in target/swagger-ui-test/npm; SWAGGER_UI_DIST_VERSION picks another version).
# Writes the screenshot, the rendered DOM and the browser console to target/swagger-ui-test/out.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/test-support/browser
WORK=$ROOT/target/swagger-ui-test
OUT=$WORK/out
BIN=
EXPECT_DOC=
DIST=
while [ $# -gt 0 ]; do
    case $1 in
        --bin) BIN=$(realpath "$2"); shift ;;
        --expect-doc) EXPECT_DOC=$(realpath "$2"); shift ;;
        --dist) DIST=$(realpath "$2"); shift ;;
        *) echo "usage: $0 [--bin FILE] [--expect-doc FILE] [--dist DIR]" >&2; exit 2 ;;
    esac
    shift
done

step() { echo "== $*"; }

TMP=$(mktemp -d)
PIDS=()
CHECKED=0
cleanup() {
    local status=$? pid
    if [ $status != 0 ] && [ $CHECKED = 0 ]; then
        echo "FAIL: Swagger UI check did not run (exit $status)"
    fi
    for pid in "${PIDS[@]}"; do
        # Each was started in a process group of its own (setsid): Chromium's children go too.
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
    return $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root (or sudo) for: $*" >&2; exit 1
    fi
}
APT_UPDATED=0
apt_install() {
    if [ $APT_UPDATED = 0 ]; then as_root apt-get update -qq >/dev/null; APT_UPDATED=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    step "installing chromium (apt)"
    apt_install chromium
    CHROMIUM=$(command -v chromium)
fi
"$CHROMIUM" --version 2>/dev/null  # (Debian's launcher warns about /dev/shm on stderr)

if [ -z "$DIST" ]; then
    DIST=$WORK/npm/node_modules/swagger-ui-dist
    if [ ! -f "$DIST/swagger-ui-bundle.js" ] || [ ! -f "$DIST/swagger-ui.css" ]; then
        if ! command -v npm >/dev/null; then
            step "installing npm (apt)"
            apt_install npm
        fi
        step "installing swagger-ui-dist@${SWAGGER_UI_DIST_VERSION:-5} (npm, into $WORK/npm)"
        mkdir -p "$WORK/npm"
        npm install --prefix "$WORK/npm" --no-audit --no-fund --loglevel=error \
            "swagger-ui-dist@${SWAGGER_UI_DIST_VERSION:-5}" >/dev/null
    fi
fi
for file in swagger-ui-bundle.js swagger-ui.css; do
    [ -f "$DIST/$file" ] || { echo "FAIL: no $file in $DIST" >&2; exit 1; }
done
echo "swagger-ui-dist $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("version", "?"))' "$DIST/package.json" 2>/dev/null || echo '(unversioned)') from $DIST"

if [ -z "$BIN" ]; then
    # Both apps: the contract example as the reference has it (no OAuth 2, authorizations not
    # kept), and the same app with the reference's Swagger options set (swagger_oauth).
    step "cargo build -p contract --features serve; the swagger_oauth example"
    cargo build -q -p contract --features serve
    cargo build -q -p test-support --example swagger_oauth --features serve
    mkdir -p "$WORK"
    # Copies: another cargo command may relink target/debug/contract without the dev server.
    cp target/debug/contract "$WORK/contract.tmp" && mv "$WORK/contract.tmp" "$WORK/contract"
    cp target/debug/examples/swagger_oauth "$WORK/swagger_oauth.tmp" && mv "$WORK/swagger_oauth.tmp" "$WORK/swagger_oauth"
    status=0
    for app in contract swagger_oauth; do
        "$0" --bin "$WORK/$app" --dist "$DIST" ${EXPECT_DOC:+--expect-doc "$EXPECT_DOC"} || status=1
    done
    CHECKED=1
    [ $status = 0 ] && echo "PASS: both apps" || echo "FAIL: see above"
    exit $status
fi
OUT=$OUT/$(basename "$BIN")


# Waits up to 20 s for the regex in a log file; prints the first match.
wait_for() {
    local file=$1 regex=$2 pid=$3 what=$4
    for _ in $(seq 200); do
        if grep -Eom1 "$regex" "$file" 2>/dev/null; then return 0; fi
        if ! kill -0 "$pid" 2>/dev/null; then break; fi
        sleep 0.1
    done
    echo "FAIL: $what did not start:" >&2
    cat "$file" >&2
    exit 1
}

"$BIN" --openapi >"$TMP/openapi.json"
EXPECT_DOC=${EXPECT_DOC:-$TMP/openapi.json}

step "starting the asset server, the app and chromium"
setsid python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$DIST" >"$TMP/assets.log" 2>&1 &
PIDS+=($!)
ASSETS_PORT=$(wait_for "$TMP/assets.log" 'port [0-9]+' "${PIDS[-1]}" "the asset server" | grep -Eo '[0-9]+')
ASSETS=http://127.0.0.1:$ASSETS_PORT

setsid "$BIN" --serve 127.0.0.1:0 >"$TMP/app.log" 2>&1 &
PIDS+=($!)
APP=$(wait_for "$TMP/app.log" 'http://127\.0\.0\.1:[0-9]+' "${PIDS[-1]}" "the app (built with --features serve?)")

# Headless, no sandbox (root in CI), no background traffic, every host name but localhost
# unresolvable: the page cannot reach the internet even if a request slipped past the check.
setsid "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --no-default-browser-check --disable-background-networking \
    --disable-component-update --disable-sync --disable-extensions --disable-default-apps \
    --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1" \
    --enable-logging=stderr --v=0 \
    --remote-debugging-port=0 --user-data-dir="$TMP/profile" about:blank >"$TMP/chromium.log" 2>&1 &
PIDS+=($!)
DEVTOOLS=$(wait_for "$TMP/chromium.log" 'ws://127\.0\.0\.1:[0-9]+/devtools/browser/[-0-9a-f]+' "${PIDS[-1]}" "chromium")
echo "app $APP, assets $ASSETS, chromium $DEVTOOLS"

step "checking $APP/swagger"
mkdir -p "$OUT"
status=0
CHECKED=1
python3 "$HERE/swagger_ui_check.py" --devtools "$DEVTOOLS" --app "$APP" --assets "$ASSETS" \
    --expect-doc "$EXPECT_DOC" --app-doc "$TMP/openapi.json" --out "$OUT" || status=$?
cp "$TMP/chromium.log" "$TMP/app.log" "$TMP/assets.log" "$OUT/" 2>/dev/null || true
exit $status
