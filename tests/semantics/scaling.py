"""Autoscaling is off only while CodeDeploy shifts traffic, not for the whole deployment.

The prod pipeline suspends the service's scaling before the CodeDeployToECS action, because
CodeDeploy fails a deployment whose replacement tasks a scaling event moves
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html).
The action ends only after TerminationWaitMinutes, when the original task set is gone; a
ResumeScaling action after it leaves the service unscaled through the test-traffic wait and the
termination wait, the hour when the new revision takes all of production's load. CodeDeploy
runs the AppSpec's AfterAllowTraffic hook as soon as the production listener serves the
replacement task set
(https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-ecs),
so that hook resumes scaling: the render step writes it into appspec.yaml, the function is one
CodeDeploy may invoke (AWSCodeDeployRoleForECSLimited: `CodeDeployHook_*`), resumes scaling and
reports the hook's status."""

from __future__ import annotations

import re

from semantics.iam import PSEUDO, allows, cfn_role_statements, concrete, tf_role_statements
from semantics.reading import TF, buildspec, cloudformation, commands, one, resources, terraform, text

HOOK_FLAG = re.compile(r"--after-allow-traffic\s+\"?\$\{?RESUME_SCALING_HOOK\b")
CALLS = ("register_scalable_target", "put_lifecycle_event_hook_execution_status")
FUNCTION_ARN = "arn:aws:lambda:{region}:{account}:function:{name}"


def _code_problems(where: str, code: str) -> list[str]:
    return [f"{where}: the hook's code never calls {call}" for call in CALLS if call not in code]


def _invocable(where: str, statements: list[dict], name: str) -> list[str]:
    arn = FUNCTION_ARN.format(region=PSEUDO["AWS::Region"], account=PSEUDO["AWS::AccountId"], name=name)
    if not name.startswith("CodeDeployHook_") or not allows(statements, "lambda:InvokeFunction", arn, set()):
        return [f"{where}: CodeDeploy may not invoke the hook {name}"]
    return []


def cloudformation_problems() -> list[str]:
    template = cloudformation("prod-pipeline.yaml")
    where = "prod-pipeline.yaml"
    variables = template["Resources"]["RenderProject"]["Properties"]["Environment"].get("EnvironmentVariables", [])
    hook = [v for v in variables if isinstance(v, dict) and v.get("Name") == "RESUME_SCALING_HOOK"]
    reference = hook[0].get("Value") if hook else None
    if not (isinstance(reference, dict) and reference.get("Ref") in resources(template, "AWS::Lambda::Function")):
        return [f"{where}: the RenderProject has no RESUME_SCALING_HOOK naming a function of the stack"]
    function = template["Resources"][reference["Ref"]]["Properties"]
    name = concrete(function.get("FunctionName"), template.get("Parameters")) or text(function.get("FunctionName"))
    problems = _code_problems(where, function.get("Code", {}).get("ZipFile", ""))
    codedeploy = [
        role for role, body in resources(template, "AWS::IAM::Role").items()
        if "codedeploy.amazonaws.com" in text(body["Properties"]["AssumeRolePolicyDocument"])
    ]
    for role in codedeploy:
        problems += _invocable(f"{where}: {role}", cfn_role_statements(template, role), name)
    return problems


def terraform_problems() -> list[str]:
    root = terraform("prod")
    where = "terraform/prod"
    environment = text(root["module"]["render"].get("environment_variables"))
    match = re.search(r"RESUME_SCALING_HOOK': '\$\{aws_lambda_function\.([A-Za-z0-9_-]+)\.function_name\}", environment)
    functions = root["resource"].get("aws_lambda_function", {})
    if not match or match.group(1) not in functions:
        return [f"{where}: module.render has no RESUME_SCALING_HOOK naming a function of the root"]
    function = functions[match.group(1)]
    name = str(one(function["function_name"]))
    values = {f"local.{k}": str(one(v)) for k, v in root["locals"].items()}
    values |= {f"var.{k}": str(one(v.get("default"))) for k, v in root["variable"].items() if "default" in v}
    for _ in range(4):
        name = re.sub(r"\$\{((?:local|var)\.[A-Za-z0-9_]+)\}", lambda m: values.get(m.group(1), m.group(0)), name)
    archive = root["data"]["archive_file"][text(function.get("filename")).split("archive_file.")[1].split(".")[0]]
    source = TF / "prod" / str(one(archive["source_file"])).replace("${path.module}/", "")
    problems = _code_problems(where, source.read_text(encoding="utf-8") if source.is_file() else "")
    for role, body in root["resource"]["aws_iam_role"].items():
        trust = text(body.get("assume_role_policy"))
        data = re.search(r"data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json", trust)
        document = root["data"]["aws_iam_policy_document"].get(data.group(1)) if data else trust
        if "codedeploy.amazonaws.com" in text(document):
            problems += _invocable(f"{where}: aws_iam_role.{role}", tf_role_statements(root, role), name)
    return problems


def scaling_resumes_once_traffic_has_shifted() -> list[str]:
    """The render step writes an AfterAllowTraffic hook into appspec.yaml, and that hook is a
    function of the stack that CodeDeploy may invoke, that resumes scaling and reports back."""
    spec = buildspec("prod-artifacts.yml")
    problems = []
    if not any(HOOK_FLAG.search(command) for command in commands(spec)):
        problems.append("buildspecs/prod-artifacts.yml: appspec.yaml has no AfterAllowTraffic hook from RESUME_SCALING_HOOK")
    return problems + cloudformation_problems() + terraform_problems()

