#!/usr/bin/env python3
"""Drives a headless Chromium over the DevTools protocol (standard library only) to check the
Swagger UI page of a running app: every operation of the expected OpenAPI document is rendered,
the title is rendered, the page's options are in effect, and the browser saw no script error.

The page links swagger-ui-dist's script and stylesheet (by default on a public CDN). No request
leaves the machine: a request for a swagger-ui-dist file is rerouted to the local asset server,
any other request that is neither to the app nor to the asset server is failed and reported.
Run by swagger_ui.sh, which starts the app, the asset server and Chromium.
"""

import argparse
import base64
import json
import os
import re
import socket
import struct
import sys
import time
import urllib.parse
import urllib.request

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ASSET_FILES = ("swagger-ui-bundle.js", "swagger-ui.css")


class WebSocket:
    """The client side of RFC 6455, enough for the DevTools protocol: text frames, pings."""

    def __init__(self, url, timeout):
        parts = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
                f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self._recv()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status + b" ":
            raise ConnectionError(f"DevTools refused the WebSocket: {status.decode(errors='replace')}")

    def _recv(self):
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("DevTools closed the connection")
        return chunk

    def _frame(self):
        """The first whole frame of the buffer, taken out of it: (fin, opcode, data), or None."""
        buf = self.buf
        if len(buf) < 2:
            return None
        fin, opcode, n, at = buf[0] & 0x80, buf[0] & 0x0F, buf[1] & 0x7F, 2
        if n == 126:
            if len(buf) < 4:
                return None
            (n,), at = struct.unpack(">H", buf[2:4]), 4
        elif n == 127:
            if len(buf) < 10:
                return None
            (n,), at = struct.unpack(">Q", buf[2:10]), 10
        mask = None
        if buf[1] & 0x80:
            mask, at = buf[at : at + 4], at + 4
        if len(buf) < at + n:
            return None
        data, self.buf = buf[at : at + n], buf[at + n :]
        if mask:
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        return fin, opcode, data

    def _send_frame(self, opcode, data):
        header = bytearray([0x80 | opcode])
        n = len(data)
        if n < 126:
            header.append(0x80 | n)
        elif n < 1 << 16:
            header.append(0x80 | 126)
            header += struct.pack(">H", n)
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", n)
        mask = os.urandom(4)
        header += mask
        # XOR with the mask, a word at a time.
        words = int.from_bytes(mask * ((n + 3) // 4), "little")
        masked = (int.from_bytes(data.ljust((n + 3) // 4 * 4, b"\0"), "little") ^ words).to_bytes(
            (n + 3) // 4 * 4, "little"
        )[:n]
        self.sock.sendall(bytes(header) + masked)

    def send(self, text):
        self._send_frame(0x1, text.encode())

    def recv(self):
        """The next text message. A timeout leaves the buffer whole: the next call resumes."""
        while True:
            frame = self._frame()
            if frame is None:
                self.buf += self._recv()
                continue
            fin, opcode, data = frame
            if opcode == 0x8:
                raise ConnectionError("DevTools closed the WebSocket")
            if opcode == 0x9:
                self._send_frame(0xA, data)
            elif opcode in (0x0, 0x1, 0x2):
                self.partial = getattr(self, "partial", b"") + data
                if fin:
                    message, self.partial = self.partial, b""
                    return message.decode()


class DevTools:
    """One browser connection, one page session, the events seen so far."""

    def __init__(self, url, timeout):
        self.ws = WebSocket(url, timeout)
        self.next_id = 0
        self.session = None
        self.handlers = {}
        self.replies = {}

    def call(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        wanted = self.next_id
        self.ws.send(json.dumps(message))
        # Event handlers may call too: every reply is kept by id until its caller takes it.
        while wanted not in self.replies:
            self.receive()
        reply = self.replies.pop(wanted)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def receive(self):
        message = json.loads(self.ws.recv())
        if "id" in message:
            self.replies[message["id"]] = message
        else:
            self.dispatch(message)

    def pump(self, seconds):
        """Handles events for `seconds`."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self.ws.sock.settimeout(left)
            try:
                self.receive()
            except (socket.timeout, TimeoutError):
                break
            finally:
                self.ws.sock.settimeout(30)

    def dispatch(self, message):
        handler = self.handlers.get(message.get("method"))
        if handler:
            handler(message.get("params", {}))

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate: {describe_exception(result['exceptionDetails'])}")
        return result["result"].get("value")


def describe_exception(details):
    exception = details.get("exception", {})
    text = exception.get("description") or details.get("text", "")
    where = details.get("url", "")
    if where:
        text += f" ({where}:{details.get('lineNumber', 0) + 1}:{details.get('columnNumber', 0) + 1})"
    return text.splitlines()[0] if text else "exception"


def expected_operations(document):
    ops = set()
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                ops.add((method.upper(), path))
    return ops


def page_options(page):
    """The Swagger options the served page sets: persistAuthorization, and initOAuth's object."""
    persist = re.search(r"persistAuthorization:\s*(true|false)", page)
    oauth = re.search(r"initOAuth\(\{(.*?)\}\);", page, re.S)
    oauth_options = None
    if oauth:
        oauth_options = {}
        for key, value in re.findall(r"(\w+):\s*(\"(?:[^\"\\]|\\.)*\"|true|false)", oauth.group(1)):
            oauth_options[key] = json.loads(value)
    return (persist.group(1) == "true") if persist else None, oauth_options


# Runs in the page: what Swagger UI rendered.
COLLECT = r"""
(() => {
  const text = (e) => (e ? e.textContent.replace(/\u200b/g, "").trim() : null);
  const ops = [...document.querySelectorAll("#swagger-ui .opblock")].map((block) => {
    const path = block.querySelector(".opblock-summary-path");
    return {
      method: text(block.querySelector(".opblock-summary-method")),
      path: path ? path.getAttribute("data-path") || text(path) : null,
      tag: (block.closest(".opblock-tag-section")?.querySelector(".opblock-tag")?.getAttribute("data-tag")) || null,
    };
  });
  const title = document.querySelector("#swagger-ui .info .title");
  const titleText = title ? [...title.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join("").trim() : null;
  // The stylesheet is cross-origin (its rules cannot be read): check that it styles a method badge.
  const badge = document.querySelector("#swagger-ui .opblock-summary-method");
  const styled = badge ? getComputedStyle(badge) : null;
  const sheets = [...document.styleSheets].map((s) => s.href);
  let configs = null;
  if (window.ui && window.ui.getConfigs) {
    const oauth = window.ui.authSelectors && window.ui.authSelectors.getConfigs ? window.ui.authSelectors.getConfigs() : null;
    configs = {
      persistAuthorization: window.ui.getConfigs().persistAuthorization,
      oauth: oauth && oauth.toJS ? oauth.toJS() : oauth,
    };
  }
  const errors = [...document.querySelectorAll("#swagger-ui .errors-wrapper .error-wrapper, #swagger-ui .loading-container .info")]
    .map((e) => text(e));
  return {
    ops, title: titleText, sheets, configs, errors,
    badge: styled ? { background: styled.backgroundColor, color: styled.color, minWidth: styled.minWidth } : null,
    authorize: !!document.querySelector("#swagger-ui .auth-wrapper .authorize"),
    version: (window.versions && window.versions.swaggerUI && window.versions.swaggerUI.version) || null,
    docTitle: document.title,
  };
})()
"""

# Runs in the page: has the UI settled (operations rendered, or an error shown)?
PROGRESS = r"""
(() => ({
  ops: document.querySelectorAll("#swagger-ui .opblock").length,
  info: !!document.querySelector("#swagger-ui .info .title"),
  failed: !!document.querySelector("#swagger-ui .errors-wrapper, #swagger-ui .loading-container .info"),
  ui: !!window.ui,
  loaded: document.readyState === "complete",
}))()
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devtools", required=True, help="the browser's ws:// DevTools URL")
    parser.add_argument("--app", required=True, help="the app's base URL, e.g. http://127.0.0.1:3000")
    parser.add_argument("--assets", required=True, help="the asset server's base URL (swagger-ui-dist)")
    parser.add_argument("--swagger-path", default="/swagger")
    parser.add_argument("--expect-doc", required=True, help="the OpenAPI document whose operations must be shown")
    parser.add_argument("--app-doc", help="the app's --openapi document: the page's document must equal it")
    parser.add_argument("--out", required=True, help="a directory for the screenshot, the DOM and the console")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the UI to render")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    with open(args.expect_doc, encoding="utf-8") as f:
        expected_doc = json.load(f)
    expected = expected_operations(expected_doc)
    expected_title = expected_doc.get("info", {}).get("title", "")
    failures = []
    notes = []

    page_url = args.app.rstrip("/") + args.swagger_path
    with urllib.request.urlopen(page_url, timeout=10) as r:
        page = r.read().decode()
    with urllib.request.urlopen(page_url + "?format=json", timeout=10) as r:
        served_doc = json.loads(r.read())
    if args.app_doc:
        with open(args.app_doc, encoding="utf-8") as f:
            if json.load(f) != served_doc:
                failures.append(f"the document served at {args.swagger_path}?format=json is not the app's --openapi")
    if served_doc != expected_doc:
        notes.append(f"the document served at {args.swagger_path}?format=json differs from --expect-doc")
    want_persist, want_oauth = page_options(page)

    app_origin = urllib.parse.urlparse(args.app)
    asset_origin = urllib.parse.urlparse(args.assets)
    local = {(app_origin.hostname, app_origin.port), (asset_origin.hostname, asset_origin.port)}
    rerouted, blocked, console, exceptions, network = [], [], [], [], []
    urls = {}  # request id -> URL as the page asked for it

    tools = DevTools(args.devtools, timeout=30)

    def on_paused(params):
        request = params["request"]
        url = urllib.parse.urlparse(request["url"])
        name = url.path.rsplit("/", 1)[-1]
        if url.scheme in ("data", "blob") or (url.hostname, url.port) in local:
            tools.call("Fetch.continueRequest", {"requestId": params["requestId"]})
        elif name in ASSET_FILES and "swagger-ui-dist" in url.path:
            target = args.assets.rstrip("/") + "/" + name
            rerouted.append((request["url"], target))
            tools.call("Fetch.continueRequest", {"requestId": params["requestId"], "url": target})
        else:
            blocked.append(request["url"])
            tools.call("Fetch.failRequest", {"requestId": params["requestId"], "errorReason": "BlockedByClient"})

    def on_console(params):
        values = []
        for arg in params.get("args", []):
            values.append(str(arg.get("value", arg.get("description", arg.get("type")))))
        frame = (params.get("stackTrace") or {}).get("callFrames") or [{}]
        console.append((params.get("type"), " ".join(values), frame[0].get("url", "")))

    def on_log(params):
        entry = params["entry"]
        console.append((f"{entry.get('source')}:{entry.get('level')}", entry.get("text", ""), entry.get("url", "")))

    def on_response(params):
        response = params["response"]
        if response.get("status", 200) >= 400:
            network.append(f"{response['status']} {response['url']}")

    def on_failed(params):
        if params.get("errorText") == "net::ERR_BLOCKED_BY_CLIENT":
            return  # reported as blocked
        url = urls.get(params.get("requestId"), f"request {params.get('requestId')}")
        network.append(f"failed ({params.get('errorText')}) {url}")

    tools.handlers = {
        "Fetch.requestPaused": on_paused,
        "Runtime.consoleAPICalled": on_console,
        "Runtime.exceptionThrown": lambda p: exceptions.append(describe_exception(p["exceptionDetails"])),
        "Log.entryAdded": on_log,
        "Network.responseReceived": on_response,
        "Network.loadingFailed": on_failed,
        "Network.requestWillBeSent": lambda p: urls.__setitem__(p["requestId"], p["request"]["url"]),
    }

    target = tools.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
    tools.session = tools.call(
        "Target.attachToTarget", {"targetId": target, "flatten": True}, session=False
    )["sessionId"]
    for domain in ("Runtime", "Log", "Network", "Page"):
        tools.call(f"{domain}.enable")
    tools.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    tools.call("Fetch.enable", {"patterns": [{"urlPattern": "*", "requestStage": "Request"}]})

    started = time.monotonic()
    tools.call("Page.navigate", {"url": page_url})
    # Settled: the operations rendered and their count unchanged for a second, or an error shown.
    last, stable_since, progress, loaded_at = -1, time.monotonic(), {}, None
    while time.monotonic() - started < args.timeout:
        tools.pump(0.25)
        try:
            progress = tools.evaluate(PROGRESS)
        except RuntimeError:
            continue  # navigating
        if progress["ops"] != last:
            last, stable_since = progress["ops"], time.monotonic()
        if progress["failed"] or (progress["info"] and time.monotonic() - stable_since >= 1.0):
            break
        # Loaded, and no Swagger UI two seconds later: the bundle did not run.
        if progress["loaded"] and not progress["ui"]:
            loaded_at = loaded_at or time.monotonic()
            if time.monotonic() - loaded_at >= 2.0:
                failures.append("the page loaded but Swagger UI did not start")
                break
    else:
        failures.append(f"the UI did not settle within {args.timeout:g} s ({progress})")
    render_seconds = time.monotonic() - started
    tools.pump(0.5)
    seen = tools.evaluate(COLLECT)

    # What the browser shows, for the record.
    shot = tools.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    with open(os.path.join(args.out, "swagger-ui.png"), "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    with open(os.path.join(args.out, "swagger-ui.html"), "w", encoding="utf-8") as f:
        f.write(tools.evaluate("document.documentElement.outerHTML") or "")
    with open(os.path.join(args.out, "console.txt"), "w", encoding="utf-8") as f:
        for kind, text, url in console:
            f.write(f"[{kind}] {text} {url}\n")
        for text in exceptions:
            f.write(f"[exception] {text}\n")
    tools.call("Target.closeTarget", {"targetId": target}, session=False)

    # The checks.
    shown = {(op["method"].upper(), op["path"]) for op in seen["ops"] if op["method"] and op["path"]}
    missing = sorted(expected - shown, key=lambda op: (op[1], op[0]))
    extra = sorted(shown - expected, key=lambda op: (op[1], op[0]))
    for method, path in missing:
        failures.append(f"operation not shown: {method} {path}")
    for method, path in extra:
        failures.append(f"operation shown but not in the document: {method} {path}")
    if seen["title"] != expected_title:
        failures.append(f"title: rendered {seen['title']!r}, the document says {expected_title!r}")
    if seen["errors"]:
        failures.append(f"Swagger UI shows errors: {seen['errors']}")
    if expected_doc.get("components", {}).get("securitySchemes") and not seen["authorize"]:
        failures.append("the document has security schemes but no Authorize button is shown")
    badge = seen["badge"]
    if not any(href and href.endswith("swagger-ui.css") for href in seen["sheets"]):
        failures.append(f"swagger-ui.css is not among the page's style sheets: {seen['sheets']}")
    elif badge and badge["background"] in ("rgba(0, 0, 0, 0)", "transparent"):
        failures.append(f"swagger-ui.css not applied: a method badge is unstyled ({badge})")
    configs = seen["configs"]
    if configs is None:
        failures.append("window.ui is not a Swagger UI (the bundle did not run)")
    else:
        if want_persist is not None and bool(configs["persistAuthorization"]) != want_persist:
            failures.append(
                f"persistAuthorization: the page sets {want_persist}, Swagger UI has {configs['persistAuthorization']}"
            )
        if want_oauth is not None:
            have = configs["oauth"] or {}
            for key, value in want_oauth.items():
                if have.get(key) != value:
                    failures.append(f"initOAuth {key}: the page sets {value!r}, Swagger UI has {have.get(key)!r}")
    for url in blocked:
        failures.append(f"the page asked for an outside URL (blocked): {url}")
    for text in exceptions:
        failures.append(f"JavaScript exception: {text}")
    # The browser asks for /favicon.ico by itself; the page links none, the app answers 404.
    favicon = lambda url: urllib.parse.urlparse(url).path == "/favicon.ico"
    console_errors = [c for c in console if c[0] in ("error", "assert") or c[0].endswith(":error")]
    for kind, text, url in console_errors:
        if favicon(url):
            notes.append(f"the browser's own request for {url} was answered 404 (ignored)")
        else:
            failures.append(f"console {kind}: {text} {url}".rstrip())
    for line in network:
        if not favicon(line.split(" ")[-1]):
            failures.append(f"HTTP: {line}")

    # The report.
    print(f"Swagger UI {seen['version'] or '?'} at {page_url}, rendered in {render_seconds:.1f} s")
    for source, target_url in rerouted:
        print(f"  asset {source} -> {target_url}")
    print(f"  title: {seen['title']!r} (page <title> {seen['docTitle']!r})")
    if configs is not None:
        oauth = want_oauth if want_oauth is not None else "none configured"
        print(f"  options: persistAuthorization={configs['persistAuthorization']} (page: {want_persist}), initOAuth: {oauth}")
    print(f"  Authorize button: {'shown' if seen['authorize'] else 'absent'}")
    for note in notes:
        print(f"  note: {note}")
    warnings = [c for c in console if c not in console_errors]
    for kind, text, url in warnings:
        print(f"  console {kind}: {text} {url}".rstrip())
    print(f"  operations shown ({len(shown)} of {len(expected)} expected):")
    for method, path in sorted(shown | expected, key=lambda op: (op[1], op[0])):
        mark = "ok" if (method, path) in shown and (method, path) in expected else "MISSING" if (method, path) in expected else "EXTRA"
        print(f"    {mark:7} {method:6} {path}")
    print(f"  screenshot, DOM and console in {args.out}")
    if failures:
        print(f"FAIL: Swagger UI check, {len(failures)} problem(s):")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print(f"PASS: Swagger UI shows all {len(expected)} operations of {expected_title!r}, no script errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
