#!/usr/bin/env python3
"""Random differential test: our app against the Python reference on generated events.

    python3 test-support/differential/differential.py --app {conformance,validation,contract}
        --count N --seed S [--reference-python PY] [--ours PATH] [--keep DIR]
        [--only I,J,...] [--shared DIR] [-v]

1. Generates N requests for the app (deterministic for the seed), spread over the
   sources rest-v1, http-v2, alb and alb-mv, shaped like the fixed cases' events.
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
import json
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from events import SOURCES, EventBuilder  # noqa: E402

APPS = ("conformance", "validation", "contract")
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
    builder = EventBuilder(str(shared / gen.CASES))
    master = random.Random(seed)
    last = max(only) + 1 if only else count
    cases = []
    for i in range(last):
        rng = random.Random(master.getrandbits(64))
        if only and i not in only:
            continue
        source = SOURCES[i % len(SOURCES)]
        req = gen.generate(rng)
        event = builder.build(source, req, rng)
        cases.append({
            "id": f"{app}/{i:05d}-{source}-{slug(req.route + '-' + req.tag)}",
            "source": source,
            "route": req.route,
            "desc": req.desc or f"{req.method} {req.path}",
            "event": event,
        })
    return cases


# ---------------------------------------------------------------- running


def run_reference(python: str, script: Path, events: list[str], timeout: float) -> list[str]:
    proc = subprocess.run([python, str(script)], input="".join(e + "\n" for e in events).encode("utf-8"),
                          capture_output=True, timeout=timeout, cwd=str(script.parent))
    lines = [ln for ln in proc.stdout.decode("utf-8", "replace").split("\n") if ln.strip()]
    if proc.returncode != 0 or len(lines) != len(events):
        tail = "\n    ".join(proc.stderr.decode("utf-8", "replace").strip().splitlines()[-15:])
        sys.exit(f"differential: the reference ({python} {script}) exited with status {proc.returncode} "
                 f"after {len(lines)} of {len(events)} responses\n    {tail}")
    return lines


def run_compare(shared: Path, cases_path: Path, ours: str, save: Path, timeout: float) -> tuple[int, str]:
    cmd = [sys.executable, str(shared / "compare.py"), "--timeout", str(int(timeout)), "--save", str(save),
           str(cases_path), "--", ours, "--event", "-"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


# ---------------------------------------------------------------- classifying


def first_detail_difference(expected, actual) -> str | None:
    """For two 422-style bodies: the first entry of `detail` that differs."""
    exp = expected.get("detail") if isinstance(expected, dict) else None
    act = actual.get("detail") if isinstance(actual, dict) else None
    if not isinstance(exp, list) or not isinstance(act, list):
        return None

    def show(item):
        if not isinstance(item, dict):
            return "(none)"
        loc = ".".join(str(p) for p in item.get("loc", []))
        return f"{item.get('type')}@{loc}"

    for i in range(max(len(exp), len(act))):
        e = exp[i] if i < len(exp) else None
        a = act[i] if i < len(act) else None
        if e != a:
            # values and indexes vary per case: classify by location kind and type only
            def kind(item):
                if not isinstance(item, dict):
                    return "(none)"
                loc = item.get("loc") or []
                return f"{item.get('type')}@{'.'.join(str(p) for p in loc[:2] if not isinstance(p, int))}"
            return f"detail: {kind(e)} vs ours {kind(a)}"
    return None


def parse_body(response: dict):
    body = response.get("body")
    if not isinstance(body, str) or response.get("isBase64Encoded"):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def classify(case: dict, actual_line: str | None, diff: str) -> str:
    """A short class for a disagreement: the route and the first field that differs."""
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
    if first.startswith("statusCode"):
        field = f"status {expected.get('statusCode')} vs ours {actual.get('statusCode')}"
        detail = first_detail_difference(parse_body(expected), parse_body(actual))
        if expected.get("statusCode") == 422 or actual.get("statusCode") == 422:
            exp_body, act_body = parse_body(expected), parse_body(actual)
            exp_first = (exp_body or {}).get("detail", [{}])[0] if isinstance(exp_body, dict) else None
            act_first = (act_body or {}).get("detail", [{}])[0] if isinstance(act_body, dict) else None
            for name, item in (("reference", exp_first), ("ours", act_first)):
                if isinstance(item, dict) and item.get("type"):
                    field += f" ({name}: {item.get('type')}@{'.'.join(str(p) for p in (item.get('loc') or [])[:2] if not isinstance(p, int))})"
                    break
        elif detail:
            field += f" ({detail})"
        return f"{route}: {field}"
    m = re.match(r"(multiValueHeaders|headers): (missing|unexpected) ([^:]+)", first)
    if m:
        return f"{route}: {m.group(1)} {m.group(2)} {m.group(3)}"
    m = re.match(r"(multiValueHeaders|headers): ([^ ]+) = ", first)
    if m:
        return f"{route}: {m.group(1)} {m.group(2)} differs"
    if first.startswith("body"):
        detail = first_detail_difference(parse_body(expected), parse_body(actual))
        return f"{route}: body" + (f" {detail}" if detail else "")
    return f"{route}: {re.split(r' = |: ', first)[0]}"


# ---------------------------------------------------------------- main


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--app", required=True, choices=APPS)
    p.add_argument("--count", type=int, default=1000, help="number of events (default 1000)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--reference-python", default=DEFAULT_PYTHON, help=f"interpreter for the reference (default {DEFAULT_PYTHON})")
    p.add_argument("--ours", help="our app's binary (default <project>/target/debug/<app>)")
    p.add_argument("--keep", metavar="DIR", help="write events, cases, responses and compare.py's output to DIR")
    p.add_argument("--only", metavar="I,J", help="only these event indexes (of the same seed); prints them in full")
    p.add_argument("--shared", default=str(DEFAULT_SHARED), help=f"the shared conformance directory (default {DEFAULT_SHARED})")
    p.add_argument("-v", "--verbose", action="store_true", help="print event, expected and actual for the failures shown")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    shared = Path(args.shared)
    ours = args.ours or str(PROJECT / "target" / "debug" / args.app)
    only = {int(x) for x in args.only.split(",")} if args.only else None
    verbose = args.verbose or bool(only)
    if not Path(ours).exists():
        sys.exit(f"differential: our binary {ours} does not exist (build it, or pass --ours)")

    started = time.monotonic()
    cases = generate(args.app, args.count, args.seed, shared, only)
    gen = importlib.import_module(f"gen_{args.app}")
    events = [json.dumps(c["event"], separators=(",", ":")) for c in cases]
    timeout = max(120.0, len(cases) / 20)
    ref_lines = run_reference(args.reference_python, shared / "reference" / gen.REFERENCE, events, timeout)
    ref_errors = Counter()
    for case, line in zip(cases, ref_lines):
        case["expected"] = json.loads(line)
        if "error" in case["expected"]:
            ref_errors[case["expected"]["error"].split(":")[0]] += 1

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix=f"differential-{args.app}-"))
    workdir.mkdir(parents=True, exist_ok=True)
    cases_path = workdir / "cases.jsonl"
    with open(cases_path, "w", encoding="utf-8") as fh:
        for case in cases:
            fh.write(json.dumps(case, ensure_ascii=False) + "\n")
    (workdir / "events.jsonl").write_text("".join(e + "\n" for e in events), encoding="utf-8")
    (workdir / "reference.jsonl").write_text("".join(ln + "\n" for ln in ref_lines), encoding="utf-8")
    ours_out = workdir / "ours.jsonl"
    status, report = run_compare(shared, cases_path, ours, ours_out, timeout)
    (workdir / "compare.txt").write_text(report, encoding="utf-8")
    # split on "\n" only, as compare.py does: a JSON string may hold U+2028 or U+0085
    our_lines = ([ln for ln in ours_out.read_text(encoding="utf-8").split("\n") if ln.strip()]
                 if ours_out.exists() else [])

    failures = {}
    for line in report.splitlines():
        m = re.match(r"FAIL (\S+): (.*)", line)
        if m:
            failures[m.group(1)] = m.group(2)
    tally = re.search(r"conformance: (\d+) passed, (\d+) failed", report)
    if not tally:
        print(report)
        sys.exit("differential: compare.py printed no tally")

    by_id = {c["id"]: (i, c) for i, c in enumerate(cases)}
    per_source = {s: [0, 0] for s in SOURCES}
    for case in cases:
        per_source[case["source"]][0] += 1
    classes: Counter = Counter()
    examples: dict[str, list[str]] = {}
    for cid, diff in failures.items():
        i, case = by_id[cid]
        per_source[case["source"]][1] += 1
        cls = classify(case, our_lines[i] if i < len(our_lines) else None, diff)
        classes[cls] += 1
        examples.setdefault(cls, []).append(cid)

    # ---- summary
    total, n_fail = len(cases), len(failures)
    print(f"differential {args.app}: seed {args.seed}, {total} events, {total - n_fail} agree, "
          f"{n_fail} disagree ({time.monotonic() - started:.1f} s)")
    if ref_errors:
        print("  reference answered {\"error\": ...} (kept as expected errors): "
              + ", ".join(f"{n} x {k}" for k, n in ref_errors.most_common()))
    for note in (ln for ln in report.splitlines() if ln.startswith("note:") or ln.startswith("    ")):
        print("  compare.py " + note)
    print("  by source:   " + ", ".join(f"{s} {f}/{t}" for s, (t, f) in per_source.items()) + "  (disagree/total)")
    if classes:
        print("  by class (route: first difference):")
        for cls, n in classes.most_common():
            print(f"    {n:6d}  {cls}   e.g. {examples[cls][0]}")
        print(f"  first failures (of {n_fail}):")
        for cid in list(failures)[:SHOW_FAILURES]:
            i, case = by_id[cid]
            print(f"    {cid}: {case['desc']}")
            print(f"        {failures[cid][:300]}")
            if verbose:
                print(f"        event:     {json.dumps(case['event'], ensure_ascii=False)}")
                print(f"        reference: {json.dumps(case['expected'], ensure_ascii=False)}")
                print(f"        ours:      {our_lines[i] if i < len(our_lines) else '(no line)'}")
        cid = next(iter(failures))
        index = int(cid.split("/", 1)[1].split("-", 1)[0])
        print("  rerun one case:")
        print("    " + shlex.join([sys.executable, str(Path(__file__).resolve()), "--app", args.app, "--seed", str(args.seed),
                                   "--only", str(index)] + (["--ours", args.ours] if args.ours else [])))
        if args.keep:
            print("    " + shlex.join([sys.executable, str(shared / "compare.py"), str(cases_path), "-v", "-k", cid,
                                       "--", ours, "--event", "-"]))
    if args.keep:
        print(f"  kept in {workdir}: events.jsonl cases.jsonl reference.jsonl ours.jsonl compare.txt")
    else:
        for name in ("cases.jsonl", "events.jsonl", "reference.jsonl", "ours.jsonl", "compare.txt"):
            (workdir / name).unlink(missing_ok=True)
        workdir.rmdir()
    if status not in (0, 1):
        print(f"differential: compare.py exited with status {status}")
    return 1 if n_fail or status not in (0, 1) else 0


if __name__ == "__main__":
    sys.exit(main())
