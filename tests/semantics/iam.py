"""The identity policies of one role, read from a template into IAM JSON statements (AWS managed
policies from their recorded documents), and decided by `evaluator.py`."""

from __future__ import annotations

import json
import re
from pathlib import Path

from semantics.evaluator import ALLOWED, UNRESOLVED, decide
from semantics.reading import listed, one, resources, text

# AWS managed policies, recorded as their documents at a version in
# tests/fixtures/managed-policies/ (each file names its AWS Managed Policy Reference page). A role
# that attaches a policy not recorded there is reported, never read as allowing nothing.
MANAGED_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "managed-policies"


def managed(name: str) -> list[dict]:
    """The statements of a recorded managed policy; for one not recorded, a statement that
    leaves every call undecided."""
    path = MANAGED_DIR / f"{name}.json"
    if not path.is_file():
        return [{"Effect": "Allow", "Action": "*", "Resource": f"{UNRESOLVED}managed policy {name} is not recorded"}]
    return listed(json.loads(path.read_text(encoding="utf-8"))["document"]["Statement"])


def tf_statement(statement: dict) -> dict:
    """A `statement` block of an `aws_iam_policy_document` as IAM JSON."""
    out = {"Effect": one(statement.get("effect", "Allow"))}
    for block, key in (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"), ("not_resources", "NotResource")):
        if block in statement:
            out[key] = one(statement[block])
    for condition in statement.get("condition", []):
        test, variable = one(condition["test"]), one(condition["variable"])
        out.setdefault("Condition", {}).setdefault(test, {})[variable] = one(condition["values"])
    return out


# The account, Region and partition the checks resolve `Fn::Sub` and Terraform locals with.
PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}


def concrete(granted, parameters: dict | None) -> str | None:
    """A statement's resource as an ARN pattern: a string, or a CloudFormation `Fn::Sub` with
    the pseudo parameters and the parameters' defaults filled in; None when it names another
    resource's attribute."""
    if isinstance(granted, str):
        return granted
    if not (isinstance(granted, dict) and isinstance(granted.get("Fn::Sub"), str)):
        return None
    values = dict(PSEUDO)
    for name, body in (parameters or {}).items():
        if "Default" in body:
            values[name] = str(body["Default"])
    unresolved = []

    def fill(match: re.Match) -> str:
        if match.group(1) not in values:
            unresolved.append(match.group(1))
        return values.get(match.group(1), "")

    arn = re.sub(r"\$\{([^}]+)\}", fill, granted["Fn::Sub"])
    return None if unresolved else arn


def denotes(ref: str, resource: str) -> bool:
    """An expression that spells out an ARN's resource type (`service-revision/${Cluster}/...`)
    stands only for ARNs of that type; one that names a whole ARN stands for any."""
    return "/" not in ref or f":{ref.split('/', 1)[0]}/" in resource


def decision(
    statements: list[dict],
    action: str,
    resource: str,
    refs: set[str],
    parameters: dict | None = None,
    context: dict[str, str] | None = None,
) -> str:
    """AWS's decision (`evaluator.py`) on `action` on `resource` (an ARN); `refs` are the
    template's expressions for that ARN (`GetAtt Role.Arn`, `module.x.role_arn`), `parameters`
    the template's, for `Fn::Sub` resources, `context` the request's condition keys."""
    concrete_statements = []
    for statement in statements:
        if "Resource" not in statement:
            concrete_statements.append(statement)
            continue
        patterns = []
        for granted in listed(statement["Resource"]):
            shown = granted if isinstance(granted, str) else text(granted)
            pattern = concrete(granted, parameters)
            if any(ref in shown and denotes(ref, resource) for ref in refs):
                patterns.append(resource)
            else:
                patterns.append(pattern if pattern is not None else UNRESOLVED + shown)
        concrete_statements.append({**statement, "Resource": patterns})
    return decide(concrete_statements, action, resource, context)


def allows(statements: list[dict], action: str, resource: str, refs: set[str], parameters: dict | None = None, context: dict[str, str] | None = None) -> bool:
    return decision(statements, action, resource, refs, parameters, context) == ALLOWED


def cfn_role_statements(template: dict, role: str) -> list[dict]:
    body = template["Resources"][role]["Properties"]
    statements = []
    for arn in body.get("ManagedPolicyArns", []):
        statements += managed(text(arn).rsplit("/", 1)[-1].strip('"}'))
    for policy in body.get("Policies", []):
        statements += listed(policy["PolicyDocument"].get("Statement", []))
    for policy in resources(template, "AWS::IAM::Policy").values():
        if {"Ref": role} in policy["Properties"].get("Roles", []):
            statements += listed(policy["Properties"]["PolicyDocument"]["Statement"])
    return statements


def tf_role_statements(root: dict, role: str) -> list[dict]:
    reference = f"aws_iam_role.{role}."
    statements = []
    for attachment in root["resource"].get("aws_iam_role_policy_attachment", {}).values():
        if reference in text(attachment.get("role")):
            statements += managed(str(one(attachment["policy_arn"])).rsplit("/", 1)[-1])
    for policy in root["resource"].get("aws_iam_role_policy", {}).values():
        if reference not in text(policy.get("role")):
            continue
        document = str(one(policy["policy"]))
        match = re.search(r"data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json", document)
        if match:
            data = root["data"]["aws_iam_policy_document"][match.group(1)]
            statements += [tf_statement(statement) for statement in listed(data.get("statement", []))]
    return statements


def trusted_by(document, service: str) -> bool:
    return service in text(document)
