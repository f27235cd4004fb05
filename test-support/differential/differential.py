#!/usr/bin/env python3
"""Random differential test: our app against the Python reference on generated events.

    python3 test-support/differential/differential.py --app {conformance,validation,contract,agents}
        --count N --seed S [--reference-python PY] [--ours PATH] [--keep DIR]
        [--only I,J,...] [--self-test] [--shared DIR] [-v]

1. Generates N requests for the app (deterministic for the seed), spread over the
   sources rest-v1, http-v2, alb and alb-mv, shaped like the fixed cases' events (for
   agents: Bedrock's operation and function events, in turn).
2. Runs the reference app once over all of them; its answers become the expected
   responses (an {"error": ...} answer stays an expected error).
3. Writes a cases file and runs shared/conformance/compare.py on it with our binary.
4. Prints a summary: agreements, disagreements by source and by class, a few failing
   ids, and the commands that rerun one of them. Exit status 1 on any disagreement.

Python 3 standard library only. See README.md next to this file.
"""

from __future__ import annotations

import argparse
import importlib
import base64
import json
import math
import os
import random
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ inside the project tree

from events import SOURCES, EventBuilder  # noqa: E402

APPS = ("conformance", "validation", "contract", "agents")
DEFAULT_SHARED = Path(os.environ.get("CONFORMANCE_SHARED", "/work/shared/conformance"))
DEFAULT_PYTHON = "/tmp/ref/bin/python"
SHOW_FAILURES = 10


# ---------------------------------------------------------------- generation


def slug(text: str, limit: int = 48) -> str:
    s = re.sub(r"[^a-z0-9+]+", "-", text.lower()).strip("-")
    return s[:limit].rstrip("-") or "x"


def generate(app: str, count: int, seed: int, shared: Path, only: set[int] | None = None) -> list[dict]:
    """The cases (without `expected`) for events 0..count-1 (or just `only`).

    One master random.Random(seed) draws a seed per event, so event i is the same
    whatever the count, and --only regenerates exactly the events of a full run."""
    gen = importlib.import_module(f"gen_{app}")
    sources = getattr(gen, "SOURCES", SOURCES)
    # The agents' generator writes its events whole (Bedrock has one event shape per source).
    builder = None if hasattr(gen, "build_event") else EventBuilder(str(shared / gen.CASES))
    master = random.Random(seed)
    last = max(only) + 1 if only else count
    cases = []
    for i in range(last):
        rng = random.Random(master.getrandbits(64))
        if only and i not in only:
            continue
        source = sources[i % len(sources)]
        if builder is None:
            req, event = gen.build_event(rng, source, shared)
        else:
            req = gen.generate(rng)
            event = builder.build(source, req, rng)
        cases.append({
            "id": f"{app}/{i:05d}-{source}-{slug(req.route + '-' + req.tag)}",
            "source": source,
            "route": req.route,
            "mutation": req.tag,
            "tags": req.tags or [req.tag],
            "desc": req.desc or f"{req.method} {req.path}",
            "event": event,
        })
    return cases


# ---------------------------------------------------------------- running


def run_reference(python: str, script: Path, events: list[str], timeout: float) -> list[str]:
    if os.sep in python:
        python = str(Path(python).absolute())  # it runs in the script's folder
    proc = subprocess.run([python, str(script)], input="".join(e + "\n" for e in events).encode("utf-8"),
                          capture_output=True, timeout=timeout, cwd=str(script.parent))
    lines = [ln for ln in proc.stdout.decode("utf-8", "replace").split("\n") if ln.strip()]
    if proc.returncode != 0 or len(lines) != len(events):
        tail = "\n    ".join(proc.stderr.decode("utf-8", "replace").strip().splitlines()[-15:])
        sys.exit(f"differential: the reference ({python} {script}) exited with status {proc.returncode} "
                 f"after {len(lines)} of {len(events)} responses\n    {tail}")
    return lines


# Runs a reference app as if it were ours: compare.py appends "--event -", which the
# reference's CLI does not take.
SELF_TEST_SHIM = ("import os, runpy, sys; script = sys.argv[1]; sys.argv = [script]; "
                  "sys.path.insert(0, os.path.dirname(script)); runpy.run_path(script, run_name='__main__')")


def run_compare(shared: Path, cases_path: Path, ours: list[str], save: Path, timeout: float) -> tuple[int, str]:
    cmd = [sys.executable, str(shared / "compare.py"), "--timeout", str(int(timeout)), "--save", str(save),
           str(cases_path), "--", *ours, "--event", "-"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


# ---------------------------------------------------------------- classifying


def parse_body(response: dict):
    """The response's body parsed as JSON, or None."""
    body = response.get("body")
    if not isinstance(body, str) or response.get("isBase64Encoded"):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def validation_errors(response: dict) -> list | None:
    """The errors of a 422 body (`detail`), or the first of a problem+json body (`first`)."""
    body = parse_body(response)
    if isinstance(body, dict):
        if isinstance(body.get("detail"), list):
            return body["detail"]
        if isinstance(body.get("first"), dict):
            return [body["first"]]
    return None


def error_kind(item) -> str:
    """`type@where` of one validation error; `where` leaves out list indexes and map keys
    beyond three levels, so that the class does not depend on the case's values."""
    if not isinstance(item, dict):
        return "(none)"
    where = [str(p) for p in (item.get("loc") or []) if not isinstance(p, int)][:3]
    return f"{item.get('type')}@{'.'.join(where)}"


def first_error_difference(expected: dict, actual: dict) -> str | None:
    exp, act = validation_errors(expected), validation_errors(actual)
    if exp is None and act is None:
        return None
    if act is None:
        return f"reference {error_kind(exp[0] if exp else None)}"
    if exp is None:
        return f"ours {error_kind(act[0] if act else None)}"
    for i in range(max(len(exp), len(act))):
        e = exp[i] if i < len(exp) else None
        a = act[i] if i < len(act) else None
        if e != a:
            return f"reference {error_kind(e)} vs ours {error_kind(a)}"
    return None


def classify(case: dict, actual_line: str | None, diff: str) -> str:
    """A short class for a disagreement: the route and the first field that differs
    (for validation errors, the first error that differs)."""
    route = case.get("route", "?")
    expected = case.get("expected", {})
    if actual_line is None:
        return f"{route}: no response line (ours stopped?)"
    try:
        actual = json.loads(actual_line)
    except ValueError:
        return f"{route}: response is not JSON"
    if not isinstance(actual, dict):
        return f"{route}: response is not an object"
    if "error" in expected:
        return f"{route}: reference error line, ours status {actual.get('statusCode')}"
    if "error" in actual:
        return f"{route}: ours error line, reference status {expected.get('statusCode')}"
    first = diff.split("; ")[0]
    errors = first_error_difference(expected, actual)
    if first.startswith("statusCode"):
        field = f"status {expected.get('statusCode')} vs ours {actual.get('statusCode')}"
        return f"{route}: {field}" + (f" ({errors})" if errors else "")
    m = re.match(r"(multiValueHeaders|headers): (missing|unexpected) ([^:]+)", first)
    if m:
        return f"{route}: {m.group(1)} {m.group(2)} {m.group(3)}"
    m = re.match(r"(multiValueHeaders|headers): ([^ ]+) = ", first)
    if m:
        return f"{route}: {m.group(1)} {m.group(2)} differs"
    if first.startswith("body"):
        return f"{route}: body" + (f" ({errors})" if errors else "")
    return f"{route}: {re.split(r' = |: ', first)[0]}"


def has_big_integer(event: dict) -> bool:
    """Whether the event (its body decoded) writes an integer of 19 digits or more anywhere."""
    text = json.dumps(event)
    body = event.get("body")
    if isinstance(body, str) and event.get("isBase64Encoded"):
        try:
            text += base64.b64decode(body).decode("latin-1")
        except ValueError:
            pass
    return re.search(r"\d{19,}", text) is not None


def non_finite_as_null(value):
    """`value` with every infinite or NaN float replaced by None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [non_finite_as_null(v) for v in value]
    if isinstance(value, dict):
        return {k: non_finite_as_null(v) for k, v in value.items()}
    return value


def request_errors(response: dict) -> list:
    """The validation errors of a request (not of a response: `["response", ...]`)."""
    return [e for e in validation_errors(response) or [] if (e.get("loc") or [None])[0] != "response"]


def is_big(case: dict) -> bool:
    """Whether the case's event has an integer past 64 bits (drawn so, or found in it)."""
    big = ("bigint", "huge-digits")
    tagged = any(word in tag for tag in case.get("tags", [case.get("mutation", "")]) for word in big)
    return tagged or has_big_integer(case["event"])


def allowed_agent(gen, case: dict, actual_line: str | None) -> str | None:
    """`allowed` for an agent's answer: a tool's error in its own words (the SPEC compares only
    its shape), else the HTTP rules on the answer's status and body."""
    try:
        actual = json.loads(actual_line) if actual_line else None
    except ValueError:
        return None
    if not isinstance(actual, dict):
        return None
    expected = case.get("expected", {})
    if "error" not in expected and "error" not in actual and gen.tool_error_in_own_words(expected, actual):
        return "a tool's error in its own words (the reference's are Python's)"
    if "error" not in expected and is_big(case) and "int_parsing_size" in json.dumps(gen.http_view(actual)):
        return "int_parsing_size past 64 bits (allowed): the reference's tool took the integer"
    view = dict(case, expected=expected if "error" in expected else gen.http_view(expected))
    return allowed(view, json.dumps(gen.http_view(actual)))


def allowed(case: dict, actual_line: str | None) -> str | None:
    """Why a disagreement is an allowed one, or None:

    - the one deviation issue 22 allows: an integer past 64 bits, which Python accepts, is
      `int_parsing_size` here (the case's value was drawn as a big integer, and with those
      errors set aside ours answers what the reference answered);
    - a float the reference writes as `Infinity` or `NaN` (not JSON) is `null` here: the
      answer stays JSON;
    - the reference has no answer (an unhandled exception: `{"error": ...}`) and ours answers
      without a 5xx: bad input never crashes here.
    """
    expected = case.get("expected", {})
    try:
        actual = json.loads(actual_line) if actual_line else None
    except ValueError:
        return None
    if not isinstance(actual, dict) or "error" in actual:
        return None
    status = actual.get("statusCode")
    if expected.get("statusCode") == status and non_finite_as_null(parse_body(expected)) == parse_body(actual) \
            and parse_body(expected) != parse_body(actual):
        return "a non-finite float written as null (the reference writes Infinity, which is not JSON)"
    if "error" in expected:
        # Ours answers (no 5xx): bad input never crashes here.
        return "the reference crashed, ours answered" if isinstance(status, int) and status < 500 else None
    if not is_big(case):
        return None
    ours = validation_errors(actual)
    if not ours or not any(e.get("type") == "int_parsing_size" for e in ours):
        return None
    # Set aside each int_parsing_size and, when it is a union's `int` member, the other
    # members' errors at the same place.
    theirs_all = validation_errors(expected) or []
    sizes = [e.get("loc") or [] for e in ours if e.get("type") == "int_parsing_size" and e not in theirs_all]
    unions = [loc[:-1] for loc in sizes if loc and loc[-1] == "int"]
    rest = [e for e in ours
            if (e.get("loc") or []) not in sizes and (e.get("loc") or [])[:-1] not in unions]
    body = parse_body(actual) or {}
    reason = "int_parsing_size past 64 bits (allowed)"
    if isinstance(body, dict) and isinstance(body.get("first"), dict):
        # A problem+json body shows the first error and the count.
        theirs = parse_body(expected) or {}
        if isinstance(theirs, dict) and body.get("errors") == theirs.get("errors", 0) + len(ours) - len(rest):
            return reason
        if expected.get("statusCode") != status and not validation_errors(expected):
            return reason
        return None
    if not rest and not request_errors(expected):
        return reason  # the reference took the value and answered otherwise (200, 201, 502, ...)
    if expected.get("statusCode") == status and validation_errors(expected) == rest:
        return reason
    return None


# ---------------------------------------------------------------- main


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--app", required=True, choices=APPS)
    p.add_argument("--count", type=int, default=1000, help="number of events (default 1000)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--reference-python", default=DEFAULT_PYTHON,
                   help=f"interpreter for the reference (default {DEFAULT_PYTHON})")
    p.add_argument("--ours", help="our app's binary, or a command line (default <project>/target/debug/<app>)")
    p.add_argument("--self-test", action="store_true",
                   help="run the reference in the place of ours too (checks the harness: must agree everywhere)")
    p.add_argument("--keep", metavar="DIR", help="write events, cases, responses and compare.py's output to DIR")
    p.add_argument("--only", metavar="I,J", help="only these event indexes (of the same seed), printed in full")
    p.add_argument("--shared", default=str(DEFAULT_SHARED),
                   help=f"the shared conformance directory (default {DEFAULT_SHARED})")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="print event, reference and our response of the failures shown")
    return p.parse_args(argv)


def our_command(args, reference: Path) -> list[str]:
    if args.self_test:
        return [args.reference_python, "-c", SELF_TEST_SHIM, str(reference)]
    ours = shlex.split(args.ours) if args.ours else [str(PROJECT / "target" / "debug" / args.app)]
    if not Path(ours[0]).exists():
        sys.exit(f"differential: our binary {ours[0]} does not exist (build it, or pass --ours)")
    return ours


def write_lines(path: Path, lines) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def rerun_command(args, index: int) -> list[str]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--app", args.app, "--seed", str(args.seed),
           "--only", str(index)]
    if args.ours:
        cmd += ["--ours", args.ours]
    if args.self_test:
        cmd.append("--self-test")
    if args.shared != str(DEFAULT_SHARED):
        cmd += ["--shared", args.shared]
    if args.reference_python != DEFAULT_PYTHON:
        cmd += ["--reference-python", args.reference_python]
    return cmd


def run(args, workdir: Path) -> int:
    shared = Path(args.shared).resolve()
    gen = importlib.import_module(f"gen_{args.app}")
    reference = shared / "reference" / gen.REFERENCE
    ours = our_command(args, reference)
    only = {int(x) for x in args.only.split(",")} if args.only else None
    started = time.monotonic()

    # 1-2. generate, and let the reference answer
    cases = generate(args.app, args.count, args.seed, shared, only)
    events = [json.dumps(c["event"], separators=(",", ":")) for c in cases]
    timeout = max(120.0, len(cases) / 20)
    ref_lines = run_reference(args.reference_python, reference, events, timeout)
    ref_errors: Counter = Counter()
    for case, line in zip(cases, ref_lines):
        case["expected"] = json.loads(line)
        if "error" in case["expected"]:
            ref_errors[case["expected"]["error"].split(":")[0]] += 1

    # 3. the cases file, and compare.py with our binary
    cases_path = workdir / "cases.jsonl"
    write_lines(cases_path, (json.dumps(c, ensure_ascii=False) for c in cases))
    write_lines(workdir / "events.jsonl", events)
    write_lines(workdir / "reference.jsonl", ref_lines)
    ours_out = workdir / "ours.jsonl"
    status, report = run_compare(shared, cases_path, ours, ours_out, timeout)
    (workdir / "compare.txt").write_text(report, encoding="utf-8")
    # split on "\n" only, as compare.py does: a JSON string may hold U+2028 or U+0085
    our_lines = ([ln for ln in ours_out.read_text(encoding="utf-8").split("\n") if ln.strip()]
                 if ours_out.exists() else [])
    if not re.search(r"^conformance: \d+ passed, \d+ failed", report, re.M):
        print(report)
        sys.exit(f"differential: compare.py printed no tally (exit status {status})")
    failures = dict(re.findall(r"^FAIL (\S+): (.*)$", report, re.M))
    by_id = {c["id"]: (i, c) for i, c in enumerate(cases)}
    allowances: Counter = Counter()
    for cid in list(failures):
        i, case = by_id[cid]
        line = our_lines[i] if i < len(our_lines) else None
        reason = allowed_agent(gen, case, line) if hasattr(gen, "http_view") else allowed(case, line)
        if reason:
            allowances[reason] += 1
            del failures[cid]

    # 4. the summary
    per_source = {s: [0, 0] for s in getattr(gen, "SOURCES", SOURCES)}
    for case in cases:
        per_source[case["source"]][0] += 1
    classes: Counter = Counter()
    mutations: Counter = Counter()
    examples: dict[str, str] = {}
    for cid, diff in failures.items():
        i, case = by_id[cid]
        per_source[case["source"]][1] += 1
        cls = classify(case, our_lines[i] if i < len(our_lines) else None, diff)
        classes[cls] += 1
        examples.setdefault(cls, cid)
        mutations[f"{case['route']}: {case['mutation']}"] += 1

    total, n_fail = len(cases), len(failures)
    print(f"differential {args.app}: seed {args.seed}, {total} events, {total - n_fail} agree, "
          f"{n_fail} disagree ({time.monotonic() - started:.1f} s)")
    if ref_errors:
        print("  reference answered {\"error\": ...} (kept as expected errors): "
              + ", ".join(f"{n} x {k}" for k, n in ref_errors.most_common()))
    for reason, n in allowances.most_common():
        print(f"  allowed deviations: {n} x {reason}")
    for note in (ln for ln in report.splitlines() if ln.startswith(("note:", "    "))):
        print("  compare.py " + note)
    print("  by source (disagree/total): " + ", ".join(f"{s} {f}/{t}" for s, (t, f) in per_source.items()))
    if failures:
        print("  by class (route: first difference):")
        for cls, n in classes.most_common():
            print(f"    {n:6d}  {cls}   e.g. {examples[cls]}")
        print("  by route and mutation (the most frequent):")
        for tag, n in mutations.most_common(12):
            print(f"    {n:6d}  {tag}")
        print(f"  first failures (of {n_fail}):")
        for cid in list(failures)[:SHOW_FAILURES]:
            i, case = by_id[cid]
            print(f"    {cid}: {case['desc']}")
            print(f"        {failures[cid][:300]}")
            if args.verbose or only:
                print(f"        event:     {json.dumps(case['event'], ensure_ascii=False)}")
                print(f"        reference: {json.dumps(case['expected'], ensure_ascii=False)}")
                print(f"        ours:      {our_lines[i] if i < len(our_lines) else '(no line)'}")
        cid = next(iter(failures))
        print("  rerun one case:")
        print("    " + shlex.join(rerun_command(args, int(cid.split("/", 1)[1].split("-", 1)[0]))))
        if args.keep:
            print("    " + shlex.join([sys.executable, str(shared / "compare.py"), str(cases_path), "-v", "-k", cid,
                                       "--", *ours, "--event", "-"]))
    if args.keep:
        print(f"  kept in {workdir}: events.jsonl cases.jsonl reference.jsonl ours.jsonl compare.txt")
    if status not in (0, 1):
        print(f"differential: compare.py exited with status {status}")
    return 1 if n_fail or status not in (0, 1) else 0


def main(argv=None) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the output quietly
    args = parse_args(argv)
    if args.keep:
        workdir = Path(args.keep)
        workdir.mkdir(parents=True, exist_ok=True)
        return run(args, workdir)
    with tempfile.TemporaryDirectory(prefix=f"differential-{args.app}-") as tmp:
        return run(args, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
