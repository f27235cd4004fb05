"""Mutations every app's generator uses: methods, paths, bodies, content types, extras."""

from __future__ import annotations

import random

from events import Request, encode_path, query
from values import Obj, ascii_word, chance, dump, pick, random_case, text

KNOWN_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

# Value tags that are not mutations (see values.py: every generator tags its plain values "ok").
OK_TAGS = {"ok", "", "int", "str", "min", "max", "maxlen", "minlen", "empty-map"}


class Tags(list):
    """What a request varies, as short words, and how many more values it may mutate.

    Most requests should be valid: each request draws a budget of mutated values (none
    for about 40% of requests, one or two for most others, unlimited for a few);
    `draw` re-draws a value until it is plain once the budget is spent."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.budget = pick(rng, [(4, 0), (3, 1), (2, 2), (1, 99)])

    def add(self, where: str, tag: str) -> None:
        if tag and tag not in OK_TAGS:
            self.append(f"{where}-{tag}" if where else tag)

    def spend(self) -> bool:
        if self.budget <= 0:
            return False
        self.budget -= 1
        return True

    def mutate(self, rng: random.Random, p: float) -> bool:
        """Apply an optional mutation? With probability p, within the budget."""
        return chance(rng, p) and self.spend()

    def draw(self, where: str, make):
        """make() -> (value, tag); the value, within the budget."""
        for _ in range(50):
            value, tag = make()
            if tag in OK_TAGS or self.spend():
                break
        self.add(where, tag)
        return value

    def text(self, default: str = "valid") -> str:
        if not self:
            return default
        more = f"-and-{len(self) - 3}-more" if len(self) > 3 else ""
        return "-".join(self[:3]) + more


def repeat_count(rng: random.Random, tags: Tags, where: str, weights) -> int:
    """How many times a query key or header appears (weights: [(weight, count)]); more
    than once only within the budget of `tags`."""
    n = pick(rng, weights)
    if n <= 1:
        return n
    if not tags.spend():
        return 1
    tags.add(where, "repeated")
    return n


def fields(rng: random.Random, tags: Tags, spec: list, *, extra_p: float = 0.1, drop_p: float = 0.06) -> Obj:
    """A JSON object from [(name, make)], make() -> (value, tag); within the budget of
    `tags`, fields are dropped, mistyped, repeated; unknown fields added, order shuffled."""
    pairs = []
    for name, make in spec:
        if tags.mutate(rng, drop_p):
            tags.add(name, "missing")
            continue
        pairs.append((name, tags.draw(name, make)))
    if chance(rng, extra_p):  # unknown fields are ignored
        pairs.append((rng.choice(["x", "extra", "id", "Customer", "QTY"]), rng.choice([1, "y", None, [1]])))
        tags.add("", "extra-field")
    makers = dict(spec)
    present = [name for name, _ in pairs if name in makers]
    if present and tags.mutate(rng, 0.05):
        name = rng.choice(present)
        pairs.append((name, tags.draw(name, makers[name])))
        tags.add(name, "repeated")
    if chance(rng, 0.1):
        rng.shuffle(pairs)
    return Obj(tuple(pairs))


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
        (0.3, lambda: (path + "x" * rng.choice([7000, 8200, 9000]), "long-path")),  # around 8 KiB
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


def with_content_type(req: Request, content_type: str | None, rng: random.Random) -> Request:
    if content_type is not None:
        name = "Content-Type" if rng.random() < 0.8 else rng.choice(["content-type", "CONTENT-TYPE"])
        req.header(name, content_type)
    return req


def json_body(rng: random.Random, value):
    """((body, encoding), tag): the JSON text of `value`, or something that is not quite it.
    `encoding` is a Request.encoding; the tag of the plain JSON text is ""."""
    text_ = dump(value, rng)
    body, encoding, tag = pick(rng, [
        (40, (text_, "auto", "")),
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
    return (body, encoding), tag


def json_content_type(rng: random.Random):
    """(content type or None, tag): mostly application/json."""
    ct = pick(rng, [(30, "application/json")] + [(1, ct) for ct in JSON_CONTENT_TYPES[1:]])
    return ct, "ok" if ct == "application/json" else "ct-" + (ct or "none").split(";")[0].split("/")[-1].lower()


def set_json_body(rng: random.Random, req: Request, tags: Tags, value) -> Request:
    """The JSON body of `value` and a content type, mutated within the budget of `tags`."""
    body, encoding = tags.draw("body", lambda: json_body(rng, value))
    set_body(req, body, encoding)
    return with_content_type(req, tags.draw("", lambda: json_content_type(rng)), rng)


def set_body(req: Request, body, encoding: str) -> Request:
    req.body = body
    req.encoding = encoding
    return req


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
