"""Each check: one AWS behaviour a well-formed model pipeline can still get wrong, with the
documentation it rests on. A check returns its problems, one line each."""

from __future__ import annotations

import re

import hcl2
import yaml

from semantics.iam import allows, cfn_role_statements, tf_role_statements, trusted_by
from semantics.reading import (
    BUILDSPECS,
    ROOT,
    TF,
    buildspec,
    cloudformation,
    commands,
    default,
    listed,
    one,
    parameter,
    resources,
    terraform,
    text,
)


# CodeDeploy passes the task roles to ECS tasks
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService).
TO_ECS_TASKS = {"iam:PassedToService": "ecs-tasks.amazonaws.com"}


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
            if not allows(statements, "iam:PassRole", arn, {text([passed, "Arn"])[1:-1]}, context=TO_ECS_TASKS):
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
            if not allows(statements, "iam:PassRole", arn, {f"module.service_base.{output}"}, context=TO_ECS_TASKS):
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



def the_approver_sees_the_image_and_its_configuration() -> list[str]:
    """The manual approval names the image by digest and the configuration commit the render
    step used, which is the image's own (`commit.py`; the render step's exported variables,
    https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html)."""
    wanted = ("#{RenderVariables.IMAGE_URI}", "#{RenderVariables.CONFIG_COMMIT}")
    problems = []
    for name in ("prod-pipeline.yaml", "prod-native-pipeline.yaml"):
        shown = text(resources(cloudformation(name), "AWS::CodePipeline::Pipeline"))
        problems += [f"{name}: the approval does not show {w}" for w in wanted if "CustomData" not in shown or w not in shown]
    for folder in ("prod", "prod-native"):
        shown = text(terraform(folder)["resource"].get("aws_codepipeline", {}))
        problems += [f"terraform/{folder}: the approval does not show {w}" for w in wanted if w not in shown]
    return problems

ALL = [
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
    the_approver_sees_the_image_and_its_configuration,
]
