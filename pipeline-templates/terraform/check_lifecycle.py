#!/usr/bin/env python3
"""Fails unless every aws_ecs_service ignores the attributes its deployment tool owns.

A service whose rollouts a pipeline or CodeDeploy performs must tell Terraform to leave those
attributes alone, or the next `terraform apply` undoes the last deployment (rolling) or fails
with "Unable to update task definition on services with a CODE_DEPLOY deployment controller"
(hashicorp/terraform-provider-aws#12703). Required `lifecycle { ignore_changes = [...] }`:

  deployment controller ECS (the default), ROLLING   task_definition, desired_count
  deployment controller ECS, strategy BLUE_GREEN,    task_definition, desired_count,
    LINEAR or CANARY (ECS-native traffic shifting)   load_balancer
  deployment controller CODE_DEPLOY                  task_definition, load_balancer, desired_count

(desired_count because Application Auto Scaling owns the count. load_balancer for the
ECS-native strategies because ECS alternates the target groups across deployments, and
Terraform writing the configured ones back breaks that: hashicorp/terraform-provider-aws#45678.)

For the ECS-native strategies, every aws_lb_listener_rule (or aws_alb_listener_rule) that a
`load_balancer.advanced_configuration` names as production_listener_rule or test_listener_rule
must ignore `action`: ECS rewrites its forward weights on every deployment
(terraform-aws-modules/terraform-aws-alb#409). The rule must be a resource of the same module
(folder), so that its lifecycle can be read.

    check_lifecycle.py [PATH ...]    # .tf files or folders; default: this script's folder

Prints one line per service and listener rule checked. Exit 0 when every one has what it
needs, 1 when one does not or no service was found, 2 when a file cannot be read or parsed.
Needs python-hcl2.
"""

from __future__ import annotations

import re
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
# deploymentConfiguration.strategy values under which ECS itself shifts traffic between two
# target groups through listener rules (ECS API reference, DeploymentConfiguration).
TRAFFIC_SHIFTING = {"BLUE_GREEN", "LINEAR", "CANARY"}
REQUIRED_TRAFFIC_SHIFTING = ("task_definition", "desired_count", "load_balancer")
RULE_TYPES = ("aws_lb_listener_rule", "aws_alb_listener_rule")
RULE_REFERENCE = re.compile(r"^(aws_lb_listener_rule|aws_alb_listener_rule)\.([A-Za-z_][A-Za-z0-9_-]*)(\[[^]]*\])?\.(arn|id)$")
RULE_ATTRIBUTES = ("production_listener_rule", "test_listener_rule")
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


def literal(value) -> str | None:
    """An upper-case literal such as BLUE_GREEN; None for an expression."""
    text = plain(unwrap(value))
    return text if text.isupper() and text.replace("_", "").isalpha() else None


def strategy(service: dict) -> str | None:
    """deployment_configuration.strategy; ROLLING when left out (the ECS API default)."""
    declared = blocks(service, "deployment_configuration")
    if not declared or "strategy" not in declared[0]:
        return "ROLLING"
    return literal(declared[0]["strategy"])


def listener_rules(service: dict) -> list[tuple[str, str]]:
    """(attribute, reference) of each listener rule the load balancers' advanced_configuration names."""
    found = []
    for load_balancer in blocks(service, "load_balancer"):
        for advanced in blocks(load_balancer, "advanced_configuration"):
            for attribute in RULE_ATTRIBUTES:
                if attribute in advanced:
                    found.append((attribute, plain(unwrap(advanced[attribute]))))
    return found


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
    documents: list[tuple[Path, dict]] = []
    for path in files(paths):
        try:
            with path.open(encoding="utf-8") as handle:
                documents.append((path, hcl2.load(handle)))
        except Exception as error:  # noqa: BLE001 - python-hcl2 raises several types
            sys.stderr.write(f"error: cannot parse {path}: {error}\n")
            return 2

    # Listener rules by module folder: a reference names a resource of its own module.
    rules: dict[tuple[Path, str, str], tuple[Path, dict]] = {}
    for path, document in documents:
        for resources in blocks(document, "resource"):
            for kind in RULE_TYPES:
                for name, rule in resources.get(kind, {}).items():
                    rules[(path.parent, kind, name)] = (path, rule)

    failures = 0
    checked = 0
    for path, document in documents:
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
                shifting = False
                if kind == "ECS":
                    declared = strategy(service)
                    if declared is None:
                        print(f"FAIL {where}: deployment_configuration.strategy is an expression; write the strategy literally")
                        failures += 1
                        continue
                    if declared in TRAFFIC_SHIFTING:
                        need = REQUIRED_TRAFFIC_SHIFTING
                        shifting = True
                        kind = f"ECS, {declared}"
                have = ignored(service)
                if have is None:
                    print(f"FAIL {where} ({kind}): no lifecycle.ignore_changes; it needs [{', '.join(need)}]")
                    failures += 1
                else:
                    missing = [attribute for attribute in need if attribute not in have and "all" not in have]
                    if missing:
                        print(f"FAIL {where} ({kind}): ignore_changes lacks {', '.join(missing)}; it needs [{', '.join(need)}]")
                        failures += 1
                    elif "all" in have:
                        print(f"ok   {where} ({kind}): ignore_changes = all covers {', '.join(need)}")
                    else:
                        print(f"ok   {where} ({kind}): ignore_changes has {', '.join(need)}")
                if shifting:
                    failures += check_rules(where, path, service, rules)
    if checked == 0:
        print(f"FAIL no aws_ecs_service found in {', '.join(paths)}")
        return 1
    print(f"checked {checked} aws_ecs_service resource(s): {failures} failing")
    return 1 if failures else 0


def check_rules(where: str, path: Path, service: dict, rules: dict) -> int:
    """Failures among the listener rules whose forward weights ECS rotates for this service."""
    failures = 0
    named = listener_rules(service)
    if not named:
        print(f"FAIL {where}: a traffic-shifting strategy without load_balancer.advanced_configuration listener rules")
        return 1
    for attribute, reference in named:
        match = RULE_REFERENCE.match(reference)
        if not match:
            print(f"FAIL {where}: {attribute} = {reference} is not a listener rule resource of this module; its ignore_changes cannot be checked")
            failures += 1
            continue
        key = (path.parent, match.group(1), match.group(2))
        if key not in rules:
            print(f"FAIL {where}: {attribute} names {match.group(1)}.{match.group(2)}, which is not in {path.parent}")
            failures += 1
            continue
        rule_path, rule = rules[key]
        rule_where = f"{rule_path}: {match.group(1)}.{match.group(2)} ({attribute})"
        have = ignored(rule)
        if have is None or not ({"action", "all"} & have):
            print(f"FAIL {rule_where}: ECS re-weights its forward action on every deployment; it needs ignore_changes = [action]")
            failures += 1
        else:
            print(f"ok   {rule_where}: ignore_changes has action")
    return failures


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
