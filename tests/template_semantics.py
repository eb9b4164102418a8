#!/usr/bin/env python3
"""The model pipelines held against what AWS does with them, not only against their shape.

cfn-lint, checkov and `ecs-verify pipeline-template` check that pipeline-templates/ and
buildspecs/ are well formed (and `ecs-verify` what a stack update does to the ECS services);
each check here is one AWS behaviour that a well-formed template can still get wrong, with the
documentation it rests on. Both variants are read where both
exist: CloudFormation through cfn-lint's own YAML reader, Terraform through python-hcl2 (no
`terraform` binary is needed; tests/lint.sh runs `terraform fmt -check` when one is on PATH).

    template_semantics.py [REPOSITORY_ROOT]

Prints one line per check and closes with `N passed, N failed`. Exit 0 when every check
passes, 1 when one fails, 2 when a file cannot be read. Needs cfn-lint and python-hcl2
(tests/requirements-lint.txt).
"""

from __future__ import annotations

import fnmatch
import json
import re
import sys
from pathlib import Path

try:
    import hcl2
    import yaml
    from cfnlint.decode import decode
except ImportError:  # pragma: no cover - depends on the environment
    sys.stderr.write("error: cfn-lint and python-hcl2 are needed (help: tests/lint.sh installs them)\n")
    sys.exit(2)

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
CFN = ROOT / "pipeline-templates" / "cloudformation"
TF = ROOT / "pipeline-templates" / "terraform"
BUILDSPECS = ROOT / "buildspecs"

# AWS managed policies, recorded with their version: only the statements the checks evaluate.
# https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRoleForECSLimited.html
MANAGED = {
    "AWSCodeDeployRoleForECSLimited": {
        "version": "v3",
        "statements": [
            {
                "Effect": "Allow",
                "Action": ["iam:PassRole"],
                "Resource": [
                    "arn:aws:iam::*:role/ecsTaskExecutionRole",
                    "arn:aws:iam::*:role/ECSTaskExecution*",
                ],
            },
        ],
    },
}


# --- reading --------------------------------------------------------------------------------


def cloudformation(name: str) -> dict:
    template, matches = decode(str(CFN / name))
    if template is None:
        raise SystemExit(f"error: cannot read {CFN / name}: {matches}")
    return template


def terraform(folder: str) -> dict:
    """Every block of a Terraform root (or module) folder: {kind: {type: {name: body}}}."""
    merged: dict = {"resource": {}, "data": {}, "variable": {}, "module": {}, "locals": {}}
    for path in sorted((TF / folder).glob("*.tf")):
        with path.open(encoding="utf-8") as file:
            parsed = hcl2.load(file)
        for kind in ("resource", "data"):
            for block in parsed.get(kind, []):
                for type_, named in block.items():
                    merged[kind].setdefault(type_, {}).update(named)
        for kind in ("variable", "module"):
            for block in parsed.get(kind, []):
                merged[kind].update(block)
        for block in parsed.get("locals", []):
            merged["locals"].update(block)
    return merged


def one(value):
    """python-hcl2 wraps attribute values and blocks in lists."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def default(variables: dict, name: str):
    return one(variables[name].get("default"))


def resources(template: dict, type_: str) -> dict:
    return {k: v for k, v in template["Resources"].items() if v.get("Type") == type_}


def parameter(template: dict, value):
    """A literal, or the default of the parameter a `Ref` names."""
    if isinstance(value, dict) and set(value) == {"Ref"}:
        return template.get("Parameters", {}).get(value["Ref"], {}).get("Default")
    return value


def text(value) -> str:
    return json.dumps(value, sort_keys=True)


def listed(value) -> list:
    return value if isinstance(value, list) else [value]


# --- a small IAM model: identity policies of one role, Allow statements only ----------------


def allows(statements: list[dict], action: str, resource: str, refs: set[str]) -> bool:
    """Whether an Allow statement covers `action` on `resource` (an ARN) or on one of `refs`
    (the template's expressions for that ARN: `GetAtt Role.Arn`, `module.x.role_arn`)."""
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
            if isinstance(granted, str) and fnmatch.fnmatchcase(resource, granted):
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


# --- the checks -----------------------------------------------------------------------------


def codedeploy_passes_the_task_roles() -> list[str]:
    """Defect: CodeDeploy's first CreateTaskSet is denied.

    CodeDeploy creates the task set with the task definition's roles, so its service role needs
    iam:PassRole on them. AWSCodeDeployRoleForECSLimited (v3) allows it only for
    ecsTaskExecutionRole and ECSTaskExecution*; the kit's roles are <service>-execution and
    <service>-task (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/codedeploy_IAM_role.html).
    """
    problems = []
    template = cloudformation("prod-pipeline.yaml")
    service = parameter(template, {"Ref": "ServiceName"})
    for role, body in resources(template, "AWS::IAM::Role").items():
        if not trusted_by(body["Properties"]["AssumeRolePolicyDocument"], "codedeploy.amazonaws.com"):
            continue
        statements = cfn_role_statements(template, role)
        for passed, suffix in (("ExecutionRole", "execution"), ("TaskRole", "task")):
            arn = f"arn:aws:iam::123456789012:role/{service}-{suffix}"
            if not allows(statements, "iam:PassRole", arn, {text([passed, "Arn"])[1:-1]}):
                problems.append(f"prod-pipeline.yaml: {role} may not pass {passed} ({arn})")
    root = terraform("prod")
    service = default(root["variable"], "service_name")
    for role, body in root["resource"]["aws_iam_role"].items():
        policy = text(body.get("assume_role_policy"))
        match = re.search(r"data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json", policy)
        trust = root["data"]["aws_iam_policy_document"].get(match.group(1)) if match else policy
        if not trusted_by(trust, "codedeploy.amazonaws.com"):
            continue
        statements = tf_role_statements(root, role)
        for output, suffix in (("task_execution_role_arn", "execution"), ("task_role_arn", "task")):
            arn = f"arn:aws:iam::123456789012:role/{service}-{suffix}"
            if not allows(statements, "iam:PassRole", arn, {f"module.service_base.{output}"}):
                problems.append(f"terraform/prod: aws_iam_role.{role} may not pass {arn}")
    return problems


def inline_functions_match_their_terraform_files() -> list[str]:
    """The CloudFormation templates' inline Lambda code is the Terraform modules' file, so that
    a fix reaches both variants."""
    pairs = [
        ("prod-native-pipeline.yaml", "SmokeTestFunction", TF / "prod-native" / "smoke_test" / "index.py"),
        ("prod-pipeline.yaml", "ResumeScalingFunction", TF / "prod" / "resume_scaling" / "index.py"),
    ]
    problems = []
    for name, function, path in pairs:
        body = cloudformation(name)["Resources"].get(function, {})
        inline = body.get("Properties", {}).get("Code", {}).get("ZipFile", "")
        kept = path.read_text(encoding="utf-8") if path.is_file() else None
        if kept is None or inline.strip() != kept.strip():
            problems.append(f"{name}: {function}'s code is not {path.relative_to(ROOT)}")
    return problems


RESUMING_STATES = {"FAILED", "STOPPED", "SUPERSEDED", "CANCELED"}


def suspended_scaling_is_resumed_on_every_failure() -> list[str]:
    """Defect: autoscaling stays suspended after a failed or stopped execution.

    Stage rollback runs only to an execution that succeeded in the current pipeline structure
    (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html): not on a
    first run, after an edit, when stopped, or when the rollback fails. An EventBridge rule on
    the pipeline's execution state (https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html)
    resumes scaling whatever ended the execution.
    """
    problems = []
    template = cloudformation("prod-pipeline.yaml")
    if "suspend" in text(template["Resources"]):
        rules = [
            body for body in resources(template, "AWS::Events::Rule").values()
            if "CodePipeline Pipeline Execution State Change" in text(body["Properties"].get("EventPattern"))
        ]
        states = set()
        for rule in rules:
            states |= set(rule["Properties"]["EventPattern"].get("detail", {}).get("state", []))
        resumes = [
            body for body in resources(template, "AWS::Lambda::Function").values()
            if "register_scalable_target" in text(body["Properties"].get("Code"))
        ]
        if not RESUMING_STATES <= states or not resumes:
            problems.append(f"prod-pipeline.yaml: scaling is resumed only by stage rollback (states {sorted(states)}, {len(resumes)} resuming function)")
    root = terraform("prod")
    rules = root["resource"].get("aws_cloudwatch_event_rule", {})
    patterns = " ".join(text(body.get("event_pattern")) for body in rules.values())
    functions = root["resource"].get("aws_lambda_function", {})
    missing = [s for s in RESUMING_STATES if s not in patterns]
    if "CodePipeline Pipeline Execution State Change" not in patterns or missing or not functions:
        problems.append(f"terraform/prod: scaling is resumed only by stage rollback (no rule for {sorted(missing)})")
    return problems


def the_smoke_test_reaches_an_internet_facing_test_listener() -> list[str]:
    """Defect: the ECS-native smoke test times out against an internet-facing ALB.

    An internet-facing load balancer's DNS name resolves to public addresses, which a rule
    referencing its security group does not cover: the hook's requests leave through NAT and
    need an egress rule to any address on the test port
    (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html#security-group-referencing).
    """
    template = cloudformation("prod-native-pipeline.yaml")
    rules = list(resources(template, "AWS::EC2::SecurityGroupEgress").values())
    groups = resources(template, "AWS::EC2::SecurityGroup")
    egress = [
        rule["Properties"] for rule in rules
        if rule["Properties"].get("GroupId") == {"Ref": "SmokeTestSecurityGroup"}
    ] + groups["SmokeTestSecurityGroup"]["Properties"].get("SecurityGroupEgress", [])
    if not any(e.get("CidrIp") == "0.0.0.0/0" and e.get("FromPort") == 8080 for e in egress):
        return ["prod-native-pipeline.yaml: SmokeTestSecurityGroup has no egress to a public test listener"]
    return []


def buildspec(name: str) -> dict:
    return yaml.safe_load((BUILDSPECS / name).read_text(encoding="utf-8"))


def commands(spec: dict) -> list[str]:
    return [c for phase in spec.get("phases", {}).values() for c in phase.get("commands", [])]


def promote_outlasts_its_replication_wait() -> list[str]:
    """Defect: the promote build times out inside its own wait, and hides why.

    CodeBuild stops a build at the project's timeout (TimeoutInMinutes,
    https://docs.aws.amazon.com/codebuild/latest/APIReference/API_Project.html#CodeBuild-Type-Project-timeoutInMinutes):
    the wait for replication plus install, assume-role and tagging must fit, with ten minutes to
    spare. An error other than "not replicated yet" (AccessDenied) must stop the wait at once.
    """
    problems = []
    spec = buildspec("promote.yml")
    wait = int(spec["env"]["variables"]["REPLICATION_WAIT_SECONDS"])
    template = cloudformation("dev-pipeline.yaml")
    for project, body in resources(template, "AWS::CodeBuild::Project").items():
        if body["Properties"]["Source"].get("BuildSpec") == "buildspecs/promote.yml":
            minutes = int(parameter(template, body["Properties"].get("TimeoutInMinutes", 60)))
            if minutes * 60 < wait + 600:
                problems.append(f"dev-pipeline.yaml: {project} times out after {minutes} min, the wait alone is {wait} s")
    for module, body in terraform("dev")["module"].items():
        if one(body.get("buildspec")) == "buildspecs/promote.yml":
            minutes = int(one(body.get("build_timeout", 60)))
            if minutes * 60 < wait + 600:
                problems.append(f"terraform/dev: module.{module} times out after {minutes} min, the wait alone is {wait} s")
    for command in commands(spec):
        if "describe-images" in command and "until" in command and "2>&1" in command:
            problems.append("promote.yml: the replication wait sends every error to /dev/null")
    return problems


def registry_singletons_are_opt_in() -> list[str]:
    """Defect: a stack replaces, and on deletion removes, the account's registry documents.

    The replication configuration and the registry policy are one per registry and Region;
    PutReplicationConfiguration and PutRegistryPolicy replace the whole document
    (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutReplicationConfiguration.html,
    https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutRegistryPolicy.html).
    A template creates one only when asked, and CloudFormation keeps it on stack deletion.
    """
    problems = []
    for name in ("dev-pipeline.yaml", "prod-pipeline.yaml", "prod-native-pipeline.yaml"):
        template = cloudformation(name)
        for type_ in ("AWS::ECR::ReplicationConfiguration", "AWS::ECR::RegistryPolicy"):
            for logical, body in resources(template, type_).items():
                condition = template.get("Conditions", {}).get(body.get("Condition"), {})
                switch = [p for p in template.get("Parameters", {}) if {"Ref": p} in listed(condition.get("Fn::Equals", []))]
                if not switch or parameter(template, {"Ref": switch[0]}) != "false":
                    problems.append(f"{name}: {logical} is created by default")
                if body.get("DeletionPolicy") != "Retain":
                    problems.append(f"{name}: deleting the stack deletes {logical}")
    for folder, variable in (("dev", "manage_replication"), ("prod", "manage_registry_policy"), ("prod-native", "manage_registry_policy")):
        if default(terraform(folder)["variable"], variable) is not False:
            problems.append(f"terraform/{folder}: {variable} defaults to true")
    return problems


def there_is_a_window_to_test_before_traffic_shifts() -> list[str]:
    """Defect: production traffic shifts as soon as the test listener serves the new tasks.

    With ActionOnTimeout CONTINUE_DEPLOYMENT CodeDeploy reroutes at once; STOP_DEPLOYMENT waits
    WaitTimeInMinutes for ContinueDeployment
    (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentReadyOption.html).
    """
    problems = []
    template = cloudformation("prod-pipeline.yaml")
    for logical, body in resources(template, "AWS::CodeDeploy::DeploymentGroup").items():
        ready = body["Properties"]["BlueGreenDeploymentConfiguration"]["DeploymentReadyOption"]
        action = parameter(template, ready.get("ActionOnTimeout"))
        wait = int(parameter(template, ready.get("WaitTimeInMinutes", 0)) or 0)
        if isinstance(action, dict):
            action = "STOP_DEPLOYMENT" if "STOP_DEPLOYMENT" in text(action) and wait else action
        if action != "STOP_DEPLOYMENT" or wait <= 0:
            problems.append(f"prod-pipeline.yaml: {logical} shifts traffic without a test window by default")
    root = terraform("prod")
    group = root["resource"]["aws_codedeploy_deployment_group"]["prod"]
    ready = one(one(group["blue_green_deployment_config"])["deployment_ready_option"])
    action = str(one(ready.get("action_on_timeout")))
    wait = one(ready.get("wait_time_in_minutes", 0))
    if "var." in str(wait):
        wait = default(root["variable"], str(wait).strip("${}").split(".", 1)[1])
    if "STOP_DEPLOYMENT" not in action or not wait:
        problems.append("terraform/prod: the deployment group shifts traffic without a test window by default")
    return problems


def terraform_parses() -> list[str]:
    """Every .tf file parses as HCL (python-hcl2, https://pypi.org/project/python-hcl2/)."""
    problems = []
    for path in sorted(TF.rglob("*.tf")):
        try:
            with path.open(encoding="utf-8") as file:
                hcl2.load(file)
        except Exception as error:  # noqa: BLE001 - the parser raises several kinds
            problems.append(f"{path.relative_to(ROOT)}: {error}")
    return problems


def no_array_outlives_its_buildspec_command() -> list[str]:
    """CodeBuild carries variables from one command to the next by exporting them, which bash
    cannot do for arrays (https://www.gnu.org/software/bash/manual/bash.html#Arrays): an array
    set in one command is empty in the next."""
    problems = []
    for path in sorted(BUILDSPECS.glob("*.yml")):
        listed_commands = commands(yaml.safe_load(path.read_text(encoding="utf-8")))
        for index, command in enumerate(listed_commands):
            for name in re.findall(r"(?m)^\s*([A-Za-z_][A-Za-z0-9_]*)=\(", command):
                if any(f"${{{name}[" in later for later in listed_commands[index + 1:]):
                    problems.append(f"{path.name}: array {name} is set in one command and read in a later one")
    return problems


def the_install_script_hashes_what_it_runs() -> list[str]:
    """The build cache is shared by every build of the project and restored before install
    (https://docs.aws.amazon.com/codebuild/latest/userguide/build-caching.html): a marker file
    in it proves nothing, so the programs run only from a tarball hashed on every build."""
    script = (BUILDSPECS / "install.sh").read_text(encoding="utf-8")
    if ".sha256\" 2>/dev/null" in script or "cat \"$folder/.sha256\"" in script:
        return ["install.sh: a cached copy is trusted on its marker file"]
    return []


# --- the two variants: CloudFormation and Terraform say the same ------------------------------

VARIANTS = (("dev-pipeline.yaml", "dev"), ("prod-pipeline.yaml", "prod"), ("prod-native-pipeline.yaml", "prod-native"))
# Parameters whose Terraform variable is not the snake_case of the name.
ALIASES = {
    "ReplicateToProd": "manage_replication",
    "CreateRegistryPolicy": "manage_registry_policy",
    "CodeBuildImage": "codebuild_image",
    "DeploymentTimeout": "deployment_timeout_minutes",
    "BakeTimeInMinutes": "bake_time_minutes",
    "Target5xxThreshold": "target_5xx_threshold",
    "TargetCpuUtilization": "cpu_target_percent",
    "ApproverEmail": "approval_emails",
}
# Parameters with no Terraform variable, and why.
CLOUDFORMATION_ONLY = {
    "AppName": "Terraform derives every name from service_name",
    "RepositoryName": "the repository is named service_name",
    "ClusterName": "Terraform creates the cluster",
    "TaskExecutionRoleArn": "Terraform creates the dev task roles",
    "TaskRoleArn": "Terraform creates the dev task roles",
    "LoadBalancerArn": "Terraform creates the load balancer",
    "LoadBalancerSecurityGroupId": "Terraform creates the load balancer",
    "LoadBalancerDnsName": "Terraform reads it from the load balancer it creates",
    "ProdListenerPort": "Terraform's own load balancer listens on 443",
    "LogRouterImage": "Terraform's task definition is modules/ecs-service-base's",
}
# Alarms Terraform has because it creates the load balancer: on the shared load balancer the
# CloudFormation templates take, its own 5xx would count other services' errors.
TERRAFORM_ONLY_METRICS = {"HTTPCode_ELB_5XX_Count"}


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def normalised(value):
    if isinstance(value, str):
        if value in ("true", "false"):
            return value == "true"
        if re.fullmatch(r"-?[0-9]+", value):
            return int(value)
        return value or None
    return value


def counts(source: str) -> list[int]:
    """The countNumber values of the ECR lifecycle rules in a template's text, JSON-escaped or not."""
    return sorted(int(n) for n in re.findall(r'countNumber[\\"]*\s*[:=]\s*([0-9]+)', source))


def cfn_alarms(template: dict) -> set:
    return {
        (a["Properties"]["MetricName"], int(a["Properties"]["EvaluationPeriods"]), int(a["Properties"].get("DatapointsToAlarm", a["Properties"]["EvaluationPeriods"])))
        for a in resources(template, "AWS::CloudWatch::Alarm").values()
    }


def tf_alarms(root: dict) -> set:
    return {
        (one(a["metric_name"]), int(one(a["evaluation_periods"])), int(one(a.get("datapoints_to_alarm", a["evaluation_periods"]))))
        for a in root["resource"].get("aws_cloudwatch_metric_alarm", {}).values()
        if one(a["metric_name"]) not in TERRAFORM_ONLY_METRICS
    }


def the_variants_agree() -> list[str]:
    """CloudFormation and Terraform variants of a pipeline offer the same parameters with the
    same defaults, the same pipeline variables, ECR lifecycle counts and rollback alarms."""
    problems = []
    for name, folder in VARIANTS:
        template = cloudformation(name)
        root = terraform(folder)
        variables = root["variable"]
        for parameter_name, body in template.get("Parameters", {}).items():
            variable = ALIASES.get(parameter_name, snake(parameter_name))
            if variable not in variables:
                if parameter_name not in CLOUDFORMATION_ONLY:
                    problems.append(f"{name}: {parameter_name} has no variable `{variable}` in terraform/{folder}")
                continue
            if "Default" not in body or "default" not in variables[variable] or parameter_name == "ApproverEmail":
                continue
            ours, theirs = normalised(body["Default"]), normalised(one(variables[variable]["default"]))
            if ours != theirs:
                problems.append(f"{name}: {parameter_name} defaults to {ours!r}, terraform/{folder} {variable} to {theirs!r}")
        pipelines = list(resources(template, "AWS::CodePipeline::Pipeline").values())
        ours = sorted(v["Name"] for b in pipelines for v in b["Properties"].get("Variables", []))
        theirs = sorted(one(v["name"]) for b in root["resource"].get("aws_codepipeline", {}).values() for v in listed(b.get("variable", [])))
        if ours != theirs:
            problems.append(f"{name}: pipeline variables {ours}, terraform/{folder} {theirs}")
        ours = counts(text(resources(template, "AWS::ECR::Repository")))
        # The prod variants' repository is modules/promoted-repository's.
        owner = TF / folder if folder == "dev" else TF / "modules" / "promoted-repository"
        theirs = counts(" ".join(f.read_text(encoding="utf-8") for f in sorted(owner.glob("*.tf"))))
        if not ours or ours != theirs:
            problems.append(f"{name}: ECR lifecycle counts {ours}, terraform/{folder} {theirs}")
        if cfn_alarms(template) != tf_alarms(root):
            problems.append(f"{name}: alarms {sorted(cfn_alarms(template))}, terraform/{folder} {sorted(tf_alarms(root))}")
    return problems


CHECKS = [
    codedeploy_passes_the_task_roles,
    inline_functions_match_their_terraform_files,
    suspended_scaling_is_resumed_on_every_failure,
    the_smoke_test_reaches_an_internet_facing_test_listener,
    promote_outlasts_its_replication_wait,
    registry_singletons_are_opt_in,
    there_is_a_window_to_test_before_traffic_shifts,
    terraform_parses,
    no_array_outlives_its_buildspec_command,
    the_install_script_hashes_what_it_runs,
    the_variants_agree,
]


def main() -> int:
    passed = failed = 0
    for check in CHECKS:
        problems = check()
        if problems:
            failed += 1
            print(f"FAIL {check.__name__}")
            for problem in problems:
                print(f"  {problem}")
        else:
            passed += 1
            print(f"ok   {check.__name__}")
    print(f"template semantics: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
