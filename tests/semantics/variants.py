"""The CloudFormation and Terraform variants of each pipeline say the same: parameters and
their defaults, pipeline variables, ECR lifecycle counts, rollback alarms."""

from __future__ import annotations

import re

from semantics.reading import TF, cloudformation, listed, one, resources, terraform, text

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
