"""Adversarial values shared by the generators.

Every generator returns `(value, tag)`: the value and a short slug saying what kind of
value it is (`ok`, `max+1`, `bigint`, `ws`, ...), which ends up in the case's id.

Text values (`*_text`) are what a query string, path segment, header or form field
carries; JSON values (`json_*`) go into a JSON body through `dump`, which can write raw
number tokens (`Raw("1E2")`) and objects with repeated keys (`Obj([...])`).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

I64_MAX = 2**63 - 1
I64_MIN = -(2**63)
U64_MAX = 2**64 - 1


# ---------------------------------------------------------------- choosing


def pick(rng: random.Random, options):
    """options: [(weight, value_or_callable)]; a callable is called with no argument."""
    total = sum(w for w, _ in options)
    x = rng.random() * total
    for weight, option in options:
        x -= weight
        if x < 0:
            return option() if callable(option) else option
    option = options[-1][1]
    return option() if callable(option) else option


def chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def short(value, limit: int = 40) -> str:
    """repr() of a value for a description, cut to `limit` characters."""
    text_ = repr(value)
    return text_ if len(text_) <= limit else f"{text_[:limit - 12]}...({len(text_)} chars)"


# ---------------------------------------------------------------- JSON text


@dataclass(frozen=True)
class Raw:
    """A JSON token written exactly as given (`1E2`, `-0`, `1e400`, `NaN`, ...)."""

    text: str


@dataclass(frozen=True)
class Obj:
    """A JSON object written from (key, value) pairs, in order; keys may repeat."""

    pairs: tuple


def dump(value, rng: random.Random | None = None) -> str:
    """JSON text of `value`; with `rng`, spacing and \\u-escaping vary per call."""
    spaced = bool(rng and rng.random() < 0.25)
    ascii_only = bool(rng and rng.random() < 0.3)
    item_sep, key_sep = (", ", ": ") if spaced else (",", ":")

    def write(v) -> str:
        if isinstance(v, Raw):
            return v.text
        if isinstance(v, Obj):
            return "{" + item_sep.join(write_str(k) + key_sep + write(x) for k, x in v.pairs) + "}"
        if isinstance(v, dict):
            return "{" + item_sep.join(write_str(k) + key_sep + write(x) for k, x in v.items()) + "}"
        if isinstance(v, (list, tuple)):
            return "[" + item_sep.join(write(x) for x in v) + "]"
        if isinstance(v, str):
            return write_str(v)
        return json.dumps(v)  # bool, None, int (any size), float

    def write_str(s: str) -> str:
        return json.dumps(s, ensure_ascii=ascii_only)

    text = write(value)
    if spaced and rng.random() < 0.3:
        text = rng.choice([" ", "\n", "\t", "\r\n"]) + text + rng.choice(["", "\n", "  "])
    return text


def deep_nesting(depth: int) -> Raw:
    return Raw("[" * depth + "]" * depth)


# ---------------------------------------------------------------- strings

UNICODE_PIECES = [
    "é", "ü", "ß", "Zoë", "naïve", "日本", "☕", "😀", "𝄞", "e\u0301", "Ω", "אבג", "ﬁ",
    "\u00a0", "\u2028", "\u200b", "İ", "ǅ", "Ⅻ",
]
ASCII_SPECIALS = list(" ,;=&+%#?/\"'\\<>{}|^`~*!@$()[]:")
WORDS = ["milk", "alice", "bob", "x", "hello", "A-1", "order", "tea", "a b", "zz", "O'Neil", "k-123"]


def ascii_word(rng: random.Random, n: int | None = None) -> str:
    n = rng.randint(1, 8) if n is None else n
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def string_of_length(rng: random.Random, n: int, multibyte: bool = False) -> str:
    """n code points; with multibyte, several of them take more than one UTF-8 byte."""
    if n <= 0:
        return ""
    if multibyte:
        return "".join(rng.choice(["é", "ü", "☕", "😀", "日", "a"]) for _ in range(n))
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))


def text(rng: random.Random, max_len: int | None = None, min_len: int = 0, *, header: bool = False):
    """A string value for a string parameter, with boundary lengths around the limits.

    `header`: only what can travel in an HTTP header value (no control characters)."""
    options = [
        (4, lambda: (rng.choice(WORDS), "ok")),
        (2, lambda: (ascii_word(rng), "ok")),
        (2, lambda: (rng.choice(UNICODE_PIECES) + ascii_word(rng, 2), "unicode")),
        (1, lambda: ("".join(rng.choice(ASCII_SPECIALS) for _ in range(rng.randint(1, 4))) + "v", "specials")),
        (1, lambda: ("a,b" if rng.random() < 0.5 else "x, y,z", "comma")),
        (1, lambda: (rng.choice([" padded ", "  "] + ([] if header else [" ", "\ttab"])), "ws")),
        (1, lambda: ("", "empty")),
        (1, lambda: (rng.choice(["100%", "%20", "%zz", "a%2Cb", "50%25"]), "percent")),
        (0.5, lambda: (rng.choice(["true", "null", "0", "-1", "1e3", "[]", "{}"]), "lookalike")),
    ]
    if not header:
        options.append((0.5, lambda: (rng.choice(["line\nbreak", "nul\x00x", "bell\x07", "del\x7f"]), "control")))
    if max_len is not None:
        options += [
            (2, lambda: (string_of_length(rng, max_len), "maxlen")),
            (2, lambda: (string_of_length(rng, max_len + 1), "maxlen+1")),
            (1, lambda: (string_of_length(rng, max_len, multibyte=True), "maxlen-multibyte")),
            (1, lambda: (string_of_length(rng, max_len + 1, multibyte=True), "maxlen+1-multibyte")),
        ]
    if min_len > 0:
        options += [
            (1, lambda: (string_of_length(rng, min_len), "minlen")),
            (1, lambda: (string_of_length(rng, min_len - 1), "minlen-1")),
        ]
    return pick(rng, options)


# ---------------------------------------------------------------- integers as text

UNICODE_DIGITS = ["٣", "۷", "४२", "１２", "๕", "𝟗"]


def big_int(rng: random.Random) -> int:
    return pick(rng, [
        (1, I64_MAX), (1, I64_MAX + 1), (1, I64_MIN), (1, I64_MIN - 1),
        (1, U64_MAX), (1, U64_MAX + 1), (1, 2**127), (1, 2**128 + 1),
        (2, lambda: rng.choice([1, -1]) * 10 ** rng.randint(19, 60)),
        (1, lambda: rng.choice([1, -1]) * rng.randint(2**64, 2**100)),
    ])


def int_text(rng: random.Random, lo: int | None = None, hi: int | None = None):
    """Text for an integer parameter: valid, boundaries, and the ways text can be odd."""
    lo_ = lo if lo is not None else -1000
    hi_ = hi if hi is not None else 10**6
    n = rng.randint(lo_, hi_)
    options = [
        (6, lambda: (str(n), "ok")),
        (1, lambda: (f"+{abs(n)}", "plus")),
        (1, lambda: (f"00{abs(n)}", "zero-padded")),
        (1, lambda: (rng.choice([" ", "\t", "  "]) + str(n) + rng.choice(["", " "]), "ws")),
        (1, lambda: (str(n) + " ", "ws")),
        (2, lambda: (str(big_int(rng)), "bigint")),
        (1, lambda: (rng.choice(["0", "-0", "+0", "00"]), "zero")),
        (1, lambda: (f"{n}.0", "float-integral")),
        (1, lambda: (rng.choice([f"{n}.5", "2.5", "0.1", "-1.5"]), "float")),
        (1, lambda: (rng.choice(["1e3", "1E2", "1e20", "1e400", "2e-1"]), "exponent")),
        (0.5, lambda: (rng.choice(["1_000", "1__0", "_1", "1_"]), "underscore")),
        (0.5, lambda: (rng.choice(UNICODE_DIGITS), "unicode-digit")),
        (0.5, lambda: (rng.choice(["0x1A", "0b101", "0o17", "1a", "--3", "+-3", "3-", "−5"]), "junk")),
        (1, lambda: (rng.choice(["", " "]), "empty")),
        (1, lambda: (rng.choice(["abc", "true", "false", "null", "NaN", "inf", "one"]), "word")),
        (0.5, lambda: (f"{n},{n + 1}", "comma")),
        (0.3, lambda: ("9" * rng.choice([300, 4300, 4301, 5000]), "huge-digits")),
        (0.3, lambda: (str(n) + "\u00a0", "nbsp")),
    ]
    if lo is not None:
        options += [(2, lambda: (str(lo), "min")), (2, lambda: (str(lo - 1), "min-1"))]
    if hi is not None:
        options += [(2, lambda: (str(hi), "max")), (2, lambda: (str(hi + 1), "max+1"))]
    return pick(rng, options)


def float_text(rng: random.Random):
    """Text for a float parameter."""
    return pick(rng, [
        (5, lambda: (rng.choice(["1", "2.5", "0.5", "10", "3.14159", "1000000"]), "ok")),
        (2, lambda: (rng.choice(["0", "-0", "0.0", "-1", "-0.5", "1e-400"]), "non-positive")),
        (1, lambda: (rng.choice(["1e-300", "5e-324", "2.2250738585072014e-308"]), "tiny")),
        (2, lambda: (rng.choice(["1e20", "1e308", "1.7976931348623157e308", "1e309", "-1e309"]), "huge")),
        (2, lambda: (rng.choice(["inf", "-inf", "Infinity", "nan", "NaN", "+inf", "INF"]), "non-finite")),
        (1, lambda: (rng.choice([".5", "5.", "+1.5", "1_0.5", "1e5", "1E-2", "0x10", "0x1p3"]), "odd-syntax")),
        (1, lambda: (rng.choice([" 2 ", "\t3", "4 "]), "ws")),
        (1, lambda: (str(big_int(rng)), "bigint")),
        (1, lambda: (rng.choice(["", "abc", "1,5", "1.2.3", "true", "٣.٥"]), "junk")),
    ])


BOOL_WORDS = ["true", "false", "1", "0", "yes", "no", "on", "off", "t", "f", "y", "n"]


def random_case(rng: random.Random, word: str) -> str:
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)


def bool_text(rng: random.Random):
    return pick(rng, [
        (5, lambda: (rng.choice(BOOL_WORDS), "ok")),
        (2, lambda: (random_case(rng, rng.choice(BOOL_WORDS)), "case")),
        (1, lambda: (rng.choice([" true", "true ", "\tyes", "no "]), "ws")),
        (2, lambda: (rng.choice(["2", "-1", "1.0", "", "tru", "None", "null", "oui", "ja", "yess", "ｔrue", "0x1"]),
                     "junk")),
    ])


# ---------------------------------------------------------------- JSON values


def json_int(rng: random.Random, lo: int | None = None, hi: int | None = None):
    """A JSON value for an integer field (strict and lax forms, bounds, wrong types)."""
    lo_ = lo if lo is not None else -1000
    hi_ = hi if hi is not None else 10**6
    n = rng.randint(lo_, hi_)
    options = [
        (8, lambda: (n, "ok")),
        (2, lambda: (big_int(rng), "bigint")),
        (1, lambda: (float(n), "float-integral")),
        (1, lambda: (Raw(rng.choice([f"{n}.0", f"{n}.000", f"{n}e0", f"{n}E0"])), "float-integral")),
        (1, lambda: (n + 0.5, "float")),
        (1, lambda: (Raw(rng.choice(["1e20", "1E2", "1e308", "-1e19", "9.3e18", "1.5e1"])), "exponent")),
        (0.5, lambda: (Raw(rng.choice(["1e400", "-1e400", "NaN", "Infinity", "-Infinity"])), "non-finite")),
        (0.5, lambda: (Raw(rng.choice(["-0", "-0.0", "0e5"])), "negative-zero")),
        (2, lambda: (str(n), "numstr")),
        (1, lambda: (rng.choice([f" {n}", f"{n}.0", f"+{n}", f"{n}_0", "1e3", ""]), "numstr-odd")),
        (1, lambda: (str(big_int(rng)), "numstr-bigint")),
        (1, lambda: (rng.choice([True, False]), "bool")),
        (1, lambda: (None, "null")),
        (1, lambda: (rng.choice([[], {}, [n], {"v": n}]), "container")),
        (0.5, lambda: ("abc", "word")),
    ]
    if lo is not None:
        options += [(2, lambda: (lo, "min")), (2, lambda: (lo - 1, "min-1"))]
    if hi is not None:
        options += [(2, lambda: (hi, "max")), (2, lambda: (hi + 1, "max+1"))]
    return pick(rng, options)


def json_float(rng: random.Random):
    """A JSON value for a float field that must be > 0."""
    return pick(rng, [
        (6, lambda: (rng.choice([9.5, 1, 0.01, 2.25, 100, 1e-7]), "ok")),
        (2, lambda: (rng.choice([0, 0.0, -1, -0.01]), "non-positive")),
        (1, lambda: (Raw(rng.choice(["-0", "-0.0", "0e10", "5e-324", "1e-400"])), "edge")),
        (1, lambda: (Raw(rng.choice(["1e308", "1.7976931348623157e308", "1e400", "NaN", "Infinity"])), "huge")),
        (1, lambda: (big_int(rng), "bigint")),
        (2, lambda: (rng.choice(["2.5", "3", " 4", "1e2", "inf", "nan", "abc", ""]), "numstr")),
        (1, lambda: (rng.choice([True, False, None, [], {}]), "wrong-type")),
    ])


def json_str(rng: random.Random, max_len: int | None = None, min_len: int = 0):
    """A JSON value for a string field."""
    return pick(rng, [
        (8, lambda: text(rng, max_len, min_len)),
        (1, lambda: (rng.choice([1, 0, -5, 2.5, big_int(rng)]), "number")),
        (1, lambda: (rng.choice([True, False]), "bool")),
        (1, lambda: (None, "null")),
        (1, lambda: (rng.choice([[], ["a"], {}, {"a": "b"}]), "container")),
        (0.3, lambda: (Raw(rng.choice(['"\\ud800"', '"\\udc00x"', '"a\\u0000b"'])), "escape")),
    ])


def json_bool(rng: random.Random):
    return pick(rng, [
        (6, lambda: (rng.choice([True, False]), "ok")),
        (2, lambda: (rng.choice([0, 1, 2, -1, 0.0, 1.0, 1.5]), "number")),
        (2, lambda: (rng.choice(["true", "false", "yes", "no", "on", "off", "1", "0", "t", "f", "y", "n",
                                 "TRUE", "True", "maybe", "", " true"]), "string")),
        (1, lambda: (rng.choice([None, [], {}]), "wrong-type")),
    ])
