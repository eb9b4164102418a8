"""The build roles that run `ecs-verify --live` against the page that lists what it reads.

docs/aws/build-role.md's table names each read-only action `--live` makes and the resources
to allow it on. Every build role whose buildspec runs `--live` must allow each listed action
(decided by the IAM judge, `evaluator.py`, on a resource the page's pattern names) and allow
nothing beyond the page and the role's own work. The table is read afresh on every run: an
action added to the page fails here, naming the role that lacks it, until the templates grant
it.
"""

from __future__ import annotations

import re

from semantics.evaluator import ALLOWED
from semantics.iam import PSEUDO, cfn_role_statements, decision, tf_statement
from semantics.reading import ROOT, buildspec, cloudformation, commands, listed, one, terraform, text

PAGE = ROOT / "docs" / "aws" / "build-role.md"
SERVICE = "web-service"
# A name for each resource the page's patterns leave open: the example service's roles,
# repository, log router group and a secret under its name.
NAMES = {
    "iam": f"{SERVICE}-task",
    "ecr": SERVICE,
    "secretsmanager": f"{SERVICE}/db",
    "logs": f"/ecs/{SERVICE}/firelens",
}

# What each role needs for its own work, beyond `--live`: CodeBuild's logs, reports, artifacts
# and key; the configuration clone; the dev image push; registering a task definition and
# pruning the family's old revisions.
COMMON = {
    "logs:CreateLogStream", "logs:PutLogEvents",
    "codebuild:BatchPutCodeCoverages", "codebuild:BatchPutTestCases", "codebuild:CreateReport", "codebuild:UpdateReport",
    "s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject",
    "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*",
}
CLONE = {"codeconnections:UseConnection", "codestar-connections:UseConnection"}
PUSH = {
    "ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:DescribeImages", "ecr:GetAuthorizationToken",
    "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart",
}
REGISTER = {"ecs:RegisterTaskDefinition", "iam:PassRole"}
# `ecs-taskdef prune` after the registration (tests/semantics/prune.py).
PRUNE = {"ecs:DeregisterTaskDefinition", "ecs:ListTaskDefinitions", "ecs:ListServices", "ecs:ListTasks", "ecs:DescribeTasks"}
# (buildspec, CloudFormation template and role, Terraform root and policy document, own work)
ROLES = [
    ("dev.yml", "dev-pipeline.yaml", "BuildRole", "dev", "build", COMMON | PUSH | REGISTER | {"ecs:UpdateService"}),
    ("prod-artifacts.yml", "prod-pipeline.yaml", "RenderRole", "prod", "render", COMMON | CLONE),
    (
        "prod-native.yml", "prod-native-pipeline.yaml", "RenderRole", "prod-native", "render",
        COMMON | CLONE | REGISTER | PRUNE | {"ecs:TagResource", "ecs:DescribeServices", "ecs:DescribeTaskDefinition"},
    ),
]
# The template expressions that stand for the requested roles and repository.
CFN_REFS = {'"Ref": "TaskRoleArn"', '"TaskRole", "Arn"', '"Repository", "Arn"'}
TF_REFS = {"var.task_role_arns", "var.repository_arns"}


def page_actions() -> list[tuple[str, str]]:
    """(action, a resource it is asked on) for each row of the page's action table."""
    section = PAGE.read_text(encoding="utf-8").split("## The read-only actions", 1)[-1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        match = re.match(r"\|\s*`([a-z0-9-]+:[A-Za-z0-9]+)`\s*\|([^|]*)\|", line)
        if match:
            rows.append((match.group(1), sample(match.group(1), match.group(2))))
    return rows


def sample(action: str, column: str) -> str:
    """An ARN of the page's pattern with the example's names, or `*` when it names none."""
    arn = next((text for text in re.findall(r"`([^`]+)`", column) if text.startswith("arn:")), None)
    if arn is None:
        return "*"
    name = NAMES.get(action.split(":", 1)[0], SERVICE)
    arn = arn.replace("REGION", PSEUDO["AWS::Region"]).replace("ACCOUNT", PSEUDO["AWS::AccountId"])
    arn = arn.replace("NAME-*", f"{name}-AbCdEf").replace("NAME", name)
    return re.sub(r"\*$", name, arn).replace("*", "x")


def runs_live(name: str) -> bool:
    return any("ecs-verify" in step and "--live" in step for step in commands(buildspec(name)))


MODULE = "modules/live-check-policy"


def tf_live_statements(where: str, root: dict, body: dict) -> tuple[list[dict], list[str]]:
    """The statements of the live-check module the policy document merges, its interpolations
    of the account, Region and partition made literal (as `iam.concrete` does for `Fn::Sub`),
    and what is wrong with how the root calls it."""
    calls = {name: call for name, call in root["module"].items() if str(one(call.get("source"))).endswith(MODULE)}
    merged = text(body.get("source_policy_documents"))
    used = [name for name in calls if f"module.{name}.json" in merged]
    if not used:
        return [], [f"{where} does not merge {MODULE}"]
    call = text(calls[used[0]])
    problems = [f"{where}: {MODULE} is not given {need}" for need in ("module.service_base.task_role_arn", "repository") if need not in call]
    module = terraform(MODULE)
    statements = []
    for statement in listed(module["data"]["aws_iam_policy_document"]["this"].get("statement", [])):
        converted = tf_statement(statement)
        resources = []
        for resource in listed(converted.get("Resource", [])):
            resource = re.sub(r'^\$\{"(.*)"\}$', r"\1", str(resource))
            resource = re.sub(
                r'\$\{format\(local\.in_account, "([a-z-]+)"\)\}',
                lambda m: f"aws:{m.group(1)}:{PSEUDO['AWS::Region']}:{PSEUDO['AWS::AccountId']}",
                resource,
            )
            resources.append(resource.replace("${var.secret_prefix}", SERVICE))
        statements.append({**converted, "Resource": resources})
    return statements, problems


def allowed_actions(statements: list[dict]) -> set[str]:
    return {a for s in statements if s.get("Effect", "Allow") == "Allow" for a in listed(s.get("Action", []))}


def judged(where: str, statements: list[dict], refs: set[str], parameters: dict | None, own: set[str]) -> list[str]:
    problems = []
    rows = page_actions()
    for action, resource in rows:
        got = decision(statements, action, resource, refs, parameters)
        if got != ALLOWED:
            problems.append(f"{where} runs `ecs-verify --live` but calling {action} on {resource} is {got} (docs/aws/build-role.md)")
    beyond = allowed_actions(statements) - {action for action, _ in rows} - own
    problems += [f"{where} allows {action}, which neither docs/aws/build-role.md nor the role's own work needs" for action in sorted(beyond)]
    return problems


def build_roles_read_what_the_live_check_reads() -> list[str]:
    """Each build role running `--live` may call every action of the page, and no more."""
    problems = [] if page_actions() else [f"{PAGE.relative_to(ROOT)}: no action table"]
    for spec, template_name, role, folder, document, own in ROLES:
        if not runs_live(spec):
            problems.append(f"buildspecs/{spec}: does not run `ecs-verify --live` before the deploy")
            continue
        template = cloudformation(template_name)
        parameters = dict(template.get("Parameters", {}))
        parameters.setdefault("ServiceName", {})
        parameters["ServiceName"] = {**parameters["ServiceName"], "Default": parameters["ServiceName"].get("Default", SERVICE)}
        problems += judged(f"{template_name}: {role}", cfn_role_statements(template, role), CFN_REFS, parameters, own)
        root = terraform(folder)
        body = root["data"]["aws_iam_policy_document"].get(document, {})
        where = f"terraform/{folder}: the {document} role (data.aws_iam_policy_document.{document})"
        live, wrong = tf_live_statements(where, root, body)
        statements = [tf_statement(s) for s in listed(body.get("statement", []))] + live
        problems += wrong + judged(where, statements, TF_REFS, None, own)
    return problems
