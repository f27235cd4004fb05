#!/usr/bin/env python3
"""Print criterion's median estimates of the last `cargo bench` run, and each group's ratio
to its peer: `python3 test-support/benches/summary.py [GROUP_PREFIX]`."""
import json, pathlib, sys

root = pathlib.Path(__file__).resolve().parent.parent.parent / "target" / "criterion"
prefix = sys.argv[1] if len(sys.argv) > 1 else ""
groups = {}
for est in sorted(root.glob("**/new/estimates.json")):
    bench = json.loads((est.parent / "benchmark.json").read_text())
    group, func = bench["group_id"], bench.get("function_id") or bench.get("value_str") or ""
    if not group.startswith(prefix):
        continue
    median = json.loads(est.read_text())["median"]["point_estimate"]
    groups.setdefault(group, {})[func] = median

def fmt(ns):
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.1f} ns"

for group, funcs in groups.items():
    ours = funcs.get("lambda-router")
    line = f"{group:32}" + "".join(f"  {name}: {fmt(ns):>10}" for name, ns in funcs.items())
    peers = [ns for name, ns in funcs.items() if name != "lambda-router"]
    if ours and peers:
        line += f"  (peer/ours = {peers[0] / ours:.2f}×)"
    print(line)
