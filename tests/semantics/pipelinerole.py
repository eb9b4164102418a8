"""A pipeline's service role holds the ECS writes its own actions make and no other: the ECS
deploy action registers the task definition (tagging it as it is created), passes the task
roles and updates the service; the CodeDeployToECS action registers and passes but leaves the
service to CodeDeploy; a pipeline whose deploy step is a CodeBuild project makes none of these
calls, its project's role does
(https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html,
https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html).

Each write is decided by moto's IAM evaluation (`iam.py`, `evaluator.py`) against the role's
policies; the Terraform role's are `modules/pipeline-policy`'s documents, those the root's call
switches on, and the root's `additional_policy_json`. A write the role's actions need and that
is not allowed is reported, and so is one they never make that is allowed or undecided.
"""

from __future__ import annotations

import re

from semantics.evaluator import ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY
from semantics.iam import cfn_role_statements, decision, tf_statement
from semantics.reading import cloudformation, listed, module_folders, one, resources, terraform, text

ACCOUNT = "arn:aws:ecs:us-east-1:123456789012:"
SERVICE = ACCOUNT + "service/web-service-prod/web-service"
TASK_DEFINITION = ACCOUNT + "task-definition/web-service:7"
TASK_ROLE = "arn:aws:iam::123456789012:role/web-service-task"
EXECUTION_ROLE = "arn:aws:iam::123456789012:role/web-service-execution"
ON_REGISTER = {"ecs:CreateAction": "RegisterTaskDefinition"}
TO_ECS_TASKS = {"iam:PassedToService": "ecs-tasks.amazonaws.com"}

# The ECS writes a pipeline role could hold, as (action, resource, request context).
REGISTER = [
    ("ecs:RegisterTaskDefinition", "*", {}),
    ("ecs:TagResource", TASK_DEFINITION, ON_REGISTER),
    ("iam:PassRole", TASK_ROLE, TO_ECS_TASKS),
    ("iam:PassRole", EXECUTION_ROLE, TO_ECS_TASKS),
]
UPDATE = [("ecs:UpdateService", SERVICE, {})]
OTHER_WRITES = [
    *((f"ecs:{call}", SERVICE, {}) for call in ("CreateService", "DeleteService", "CreateTaskSet", "UpdateServicePrimaryTaskSet", "DeleteTaskSet")),
    *((f"ecs:{call}", TASK_DEFINITION, {}) for call in ("DeregisterTaskDefinition", "RunTask", "StartTask")),
]
WRITES = REGISTER + UPDATE + OTHER_WRITES
# The writes each deploy action provider makes through the pipeline's role.
NEEDS = {"ECS": REGISTER + UPDATE, "CodeDeployToECS": REGISTER}

# The templates' expressions for these resources (`iam.decision`).
CFN_REFS = {
    "service/${ClusterName}/${ServiceName}",
    '"Ref": "Service"',
    "task-definition/",
    '"Ref": "TaskRoleArn"',
    '"Ref": "TaskExecutionRoleArn"',
    '"TaskRole", "Arn"',
    '"ExecutionRole", "Arn"',
}
TF_REFS = {"local.service_arn", "local.task_definition_arns", "task_role_arns"}


def needed(providers: set[str]) -> set[tuple]:
    return {(action, resource) for provider in providers for action, resource, _ in NEEDS.get(provider, [])}


def judged(where: str, statements: list[dict], providers: set[str], refs: set[str], parameters: dict | None) -> list[str]:
    problems = []
    needs = needed(providers)
    deployers = "/".join(sorted(p for p in providers if p in NEEDS))
    for action, resource, context in WRITES:
        got = decision(statements, action, resource, refs, parameters, context)
        if (action, resource) in needs and got != ALLOWED:
            problems.append(f"{where}: its {deployers} action calls {action} on {resource}: {got}")
        elif (action, resource) not in needs and got not in (IMPLICIT_DENY, EXPLICIT_DENY):
            problems.append(f"{where}: holds {action} on {resource} ({got}), which no action of its pipeline calls")
    return problems


def cfn_problems(name: str) -> list[str]:
    template = cloudformation(name)
    problems = []
    for pipeline in resources(template, "AWS::CodePipeline::Pipeline").values():
        role = pipeline["Properties"]["RoleArn"].get("Fn::GetAtt", [""])[0]
        providers = {a["ActionTypeId"]["Provider"] for s in pipeline["Properties"]["Stages"] for a in s["Actions"]}
        statements = cfn_role_statements(template, role)
        problems += judged(f"{name}: {role}", statements, providers, CFN_REFS, template.get("Parameters", {}))
    return problems


def tf_providers(root: dict) -> set[str]:
    found = set()
    for pipeline in root["resource"].get("aws_codepipeline", {}).values():
        for stage in listed(pipeline.get("stage", [])):
            found |= {str(one(action.get("provider"))) for action in listed(stage.get("action", []))}
    return found


def tf_pipeline_statements(root: dict) -> list[dict] | None:
    """The statements of the pipeline role's inline policy: what modules/pipeline-policy builds
    from the root's call (a document with `count` only when the call sets the variable it
    tests), and the root's additional document."""
    calls = [root["module"][name] for name, folder in module_folders(root).items() if folder == "modules/pipeline-policy"]
    if len(calls) != 1:
        return None
    call = calls[0]
    statements = []
    for name, document in terraform("modules/pipeline-policy")["data"]["aws_iam_policy_document"].items():
        switch = re.search(r"var\.([A-Za-z0-9_]+)", text(document.get("count", "")))
        if name == "this" or (switch and one(call.get(switch.group(1))) is None):
            continue
        statements += [tf_statement(s) for s in listed(document.get("statement", []))]
    additional = re.search(r"data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json", text(call.get("additional_policy_json")))
    if additional:
        document = root["data"]["aws_iam_policy_document"][additional.group(1)]
        statements += [tf_statement(s) for s in listed(document.get("statement", []))]
    return statements


def tf_problems(folder: str) -> list[str]:
    root = terraform(folder)
    statements = tf_pipeline_statements(root)
    if statements is None:
        return [f"terraform/{folder}: the pipeline role's policy is not one call of modules/pipeline-policy"]
    return judged(f"terraform/{folder}: the pipeline role", statements, tf_providers(root), TF_REFS, None)


def pipeline_roles_hold_the_ecs_writes_they_use() -> list[str]:
    """Each pipeline role may make its deploy action's ECS writes, and no other ECS write."""
    problems = []
    for name in ("dev-pipeline.yaml", "prod-pipeline.yaml", "prod-native-pipeline.yaml"):
        problems += cfn_problems(name)
    for folder in ("dev", "prod", "prod-native"):
        problems += tf_problems(folder)
    return problems
