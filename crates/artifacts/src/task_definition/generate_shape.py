#!/usr/bin/env python3
"""Writes register_input.json: the ECS `RegisterTaskDefinition` input shape, from botocore's model.

Regenerate (from the repository root, with any Python 3 that can import botocore, such as the
repository's `.venv` after `tests/run.sh`, or `pip install botocore`):

    python3 crates/artifacts/src/task_definition/generate_shape.py          # rewrite the file
    python3 crates/artifacts/src/task_definition/generate_shape.py --check  # exit 1 if stale

then run `cargo test -p deploykit-artifacts` and commit register_input.json together with the
botocore version it names. Newer botocore releases only add shapes, members and enum values, so
the build script (`crates/artifacts/build.rs`) compiles them in without code changes.

Why botocore: `aws ecs register-task-definition --cli-input-json` validates against this exact
model before it sends anything (docs/aws/local-endpoint.md#the-aws-cli-as-a-judge), so the Rust checker and the
AWS CLI agree on what a well-formed task definition is.

What is written (standard library only, deterministic: sorted keys, one shape per line and one
structure member per line, so model updates give readable diffs):

- `botocore_version`, `service`: where the model came from.
- `root`: `RegisterTaskDefinitionRequest`.
- `describe_only`: members of `TaskDefinition` (the `taskDefinition` of
  `DescribeTaskDefinitionResponse`) that `RegisterTaskDefinitionRequest` does not have.
- `shapes`: every shape reachable from the root, each with `type`, and where the model has them:
  `members` (name -> shape), `required`, `enum` (model order), `member` (list element shape),
  `key` / `value` (map shapes), `min` / `max`, `sensitive`, `deprecated` (message), and
  `deprecated_members` (member name -> message).
"""

import argparse
import json
import pathlib
import sys

import botocore
import botocore.loaders

SERVICE = "ecs"
API_VERSION = "2014-11-13"
ROOT = "RegisterTaskDefinitionRequest"
# The shape types shape.rs understands (`ShapeType`); anything else stops the generator.
KNOWN_TYPES = {"structure", "list", "map", "string", "integer", "long", "boolean", "double",
               "float", "timestamp", "blob"}
OUTPUT = pathlib.Path(__file__).with_name("register_input.json")


def deprecation(node):
    """The deprecation message of a shape or member, or None when it is not deprecated."""
    if not node.get("deprecated"):
        return None
    message = node.get("deprecatedMessage") or "deprecated"
    since = node.get("deprecatedSince")
    return f"{message} (since {since})" if since else message


def bound(number):
    """min/max as the model has them, integers written without a fraction."""
    return int(number) if float(number).is_integer() else number


def compact(name, shape):
    """The parts of one botocore shape that a structural checker needs, nothing else."""
    out = {"type": shape["type"]}
    if shape["type"] == "structure":
        out["members"] = {k: v["shape"] for k, v in shape.get("members", {}).items()}
        deprecated = {k: deprecation(v) for k, v in shape.get("members", {}).items()}
        deprecated = {k: v for k, v in deprecated.items() if v}
        if deprecated:
            out["deprecated_members"] = deprecated
        if shape.get("required"):
            out["required"] = sorted(shape["required"])
    elif shape["type"] == "list":
        out["member"] = shape["member"]["shape"]
    elif shape["type"] == "map":
        out["key"] = shape["key"]["shape"]
        out["value"] = shape["value"]["shape"]
    if shape.get("enum"):
        out["enum"] = list(shape["enum"])  # model order is meaningful (documentation order)
    for limit in ("min", "max"):
        if limit in shape:
            out[limit] = bound(shape[limit])
    if shape.get("sensitive"):
        out["sensitive"] = True
    message = deprecation(shape)
    if message:
        out["deprecated"] = message
    if shape["type"] not in KNOWN_TYPES:
        sys.exit(f"error: shape `{name}` has type `{shape['type']}`, which shape.rs does not know")
    return out


def reachable(shapes, root):
    """Every shape name reachable from `root`, through members, list members, map keys and values."""
    seen, stack = set(), [root]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = shapes[name]
        stack.extend(m["shape"] for m in shape.get("members", {}).values())
        stack.extend(shape[part]["shape"] for part in ("member", "key", "value") if part in shape)
    return seen


def render(model):
    shapes = model["shapes"]
    describe = shapes[model["operations"]["DescribeTaskDefinition"]["output"]["shape"]]
    task_definition = shapes[describe["members"]["taskDefinition"]["shape"]]["members"]
    root = model["operations"]["RegisterTaskDefinition"]["input"]["shape"]
    assert root == ROOT, root
    describe_only = sorted(set(task_definition) - set(shapes[root]["members"]))

    def dump(value):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    lines = ["{"]
    lines.append(f' "botocore_version": {dump(botocore.__version__)},')
    lines.append(f' "describe_only": {dump(describe_only)},')
    lines.append(f' "root": {dump(root)},')
    lines.append(f' "service": {dump(f"{SERVICE}/{API_VERSION}")},')
    lines.append(' "shapes": {')
    names = sorted(reachable(shapes, root))
    for index, name in enumerate(names):
        shape = compact(name, shapes[name])
        comma = "," if index + 1 < len(names) else ""
        members = shape.pop("members", None)
        if members is None:
            lines.append(f"  {dump(name)}: {dump(shape)}{comma}")
            continue
        # Structures: one member per line, the other fields before and after in key order.
        before = {k: v for k, v in shape.items() if k < "members"}
        after = {k: v for k, v in shape.items() if k > "members"}
        opening = "".join(f"{dump(k)}: {dump(v)}, " for k, v in sorted(before.items()))
        closing = "".join(f", {dump(k)}: {dump(v)}" for k, v in sorted(after.items()))
        lines.append(f"  {dump(name)}: {{{opening}\"members\": {{")
        ordered = sorted(members)
        for position, member in enumerate(ordered):
            member_comma = "," if position + 1 < len(ordered) else ""
            lines.append(f"   {dump(member)}: {dump(members[member])}{member_comma}")
        lines.append(f"  }}{closing}}}{comma}")
    lines.append(" }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 when register_input.json differs")
    args = parser.parse_args()
    model = botocore.loaders.create_loader().load_service_model(SERVICE, "service-2", API_VERSION)
    text = render(model)
    json.loads(text)  # the hand-laid-out file must still be JSON
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is stale for botocore {botocore.__version__}: rerun without --check",
                  file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} from botocore {botocore.__version__}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
