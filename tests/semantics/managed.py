"""Every AWS managed policy a role of the model pipelines attaches is recorded in
tests/fixtures/managed-policies/ (its document at a version, with the AWS Managed Policy
Reference page it was read from), so that the IAM judge (`roles.py`) decides the role's calls
instead of leaving them undecided."""

from __future__ import annotations

import json

from semantics.iam import MANAGED_DIR
from semantics.reading import CFN, TF, cloudformation, listed, one, resources, terraform, text

REFERENCE = "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/"
AWS_MANAGED = ":iam::aws:policy/"


def attached() -> list[tuple[str, str]]:
    """(where, policy name) for every AWS managed policy a template attaches to a role."""
    found = []
    for path in sorted(CFN.glob("*.yaml")):
        for role, body in resources(cloudformation(path.name), "AWS::IAM::Role").items():
            for arn in listed(body["Properties"].get("ManagedPolicyArns", [])):
                if AWS_MANAGED in text(arn):
                    found.append((f"{path.name}: {role}", text(arn).rsplit("/", 1)[-1].strip('"}')))
    for folder in sorted({path.parent.relative_to(TF) for path in TF.glob("**/*.tf")}):
        root = terraform(str(folder))
        for name, body in root["resource"].get("aws_iam_role_policy_attachment", {}).items():
            arn = str(one(body["policy_arn"]))
            if AWS_MANAGED in arn:
                found.append((f"terraform/{folder}: aws_iam_role_policy_attachment.{name}", arn.rsplit("/", 1)[-1]))
    return found


def every_attached_managed_policy_is_recorded() -> list[str]:
    """An attached managed policy without its recorded document (name, version, reference page)
    fails here, never passes as allowing nothing or everything."""
    problems = []
    for where, name in attached():
        path = MANAGED_DIR / f"{name}.json"
        if not path.is_file():
            problems.append(f"{where} attaches {name}, which tests/fixtures/managed-policies/ does not record")
            continue
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("name") != name or not str(record.get("version", "")).startswith("v"):
            problems.append(f"tests/fixtures/managed-policies/{path.name}: name and version (vN) must be recorded")
        if record.get("source") != f"{REFERENCE}{name}.html":
            problems.append(f"tests/fixtures/managed-policies/{path.name}: the source must be {REFERENCE}{name}.html")
        if not record.get("document", {}).get("Statement"):
            problems.append(f"tests/fixtures/managed-policies/{path.name}: no policy document")
    return problems
