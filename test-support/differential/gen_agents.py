"""Events for the agents app (shared/conformance/agents/SPEC.md): Amazon Bedrock Agents calls
of the OpenAPI action group (`parameters` and body `properties` as strings, by the HTTP apps'
lax rules, `apiPath` as written in the document or concrete, repeated names, unknown paths and
methods) and of the function action group (integer parameters of every text and of the declared
types a typed tool can take, defaults, the REPROMPT answer, session attributes kept or replaced,
unknown and failing tools, missing parameters).

Unlike the HTTP apps' generators, each request is the agent event itself (`build_event`):
Bedrock has one event shape, copied from the first case of each source in `agents/cases.jsonl`.
"""

from __future__ import annotations

import copy
import functools
import json
import random
from pathlib import Path

from values import UNICODE_PIECES, ascii_word, bool_text, chance, float_text, int_text, pick, text

CASES = "agents/cases.jsonl"  # relative to the shared conformance directory
REFERENCE = "agents_app.py"
SOURCES = ("bedrock-agent", "bedrock-agent-function")

STATUSES = ["open", "paid", "OPEN", "closed", "", "open ", "pa,id"]
CLAIM_IDS = ["c-1", "c-2", "c-3", "C-1", "", " c-1", "c-1/x", "c%2D1"]
PARAM_TYPES = ["string", "integer", "number", "boolean", "array"]


class AgentCall:
    """What `differential.generate` reads of a request: route, tag, tags and description."""

    def __init__(self, route: str, tags: list[str], desc: str):
        self.route, self.tags, self.desc = route, tags, desc
        self.tag = "+".join(tags) if tags else "ok"


@functools.lru_cache(maxsize=None)
def templates(shared: Path) -> dict[str, dict]:
    """The first event of each source in the app's cases: the static parts of every event."""
    found: dict[str, dict] = {}
    for line in (shared / CASES).read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            found.setdefault(case["source"], case["event"])
    return found


def param(name: str, value: str, type_: str = "string") -> dict:
    return {"name": name, "type": type_, "value": value}


def session(rng: random.Random) -> dict:
    return pick(rng, [
        (4, {}),
        (1, lambda: {"user": ascii_word(rng), "n": str(rng.randint(0, 9))}),
        (1, lambda: {"quote\"key": "line\nvalue", "é": rng.choice(UNICODE_PIECES)}),
    ])


def shuffled(rng: random.Random, items: list) -> list:
    items = list(items)
    if chance(rng, 0.3):
        rng.shuffle(items)
    return items


def list_claims(rng: random.Random, tags: list[str]) -> tuple[str, str, list, None]:
    params = []
    if chance(rng, 0.8):
        value, tag = int_text(rng, 1, 10)
        params.append(param("limit", value, rng.choice(["integer", "integer", "string", "number"])))
        tags.append(f"limit-{tag}")
    if chance(rng, 0.5):
        status, tag = (rng.choice(STATUSES), "status") if chance(rng, 0.7) else text(rng)
        params.append(param("status", status))
        tags.append(f"status-{tag}")
    if params and chance(rng, 0.15):
        again = dict(rng.choice(params))
        again["value"] = int_text(rng, 1, 10)[0] if again["name"] == "limit" else rng.choice(STATUSES)
        params.append(again)
        tags.append("repeated")
    if chance(rng, 0.1):
        params.append(param(ascii_word(rng), ascii_word(rng)))
        tags.append("unknown-param")
    return "/claims", "GET", shuffled(rng, params), None


def get_claim(rng: random.Random, tags: list[str]) -> tuple[str, str, list, None]:
    claim_id = rng.choice(CLAIM_IDS) if chance(rng, 0.7) else text(rng)[0]
    if chance(rng, 0.7):
        tags.append("template-path")
        params = [param("claim_id", claim_id)] if chance(rng, 0.95) else []
        if not params:
            tags.append("no-param")
        return "/claims/{claim_id}", "GET", params, None
    tags.append("concrete-path")
    concrete = rng.choice(["c-1", "c-2", "c-9"])
    params = [param("claim_id", concrete)] if chance(rng, 0.5) else []
    return f"/claims/{concrete}", "GET", params, None


def file_claim(rng: random.Random, tags: list[str]) -> tuple[str, str, list, dict | None]:
    if chance(rng, 0.05):
        tags.append("no-body")
        return "/claims", "POST", [], None
    props = []
    if chance(rng, 0.9):
        value, tag = text(rng, 12, 3)
        props.append(param("policy", value))
        tags.append(f"policy-{tag}")
    if chance(rng, 0.9):
        value, tag = float_text(rng) if chance(rng, 0.7) else int_text(rng, 1, 10000)
        props.append(param("amount", value, rng.choice(["number", "number", "integer", "string"])))
        tags.append(f"amount-{tag}")
    if chance(rng, 0.4):
        value, tag = text(rng, 40)
        props.append(param("reason", value))
        tags.append(f"reason-{tag}")
    if props and chance(rng, 0.1):
        again = dict(rng.choice(props))
        again["value"] = text(rng, 12, 3)[0]
        props.append(again)
        tags.append("repeated")
    if chance(rng, 0.1):
        props.append(param(ascii_word(rng), ascii_word(rng)))
        tags.append("extra-property")
    content = {"application/json": {"properties": shuffled(rng, props)}}
    return "/claims", "POST", [], {"content": content}


def other_operation(rng: random.Random, tags: list[str]) -> tuple[str, str, list, None]:
    path, method = pick(rng, [
        (3, ("/ping", "GET")),
        (2, lambda: ("/" + ascii_word(rng), "GET")),
        (1, ("/claims", "DELETE")),
        (1, ("/claims/c-1", "POST")),
        (1, ("/claims/", "GET")),
    ])
    tags.append("other")
    return path, method, [], None


def operation(rng: random.Random, template: dict) -> tuple[AgentCall, dict]:
    tags: list[str] = []
    route, maker = pick(rng, [
        (4, ("list", list_claims)), (2, ("claim", get_claim)), (4, ("file", file_claim)),
        (1, ("other", other_operation)),
    ])
    api_path, method, params, body = maker(rng, tags)
    event = copy.deepcopy(template)
    event.update(apiPath=api_path, httpMethod=method, parameters=params,
                 sessionAttributes=session(rng), promptSessionAttributes=session(rng))
    event.pop("requestBody", None)
    if body is not None:
        event["requestBody"] = body
    return AgentCall(route, tags, f"{method} {api_path}"), event


# Floats a typed integer parameter takes as the reference's tool does: integral ones (`4.0`, as the
# reference passes it on, is `4` as JSON compares it), and texts `float()` refuses.
INTEGRAL_FLOAT_TEXTS = ["4", "4.0", "9.0", "-1.0", "1e1", " 2.0 ", "0", "١٢.٠", "abc", "1,5", ""]


def whole(rng: random.Random, name: str, lo: int, hi: int, tags: list[str]) -> dict:
    """A function call's integer parameter: declared `integer` with any integer text (Python's
    `int()` reads it, or the tool gets the text and fails on it), or `string` or `array` (the tool
    gets a text: an error on both sides), or `number` with an integral float. Not `boolean`, nor
    `number` with a fraction: Python's tool computes with `True` or `2.5` where a typed one cannot
    take them (README, "Agents")."""
    declared = pick(rng, [(8, "integer"), (1, "string"), (0.5, "array"), (1, "number")])
    if declared == "number":
        value, tag = rng.choice(INTEGRAL_FLOAT_TEXTS), "float"
    else:
        value, tag = int_text(rng, lo, hi)
    tags.append(f"{name}-{declared}-{tag}")
    return param(name, value, declared)


def weather(rng: random.Random, tags: list[str]) -> list:
    params = []
    if chance(rng, 0.97):
        value, tag = text(rng)
        params.append(param("city", value))
        tags.append(f"city-{tag}")
    else:
        tags.append("missing-city")
    if chance(rng, 0.6):
        # `number` only for 3 days or more: under 3, the reference's `["sun"] * min(days, 3)`
        # multiplies by a float and fails.
        days = whole(rng, "days", -2, 6, tags)
        if days["type"] == "number" and (python_float(days["value"]) or 0) < 3:
            days["type"] = "integer"
        params.append(days)
    return params


def python_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def book(rng: random.Random, tags: list[str]) -> list:
    params = [param("name", text(rng)[0])]
    if chance(rng, 0.97):
        params.append(whole(rng, "people", 0, 12, tags))
    else:
        tags.append("missing-people")
    if chance(rng, 0.6):
        value, tag = bool_text(rng) if chance(rng, 0.3) else (rng.choice(["true", "false", "TRUE", "False"]), "ok")
        params.append(param("vip", value, "boolean"))
        tags.append(f"vip-{tag}")
    return params


def function(rng: random.Random, template: dict) -> tuple[AgentCall, dict]:
    tags: list[str] = []
    name, params = pick(rng, [
        (5, lambda: ("get_weather", weather(rng, tags))),
        (5, lambda: ("book", book(rng, tags))),
        (1, ("fail", [])),
        (1, lambda: (ascii_word(rng), [])),
    ])
    event = copy.deepcopy(template)
    event.update(function=name, parameters=shuffled(rng, params),
                 sessionAttributes=session(rng), promptSessionAttributes=session(rng))
    route = name if name in ("get_weather", "book", "fail") else "unknown-tool"
    return AgentCall(route, tags, f"function {name}"), event


def build_event(rng: random.Random, source: str, shared: Path) -> tuple[AgentCall, dict]:
    """One random event of `source` (an operation or a function call)."""
    template = templates(shared)[source]
    return operation(rng, template) if source == "bedrock-agent" else function(rng, template)


# ---------------------------------------------------------------- comparing


def http_view(answer: dict) -> dict:
    """An agent's answer as the HTTP apps' (status and body), for the harness's rules."""
    response = answer.get("response") if isinstance(answer, dict) else None
    if not isinstance(response, dict):
        return answer
    if "functionResponse" in response:
        body = response["functionResponse"].get("responseBody", {}).get("TEXT", {}).get("body")
        return {"statusCode": 200, "body": body, "isBase64Encoded": False}
    body = response.get("responseBody", {}).get("application/json", {}).get("body")
    return {"statusCode": response.get("httpStatusCode"), "body": body, "isBase64Encoded": False}


def tool_error_in_own_words(expected: dict, actual: dict) -> bool:
    """Both answers are the same envelope whose body is a tool's `"Error: ..."` (the SPEC: the
    reference's wording is Python's, so only the shape is compared)."""
    def body(answer):
        return (answer.get("response", {}).get("functionResponse", {}).get("responseBody", {})
                .get("TEXT", {}).get("body"))

    def error(text):
        try:
            value = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            return False
        return isinstance(value, str) and value.startswith("Error: ")

    if not (error(body(expected)) and error(body(actual))):
        return False
    strip = copy.deepcopy(expected), copy.deepcopy(actual)
    for answer in strip:
        answer["response"]["functionResponse"]["responseBody"]["TEXT"]["body"] = "Error"
    return strip[0] == strip[1]
