#!/usr/bin/env python3
"""Fails unless every aws_ecs_service ignores the attributes its deployment tool owns.

A service whose rollouts a pipeline or CodeDeploy performs must tell Terraform to leave those
attributes alone, or the next `terraform apply` undoes the last deployment (rolling) or fails
with "Unable to update task definition on services with a CODE_DEPLOY deployment controller"
(hashicorp/terraform-provider-aws#12703). Required `lifecycle { ignore_changes = [...] }`:

  deployment controller ECS (the default)  task_definition, desired_count
  deployment controller CODE_DEPLOY        task_definition, load_balancer, desired_count

(desired_count because Application Auto Scaling owns the count.)

    check_lifecycle.py [PATH ...]    # .tf files or folders; default: this script's folder

Prints one line per service checked. Exit 0 when every service has what it needs, 1 when one
does not or no service was found, 2 when a file cannot be read or parsed. Needs python-hcl2.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import hcl2
except ImportError:  # pragma: no cover - depends on the environment
    sys.stderr.write("error: python-hcl2 is not installed (help: pip install python-hcl2)\n")
    sys.exit(2)

REQUIRED = {
    "ECS": ("task_definition", "desired_count"),
    "CODE_DEPLOY": ("task_definition", "load_balancer", "desired_count"),
}
SKIPPED_FOLDERS = {".terraform", ".git", "node_modules"}


def unwrap(value):
    """python-hcl2 wraps attribute values in a one-element list in some versions."""
    while isinstance(value, list) and len(value) == 1 and not isinstance(value[0], dict):
        value = value[0]
    return value


def plain(value) -> str:
    """`"${task_definition}"`, `"\\"ECS\\""` or `ECS` -> `task_definition`, `ECS`."""
    text = str(value).strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1].strip()
    return text.strip('"').strip()


def blocks(body: dict, name: str) -> list[dict]:
    found = body.get(name, [])
    if isinstance(found, dict):
        found = [found]
    return [block for block in found if isinstance(block, dict)]


def controller(service: dict) -> str | None:
    """The deployment controller's type; ECS when the block is left out (the ECS API default)."""
    declared = blocks(service, "deployment_controller")
    if not declared:
        return "ECS"
    value = unwrap(declared[0].get("type", "ECS"))
    text = plain(value)
    # An expression (a variable, a conditional) cannot be judged without a plan.
    return text if text.isupper() and text.replace("_", "").isalpha() else None


def ignored(service: dict) -> set[str] | None:
    """The attributes named in lifecycle.ignore_changes; None when there is no such list."""
    for lifecycle in blocks(service, "lifecycle"):
        if "ignore_changes" not in lifecycle:
            continue
        value = lifecycle["ignore_changes"]
        # `ignore_changes = all` and `[all]` both cover every attribute.
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
            value = value[0]
        if not isinstance(value, list):
            value = [value]
        return {plain(item) for item in value}
    return None


def files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(
                file
                for file in sorted(path.rglob("*.tf"))
                if not SKIPPED_FOLDERS.intersection(file.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            sys.stderr.write(f"error: {name} does not exist\n")
            sys.exit(2)
    return found


def main(argv: list[str]) -> int:
    paths = argv or [str(Path(__file__).resolve().parent)]
    failures = 0
    checked = 0
    for path in files(paths):
        try:
            with path.open(encoding="utf-8") as handle:
                document = hcl2.load(handle)
        except Exception as error:  # noqa: BLE001 - python-hcl2 raises several types
            sys.stderr.write(f"error: cannot parse {path}: {error}\n")
            return 2
        for resources in blocks(document, "resource"):
            for name, service in resources.get("aws_ecs_service", {}).items():
                checked += 1
                where = f"{path}: aws_ecs_service.{name}"
                kind = controller(service)
                if kind is None:
                    print(f"FAIL {where}: deployment_controller.type is an expression; write the type literally")
                    failures += 1
                    continue
                if kind not in REQUIRED:
                    print(f"FAIL {where}: no rule for deployment controller {kind} (known: {', '.join(REQUIRED)})")
                    failures += 1
                    continue
                need = REQUIRED[kind]
                have = ignored(service)
                if have is None:
                    print(f"FAIL {where} ({kind}): no lifecycle.ignore_changes; it needs [{', '.join(need)}]")
                    failures += 1
                    continue
                missing = [attribute for attribute in need if attribute not in have and "all" not in have]
                if missing:
                    print(f"FAIL {where} ({kind}): ignore_changes lacks {', '.join(missing)}; it needs [{', '.join(need)}]")
                    failures += 1
                elif "all" in have:
                    print(f"ok   {where} ({kind}): ignore_changes = all covers {', '.join(need)}")
                else:
                    print(f"ok   {where} ({kind}): ignore_changes has {', '.join(need)}")
    if checked == 0:
        print(f"FAIL no aws_ecs_service found in {', '.join(paths)}")
        return 1
    print(f"checked {checked} aws_ecs_service resource(s): {failures} failing")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
