#!/usr/bin/env python3
"""Writes the agents binary's schemas into template.yaml, or checks that they are there.

    python3 examples/agents/schemas.py            # build, then rewrite the generated blocks
    python3 examples/agents/schemas.py --check    # build, then exit 1 if template.yaml differs
    python3 examples/agents/schemas.py --check --bin target/debug/agents   # no build

template.yaml holds two generated blocks, each between a `# BEGIN GENERATED <name>` and a
`# END GENERATED <name>` comment:

- `openapi`: the `ClaimsActions` action group's `ApiSchema`, whose `Payload` is
  `agents --openapi --agent` (the OpenAPI 3.0 document), pretty-printed as a YAML literal
  block: the string CloudFormation hands to Bedrock is that JSON, key order kept.
- `function-schema`: the `Tools` action group's `FunctionSchema`, `agents --function-schema`
  written as YAML.

Everything outside the blocks is left as it is. `--check` rewrites nothing: it fails when
the blocks are not what this script would write, and when the payload does not parse to the
binary's document. Python 3 standard library only.
"""

import argparse
import difflib
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKSPACE = HERE.parent.parent
TEMPLATE = HERE / "template.yaml"

BEGIN = re.compile(r"^(?P<indent> *)# BEGIN GENERATED (?P<name>[a-z-]+)\b")
END = "# END GENERATED {name}"

# Keys YAML 1.1 (PyYAML, cfn-lint) would read as booleans or null if left unquoted.
YAML_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}


def fail(message):
    print(f"schemas.py: {message}", file=sys.stderr)
    sys.exit(1)


def build():
    """`cargo build -p agents`; the path of the binary, as cargo reports it."""
    command = ["cargo", "build", "-p", "agents", "--message-format=json-render-diagnostics"]
    done = subprocess.run(command, cwd=WORKSPACE, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        fail(f"`{' '.join(command)}` failed")
    for line in done.stdout.splitlines():
        message = json.loads(line)
        target = message.get("target") or {}
        if message.get("reason") == "compiler-artifact" and target.get("name") == "agents" and message.get("executable"):
            return message["executable"]
    fail("cargo built no `agents` executable")


def run_json(binary, *args):
    command = [binary, *args]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        fail(f"`{' '.join(command)}` exited with {done.returncode}")
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError as err:
        fail(f"`{' '.join(command)}` printed no JSON document: {err}")


def scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float, str)):
        # A JSON string is a YAML double-quoted string; ASCII only, so no YAML 1.1 line break
        # (U+0085, U+2028) hides in it.
        return json.dumps(value)
    if value == {}:
        return "{}"
    if value == []:
        return "[]"
    raise TypeError(f"not a scalar: {value!r}")


def key(name):
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) and name.lower() not in YAML_WORDS:
        return name
    return json.dumps(name)


def yaml_lines(value, indent):
    """Block-style YAML for a JSON value (a non-empty mapping or list), `indent` spaces deep."""
    pad = " " * indent
    lines = []
    if isinstance(value, dict):
        for name, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key(name)}:")
                lines.extend(yaml_lines(item, indent + 2))
            else:
                lines.append(f"{pad}{key(name)}: {scalar(item)}")
    else:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                nested = yaml_lines(item, indent + 2)
                nested[0] = f"{pad}- {nested[0].lstrip()}"
                lines.extend(nested)
            else:
                lines.append(f"{pad}- {scalar(item)}")
    return lines


def openapi_block(document, indent):
    pad = " " * indent
    payload = json.dumps(document, indent=2, ensure_ascii=True).splitlines()
    return [f"{pad}ApiSchema:", f"{pad}  Payload: |", *(f"{pad}    {line}" for line in payload)]


def function_schema_block(schema, indent):
    return [f"{' ' * indent}FunctionSchema:", *yaml_lines(schema, indent + 2)]


def regions(lines):
    """{name: (indent, first line of the block, line of its END comment)}."""
    found = {}
    for number, line in enumerate(lines):
        match = BEGIN.match(line)
        if not match:
            continue
        name, indent = match["name"], len(match["indent"])
        if name in found:
            fail(f"template.yaml: two `# BEGIN GENERATED {name}` comments")
        end = " " * indent + END.format(name=name)
        for last in range(number + 1, len(lines)):
            if lines[last].rstrip() == end:
                found[name] = (indent, number + 1, last)
                break
        else:
            fail(f"template.yaml:{number + 1}: no `{end.strip()}` at the same indentation")
    return found


def render(text, blocks):
    lines = text.split("\n")
    found = regions(lines)
    for name in blocks:
        if name not in found:
            fail(f"template.yaml: no `# BEGIN GENERATED {name}` comment")
    # Replace from the bottom up, so the line numbers of the blocks above stay right.
    for name, (indent, first, end) in sorted(found.items(), key=lambda item: -item[1][1]):
        if name not in blocks:
            fail(f"template.yaml: unknown generated block `{name}`")
        lines[first:end] = blocks[name](indent)
    return "\n".join(lines)


def payload_of(text):
    """The `openapi` block's payload as written in the template, parsed (None if unreadable)."""
    lines = text.split("\n")
    indent, first, end = regions(lines)["openapi"]
    body = lines[first:end]
    marker = " " * (indent + 2) + "Payload: |"
    if marker not in body:
        return None
    start = body.index(marker) + 1
    try:
        return json.loads("\n".join(line[indent + 4 :] for line in body[start:]))
    except json.JSONDecodeError:
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if template.yaml is not up to date")
    parser.add_argument("--bin", help="the agents binary to run (default: `cargo build -p agents` and its binary)")
    args = parser.parse_args()

    binary = args.bin or build()
    document = run_json(binary, "--openapi", "--agent")
    schema = run_json(binary, "--function-schema")
    if not str(document.get("openapi", "")).startswith("3.0"):
        fail(f"`{binary} --openapi --agent` is not an OpenAPI 3.0 document")

    text = TEMPLATE.read_text(encoding="utf-8")
    wanted = render(
        text,
        {
            "openapi": lambda indent: openapi_block(document, indent),
            "function-schema": lambda indent: function_schema_block(schema, indent),
        },
    )
    relative = TEMPLATE.relative_to(WORKSPACE)
    if not args.check:
        if wanted == text:
            print(f"{relative}: up to date")
        else:
            TEMPLATE.write_text(wanted, encoding="utf-8")
            print(f"{relative}: schemas written")
        return

    problems = []
    if payload_of(text) != document:
        problems.append(f"the ClaimsActions payload is not `{Path(binary).name} --openapi --agent`")
    if wanted != text:
        diff = difflib.unified_diff(
            text.splitlines(), wanted.splitlines(), f"{relative} (as is)", f"{relative} (generated)", lineterm=""
        )
        print("\n".join(diff), file=sys.stderr)
        problems.append("the generated blocks differ from the binary's schemas")
    if problems:
        for problem in problems:
            print(f"{relative}: {problem}", file=sys.stderr)
        print(f"run `python3 {(HERE / Path(__file__).name).relative_to(WORKSPACE)}` to rewrite them", file=sys.stderr)
        sys.exit(1)
    print(f"{relative}: schemas match `{Path(binary).name} --openapi --agent` and `--function-schema`")


if __name__ == "__main__":
    main()
