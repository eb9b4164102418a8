"""The ECS-native production pipeline deploys the configuration of the image's own commit, not
only its image. The standard ECS deploy action copies the service's current task definition and
changes only the images
(https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html), so a CPU,
memory, environment or secret change of `taskdef.template.json` would never reach production.
The Render step renders the template at the image's commit with the production values and
registers it before the approval (a registration starts nothing), the approval shows the
revision, and the Deploy step, a CodeBuild project, points the service at that revision and
follows the blue/green deployment ECS starts.
"""

from __future__ import annotations

import re

from semantics.devconfig import build_problems
from semantics.iam import allows, cfn_role_statements
from semantics.reading import BUILDSPECS, buildspec, cloudformation, commands, terraform, text

SERVICE = "arn:aws:ecs:us-east-1:123456789012:service/web-service-prod/web-service"
TASK_ROLE = "arn:aws:iam::123456789012:role/web-service-task"
EXECUTION_ROLE = "arn:aws:iam::123456789012:role/web-service-execution"
TO_ECS_TASKS = {"iam:PassedToService": "ecs-tasks.amazonaws.com"}
# (role, action, resource, request context) for the CloudFormation roles.
CALLS = [
    ("RenderRole", "ecs:RegisterTaskDefinition", "*", None),
    ("RenderRole", "iam:PassRole", TASK_ROLE, TO_ECS_TASKS),
    ("RenderRole", "iam:PassRole", EXECUTION_ROLE, TO_ECS_TASKS),
    ("DeployRole", "ecs:UpdateService", SERVICE, None),
    ("DeployRole", "ecs:DescribeServices", SERVICE, None),
]
REFS = {'"Ref": "Service"', '"TaskRole", "Arn"', '"ExecutionRole", "Arn"'}
APPROVAL_SHOWS = "#{RenderVariables.TASK_DEFINITION_ARN}"


def cloudformation_problems() -> list[str]:
    name = "prod-native-pipeline.yaml"
    template = cloudformation(name)
    problems = []
    stages = {stage["Name"]: stage for stage in template["Resources"]["Pipeline"]["Properties"]["Stages"]}
    deploy = stages.get("Deploy", {}).get("Actions", [])
    if any(action["ActionTypeId"].get("Provider") == "ECS" for action in deploy):
        problems.append(f"{name}: the Deploy stage's ECS action deploys the running revision with a new image only")
    projects = [action.get("Configuration", {}).get("ProjectName", {}).get("Ref") for action in deploy if action["ActionTypeId"].get("Provider") == "CodeBuild"]
    if not projects:
        problems.append(f"{name}: no CodeBuild action deploys the registered revision")
    approval = text(stages.get("Approve", {}))
    if APPROVAL_SHOWS not in approval:
        problems.append(f"{name}: the approval does not show {APPROVAL_SHOWS}")
    if "RenderRole" not in template["Resources"] or "DeployRole" not in template["Resources"]:
        return problems + [f"{name}: no RenderRole and DeployRole"]
    for role, action, resource, context in CALLS:
        statements = cfn_role_statements(template, role)
        if not allows(statements, action, resource, REFS, template.get("Parameters", {}), context):
            problems.append(f"{name}: {role} may not {action} on {resource}")
    return problems


def terraform_problems() -> list[str]:
    root = terraform("prod-native")
    problems = []
    pipeline = text(root["resource"]["aws_codepipeline"])
    if re.search(r'"provider": \[?"ECS"', pipeline):
        problems.append("terraform/prod-native: the Deploy stage's ECS action deploys the running revision with a new image only")
    if "module.deploy.project_name" not in pipeline:
        problems.append("terraform/prod-native: no CodeBuild action runs module.deploy")
    if APPROVAL_SHOWS not in pipeline:
        problems.append(f"terraform/prod-native: the approval does not show {APPROVAL_SHOWS}")
    documents = root["data"]["aws_iam_policy_document"]
    for document, actions in (("render", ("ecs:RegisterTaskDefinition", "iam:PassRole")), ("deploy", ("ecs:UpdateService",))):
        policy = text(documents.get(document, {}))
        problems += [f"terraform/prod-native: the {document} policy does not allow {action}" for action in actions if action not in policy]
    return problems


def prod_native_deploys_the_configuration_of_the_images_commit() -> list[str]:
    """Render registers the template of the image's commit, the approval shows the revision,
    and the Deploy step points the service at it, in both variants."""
    render = commands(buildspec("prod-native.yml"))
    deploy = commands(buildspec("prod-native-deploy.yml")) if (BUILDSPECS / "prod-native-deploy.yml").is_file() else []
    problems = build_problems(render, "prod-native.yml", deploy)
    if "TASK_DEFINITION_ARN" not in buildspec("prod-native.yml").get("env", {}).get("exported-variables", []):
        problems.append("buildspecs/prod-native.yml: does not export TASK_DEFINITION_ARN for the approval")
    return problems + cloudformation_problems() + terraform_problems()
