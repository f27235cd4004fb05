#!/usr/bin/env python3
"""Whole-process benchmark: the same 20,000 events per scenario through lambda-router's
`--event -` (examples/process_ours.rs: the pipeline benchmark's 60-route app, default
configuration) and through a JSON-lines program built on lambda_http + axum with the same routes
(examples/process_peer.rs: each line through lambda_http's adapter). Both read stdin and write
one response line per event, flushed whenever no further input line is buffered. Wall time of the whole process, spawn to exit; the two
alternate, 3 runs each, median; every response is checked for the scenario's status.

Run from the repository root: `python3 test-support/benches/process.py [COUNT]`.
"""
import json, math, os, statistics, subprocess, sys, tempfile, time

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNS = 3

subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "test-support",
                "--example", "process_ours", "--example", "process_peer", "--example", "process_events"],
               cwd=ROOT, check=True)
examples = os.path.join(ROOT, "target", "release", "examples")
events_dir = tempfile.mkdtemp(prefix="process-bench-")
listing = subprocess.run([os.path.join(examples, "process_events"), events_dir, str(COUNT)],
                         check=True, capture_output=True, text=True).stdout.split("\n")
scenarios = [line.split(" ", 2) for line in listing if line]

base_env = {k: v for k, v in os.environ.items() if k not in ("RUST_LOG", "AWS_LAMBDA_LOG_LEVEL")}
# Behind a REST API stage, axum users tell lambda_http not to route `/prod/...` (the pipeline
# bench does the same); lambda-router routes the path as the reference does.
peer_env = dict(base_env, AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH="true")
programs = [
    ("lambda-router", [os.path.join(examples, "process_ours"), "--event", "-"], base_env),
    ("lambda_http+axum", [os.path.join(examples, "process_peer")], peer_env),
]

def run(command, env, path, status):
    with open(path, "rb") as events:
        start = time.perf_counter()
        done = subprocess.run(command, stdin=events, capture_output=True, env=env)
        elapsed = time.perf_counter() - start
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr[-500:]
    assert len(lines) == COUNT, (command, len(lines))
    for line in (lines[0], lines[-1]):
        assert json.loads(line)["statusCode"] == int(status), (command, line[:200])
    return elapsed, len(done.stderr)

ratios = []
print(f"| scenario ({COUNT:,} events) | lambda-router | lambda_http + axum | ratio |")
print("|---|---|---|---|")
for name, status, path in scenarios:
    times = {label: [] for label, _, _ in programs}
    for _ in range(RUNS):
        for label, command, env in programs:
            elapsed, stderr = run(command, env, path, status)
            times[label].append(elapsed)
    ours = statistics.median(times["lambda-router"])
    peer = statistics.median(times["lambda_http+axum"])
    ratios.append(peer / ours)
    print(f"| {name} | {ours * 1e6 / COUNT:.2f} µs/event ({ours:.3f} s) | "
          f"{peer * 1e6 / COUNT:.2f} µs/event ({peer:.3f} s) | {peer / ours:.2f}× |")
print(f"| geometric mean | | | {math.exp(sum(map(math.log, ratios)) / len(ratios)):.2f}× |")
