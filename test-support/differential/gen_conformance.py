"""Requests for the conformance app (shared/conformance/SPEC.md): routing, CORS,
compression, binary bodies, cookies, the /api prefix, /echo and /validate."""

from __future__ import annotations

import random

from common import (extra_headers, extra_query, json_body, json_content_type, method_variant,
                    path_variant, set_body, unknown_route, with_content_type, wrong_method)
from events import Request, query
from values import (UNICODE_PIECES, Obj, Raw, ascii_word, big_int, chance, deep_nesting, int_text,
                    pick, short, text)

CASES = "cases.jsonl"  # relative to the shared conformance directory
REFERENCE = "powertools_app.py"

ORIGINS = [
    (6, "https://example.com"), (4, "https://app.example.com"), (3, "https://evil.example.org"),
    (1, "https://EXAMPLE.com"), (1, "https://example.com/"), (1, "http://example.com"),
    (1, "null"), (1, ""), (1, "https://example.com:443"), (1, " https://example.com"),
]
ACCEPT_ENCODINGS = [
    (5, "gzip"), (3, "gzip, deflate, br"), (1, "GZIP"), (1, "gzip;q=0"), (1, "*"), (1, "*;q=0"),
    (1, "x-gzip"), (1, "deflate"), (1, "br;q=1, gzip;q=0.5"), (1, "identity"), (1, ""),
    (1, "gzip;q=abc"), (1, "gzip;q=0, *"), (1, "deflate, *;q=0.1"), (1, "gzip;Q=0.0"), (1, " gzip "),
    (1, "gzip;q=0.001"), (1, "gzipx"), (1, "identity;q=0"),
]
# Path-parameter text: \w and -._~()'!*:@,;=+&$%<> []{}|^ match, / " ? # do not.
SEGMENT_PIECES = ["world", "John Doe", "José", "a-b_c.d~e", "(x)", "it's", "!*", "a:b@c", "a,b;c=d",
                  "1+1", "&$", "100%", "<tag>", "[1]", "{x}", "a|b^c", "x\"y", "q?x", "h#1", "a/b",
                  "日本", "😀", "e\u0301", "%41", "", " ", "-", "..", "~"]


def segment(rng: random.Random) -> str:
    return pick(rng, [
        (5, lambda: ascii_word(rng)),
        (4, lambda: rng.choice(SEGMENT_PIECES)),
        (1, lambda: rng.choice(UNICODE_PIECES)),
        (1, lambda: ascii_word(rng) + rng.choice(SEGMENT_PIECES) + ascii_word(rng, 2)),
    ])


def random_json(rng: random.Random, features: set, depth: int = 0):
    """A JSON value for /echo: anything JSON can say, and a few things only Python reads.
    Adds to `features` a word for each unusual thing it put in."""

    def special(feature, tokens):
        def make():
            features.add(feature)
            return Raw(rng.choice(tokens))
        return make

    def big():
        features.add("bigint")
        return big_int(rng)

    scalars = [
        (3, lambda: rng.randint(-1000, 1000)),
        (1, big),
        (2, lambda: rng.choice([0.5, -2.25, 1e20, 1e-7, 3.0, 1.7976931348623157e308, 5e-324])),
        (1, special("number-syntax", ["1E2", "-0", "-0.0", "1.0000000000000001", "0.1e1",
                                      "123456789012345678901234.5"])),
        (0.3, special("overflow-1e400", ["1e400", "-1e400"])),
        (0.2, special("nan-infinity", ["NaN", "Infinity", "-Infinity"])),
        (3, lambda: text(rng)[0]),
        (1, special("escapes", ['"\\u00e9"', '"\\ud83d\\ude00"', '"a\\/b"', '"tab\\tnl\\n"', '"\\u0000"'])),
        (0.2, special("lone-surrogate", ['"\\ud800"', '"x\\udfff"'])),
        (2, lambda: rng.choice([True, False, None])),
    ]
    if depth >= 3:
        return pick(rng, scalars)

    def duplicate_keys():
        features.add("duplicate-keys")
        return Obj(tuple((k, random_json(rng, features, depth + 1)) for k in ["a", "b", "a"]))

    return pick(rng, scalars + [
        (2, lambda: [random_json(rng, features, depth + 1) for _ in range(rng.randint(0, 3))]),
        (2, lambda: {ascii_word(rng, 3): random_json(rng, features, depth + 1) for _ in range(rng.randint(0, 3))}),
        (0.5, duplicate_keys),
        (0.5, lambda: {rng.choice(UNICODE_PIECES + ["", " ", "a.b", "$"]): 1}),
    ])


# ---------------------------------------------------------------- one request per route


def simple_get(route: str, segments: list[str], desc: str):
    def make(rng: random.Random) -> Request:
        path, tag = path_variant(rng, segments)
        if chance(rng, 0.15):
            path, tag = "/api" + path, "api-prefix" + ("-" + tag if tag else "")
        method, mtag = method_variant(rng, "GET")
        return Request(method, path, route=route, tag="-".join(t for t in (tag, mtag) if t) or "ok",
                       desc=f"{method} {path} ({desc})")
    return make


def hello_name(rng):
    name = segment(rng)
    path, tag = path_variant(rng, ["hello", name])
    return Request("GET", path, route="hello-name", tag=tag or "ok", desc=f"GET {short(path, 60)}")


def message_name(rng):
    segs = [rng.choice(["good", "errors", "logo", "teapot", "echo", "nocors", "items", "query", "api", "cookies"])
            if chance(rng, 0.5) else segment(rng), segment(rng)]
    path, tag = path_variant(rng, segs)
    return Request("GET", path, route="message-name", tag=tag or "ok", desc=f"GET {path}")


def files(rng):
    segs = ["files"] + [segment(rng) for _ in range(rng.randint(1, 4))]
    path, tag = path_variant(rng, segs)
    if chance(rng, 0.2):
        path, tag = "/api" + path, "api-prefix"
    return Request("GET", path, route="files", tag=tag or "ok", desc=f"GET {path} (catch-all)")


def echo(rng):
    features: set = set()
    value = random_json(rng, features)
    tag = "json" + "".join("-" + f for f in sorted(features))
    if chance(rng, 0.02):
        depth = rng.choice([50, 200, 500, 1100])
        value, tag = deep_nesting(depth), f"nesting-{depth}"
    (body, encoding), btag = json_body(rng, value)
    method, mtag = method_variant(rng, "POST")
    path, ptag = path_variant(rng, ["echo"])
    req = Request(method, path, route="echo", tag="-".join(t for t in (tag, btag, mtag, ptag) if t),
                  desc=f"{method} {path} with a {btag or 'JSON'} body ({tag})")
    set_body(req, body, encoding)
    return with_content_type(req, json_content_type(rng)[0], rng)


def items(rng):
    item_id = segment(rng) if chance(rng, 0.6) else str(rng.randint(0, 10**6))
    method, mtag = method_variant(rng, rng.choice(["PUT", "POST"]))
    path, ptag = path_variant(rng, ["items", item_id])
    req = Request(method, path, route="items", tag="-".join(t for t in (mtag, ptag) if t) or "ok",
                  desc=f"{method} {path}")
    if chance(rng, 0.6):
        (body, encoding), _ = json_body(rng, random_json(rng, set(), 2))
        set_body(req, body, encoding)
    return req


def query_route(rng):
    pairs, tags = [], []
    n_names = pick(rng, [(3, 1), (2, 0), (1, 2), (0.5, 3)])
    for _ in range(n_names):
        value, t = text(rng)
        pairs.append((rng.choice(["name", "name", "Name", "NAME", "name "]) if chance(rng, 0.2) else "name", value))
        tags.append(t)
    if len(pairs) > 1:
        tags.append("repeated")
    req = Request("GET", "/query", route="query")
    req.query = query(pairs, rng, over=0.1 if chance(rng, 0.2) else 0.0)
    n_headers = pick(rng, [(3, 1), (2, 0), (1, 2)])
    for _ in range(n_headers):
        value, t = text(rng, header=True)
        req.header(rng.choice(["X-Name", "x-name", "X-NAME", "x-Name"]), value)
        tags.append("hdr-" + t)
    if chance(rng, 0.2):
        extra, t = extra_query(rng)
        req.query += extra
        tags.append(t)
    req.tag = "-".join(dict.fromkeys(tags)) or "defaults"
    req.desc = f"GET /query ({n_names} name value(s), {n_headers} X-Name header(s))"
    return req


def validate(rng):
    req = Request("GET", "/validate", route="validate")
    repeats = pick(rng, [(6, 1), (1, 0), (1, 2)])
    values = [int_text(rng) for _ in range(repeats)]
    req.query = query([("n", v) for v, _ in values], rng)
    if chance(rng, 0.15):
        extra, _ = extra_query(rng)
        req.query += extra
    req.tag = "-".join(t for _, t in values) + ("-repeated" if repeats > 1 else "") or "default"
    req.desc = "GET /validate?" + "&".join(f"n={short(v)}" for v, _ in values)
    return req


def compressed(rng):
    path = rng.choice(["/compressed", "/logo/compressed", "/compressed", "/hello", "/logo", "/teapot"])
    route = "compress" if "compressed" in path else "compress-other"
    req = Request(rng.choice(["GET", "GET", "GET", "HEAD"]), path, route=route)
    values = [pick(rng, ACCEPT_ENCODINGS) for _ in range(pick(rng, [(6, 1), (1, 2), (1, 0)]))]
    for v in values:
        req.header(rng.choice(["Accept-Encoding", "accept-encoding", "ACCEPT-ENCODING"]), v)
    req.tag = "ae-" + ("+".join(v or "empty" for v in values) if values else "none")
    req.desc = f"{req.method} {path} with Accept-Encoding {values}"
    return req


def cors(rng):
    """Any route with Origin headers (CORS on everywhere but /nocors)."""
    inner = pick(rng, [(3, lambda: simple_get("hello", ["hello"], "")(rng)), (1, lambda: unknown_route(rng, ["hello"])),
                       (2, lambda: simple_get("nocors", ["nocors"], "")(rng)),
                       (1, lambda: simple_get("errors/service", ["errors", "service"], "")(rng)),
                       (1, lambda: simple_get("cookies", ["cookies"], "")(rng)),
                       (1, lambda: validate(rng)), (1, lambda: echo(rng))])
    origins = [pick(rng, ORIGINS) for _ in range(pick(rng, [(8, 1), (1, 2)]))]
    for o in origins:
        inner.header(rng.choice(["Origin", "origin", "ORIGIN"]), o)
    inner.tag = f"cors-{len(origins)}-origins-" + inner.tag
    inner.desc += f" with Origin {origins}"
    return inner


def preflight(rng):
    path = rng.choice(["/hello", "/echo", "/items/1", "/nocors", "/", "/nope/x/y", "/api/hello"])
    req = Request(rng.choice(["OPTIONS", "OPTIONS", "options"]), path, route="preflight")
    tags = []
    if chance(rng, 0.8):
        o = pick(rng, ORIGINS)
        req.header("Origin", o)
        tags.append("origin")
    if chance(rng, 0.7):
        req.header("Access-Control-Request-Method", rng.choice(["GET", "POST", "DELETE", "PATCH", "get"]))
        tags.append("acrm")
    if chance(rng, 0.4):
        req.header("Access-Control-Request-Headers", rng.choice(["X-Custom-Header", "content-type,x-other", ""]))
        tags.append("acrh")
    req.tag = "-".join(tags) or "bare"
    req.desc = f"{req.method} {path} (preflight)"
    return req


def wrong_method_route(rng):
    path, allowed = rng.choice([("/hello", ["GET"]), ("/echo", ["POST"]), ("/items/5", ["PUT", "POST", "GET"]),
                                ("/query", ["GET"]), ("/files/a/b", ["GET"]), ("/compressed", ["GET"])])
    method = wrong_method(rng, allowed)
    req = Request(method, path, route="wrong-method", tag=method.lower(), desc=f"{method} {path}")
    if chance(rng, 0.5):
        set_body(req, '{"a":1}', "auto")
    return req


ROUTES = [
    (3, simple_get("hello", ["hello"], "route 1")),
    (4, hello_name),
    (4, message_name),
    (3, files),
    (8, echo),
    (4, items),
    (6, query_route),
    (2, simple_get("errors/bad-request", ["errors", "bad-request"], "400")),
    (1, simple_get("errors/unauthorized", ["errors", "unauthorized"], "401")),
    (1, simple_get("errors/not-found", ["errors", "not-found"], "404")),
    (1, simple_get("errors/internal", ["errors", "internal"], "500")),
    (1, simple_get("errors/service", ["errors", "service"], "502")),
    (1, simple_get("teapot", ["teapot"], "418")),
    (4, compressed),
    (1, simple_get("logo", ["logo"], "binary")),
    (1, simple_get("nocors", ["nocors"], "no CORS")),
    (8, validate),
    (1, simple_get("cookies", ["cookies"], "a cookie")),
    (4, cors),
    (3, preflight),
    (2, wrong_method_route),
    (2, lambda rng: unknown_route(rng, ["hello", "files", "echo", "api", "errors", "logo"])),
]


def generate(rng: random.Random) -> Request:
    req = pick(rng, [(w, (lambda f=f: f(rng))) for w, f in ROUTES])
    if chance(rng, 0.05):
        req.headers += extra_headers(rng)
    if chance(rng, 0.03):
        req.bare = True
    return req
