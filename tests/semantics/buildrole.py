"""The build roles that run `ecs-verify --live` against the page that lists what it reads.

docs/aws/build-role.md's table names each read-only action `--live` makes and the resources
to allow it on. Every build role whose buildspec runs `--live` must allow each listed action its
run asks for (decided by the IAM judge, `evaluator.py`, on a resource the page's pattern names),
must not allow one its run never asks for, and allows nothing beyond the page and the role's own
work. The table is read afresh on every run: an action added to the page fails here, naming the
role that lacks it, until the templates grant it or `NEEDS` says when it is asked.
"""

from __future__ import annotations

import re

from semantics.evaluator import ALLOWED
from semantics.iam import PSEUDO, cfn_role_statements, decision, tf_statement
from semantics.reading import ROOT, buildspec, cloudformation, commands, listed, one, resources, terraform, text

PAGE = ROOT / "docs" / "aws" / "build-role.md"
# The model task definition the pipelines deploy: which of the page's conditional rows it needs.
TASKDEF = ROOT / "examples" / "web-service" / "taskdef.template.json"
SERVICE = "web-service"
# A name for each resource the page's patterns leave open: the example service's roles,
# repository, log router group and a secret under its name.
NAMES = {
    "iam": f"{SERVICE}-task",
    "ecr": SERVICE,
    "secretsmanager": f"{SERVICE}/db",
    "logs": f"/ecs/{SERVICE}/firelens",
}
# The page's other upper-case placeholders, and resources its column names only in words.
PLACEHOLDERS = {"ID": "fs-0123456789abcdef0", "KEY": "prod.env"}
IN_WORDS = {
    "the execution role's ARN": f"arn:aws:iam::ACCOUNT:role/{SERVICE}-execution",
    "each repository's ARN": "arn:aws:ecr:REGION:ACCOUNT:repository/NAME",
    "a repository of another account": "arn:aws:ecr:REGION:210987654321:repository/NAME",
}
# The page's wording for a row that needs no permission (`sts:GetCallerIdentity`).
NO_PERMISSION = "no permission is needed"

# When `--live` asks for an action (docs/aws/build-role.md, "Asked for"); an action not named
# here is asked on every run. Each feature is read from the role's buildspec and the model
# task definition by `features`.
NEEDS = {
    "s3:GetBucketLocation": {"environment-files"},
    "s3:GetObject": {"environment-files"},
    "elasticfilesystem:DescribeFileSystems": {"efs"},
    "elasticfilesystem:DescribeAccessPoints": {"efs"},
    "ecr:GetRepositoryPolicy": {"other-account-image"},
    "codedeploy:GetDeploymentGroup": {"deployment-group"},
    "elasticloadbalancing:DescribeTargetGroups": {"deployment-group"},
    "elasticloadbalancing:DescribeListeners": {"deployment-group"},
    "ecs:DescribeServices": {"deployment-group", "ecs-service"},
    "ecs:DescribeTaskDefinition": {"ecs-service"},
    "ecs:DescribeClusters": {"capacity-provider"},
    "ec2:DescribeSubnets": {"network"},
    "ec2:DescribeSecurityGroups": {"network"},
}
# The project variables of a Blue/Green `--live` run's `--codedeploy-app` and
# `--deployment-group`, and the action configuration keys they must equal.
DEPLOYMENT_GROUP_VARIABLES = {"CODEDEPLOY_APPLICATION": "ApplicationName", "DEPLOYMENT_GROUP": "DeploymentGroupName"}
# The flags with which an ECS action's `--live` run names its service (docs/programs/ecs-verify.md).
SERVICE_FLAGS = ("--from-ecs", "--pipeline", "--pipeline-json", "--pipeline-template")

# What each role needs for its own work, beyond `--live`: CodeBuild's logs, reports, artifacts
# and key; the configuration clone; the dev image push; registering a task definition and
# pruning the family's old revisions. An action `--live` would not ask for that the own work
# holds must still not reach the page's resource by itself (`overreaches`).
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
    # `ecs-verify --from-ecs` after pointing the service at the rendered revision.
    (
        "dev.yml", "dev-pipeline.yaml", "BuildRole", "dev", "build",
        COMMON | PUSH | REGISTER | {"ecs:UpdateService", "ecs:DescribeServices", "ecs:DescribeTaskDefinition"},
    ),
    # The approval's `ecs-taskdef diff service:…` reads the service and its task definition.
    (
        "prod-artifacts.yml", "prod-pipeline.yaml", "RenderRole", "prod", "render",
        COMMON | CLONE | {"ecs:DescribeServices", "ecs:DescribeTaskDefinition"},
    ),
    (
        "prod-native.yml", "prod-native-pipeline.yaml", "RenderRole", "prod-native", "render",
        COMMON | CLONE | REGISTER | PRUNE | {"ecs:TagResource", "ecs:DescribeServices", "ecs:DescribeTaskDefinition"},
    ),
]
# The template expressions that stand for the requested roles and repository.
CFN_REFS = {
    '"Ref": "TaskRoleArn"', '"TaskRole", "Arn"', '"Ref": "TaskExecutionRoleArn"', '"ExecutionRole", "Arn"',
    '"Repository", "Arn"', '"Ref": "Service"', "deploymentgroup:${CodeDeployApplication}",
}
TF_REFS = {
    "var.task_role_arns", "var.execution_role_arn", "var.repository_arns",
    "var.blue_green.deployment_group_arn", "var.blue_green.service_arn",
}
# The task role's expressions: the execution role alone is simulated.
TASK_ROLE_REFS = {'"Ref": "TaskRoleArn"', '"TaskRole", "Arn"', "var.task_role_arns"}


def page_actions() -> list[tuple[str, str]]:
    """(action, a resource it is asked on) for each row of the page's action table."""
    section = PAGE.read_text(encoding="utf-8").split("## The read-only actions", 1)[-1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        match = re.match(r"\|\s*`([a-z0-9-]+:[A-Za-z0-9]+)`\s*\|([^|]*)\|", line)
        if match and NO_PERMISSION not in match.group(2):
            rows.append((match.group(1), sample(match.group(1), match.group(2))))
    return rows


def sample(action: str, column: str) -> str:
    """An ARN of the page's pattern with the example's names, or `*` when it names none."""
    arn = next((text for text in re.findall(r"`([^`]+)`", column) if text.startswith("arn:")), None)
    arn = arn or next((pattern for words, pattern in IN_WORDS.items() if words in column), None)
    if arn is None:
        return "*"
    name = NAMES.get(action.split(":", 1)[0], SERVICE)
    arn = arn.replace("REGION", PSEUDO["AWS::Region"]).replace("ACCOUNT", PSEUDO["AWS::AccountId"])
    arn = arn.replace("NAME-*", f"{name}-AbCdEf").replace("NAME", name)
    arn = re.sub(r"\b[A-Z]{2,}\b", lambda m: PLACEHOLDERS.get(m.group(0), SERVICE), arn)
    return re.sub(r"\*$", name, arn).replace("*", "x")


def live_steps(name: str) -> list[str]:
    return [step for step in commands(buildspec(name)) if "ecs-verify" in step and "--live" in step]


def features(name: str) -> set[str]:
    """What the role's `--live` run is asked about, which decides the rows of `NEEDS` it needs:
    its action's deployment group or service (its `ecs-verify` flags), an AppSpec capacity
    provider strategy or network configuration (its `ecs-appspec` step), and the model task
    definition's environment
    files, EFS volumes and images in another account's ECR registry."""
    steps = commands(buildspec(name))
    live = " ".join(live_steps(name))
    found = set()
    if "--for blue-green" in live and "--codedeploy-app" in live:
        found.add("deployment-group")
    if "--for ecs" in live and any(re.search(rf"{flag}\b", live) for flag in SERVICE_FLAGS):
        found.add("ecs-service")
    if any("ecs-appspec" in step and "--capacity-provider" in step for step in steps):
        found.add("capacity-provider")
    if "--for blue-green" in live and any("ecs-appspec" in step and "--subnet" in step for step in steps):
        found.add("network")
    taskdef = TASKDEF.read_text(encoding="utf-8")
    if '"environmentFiles"' in taskdef:
        found.add("environment-files")
    if '"efsVolumeConfiguration"' in taskdef:
        found.add("efs")
    if re.search(r"\b\d{12}\.dkr\.ecr\.", taskdef):
        found.add("other-account-image")
    return found


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
    problems = [f"{where}: {MODULE} is not given {need}" for need in ("module.service_base.task_role_arn", "execution_role_arn", "repository") if need not in call]
    module = terraform(MODULE)
    statements = []
    document = module["data"]["aws_iam_policy_document"]["this"]
    for statement in listed(document.get("statement", [])) + dynamic_statements(document, call):
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


def dynamic_statements(document: dict, call: str) -> list[dict]:
    """The module's `dynamic "statement"` blocks as the call makes them: one whose `for_each`
    tests an optional variable the call leaves unset makes none; the others make their
    `content` with `statement.value` the list's one element."""
    made = []
    for block in listed(document.get("dynamic", [])):
        body = block.get("statement", {})
        for_each = text(body.get("for_each"))
        optional = re.search(r"var\.([a-z_]+) == None", for_each)
        if optional and not re.search(rf"\b{optional.group(1)}\b", call):
            continue
        value = re.findall(r"\['([^']*)'\]", for_each)[-1]
        content = one(body.get("content", {}))
        granted = listed(one(content.get("resources", [])))
        made.append({**content, "resources": [value if r == "${statement.value}" else r for r in granted]})
    return made


def allowed_actions(statements: list[dict]) -> set[str]:
    return {a for s in statements if s.get("Effect", "Allow") == "Allow" for a in listed(s.get("Action", []))}


def overreaches(statements: list[dict], action: str, resource: str, parameters: dict | None) -> bool:
    """The role's own work reaches the page's resource by itself (a wildcard, not one of the
    stack's own resources), where the page names a narrower one than `*`."""
    return resource != "*" and decision(statements, action, resource, set(), parameters) == ALLOWED


def judged(where: str, statements: list[dict], refs: set[str], parameters: dict | None, own: set[str], found: set[str]) -> list[str]:
    problems = []
    rows = page_actions()
    for action, resource in rows:
        mine = refs - TASK_ROLE_REFS if action == "iam:SimulatePrincipalPolicy" else refs
        got = decision(statements, action, resource, mine, parameters)
        needed = action not in NEEDS or bool(NEEDS[action] & found)
        if needed and got != ALLOWED:
            problems.append(f"{where} runs `ecs-verify --live` but calling {action} on {resource} is {got} (docs/aws/build-role.md)")
        elif not needed and got == ALLOWED and (action not in own or overreaches(statements, action, resource, parameters)):
            asked = " or ".join(sorted(NEEDS[action]))
            problems.append(f"{where} allows {action}, which its `ecs-verify --live` asks only with {asked} (docs/aws/build-role.md)")
    beyond = allowed_actions(statements) - {action for action, _ in rows} - own
    problems += [f"{where} allows {action}, which neither docs/aws/build-role.md nor the role's own work needs" for action in sorted(beyond)]
    return problems


def blue_green_configuration(template: dict) -> dict:
    """The `CodeDeployToECS` action's configuration in the template's pipeline."""
    for pipeline in resources(template, "AWS::CodePipeline::Pipeline").values():
        for stage in pipeline["Properties"].get("Stages", []):
            for action in stage.get("Actions", []):
                if action.get("ActionTypeId", {}).get("Provider") == "CodeDeployToECS":
                    return action.get("Configuration", {})
    return {}


def names_the_deployment_group(template_name: str, role: str, folder: str, document: str) -> list[str]:
    """The project that runs with `role` (in Terraform, the policy named `document`) sets the variables its `--codedeploy-app` and
    `--deployment-group` come from to the application and group the Blue/Green action deploys
    through; without them the run only says the group was not checked."""
    problems = []
    template = cloudformation(template_name)
    configuration = blue_green_configuration(template)
    for name, project in resources(template, "AWS::CodeBuild::Project").items():
        if f'"{role}", "Arn"' not in text(project["Properties"].get("ServiceRole")):
            continue
        listed_variables = project["Properties"].get("Environment", {}).get("EnvironmentVariables", [])
        variables = {v.get("Name"): v.get("Value") for v in listed_variables if isinstance(v, dict)}
        for variable, key in DEPLOYMENT_GROUP_VARIABLES.items():
            if variables.get(variable) is None or variables.get(variable) != configuration.get(key):
                problems.append(f"{template_name}: {name} does not set {variable} to the Blue/Green action's {key}")
    root = terraform(folder)
    pipelines = text(root["resource"].get("aws_codepipeline", {}))
    for name, call in root["module"].items():
        if text(call.get("policy_name")) != f'["{document}"]':
            continue
        environment = text(call.get("environment_variables"))
        for variable, key in DEPLOYMENT_GROUP_VARIABLES.items():
            match = re.search(rf"'{variable}': '\$\{{([^}}]+)\}}'", environment)
            if not (match and f'"{key}": "${{{match.group(1)}}}"' in pipelines):
                problems.append(f"terraform/{folder}: module.{name} does not set {variable} to the Blue/Green action's {key}")
    return problems


def build_roles_read_what_the_live_check_reads() -> list[str]:
    """Each build role running `--live` may call every action of the page, and no more."""
    actions = {action for action, _ in page_actions()}
    problems = [] if actions else [f"{PAGE.relative_to(ROOT)}: no action table"]
    problems += [f"tests/semantics/buildrole.py: NEEDS names {action}, not a row of the page" for action in sorted(set(NEEDS) - actions)]
    for spec, template_name, role, folder, document, own in ROLES:
        found = features(spec)
        if not live_steps(spec):
            problems.append(f"buildspecs/{spec}: does not run `ecs-verify --live` before the deploy")
            continue
        template = cloudformation(template_name)
        parameters = dict(template.get("Parameters", {}))
        parameters.setdefault("ServiceName", {})
        parameters["ServiceName"] = {**parameters["ServiceName"], "Default": parameters["ServiceName"].get("Default", SERVICE)}
        problems += judged(f"{template_name}: {role}", cfn_role_statements(template, role), CFN_REFS, parameters, own, found)
        root = terraform(folder)
        body = root["data"]["aws_iam_policy_document"].get(document, {})
        where = f"terraform/{folder}: the {document} role (data.aws_iam_policy_document.{document})"
        live, wrong = tf_live_statements(where, root, body)
        statements = [tf_statement(s) for s in listed(body.get("statement", []))] + live
        problems += wrong + judged(where, statements, TF_REFS, None, own, found)
        if "deployment-group" in found:
            problems += names_the_deployment_group(template_name, role, folder, document)
    return problems
