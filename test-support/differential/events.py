"""Requests and the Lambda events that carry them.

A generator describes a request the way a client sends it (`Request`: method, the
percent-encoded path, query pairs, header lines, cookies, body bytes). `EventBuilder`
turns it into the event of one source, shaped exactly like that source's events in the
app's fixed cases file (its requestContext and standard headers are copied from there):

  rest-v1  API Gateway REST (payload 1.0): `path` percent-encoded, `pathParameters.proxy`
           decoded, `headers` (last value) and `multiValueHeaders` (every value), names
           as first sent; `queryStringParameters` (decoded, last value) and
           `multiValueQueryStringParameters`, both null without a query; body null when
           absent; cookies in a `Cookie` header.
  http-v2  API Gateway HTTP API (payload 2.0): `rawPath` decoded, `rawQueryString` as
           sent, `queryStringParameters` decoded with repeated keys joined by ","
           (absent without a query), header names lower-cased and repeated values joined
           by ",", cookies as the `cookies` list (each Cookie header split at ";"),
           `requestContext.http.method`; no body key when absent.
  alb      ALB without multi-value headers: names lower-cased, last value of a repeated
           header or query key, query keys and values NOT percent-decoded; body "" when
           absent.
  alb-mv   ALB with multi-value headers: `multiValueHeaders` and
           `multiValueQueryStringParameters` (still not decoded) only. Where the app's
           cases write a single query value as a plain string instead of a one-element
           list, the builder sometimes does the same (and appends `-mv-scalar` to the
           request's tag, so the case id shows it).

Binary bodies (and any body the generator marks so) travel base64-encoded with
`isBase64Encoded: true`; a generator can also claim base64 for a text that is not.
"""

from __future__ import annotations

import base64
import copy
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote

SOURCES = ("rest-v1", "http-v2", "alb", "alb-mv")

# RFC 3986 unreserved characters: the only ones a path segment or query part may carry
# unencoded without changing its meaning.
UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Sub-delimiters and ":@" are allowed unencoded in a path segment as well.
PATH_SAFE = UNRESERVED | set("!$&'()*+,;=:@")


def percent_encode(text: str, rng: random.Random | None = None, *, safe=UNRESERVED,
                   over: float = 0.0) -> str:
    """Percent-encode `text` (UTF-8). With `rng`, a safe character is still encoded with
    probability `over`, and hex digits are sometimes lower-case, as clients vary."""
    out = []
    for ch in text:
        if ch in safe and not (rng and over and rng.random() < over):
            out.append(ch)
            continue
        for byte in ch.encode("utf-8"):
            hexed = f"%{byte:02X}"
            if rng and over and rng.random() < 0.5:
                hexed = hexed.lower()
            out.append(hexed)
    return "".join(out)


def encode_path(segments: list[str], rng: random.Random | None = None, over: float = 0.0) -> str:
    """'/' + the segments, each percent-encoded (so a '/' inside a segment is %2F)."""
    return "/" + "/".join(percent_encode(s, rng, safe=PATH_SAFE, over=over) for s in segments)


@dataclass
class QueryPair:
    """One `key=value` of the query string: `raw_*` as sent (encoded), the rest decoded."""

    raw_key: str
    raw_value: str

    @property
    def key(self) -> str:
        return unquote(self.raw_key)

    @property
    def value(self) -> str:
        return unquote(self.raw_value)


def query(pairs, rng: random.Random | None = None, over: float = 0.0) -> list[QueryPair]:
    """QueryPairs from decoded (key, value) pairs."""
    return [QueryPair(percent_encode(k, rng, over=over), percent_encode(v, rng, over=over))
            for k, v in pairs]


@dataclass
class Request:
    """One request as a client sends it, independent of the event source."""

    method: str
    path: str                                   # percent-encoded, as on the request line
    query: list[QueryPair] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)  # header lines, in order
    cookies: list[str] = field(default_factory=list)   # "name=value" items
    cookie_header: str | None = None            # the Cookie header's exact text (None: "; "-joined)
    body: bytes | str | None = None
    # "auto": text when it is UTF-8, else base64; "base64": always base64-encoded;
    # "claimed-base64": the body text as is, with isBase64Encoded true (bad base64)
    encoding: str = "auto"
    bare: bool = False                          # leave out the source's standard headers
    route: str = "?"                            # the route (or "unknown") it aims at
    tag: str = "valid"                          # short slug of what it varies
    tags: list[str] = field(default_factory=list)  # every mutation (the slug shows three)
    desc: str = ""                              # one human-readable line

    def header(self, name: str, value: str) -> "Request":
        self.headers.append((name, value))
        return self


def _majority_headers(events: list[dict], key: str) -> dict:
    """The (name, value) pairs present, identically, in most events of a source."""
    counts: Counter = Counter()
    for event in events:
        for name, value in (event.get(key) or {}).items():
            counts[(name, json.dumps(value))] += 1
    keep = {}
    for (name, value), n in counts.items():
        if n * 2 > len(events):
            keep[name] = json.loads(value)
    # keep the order the first event uses
    first = next((e.get(key) for e in events if e.get(key)), {}) or {}
    return {n: keep[n] for n in first if n in keep} | {n: v for n, v in keep.items() if n not in first}


class EventBuilder:
    """Builds events of the four sources from the templates found in a cases file."""

    def __init__(self, cases_path: str):
        by_source: dict[str, list[dict]] = {s: [] for s in SOURCES}
        with open(cases_path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                case = json.loads(line)
                event = case.get("event")
                if case.get("source") in by_source and isinstance(event, dict) and "requestContext" in event:
                    by_source[case["source"]].append(event)
        missing = [s for s, evs in by_source.items() if not evs]
        if missing:
            raise SystemExit(f"{cases_path}: no event of source {', '.join(missing)} to copy")
        self.templates = {s: evs[0] for s, evs in by_source.items()}
        self.std_headers = {
            "rest-v1": _majority_headers(by_source["rest-v1"], "headers"),
            "http-v2": _majority_headers(by_source["http-v2"], "headers"),
            "alb": _majority_headers(by_source["alb"], "headers"),
            "alb-mv": _majority_headers(by_source["alb-mv"], "multiValueHeaders"),
        }
        # Do this app's cases write a single ALB multi-value query value as a plain string?
        self.mv_scalar_query = any(
            isinstance(v, str)
            for e in by_source["alb-mv"]
            for v in (e.get("multiValueQueryStringParameters") or {}).values()
        )

    # ------------------------------------------------------------------ pieces

    @staticmethod
    def _body(req: Request) -> tuple[str | None, bool]:
        if req.body is None:
            return None, False
        data = req.body.encode("utf-8") if isinstance(req.body, str) else req.body
        if req.encoding == "claimed-base64":
            return data.decode("utf-8"), True
        if req.encoding == "base64":
            return base64.b64encode(data).decode("ascii"), True
        if isinstance(req.body, str):
            return req.body, False
        try:
            return data.decode("utf-8"), False
        except UnicodeDecodeError:
            return base64.b64encode(data).decode("ascii"), True

    @staticmethod
    def _cookie_header(req: Request) -> str | None:
        if req.cookie_header is not None:
            return req.cookie_header
        return "; ".join(req.cookies) if req.cookies else None

    def _header_lines(self, req: Request, cookie_name: str) -> list[tuple[str, str]]:
        lines = list(req.headers)
        cookie = self._cookie_header(req)
        if cookie is not None:
            lines.append((cookie_name, cookie))
        return lines

    # ------------------------------------------------------------------ sources

    def build(self, source: str, req: Request, rng: random.Random) -> dict:
        return getattr(self, "_" + source.replace("-", "_"))(req, rng)

    def _rest_v1(self, req: Request, rng: random.Random) -> dict:
        event = copy.deepcopy(self.templates["rest-v1"])
        headers: dict[str, str] = {} if req.bare else dict(self.std_headers["rest-v1"])
        multi: dict[str, list[str]] = {n: [v] for n, v in headers.items()}
        spelling = {n.lower(): n for n in headers}
        for name, value in self._header_lines(req, "Cookie"):
            # one header, one key: repeated lines keep the first spelling of the name
            name = spelling.setdefault(name.lower(), name)
            headers[name] = value
            multi.setdefault(name, []).append(value)
        single_q: dict[str, str] = {}
        multi_q: dict[str, list[str]] = {}
        for pair in req.query:
            single_q[pair.key] = pair.value
            multi_q.setdefault(pair.key, []).append(pair.value)
        body, b64 = self._body(req)
        proxy = unquote(req.path[1:]) if len(req.path) > 1 else None
        event.update({
            "path": req.path,
            "httpMethod": req.method,
            "headers": headers,
            "multiValueHeaders": multi,
            "queryStringParameters": single_q or None,
            "multiValueQueryStringParameters": multi_q or None,
            "pathParameters": {"proxy": proxy} if proxy is not None else None,
            "body": body,
            "isBase64Encoded": b64,
        })
        if not headers and rng.random() < 0.3:  # the cases have an event with null header maps
            event["headers"] = event["multiValueHeaders"] = None
        ctx = event["requestContext"]
        ctx["httpMethod"] = req.method
        ctx["path"] = "/" + ctx.get("stage", "prod") + req.path
        return event

    def _http_v2(self, req: Request, rng: random.Random) -> dict:
        event = copy.deepcopy(self.templates["http-v2"])
        for key in ("queryStringParameters", "body", "cookies"):
            event.pop(key, None)
        headers: dict[str, str] = {} if req.bare else dict(self.std_headers["http-v2"])
        cookies: list[str] = []
        for name, value in self._header_lines(req, "cookie"):
            name = name.lower()
            if name == "cookie":  # cookie headers travel as the `cookies` list
                cookies += [c.strip() for c in value.split(";") if c.strip()]
                continue
            headers[name] = headers[name] + "," + value if name in headers else value
        params: dict[str, str] = {}
        for pair in req.query:
            key = pair.key
            params[key] = params[key] + "," + pair.value if key in params else pair.value
        raw_path = unquote(req.path)
        event.update({
            "rawPath": raw_path,
            "rawQueryString": "&".join(f"{p.raw_key}={p.raw_value}" for p in req.query),
            "headers": headers,
        })
        if params:
            event["queryStringParameters"] = params
        body, b64 = self._body(req)
        if body is not None:
            event["body"] = body
        event["isBase64Encoded"] = b64
        if cookies:
            event["cookies"] = cookies
        http = event["requestContext"]["http"]
        http["method"] = req.method
        http["path"] = raw_path
        # the key order of the cases' events; keys the template has beyond these stay last
        order = ["version", "routeKey", "rawPath", "rawQueryString", "headers", "queryStringParameters",
                 "requestContext", "body", "isBase64Encoded", "cookies"]
        return {k: event[k] for k in order if k in event} | {k: v for k, v in event.items() if k not in order}

    def _alb(self, req: Request, rng: random.Random) -> dict:
        event = copy.deepcopy(self.templates["alb"])
        event.pop("multiValueHeaders", None)
        event.pop("multiValueQueryStringParameters", None)
        headers: dict[str, str] = {} if req.bare else dict(self.std_headers["alb"])
        for name, value in self._header_lines(req, "cookie"):
            headers[name.lower()] = value
        params = {p.raw_key: p.raw_value for p in req.query}
        body, b64 = self._body(req)
        event.update({
            "httpMethod": req.method,
            "path": req.path,
            "queryStringParameters": params,
            "headers": headers,
            "body": body if body is not None else "",
            "isBase64Encoded": b64,
        })
        return event

    def _alb_mv(self, req: Request, rng: random.Random) -> dict:
        event = copy.deepcopy(self.templates["alb-mv"])
        event.pop("headers", None)
        event.pop("queryStringParameters", None)
        headers: dict[str, list[str]] = {} if req.bare else copy.deepcopy(self.std_headers["alb-mv"])
        for name, value in self._header_lines(req, "cookie"):
            headers.setdefault(name.lower(), []).append(value)
        params: dict[str, list[str]] = {}
        for p in req.query:
            params.setdefault(p.raw_key, []).append(p.raw_value)
        scalar = self.mv_scalar_query and rng.random() < 0.3
        if scalar and any(len(v) == 1 for v in params.values()):
            req.tag += "-mv-scalar"  # visible in the case id: real ALBs always send lists
        body, b64 = self._body(req)
        event.update({
            "httpMethod": req.method,
            "path": req.path,
            "multiValueQueryStringParameters": {
                k: (v[0] if scalar and len(v) == 1 else v) for k, v in params.items()
            },
            "multiValueHeaders": headers,
            "body": body if body is not None else "",
            "isBase64Encoded": b64,
        })
        return event
