"""Mutations every app's generator uses: methods, paths, bodies, content types, extras."""

from __future__ import annotations

import base64
import random

from events import Request, encode_path, query
from values import ascii_word, chance, dump, pick, random_case, text

KNOWN_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def method_variant(rng: random.Random, method: str) -> tuple[str, str]:
    """The method, sometimes in another case (the reference upper-cases before matching)."""
    return pick(rng, [
        (12, (method, "")),
        (1, lambda: (method.lower(), "lower-method")),
        (1, lambda: (random_case(rng, method), "mixed-method")),
    ])


def wrong_method(rng: random.Random, allowed: list[str]) -> str:
    others = [m for m in KNOWN_METHODS if m not in allowed and m != "OPTIONS"]
    return rng.choice(others + ["TRACE", "CONNECT", "PROPFIND", "FOO"])


def path_variant(rng: random.Random, segments: list[str], *, over: float = 0.0) -> tuple[str, str]:
    """The route's path, or one of the ways clients mangle it."""
    path = encode_path(segments, rng, over)
    return pick(rng, [
        (20, (path, "")),
        (1, lambda: (path + "/", "trailing-slash")),
        (1, lambda: (path + "//", "double-trailing-slash")),
        (1, lambda: ("/" + path, "leading-double-slash")),
        (1, lambda: (path.replace("/", "//", 2) if len(segments) > 1 else path + "//x", "inner-double-slash")),
        (1, lambda: (random_case(rng, path), "path-case")),
        (1, lambda: (encode_path(segments, rng, over=0.5), "over-encoded")),
        (0.5, lambda: (path + "%2F", "encoded-slash")),
        (0.5, lambda: ("/" + "/".join(["."] + segments), "dot-segment")),
        (0.5, lambda: (path + rng.choice(["/extra", "/x/y"]), "extra-segment")),
    ])


def extra_query(rng: random.Random, n_max: int = 2):
    """Unknown query parameters to append."""
    pairs = [(rng.choice(["other", "x", "_", "utm_source", "a b", "é"]), text(rng)[0])
             for _ in range(rng.randint(1, n_max))]
    return query(pairs, rng), "extra-query"


def extra_headers(rng: random.Random) -> list[tuple[str, str]]:
    """Unrelated headers a client might send."""
    return rng.sample([
        ("X-Request-Id", "req-" + ascii_word(rng)), ("Accept-Language", "en-US,en;q=0.9"),
        ("Cache-Control", "no-cache"), ("X-Unknown", text(rng, header=True)[0]),
        ("Authorization", "Bearer abc.def.ghi"), ("Referer", "https://example.com/page"),
    ], rng.randint(1, 2))


JSON_CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "Application/JSON",
                      "application/vnd.api+json", "text/plain", "application/octet-stream", None]


def json_content_type(rng: random.Random) -> str | None:
    return pick(rng, [(12, "application/json")] + [(1, ct) for ct in JSON_CONTENT_TYPES[1:]])


def with_content_type(req: Request, content_type: str | None, rng: random.Random) -> Request:
    if content_type is not None:
        name = "Content-Type" if rng.random() < 0.8 else rng.choice(["content-type", "CONTENT-TYPE"])
        req.header(name, content_type)
    return req


def json_body(rng: random.Random, value) -> tuple[str | bytes | None, str, str]:
    """(body, encoding, tag): the JSON text of `value`, or something that is not quite it.
    `encoding` is a Request.encoding."""
    text_ = dump(value, rng)
    return pick(rng, [
        (16, (text_, "auto", "")),
        (2, (text_, "base64", "base64")),
        (1, lambda: (text_[: max(1, len(text_) // 2)], "auto", "truncated-json")),
        (1, lambda: (rng.choice(["not json", "{", "{'a': 1}", "[1,]", "{\"a\":1,}", "nul", "tru",
                                 "{\"a\" 1}", "\"unterminated", "01", "1 2"]), "auto", "not-json")),
        (1, lambda: ("", "auto", "empty-body")),
        (0.5, lambda: (None, "auto", "no-body")),
        (1, lambda: (rng.choice([" ", "\n", " \t\r\n"]), "auto", "whitespace-body")),
        (0.5, lambda: (rng.choice(["null", "[]", "\"str\"", "42", "true", "[{}]"]), "auto", "non-object-json")),
        (0.5, lambda: (rng.choice(["abc", "eyJh", "!!!!", "e30", "e30=\n"]), "claimed-base64", "bad-base64")),
        (0.5, lambda: (b"\xff\xfe{\"a\":1}", "base64", "non-utf8")),
        (0.3, lambda: ("\ufeff" + text_, "auto", "bom")),
    ])


def set_body(req: Request, body, encoding: str) -> Request:
    req.body = body
    req.encoding = encoding
    return req


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unknown_route(rng: random.Random, known_prefixes: list[str]) -> Request:
    """A request no route takes (or only almost takes)."""
    seg = pick(rng, [
        (3, lambda: [ascii_word(rng)]),
        (2, lambda: [rng.choice(known_prefixes), ascii_word(rng), ascii_word(rng)]),
        (1, lambda: [rng.choice(known_prefixes).upper()]),
        (1, lambda: []),
        (1, lambda: [rng.choice(known_prefixes) + ascii_word(rng, 2)]),
        (1, lambda: [ascii_word(rng), "", ascii_word(rng)]),
    ])
    method = rng.choice(["GET", "POST", "PUT", "DELETE"])
    path = encode_path(seg) if seg else "/"
    return Request(method, path, route="unknown", tag="unknown-route", desc=f"{method} {path} (no such route)")


def maybe_origin(rng: random.Random, req: Request, p: float = 0.1) -> str:
    """Sometimes an Origin header (these apps have no CORS: it must change nothing)."""
    if chance(rng, p):
        req.header("Origin", rng.choice(["https://example.com", "https://evil.example.org", "null"]))
        return "origin"
    return ""
