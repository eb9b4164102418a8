"""A small IAM model: the identity policies of one role, its Allow statements only, with the
AWS managed policies it attaches recorded as documents at their version."""

from __future__ import annotations

import fnmatch
import re

from semantics.reading import listed, one, resources, text

# AWS managed policies, recorded as their documents at a version. Conditions are not
# evaluated: a statement counts as if its conditions held, which is what the service's own
# calls (with ecs-tasks.amazonaws.com as the passed-to service) satisfy.
# https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRoleForECSLimited.html
MANAGED = {
    "AWSCodeDeployRoleForECSLimited": {
        "version": "v3",
        "statements": [
            {
                "Effect": "Allow",
                "Action": [
                    "ecs:DescribeServices",
                    "ecs:CreateTaskSet",
                    "ecs:UpdateServicePrimaryTaskSet",
                    "ecs:DeleteTaskSet",
                    "cloudwatch:DescribeAlarms",
                ],
                "Resource": "*",
            },
            {"Effect": "Allow", "Action": ["sns:Publish"], "Resource": "arn:aws:sns:*:*:CodeDeployTopic_*"},
            {
                "Effect": "Allow",
                "Action": [
                    "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeListeners",
                    "elasticloadbalancing:ModifyListener",
                    "elasticloadbalancing:DescribeRules",
                    "elasticloadbalancing:ModifyRule",
                ],
                "Resource": "*",
            },
            {"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": "arn:aws:lambda:*:*:function:CodeDeployHook_*"},
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                "Resource": "*",
                "Condition": {"StringEquals": {"s3:ExistingObjectTag/UseWithCodeDeploy": "true"}},
            },
            {
                "Effect": "Allow",
                "Action": ["iam:PassRole"],
                "Resource": [
                    "arn:aws:iam::*:role/ecsTaskExecutionRole",
                    "arn:aws:iam::*:role/ECSTaskExecution*",
                ],
                "Condition": {"StringLike": {"iam:PassedToService": ["ecs-tasks.amazonaws.com"]}},
            },
        ],
    },
}
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


def allows(
    statements: list[dict],
    action: str,
    resource: str,
    refs: set[str],
    parameters: dict | None = None,
) -> bool:
    """Whether an Allow statement covers `action` on `resource` (an ARN) or on one of `refs`
    (the template's expressions for that ARN: `GetAtt Role.Arn`, `module.x.role_arn`);
    `parameters` are the template's, for `Fn::Sub` resources."""
    for statement in statements:
        if statement.get("Effect", "Allow") != "Allow":
            continue
        actions = [str(a).lower() for a in listed(statement.get("Action", []))]
        if not any(fnmatch.fnmatchcase(action.lower(), a) for a in actions):
            continue
        for granted in listed(statement.get("Resource", [])):
            shown = text(granted) if not isinstance(granted, str) else granted
            if any(ref in shown for ref in refs):
                return True
            pattern = concrete(granted, parameters)
            if pattern is not None and fnmatch.fnmatchcase(resource, pattern):
                return True
    return False


def cfn_role_statements(template: dict, role: str) -> list[dict]:
    body = template["Resources"][role]["Properties"]
    statements = []
    for arn in body.get("ManagedPolicyArns", []):
        name = text(arn).rsplit("/", 1)[-1].strip('"}')
        statements += MANAGED.get(name, {}).get("statements", [])
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
            name = str(one(attachment["policy_arn"])).rsplit("/", 1)[-1]
            statements += MANAGED.get(name, {}).get("statements", [])
    for policy in root["resource"].get("aws_iam_role_policy", {}).values():
        if reference not in text(policy.get("role")):
            continue
        document = str(one(policy["policy"]))
        match = re.search(r"data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json", document)
        if match:
            data = root["data"]["aws_iam_policy_document"][match.group(1)]
            for statement in listed(data.get("statement", [])):
                statements.append(
                    {
                        "Effect": one(statement.get("effect", "Allow")),
                        "Action": one(statement.get("actions", [])),
                        "Resource": one(statement.get("resources", [])),
                    }
                )
    return statements


def trusted_by(document, service: str) -> bool:
    return service in text(document)
