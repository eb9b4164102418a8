"""The ECS-native Render step registers a revision on every run, approved or not, so rejected
releases would leave ACTIVE revisions without end. After registering, it runs
`ecs-taskdef prune` on the family with `--keep` and the service's cluster, which deregisters the
older revisions that no deployment, task set or task of the cluster uses
(docs/programs/ecs-taskdef.md), and the render role may make each call prune makes (decided by
moto's evaluation, `iam.py`; ListServices and ListTasks with the request's `ecs:cluster`,
https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
"""

from __future__ import annotations

import json

from semantics.evaluator import ALLOWED
from semantics.iam import PSEUDO, cfn_role_statements, concrete, decide, tf_statement
from semantics.reading import buildspec, cloudformation, commands, listed, terraform

ECS = "arn:aws:ecs:us-east-1:123456789012:"
CLUSTER_NAME = "web-service-prod"
CLUSTER = f"{ECS}cluster/{CLUSTER_NAME}"
IN_CLUSTER = {"ecs:cluster": CLUSTER}
# (action, resource, request context) of each call `ecs-taskdef prune FAMILY --cluster C` makes.
CALLS = [
    ("ecs:ListTaskDefinitions", "*", {}),
    ("ecs:ListServices", "*", IN_CLUSTER),
    ("ecs:DescribeServices", f"{ECS}service/{CLUSTER_NAME}/other-service", {}),
    ("ecs:ListTasks", f"{ECS}container-instance/{CLUSTER_NAME}/0123456789abcdef", IN_CLUSTER),
    ("ecs:DescribeTasks", f"{ECS}task/{CLUSTER_NAME}/0123456789abcdef", {}),
    ("ecs:DeregisterTaskDefinition", "*", {}),
]
# The Terraform root's names for the account, Region, partition and cluster.
TF_NAMES = {
    "${local.partition}": "aws",
    "${local.region}": PSEUDO["AWS::Region"],
    "${local.account_id}": PSEUDO["AWS::AccountId"],
    "${local.cluster_name}": CLUSTER_NAME,
    "${local.cluster_arn}": CLUSTER,
}


def cfn_literal(value, parameters: dict):
    """A statement with every `Fn::Sub` it holds filled in (`iam.concrete`)."""
    if isinstance(value, list):
        return [cfn_literal(v, parameters) for v in value]
    if isinstance(value, dict):
        filled = concrete(value, parameters) if set(value) == {"Fn::Sub"} else None
        return filled if filled is not None else {k: cfn_literal(v, parameters) for k, v in value.items()}
    return value


def tf_literal(statement: dict) -> dict:
    dumped = json.dumps(statement)
    for expression, value in TF_NAMES.items():
        dumped = dumped.replace(expression, value)
    return json.loads(dumped)


def judged(where: str, statements: list[dict]) -> list[str]:
    problems = []
    for action, resource, context in CALLS:
        got = decide(statements, action, resource, context)
        if got != ALLOWED:
            problems.append(f"{where} runs `ecs-taskdef prune` but calling {action} on {resource} is {got}")
    return problems


def rejected_revisions_are_pruned() -> list[str]:
    """The render step prunes the family after registering, and its role may."""
    steps = commands(buildspec("prod-native.yml"))
    registers = next((i for i, step in enumerate(steps) if "register-task-definition" in step), None)
    prunes = [i for i, step in enumerate(steps) if "ecs-taskdef prune" in step and "--keep" in step and "--cluster" in step]
    problems = []
    if registers is None or not any(i > registers for i in prunes):
        problems.append("buildspecs/prod-native.yml: no `ecs-taskdef prune FAMILY --keep N --cluster C` after the registration")
    template = cloudformation("prod-native-pipeline.yaml")
    parameters = {**template.get("Parameters", {}), "ClusterName": {"Default": CLUSTER_NAME}}
    statements = [cfn_literal(s, parameters) for s in cfn_role_statements(template, "RenderRole")]
    problems += judged("prod-native-pipeline.yaml: RenderRole", statements)
    document = terraform("prod-native")["data"]["aws_iam_policy_document"].get("render", {})
    statements = [tf_literal(tf_statement(s)) for s in listed(document.get("statement", []))]
    problems += judged("terraform/prod-native: the render role (data.aws_iam_policy_document.render)", statements)
    return problems
