"""Requests for the contract app (shared/conformance/contract/SPEC.md): cookies, url-encoded
forms, multipart uploads, dependencies (X-Tenant), UUIDs, dates and date-times, enums, int
literals, unions, maps, regex patterns, response validation and the /v2/ problem+json."""

from __future__ import annotations

import random

from common import (Tags, repeat_count, extra_headers, fields, json_body, method_variant, path_variant, set_body,
                    set_json_body, unknown_route, with_content_type, wrong_method)
from events import Request, percent_encode, query
from values import (UNICODE_PIECES, Obj, ascii_word, big_int, bool_text, chance, int_text, json_float,
                    json_str, pick, random_case, short, string_of_length, text)

CASES = "contract/cases.jsonl"  # relative to the shared conformance directory
REFERENCE = "contract_app.py"

UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"

NIL_MAX_UUIDS = ["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"]
EDGE_DATES = ["2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31"]
IMPOSSIBLE_DATES = ["2023-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-04-31"]
DATETIMES_FOR_DATE = ["2026-01-31T00:00:00", "2026-01-31T00:00:00Z", "2026-01-31T00:00:00+00:00",
                      "2026-01-31T10:15:00Z", "2026-01-31 00:00", "2026-01-31T00:00:00.000"]
UNIX_TEXTS = ["1700000000", "0", "-1", "86400", "1700000000000", "1e9", "1700000000.5", "20000000000", "-86400"]
ODD_DATES = ["2026-1-31", "20260131", "2026/01/31", "31-01-2026", "2026-W05", "2026-031", " 2026-01-31",
             "2026-01-31 ", "today", "", "２０２６-01-31"]
OFFSETS = ["+00:00", "+05:30", "-08:00", "+14:00", "-00:00", "+0100"]
FRACTIONS = [".1", ".123456", ".1234567", ".999999999", ".5"]
IMPOSSIBLE_DATETIMES = ["2026-12-03T23:59:60Z", "2026-12-03T24:00:00Z", "2026-13-03T10:00:00Z",
                        "2026-02-30T10:00:00Z", "2026-12-03T10:15:00+24:00", "0000-01-01T00:00:00Z"]
UNIX_NUMBERS = [0, 1700000000, 1700000000000, -1, 86400, 1e10, 2**40, 1700000000.5, 253402300800]
BAD_CODES = ["AB", "ABCD", "abc", "AbC", "AB1", "", "ÄBC", "ABC\n", "\nABC", " ABC", "ＡＢＣ"]
BAD_ZIPS = ["1234", "123456", "12a45", "١٢٣٤٥", "12345\n", " 12345", ""]
ODD_SESSIONS = ["a=b=cdefgh", "abc%20defgh", "abcdefg%", "é" * 8, "日本語のクッキー値"]
BAD_LEVELS = [0, 4, -1, 1.0, 2.5, "1", "2", True, None]
PART_TYPES = [(3, None), (3, "application/octet-stream"), (1, "image/png"), (1, "text/plain; charset=utf-8")]


# ---------------------------------------------------------------- typed values


def random_uuid(rng: random.Random) -> str:
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def uuid_text(rng: random.Random):
    u = random_uuid(rng) if chance(rng, 0.7) else UUID
    return pick(rng, [
        (8, (u, "ok")),
        (2, (u.upper(), "upper")),
        (1, lambda: (random_case(rng, u), "mixed-case")),
        (2, ("{" + u + "}", "braces")),
        (2, (u.replace("-", ""), "no-hyphens")),
        (1, ("urn:uuid:" + u, "urn")),
        (1, lambda: (rng.choice(NIL_MAX_UUIDS), "nil-max")),
        (1, lambda: (u[:-1], "short")),
        (1, lambda: (u + "0", "long")),
        (1, lambda: (u[:9] + "g" + u[10:], "non-hex")),
        (1, lambda: (u[:8] + u[9:13] + "-" + u[8:9] + u[13:], "misplaced-hyphen")),
        (1, lambda: (rng.choice([" " + u, u + " ", u.replace("-", "_"), "not-a-uuid", "", "1"]), "junk")),
    ])


def date_text(rng: random.Random):
    return pick(rng, [
        (6, lambda: (f"{rng.randint(1970, 2099)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "ok")),
        (1, lambda: (rng.choice(EDGE_DATES), "edge")),
        (2, lambda: (rng.choice(IMPOSSIBLE_DATES), "impossible")),
        (2, lambda: (rng.choice(DATETIMES_FOR_DATE), "datetime")),
        (2, lambda: (rng.choice(UNIX_TEXTS), "unix")),
        (2, lambda: (rng.choice(ODD_DATES), "odd")),
    ])


def datetime_value(rng: random.Random):
    """A JSON value for a datetime field: ISO text in many spellings, or a Unix time."""
    d = f"{rng.randint(1970, 2099)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    t = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    return pick(rng, [
        (5, lambda: (f"{d}T{t}Z", "ok")),
        (1, lambda: (f"{d}T{t}" + rng.choice(OFFSETS), "offset")),
        (1, lambda: (f"{d}T{t}" + rng.choice(FRACTIONS) + "Z", "fraction")),
        (1, lambda: (f"{d}T{t}", "naive")),
        (1, lambda: (rng.choice([f"{d} {t}", f"{d}t{t}z", f"{d}T{t[:5]}", f"{d}T{t[:2]}", d, f"{d}T{t}ZZ"]),
                     "spelling")),
        (1, lambda: (rng.choice(IMPOSSIBLE_DATETIMES), "impossible")),
        (2, lambda: (rng.choice(UNIX_NUMBERS), "unix")),
        (1, lambda: (rng.choice(["1700000000", "1700000000.25", "-5", "1e9", "0"]), "unix-string")),
        (1, lambda: (big_int(rng), "unix-bigint")),
        (1, lambda: (rng.choice([None, True, [], {}, "", "now", "yesterday"]), "junk")),
    ])


def date_in_json(rng):
    return pick(rng, [(6, lambda: datetime_value(rng)), (1, lambda: date_text(rng))])


def code_value(rng):
    return pick(rng, [
        (6, lambda: ("".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3)), "ok")),
        (2, lambda: (rng.choice(BAD_CODES), "pattern")),
        (1, lambda: (rng.choice([123, None, ["ABC"]]), "wrong-type")),
    ])


def union_value(rng):
    """int | str, tried in that order."""
    return pick(rng, [
        (4, lambda: (rng.randint(-100, 10**6), "int")),
        (3, lambda: (text(rng)[0], "str")),
        (1, lambda: (rng.choice(["7", "007", " 7", "7.0", "1e3"]), "numeric-str")),
        (1, lambda: (rng.choice([7.0, 7.5, 1e20, -0.0]), "float")),
        (1, lambda: (big_int(rng), "bigint")),
        (1, lambda: (rng.choice([True, False, None, [], {}]), "other")),
    ])


def tagged_big(value, tag):
    """(value, tag), the tag saying `bigint` when the value holds an integer past 64 bits."""
    inner = value.get("a") if isinstance(value, dict) else value
    big = isinstance(inner, int) and not isinstance(inner, bool) and not -2**63 <= inner < 2**63
    return value, (f"bigint-{tag}" if big else tag)


def tags_map(rng):
    return pick(rng, [
        (3, ({}, "empty-map")),
        (4, lambda: ({ascii_word(rng, 3): rng.randint(-5, 100) for _ in range(rng.randint(1, 3))}, "ok")),
        (1, lambda: tagged_big({"a": rng.choice(["1", " 2", "x", 1.0, 1.5, None, True, big_int(rng)])}, "bad-value")),
        (1, lambda: ({rng.choice(["", " ", "é", "1"]): 1}, "odd-key")),
        (1, lambda: (Obj((("a", 1), ("a", "x"))), "duplicate-key")),
        (1, lambda: (rng.choice([[], ["a"], "a=1", 1, None]), "not-a-map")),
    ])


def place_value(rng, tags: Tags):
    def zip_code():
        return pick(rng, [(5, lambda: (f"{rng.randint(0, 99999):05d}", "ok")),
                          (2, lambda: (rng.choice(BAD_ZIPS), "pattern")),
                          (1, lambda: (rng.choice([12345, None]), "wrong-type"))])

    return pick(rng, [
        (4, (None, "ok")),
        # "ok": its fields spend the budget
        (5, lambda: (fields(rng, tags, [("city", lambda: json_str(rng, min_len=1)), ("zip", zip_code)]), "ok")),
        (1, lambda: (rng.choice(["Paris", [], 1]), "not-an-object")),
    ])


# ---------------------------------------------------------------- routes


def me(rng):
    """GET /me: cookies session (length >= 8) and theme (light|dark)."""
    tags = Tags(rng)
    items = []
    if not tags.mutate(rng, 0.1):
        session = tags.draw("session", lambda: pick(rng, [
            (5, lambda: (ascii_word(rng, rng.randint(8, 16)), "ok")),
            (2, lambda: (string_of_length(rng, rng.choice([7, 8])), "boundary")),
            (1, lambda: ('"' + ascii_word(rng, 8) + '"', "quoted")),
            (1, lambda: (rng.choice(["abc def gh", " abcdefgh", "abcdefgh "]), "spaces")),
            (1, lambda: (rng.choice(ODD_SESSIONS), "odd-chars")),
            (1, lambda: ("", "empty")),
        ]))
        items.append(f"session={session}")
        if tags.mutate(rng, 0.08):
            items.append(f"session={ascii_word(rng, 10)}")
            tags.add("session", "duplicate")
    else:
        tags.add("session", "missing")
    if chance(rng, 0.5):
        theme = tags.draw("theme", lambda: pick(rng, [
            (5, lambda: (rng.choice(["light", "dark"]), "ok")),
            (2, lambda: (rng.choice(["Dark", "LIGHT", "blue", "", " dark", '"dark"']), "bad"))]))
        items.append(f"theme={theme}")
    if chance(rng, 0.3):
        items.insert(rng.randint(0, len(items)), rng.choice(["a=1", "flag", "=x", "Session=abcdefgh1", "x=\"y; z\""]))
        tags.add("", "other-cookie")
    if chance(rng, 0.2):
        rng.shuffle(items)
    req = Request("GET", "/me", route="me", cookies=items)
    if items and chance(rng, 0.3):
        sep = rng.choice([";", " ; ", ";  "])
        req.cookie_header = sep.join(items) + rng.choice(["", ";", " "])
        tags.add("", "cookie-spacing")
    if len(items) > 1 and chance(rng, 0.1):  # one Cookie header line per cookie
        req.cookies = []
        for item in items:
            req.header(rng.choice(["Cookie", "cookie"]), item)
        tags.add("", "cookie-lines")
    req.tag, req.tags = tags.text(), list(tags)
    req.desc = f"GET /me with cookies {short(items, 80)}"
    return req


def form_encode(rng: random.Random, pairs, plus: bool) -> str:
    """key=value&... percent-encoded; with `plus`, spaces as "+"; a None value: the key alone."""
    def enc(s):
        e = percent_encode(s, rng, over=0.1 if chance(rng, 0.1) else 0.0)
        return e.replace("%20", "+") if plus else e
    return "&".join(f"{enc(k)}={enc(v)}" if v is not None else enc(k) for k, v in pairs)


def email_value(rng: random.Random):
    return pick(rng, [
        (6, lambda: (f"{ascii_word(rng)}@example.com", "ok")),
        (1, lambda: (rng.choice(["c+d@example.com", "a.b@c", "ü@例え.jp", "x@y@z"]), "odd")),
        (2, lambda: (rng.choice(["nope", "a b@c", "@x", "a@", "a@b c", "a\t@b", "", " a@b", "a@b\n"]), "pattern")),
    ])


def signup(rng):
    """POST /signup: a url-encoded form with email (pattern), age (>= 13), newsletter (bool)."""
    tags = Tags(rng)
    pairs = []
    for name, make in (("email", lambda: email_value(rng)), ("age", lambda: int_text(rng, 13, None))):
        if tags.mutate(rng, 0.05):
            tags.add(name, "missing")
            continue
        pairs.append((name, tags.draw(name, make)))
        if tags.mutate(rng, 0.06):
            pairs.append((name, make()[0]))
            tags.add(name, "repeated")
    if chance(rng, 0.5):  # optional, default false
        pairs.append(("newsletter", tags.draw("newsletter", lambda: bool_text(rng))))
    if chance(rng, 0.15):
        pairs.append((rng.choice(["extra", "Email", "flag"]), rng.choice(["1", "", None])))
        tags.add("", "extra-field")
    if chance(rng, 0.15):
        rng.shuffle(pairs)
    plus = chance(rng, 0.5)
    body = form_encode(rng, pairs, plus)
    if chance(rng, 0.08):
        body = rng.choice(["&", "&&"]) + body + rng.choice(["", "&"])
        tags.add("", "stray-ampersands")
    content_type = tags.draw("ct", lambda: pick(rng, [
        (20, ("application/x-www-form-urlencoded", "ok")),
        (1, ("application/x-www-form-urlencoded; charset=UTF-8", "charset")),
        (1, ("APPLICATION/X-WWW-FORM-URLENCODED", "upper")),
        (1, ("text/plain", "text")), (1, (None, "none")), (1, ("multipart/form-data; boundary=x", "multipart")),
    ]))
    req = Request("POST", "/signup", route="signup")
    if chance(rng, 0.08):
        value = {k: v for k, v in pairs if v is not None}
        (body, encoding), btag = json_body(rng, value)
        content_type = "application/json"
        tags.add("", "json-body" + ("-" + btag if btag else ""))
    else:
        encoding = "base64" if chance(rng, 0.15) else "auto"
        tags.add("", "base64" if encoding == "base64" else "")
    set_body(req, body, encoding)
    with_content_type(req, content_type, rng)
    req.tag, req.tags = tags.text(), list(tags)
    req.desc = f"POST /signup form {short(body, 80)}"
    return req


def multipart(boundary: str, parts, *, newline: bytes = b"\r\n", preamble: bytes = b"",
              epilogue: bytes = b"", close: bool = True) -> bytes:
    """A multipart/form-data body from parts [name, filename or None, content type or None, bytes]."""
    nl = newline
    out = [preamble]
    for name, filename, ctype, content in parts:
        out.append(b"--" + boundary.encode() + nl)
        disposition = f'Content-Disposition: form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out.append(disposition.encode("utf-8") + nl)
        if ctype:
            out.append(f"Content-Type: {ctype}".encode() + nl)
        out.append(nl + content + nl)
    if close:
        out.append(b"--" + boundary.encode() + b"--" + nl)
    out.append(epilogue)
    return b"".join(out)


def file_content(rng: random.Random):
    return pick(rng, [
        (4, lambda: (ascii_word(rng, rng.randint(1, 40)).encode(), "ok")),
        (3, lambda: (bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 64))), "random-bytes")),
        (2, lambda: (b"\x89PNG\r\n\x1a\n" + bytes(range(64)), "png")),
        (1, lambda: (b"", "empty")),
        (1, lambda: (b"--not-a-boundary\r\n\r\n", "dashes")),
        (1, lambda: (b"\r\n\r\n\r\n", "crlf-only")),
        (1, lambda: (rng.choice(UNICODE_PIECES).encode() + b"text", "utf8-text")),
        (1, lambda: (bytes(range(256)) * rng.randint(1, 4), "all-bytes")),
    ])


def upload(rng):
    """POST /upload: multipart with a file (required) and a note (<= 10 characters)."""
    tags = Tags(rng)
    boundary = tags.draw("boundary", lambda: pick(rng, [
        (4, ("XyZzY0123", "ok")),
        (3, lambda: ("----WebKitFormBoundary" + ascii_word(rng, 16), "ok")),
        (1, lambda: ("a'()+_,-./:=?" + ascii_word(rng, 4), "specials")),
        (1, lambda: ("-" * rng.randint(1, 30) + ascii_word(rng, 6), "dashes")),
        (1, ("b" * 70, "70-chars")),
    ]))
    parts = []
    if not tags.mutate(rng, 0.1):
        content = tags.draw("file", lambda: file_content(rng))
        filename = tags.draw("filename", lambda: pick(rng, [
            (6, ("a.bin", "ok")), (1, ("", "empty")), (1, (None, "none")), (1, ("ü.png", "unicode")),
            (1, ('we"ird.txt', "quote")), (1, ("x;y.txt", "semicolon"))]))
        ctype = pick(rng, PART_TYPES)
        parts.append(["file", filename, ctype, content])
        if tags.mutate(rng, 0.05):
            parts.append(["file", "b.bin", None, b"second"])
            tags.add("file", "twice")
    else:
        tags.add("file", "missing")
    if chance(rng, 0.6):
        note = tags.draw("note", lambda: text(rng, max_len=10))
        parts.append(["note", None, None, note.encode("utf-8")])
    if tags.mutate(rng, 0.1):
        parts.append([rng.choice(["other", "FILE", "note2"]), rng.choice([None, "c.txt"]), None, b"x"])
        tags.add("", "extra-part")
    if chance(rng, 0.15):
        rng.shuffle(parts)
    newline = b"\r\n"
    if tags.mutate(rng, 0.05):
        newline = b"\n"
        tags.add("", "lf-only")
    preamble = b"preamble\r\n" if chance(rng, 0.1) else b""
    epilogue = b"epilogue" if chance(rng, 0.05) else b""
    close = not tags.mutate(rng, 0.05)
    if not close:
        tags.add("", "unclosed")
    body = multipart(boundary, parts, newline=newline, preamble=preamble, epilogue=epilogue, close=close)
    quoted = chance(rng, 0.2) or (any(c in boundary for c in "'(),/:=?") and chance(rng, 0.5))
    param = f'"{boundary}"' if quoted else boundary
    content_type = tags.draw("ct", lambda: pick(rng, [
        (12, (f"multipart/form-data; boundary={param}", "ok")),
        (1, (f"multipart/form-data; charset=utf-8; boundary={param}", "charset")),
        (1, (f"Multipart/Form-Data; Boundary={param}", "case")),
        (1, ("multipart/form-data", "no-boundary")),
        (1, (f"multipart/form-data; boundary={param}x", "wrong-boundary")),
        (0.5, (None, "none")),
    ]))
    req = Request("POST", "/upload", route="upload")
    set_body(req, body, "base64" if chance(rng, 0.9) else "auto")
    with_content_type(req, content_type, rng)
    req.tag, req.tags = tags.text(), list(tags)
    req.desc = f"POST /upload, boundary {short(boundary, 30)}, parts {[(p[0], p[1], len(p[3])) for p in parts]}"
    return req


def orders(rng):
    """GET /orders: the X-Tenant dependency (401 without it) and limit (1..=50)."""
    tags = Tags(rng)
    req = Request("GET", "/orders", route="orders")
    n_tenants = repeat_count(rng, tags, "tenant", [(8, 1), (1, 2)])
    if tags.mutate(rng, 0.15):
        n_tenants = 0
        tags.add("tenant", "missing")
    for _ in range(n_tenants):
        tenant = tags.draw("tenant", lambda: pick(rng, [
            (4, lambda: ("eu-" + ascii_word(rng), "ok")), (4, lambda: ("us-" + ascii_word(rng), "ok")),
            (1, lambda: (rng.choice(["EU-west", "eu", "eu-", " eu-x", "ap-1"]), "odd")), (1, ("", "empty"))]))
        req.header(rng.choice(["X-Tenant", "x-tenant", "X-TENANT"]), tenant)
    pairs = [("limit", tags.draw("limit", lambda: int_text(rng, 1, 50)))
             for _ in range(repeat_count(rng, tags, "limit", [(5, 1), (4, 0), (1, 2)]))]
    req.query = query(pairs, rng)
    req.tag, req.tags = tags.text(), list(tags)
    req.desc = "GET /orders?" + "&".join(f"limit={short(v, 20)}" for _, v in pairs) + f" with {req.headers}"
    return req


def reports(rng):
    """GET /reports/<uuid>?since=<date>&fmt=&level=&ids=..."""
    tags = Tags(rng)
    rid = tags.draw("id", lambda: uuid_text(rng))
    path = tags.draw("", lambda: path_variant(rng, ["reports", rid]))
    pairs = []
    if not tags.mutate(rng, 0.05):
        pairs.append(("since", tags.draw("since", lambda: date_text(rng))))
    else:
        tags.add("since", "missing")
    if chance(rng, 0.4):
        pairs.append(("fmt", tags.draw("fmt", lambda: pick(rng, [
            (4, lambda: (rng.choice(["json", "csv"]), "ok")),
            (2, lambda: (rng.choice(["JSON", "Csv", "xml", "", " json"]), "bad"))]))))
    if tags.mutate(rng, 0.3):  # any level from a query string is a literal_error
        pairs.append(("level", rng.choice(["1", "2", "3", "0", "4", "01", "1.0", "one", ""])))
        tags.add("level", "text")
    for _ in range(pick(rng, [(4, 0), (3, 1), (2, 2), (1, 4)])):
        pairs.append(("ids", tags.draw("ids", lambda: int_text(rng))))
    if chance(rng, 0.2):
        rng.shuffle(pairs)
    req = Request("GET", path, route="reports", query=query(pairs, rng))
    req.tag, req.tags = tags.text(), list(tags)
    req.desc = f"GET {short(path, 60)}?" + "&".join(f"{k}={short(v, 24)}" for k, v in pairs)
    return req


def post_event(rng):
    """POST /events with an Event body."""
    tags = Tags(rng)

    def uuid_value():
        return pick(rng, [(8, lambda: uuid_text(rng)), (1, lambda: (rng.choice([123, None, [UUID]]), "wrong-type"))])

    value = fields(rng, tags, [
        ("id", uuid_value),
        ("at", lambda: date_in_json(rng)),
        ("kind", lambda: pick(rng, [(6, lambda: (rng.choice(["click", "view"]), "ok")),
                                    (2, lambda: (rng.choice(["CLICK", "View", "", "tap", " click"]), "bad")),
                                    (1, lambda: (rng.choice([1, None, ["click"]]), "wrong-type"))])),
        ("code", lambda: code_value(rng)),
        ("level", lambda: pick(rng, [(5, lambda: (rng.choice([1, 2, 3]), "ok")),
                                     (2, lambda: tagged_big(rng.choice(BAD_LEVELS + [big_int(rng)]), "bad"))])),
        ("value", lambda: union_value(rng)),
        ("tags", lambda: tags_map(rng)),
        ("place", lambda: place_value(rng, tags)),
    ], drop_p=0.05)
    req = set_json_body(rng, Request("POST", "/events", route="events"), tags, value)
    req.tag, req.tags = tags.text(), list(tags)
    req.desc = f"POST /events {short(req.body, 100)}"
    return req


def users(rng):
    """GET /users/<id> (13 and 14 fail response validation: 500) and /users/<id>/card (502)."""
    tags = Tags(rng)
    uid = tags.draw("id", lambda: pick(rng, [
        (3, lambda: (rng.choice(["13", "14"]), "ok")),
        (3, lambda: (str(rng.randint(0, 10**6)), "ok")),
        (3, lambda: int_text(rng))]))
    card = chance(rng, 0.35)
    path = tags.draw("", lambda: path_variant(rng, ["users", uid] + (["card"] if card else [])))
    method = tags.draw("", lambda: method_variant(rng, "GET"))
    req = Request(method, path, route="users-card" if card else "users")
    req.tag = tags.text(default="id-" + uid if uid in ("13", "14") else "valid")
    req.desc = f"{method} {short(path, 60)}"
    return req


def post_item(rng):
    """POST /items: 201, or 409 for the name "taken"."""
    tags = Tags(rng)
    value = fields(rng, tags, [
        ("name", lambda: pick(rng, [(6, lambda: json_str(rng, max_len=20, min_len=1)),
                                    (2, ("taken", "ok")),
                                    (1, lambda: (rng.choice(["Taken", "taken ", " taken"]), "almost-taken"))])),
        ("price", lambda: json_float(rng)),
    ])
    req = set_json_body(rng, Request("POST", "/items", route="items"), tags, value)
    if chance(rng, 0.2):
        req.header(rng.choice(["X-Api-Key", "Authorization"]), rng.choice(["k-1", "", "Bearer x"]))
        tags.add("", "credentials")
    req.tag, req.tags = tags.text(), list(tags)
    req.desc = f"POST /items {short(req.body, 80)}"
    return req


def v2_item(rng):
    """GET /v2/items/<id>?verbose=: validation errors answer 400 problem+json here."""
    tags = Tags(rng)
    item_id = tags.draw("id", lambda: int_text(rng))
    path = tags.draw("", lambda: path_variant(rng, ["v2", "items", item_id]))
    pairs = [("verbose", tags.draw("verbose", lambda: bool_text(rng)))
             for _ in range(repeat_count(rng, tags, "verbose", [(5, 1), (4, 0), (1, 2)]))]
    req = Request("GET", path, route="v2-items", query=query(pairs, rng))
    req.tag, req.tags = tags.text(), list(tags)
    req.desc = f"GET {short(path, 60)}?" + "&".join(f"verbose={short(v, 20)}" for _, v in pairs)
    return req


def wrong_method_route(rng):
    path, allowed = rng.choice([("/me", ["GET"]), ("/signup", ["POST"]), ("/upload", ["POST"]), ("/orders", ["GET"]),
                                (f"/reports/{UUID}", ["GET"]), ("/events", ["POST"]), ("/users/1", ["GET"]),
                                ("/items", ["POST"]), ("/v2/items/1", ["GET"])])
    method = wrong_method(rng, allowed)
    return Request(method, path, route="wrong-method", tag=method.lower(), desc=f"{method} {path}")


ROUTES = [
    (8, me),
    (9, signup),
    (9, upload),
    (6, orders),
    (9, reports),
    (12, post_event),
    (6, users),
    (6, post_item),
    (6, v2_item),
    (2, wrong_method_route),
    (1, lambda rng: unknown_route(rng, ["me", "signup", "upload", "orders", "reports", "events", "users", "items"])),
]


def generate(rng: random.Random) -> Request:
    req = pick(rng, [(w, (lambda f=f: f(rng))) for w, f in ROUTES])
    if chance(rng, 0.03):
        req.headers += extra_headers(rng)
    if chance(rng, 0.02):
        req.bare = True
    return req
