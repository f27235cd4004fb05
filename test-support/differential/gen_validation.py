"""Requests for the validation app (shared/conformance/validation/SPEC.md): typed path,
query and header parameters, JSON bodies validated against models, every error listed."""

from __future__ import annotations

import random

from common import (Tags, repeat_count, extra_headers, extra_query, fields, method_variant, path_variant,
                    set_body, set_json_body, unknown_route, wrong_method)
from events import Request, query
from values import (bool_text, chance, float_text, int_text, json_bool, json_float, json_int,
                    json_str, pick, short, text)

CASES = "validation/cases.jsonl"  # relative to the shared conformance directory
REFERENCE = "validation_app.py"


# ---------------------------------------------------------------- models


def item(rng: random.Random, tags: Tags):
    return fields(rng, tags, [
        ("sku", lambda: json_str(rng, max_len=16, min_len=1)),
        ("qty", lambda: json_int(rng, 1, 1000)),
        ("price", lambda: json_float(rng)),
    ])


def order(rng: random.Random, tags: Tags):
    def items():  # "ok": the item objects themselves spend the budget
        return pick(rng, [
            (10, lambda: ([item(rng, tags) for _ in range(pick(rng, [(6, 1), (3, 2), (1, 4)]))], "ok")),
            (1, lambda: ([], "empty-list")),
            (1, lambda: (rng.choice([None, "A-1", 1, {"sku": "a", "qty": 1, "price": 1}]), "not-a-list")),
            (0.5, lambda: ([rng.choice([None, 1, "x", []])], "bad-item")),
        ])

    return fields(rng, tags, [
        ("customer", lambda: json_str(rng, min_len=1)),
        ("items", items),
        ("note", lambda: pick(rng, [(3, (None, "ok")), (4, lambda: json_str(rng))])),  # str or null
        ("priority", lambda: pick(rng, [(6, lambda: (rng.choice(["low", "high"]), "ok")),
                                        (2, lambda: (rng.choice(["LOW", "High", "mid", "", " low", "low "]),
                                                     "bad-literal")),
                                        (1, lambda: (rng.choice([None, 1, True, ["low"]]), "wrong-type"))])),
    ], drop_p=0.05)


def todo_update(rng: random.Random, tags: Tags):
    return fields(rng, tags, [
        ("title", lambda: json_str(rng, max_len=50)),
        ("completed", lambda: json_bool(rng)),
    ])


# ---------------------------------------------------------------- routes


def finish(req: Request, tags: Tags, rng: random.Random, what: str) -> Request:
    if tags.mutate(rng, 0.1):
        extra, t = extra_query(rng)
        req.query += extra
        tags.add("", t)
    req.tag, req.tags = tags.text(), list(tags)
    req.desc = what
    return req


def health(rng):
    tags = Tags(rng)
    path = tags.draw("", lambda: path_variant(rng, ["health"]))
    method = tags.draw("", lambda: method_variant(rng, "GET"))
    return finish(Request(method, path, route="health"), tags, rng, f"{method} {path}")


def get_todo(rng):
    tags = Tags(rng)
    tid = tags.draw("id", lambda: int_text(rng))
    path = tags.draw("", lambda: path_variant(rng, ["todos", tid]))
    return finish(Request("GET", path, route="get-todo"), tags, rng, f"GET {short(path, 60)}")


def list_todos(rng):
    tags = Tags(rng)
    pairs = []
    params = [("completed", lambda: bool_text(rng)), ("limit", lambda: int_text(rng, 1, 100)),
              ("q", lambda: text(rng, max_len=20))]
    for name, make in params:
        for _ in range(repeat_count(rng, tags, name, [(5, 1), (4, 0), (1, 2)])):
            key = name
            if tags.mutate(rng, 0.05):
                key = rng.choice([name.upper(), name.capitalize(), name + " "])
                tags.add(name, "key-spelling")
            pairs.append((key, tags.draw(name, make)))
    rng.shuffle(pairs)
    req = Request("GET", "/todos", route="list-todos", query=query(pairs, rng, over=0.1 if chance(rng, 0.2) else 0.0))
    return finish(req, tags, rng, "GET /todos?" + "&".join(f"{k}={short(v, 30)}" for k, v in pairs))


def body_request(rng, req: Request, tags: Tags, model) -> Request:
    return set_json_body(rng, req, tags, model(rng, tags))


def put_todo(rng):
    tags = Tags(rng)
    tid = tags.draw("id", lambda: int_text(rng))
    path = tags.draw("", lambda: path_variant(rng, ["todos", tid]))
    method = tags.draw("", lambda: method_variant(rng, "PUT"))
    req = body_request(rng, Request(method, path, route="put-todo"), tags, todo_update)
    return finish(req, tags, rng, f"{method} {short(path, 50)} with a TodoUpdate body")


def post_order(rng):
    tags = Tags(rng)
    path = tags.draw("", lambda: path_variant(rng, ["orders"]))
    method = tags.draw("", lambda: method_variant(rng, "POST"))
    req = body_request(rng, Request(method, path, route="post-order"), tags, order)
    return finish(req, tags, rng, f"{method} {path} with an Order body")


def whoami(rng):
    tags = Tags(rng)
    req = Request("GET", "/whoami", route="whoami")
    for _ in range(repeat_count(rng, tags, "key", [(8, 1), (1, 0), (1, 2)])):
        value = tags.draw("key", lambda: text(rng, header=True))
        req.header(rng.choice(["X-Api-Key", "x-api-key", "X-API-KEY", "X-Api-key"]), value)
    for _ in range(repeat_count(rng, tags, "retries", [(4, 1), (4, 0), (1, 2)])):
        value = tags.draw("retries", lambda: int_text(rng, 0, None))
        value = value.replace("\t", " ")  # no control characters in a header value
        req.header(rng.choice(["X-Retries", "x-retries", "X-RETRIES"]), value)
    if chance(rng, 0.1):
        req.headers += extra_headers(rng)
    if chance(rng, 0.1):
        req.query = query([("x_api_key", "from-query"), ("X-Api-Key", "q")][: rng.randint(1, 2)])
        tags.add("", "key-in-query")
    return finish(req, tags, rng, "GET /whoami with " + ", ".join(f"{n}: {short(v, 24)}" for n, v in req.headers))


def search(rng):
    tags = Tags(rng)
    pairs = []
    for _ in range(pick(rng, [(3, 0), (4, 1), (3, 2), (1, 4)])):  # a list: repeating is no mutation
        pairs.append(("tag", tags.draw("tag", lambda: text(rng))))
    for _ in range(repeat_count(rng, tags, "page", [(4, 1), (4, 0), (1, 2)])):
        pairs.append(("page", tags.draw("page", lambda: float_text(rng))))
    if chance(rng, 0.3):
        rng.shuffle(pairs)
    req = Request("GET", "/search", route="search", query=query(pairs, rng))
    return finish(req, tags, rng, "GET /search?" + "&".join(f"{k}={short(v, 30)}" for k, v in pairs))


def wrong_method_route(rng):
    path, allowed = rng.choice([("/health", ["GET"]), ("/todos/1", ["GET", "PUT"]), ("/todos", ["GET"]),
                                ("/orders", ["POST"]), ("/whoami", ["GET"]), ("/search", ["GET"])])
    method = wrong_method(rng, allowed)
    req = Request(method, path, route="wrong-method", tag=method.lower(), desc=f"{method} {path}")
    if chance(rng, 0.5):
        set_body(req, '{"title":"x","completed":true}', "auto")
    return req


ROUTES = [
    (2, health),
    (6, get_todo),
    (10, list_todos),
    (10, put_todo),
    (14, post_order),
    (8, whoami),
    (8, search),
    (2, wrong_method_route),
    (1, lambda rng: unknown_route(rng, ["todos", "orders", "health", "search", "whoami"])),
]


def generate(rng: random.Random) -> Request:
    req = pick(rng, [(w, (lambda f=f: f(rng))) for w, f in ROUTES])
    if chance(rng, 0.03):
        req.headers += extra_headers(rng)
    if chance(rng, 0.03):
        req.bare = True
    return req
