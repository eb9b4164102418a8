"""The dev pipeline deploys the task definition template, not only a new image: the ECS deploy
action copies the service's current task definition and changes only the images
(https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html), so a change
of CPU, environment or secrets in `taskdef.template.json` would never run in dev before prod
renders it. The dev build renders the template with the built digest, registers it and points
the dev service at that revision, which the deploy action then copies.
"""

from __future__ import annotations

import re

from semantics.iam import allows, cfn_role_statements
from semantics.reading import buildspec, cloudformation, commands, one, terraform, text

SERVICE = "arn:aws:ecs:us-east-1:123456789012:service/web-service-dev/web-service"
TASK_ROLE = "arn:aws:iam::123456789012:role/web-service-task"
CALLS = [
    ("ecs:RegisterTaskDefinition", "*", None),
    ("ecs:UpdateService", SERVICE, None),
    ("iam:PassRole", TASK_ROLE, {"iam:PassedToService": "ecs-tasks.amazonaws.com"}),
]
ENVIRONMENT = ("CLUSTER_NAME", "SERVICE_NAME")


def build_problems(steps: list[str], name: str = "dev.yml", deploy: list[str] | None = None) -> list[str]:
    """The buildspec `name` renders the template with the image and registers it; `deploy` (the
    same buildspec's steps unless given) points the service at the registered revision."""
    problems = []
    run = "\n".join(steps)
    if not any(all(word in step for word in ("ecs-taskdef render", "taskdef.template.json", "--image")) for step in steps):
        problems.append(f"buildspecs/{name}: does not render taskdef.template.json with the image")
    if "aws ecs register-task-definition" not in run:
        problems.append(f"buildspecs/{name}: does not register the rendered task definition")
    if not re.search(r"aws ecs update-service\b[^\n]*--task-definition", "\n".join(steps if deploy is None else deploy)):
        problems.append(f"buildspecs/{name}: the service is never pointed at the registered revision")
    return problems


def dev_deploys_the_task_definition_template() -> list[str]:
    """The dev build renders, registers and deploys the template; its role and environment
    allow it, in both variants."""
    problems = build_problems(commands(buildspec("dev.yml")))
    template = cloudformation("dev-pipeline.yaml")
    statements = cfn_role_statements(template, "BuildRole")
    refs = {"service/${ClusterName}/${ServiceName}", '"Ref": "TaskRoleArn"'}
    for action, resource, context in CALLS:
        if not allows(statements, action, resource, refs, template.get("Parameters", {}), context):
            problems.append(f"dev-pipeline.yaml: BuildRole may not {action} on {resource}")
    names = {variable["Name"] for variable in template["Resources"]["BuildProject"]["Properties"]["Environment"]["EnvironmentVariables"]}
    problems += [f"dev-pipeline.yaml: BuildProject has no {name}" for name in ENVIRONMENT if name not in names]
    root = terraform("dev")
    policy = text(root["data"]["aws_iam_policy_document"].get("build", {}))
    for action, _, _ in CALLS:
        if action not in policy:
            problems.append(f"terraform/dev: the build policy does not allow {action}")
    given = text(one(root["module"]["build"].get("environment_variables")))
    problems += [f"terraform/dev: module.build has no {name}" for name in ENVIRONMENT if name not in given]
    return problems
