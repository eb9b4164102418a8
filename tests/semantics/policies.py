"""Every IAM policy document of the model pipelines through Parliament
(https://github.com/duo-labs/parliament), which knows each service's actions and the resource
types each action takes: an action that does not exist, or a resource ARN that no resource type
of the action matches, is a permission that silently grants nothing.

Template expressions become ARNs before Parliament reads them: a parameter or variable takes
its default, a pseudo parameter the account of `iam.PSEUDO`, another resource's ARN the format of
its type, and whatever stays unknown is `*` within the ARN, so a wrong service or resource
type still shows.
"""

from __future__ import annotations

import json
import re

from parliament import analyze_policy_string

from semantics.iam import MANAGED_DIR, PSEUDO, tf_statement
from semantics.reading import CFN, TF, cloudformation, default, listed, one, terraform

# What Parliament reports that these checks act on (Parliament's config.yaml names the rest,
# which are style and least-privilege advice the linters of tests/lint.sh already give).
ISSUES = {"UNKNOWN_ACTION", "UNKNOWN_PREFIX", "RESOURCE_MISMATCH", "INVALID_ARN", "MALFORMED"}
ACCOUNT = f"{PSEUDO['AWS::Region']}:{PSEUDO['AWS::AccountId']}"
# The ARN of a resource by its type: CloudFormation's `Fn::GetAtt X.Arn` (or `Ref` where the
# reference is the ARN) and Terraform's `<type>.<name>.arn`.
ARNS = {
    "AWS::IAM::Role": "arn:aws:iam::123456789012:role/*",
    "aws_iam_role": "arn:aws:iam::123456789012:role/*",
    "AWS::S3::Bucket": "arn:aws:s3:::*",
    "aws_s3_bucket": "arn:aws:s3:::*",
    "AWS::ECR::Repository": f"arn:aws:ecr:{ACCOUNT}:repository/*",
    "aws_ecr_repository": f"arn:aws:ecr:{ACCOUNT}:repository/*",
    "AWS::SNS::Topic": f"arn:aws:sns:{ACCOUNT}:*",
    "aws_sns_topic": f"arn:aws:sns:{ACCOUNT}:*",
    "AWS::KMS::Key": f"arn:aws:kms:{ACCOUNT}:key/*",
    "aws_kms_key": f"arn:aws:kms:{ACCOUNT}:key/*",
    "AWS::Logs::LogGroup": f"arn:aws:logs:{ACCOUNT}:log-group:*",
    "aws_cloudwatch_log_group": f"arn:aws:logs:{ACCOUNT}:log-group:*",
    "AWS::Lambda::Function": f"arn:aws:lambda:{ACCOUNT}:function:*",
    "aws_lambda_function": f"arn:aws:lambda:{ACCOUNT}:function:*",
    "AWS::CodeBuild::Project": f"arn:aws:codebuild:{ACCOUNT}:project/*",
    "aws_codebuild_project": f"arn:aws:codebuild:{ACCOUNT}:project/*",
    "AWS::CodePipeline::Pipeline": f"arn:aws:codepipeline:{ACCOUNT}:*",
    "aws_codepipeline": f"arn:aws:codepipeline:{ACCOUNT}:*",
    "AWS::ECS::Service": f"arn:aws:ecs:{ACCOUNT}:service/*/*",
    "aws_ecs_service": f"arn:aws:ecs:{ACCOUNT}:service/*/*",
    "AWS::ECS::Cluster": f"arn:aws:ecs:{ACCOUNT}:cluster/*",
    "aws_ecs_cluster": f"arn:aws:ecs:{ACCOUNT}:cluster/*",
    "AWS::CodeDeploy::Application": f"arn:aws:codedeploy:{ACCOUNT}:application:*",
    "aws_codedeploy_app": f"arn:aws:codedeploy:{ACCOUNT}:application:*",
    "AWS::CodeStarConnections::Connection": f"arn:aws:codestar-connections:{ACCOUNT}:connection/*",
    "aws_codestarconnections_connection": f"arn:aws:codestar-connections:{ACCOUNT}:connection/*",
    "AWS::SecretsManager::Secret": f"arn:aws:secretsmanager:{ACCOUNT}:secret:*",
    "aws_secretsmanager_secret": f"arn:aws:secretsmanager:{ACCOUNT}:secret:*",
}
# Properties that hold a policy document (identity, trust and resource policies).
DOCUMENTS = {"PolicyDocument", "AssumeRolePolicyDocument", "KeyPolicy", "RepositoryPolicyText", "PolicyText"}


def cfn_value(template: dict, value):
    """A CloudFormation value with its intrinsic functions resolved to text."""
    if isinstance(value, list):
        return [cfn_value(template, v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) != 1:
        return {k: cfn_value(template, v) for k, v in value.items()}
    (function, argument), = value.items()
    parameters = template.get("Parameters", {})
    named = template["Resources"]
    if function == "Ref":
        if argument in PSEUDO:
            return PSEUDO[argument]
        if argument in parameters:
            return str(parameters[argument].get("Default", "*"))
        return ARNS.get(named.get(argument, {}).get("Type"), "*")
    if function == "Fn::GetAtt":
        name, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
        return ARNS.get(named.get(name, {}).get("Type"), "*") if attribute == "Arn" else "*"
    if function == "Fn::Sub":
        body, values = (argument, {}) if isinstance(argument, str) else argument

        def fill(match: re.Match) -> str:
            key = match.group(1)
            if key in values:
                return str(cfn_value(template, values[key]))
            if "." in key:
                return cfn_value(template, {"Fn::GetAtt": key})
            return str(cfn_value(template, {"Ref": key}))

        return re.sub(r"\$\{([^}!]+)\}", fill, body)
    if function == "Fn::Join":
        separator, parts = argument
        return separator.join(str(cfn_value(template, p)) for p in parts)
    if function == "Fn::If":
        return cfn_value(template, argument[1])
    if function.startswith("Fn::"):
        return "*"
    return {function: cfn_value(template, argument)}


def cfn_documents(name: str) -> list[tuple[str, dict]]:
    template = cloudformation(name)
    found = []

    def walk(where: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in DOCUMENTS and isinstance(inner, dict):
                    found.append((f"{where}.{key}", cfn_value(template, inner)))
                else:
                    walk(where, inner)
        elif isinstance(value, list):
            for inner in value:
                walk(where, inner)

    for logical, body in template["Resources"].items():
        walk(f"{name}: {logical}", body.get("Properties", {}))
    return found


def tf_text(root: dict, value: str) -> str:
    """A Terraform string with its interpolations resolved as far as the folder says."""

    def fill(match: re.Match) -> str:
        expression = match.group(1).strip()
        if expression == "local.partition":
            return "aws"
        variable = re.fullmatch(r"var\.([A-Za-z0-9_]+)", expression)
        if variable and variable.group(1) in root["variable"]:
            found = default(root["variable"], variable.group(1))
            return str(found) if isinstance(found, (str, int)) else "*"
        reference = re.fullmatch(r"([a-z0-9_]+)\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.arn", expression)
        if reference:
            return ARNS.get(reference.group(1), "*")
        return "*"

    return re.sub(r"\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}", fill, value)


def tf_documents(folder: str) -> list[tuple[str, dict]]:
    root = terraform(folder)
    found = []
    for name, body in root["data"].get("aws_iam_policy_document", {}).items():
        statements = []
        for statement in listed(body.get("statement", [])):
            converted = tf_statement(statement)
            for key in ("Resource", "NotResource"):
                if key in converted:
                    converted[key] = [tf_text(root, str(r)) for r in listed(converted[key])]
            for block in listed(statement.get("principals", [])):
                kind, identifiers = one(block["type"]), one(block["identifiers"])
                converted.setdefault("Principal", {})[kind] = [tf_text(root, str(i)) for i in listed(identifiers)]
            statements.append(converted)
        found.append((f"terraform/{folder}: data.aws_iam_policy_document.{name}", {"Version": "2012-10-17", "Statement": statements}))
    return found


def arn_or_any(resource) -> str:
    """A resource that did not resolve to an ARN (a module's input, another stack's output) is
    any resource."""
    resource = str(resource)
    return resource if resource.startswith("arn:") else "*"


def for_parliament(document: dict) -> dict:
    statements = []
    for statement in listed(document.get("Statement", [])):
        statement = dict(statement)
        for key in ("Resource", "NotResource"):
            if key in statement:
                statement[key] = [arn_or_any(r) for r in listed(statement[key])]
        if "Principal" in statement and "Resource" not in statement and "NotResource" not in statement:
            # A trust policy's resource is the role it belongs to.
            statement["Resource"] = "*"
        statements.append(statement)
    return {**document, "Statement": statements}


def every_document() -> list[tuple[str, dict]]:
    documents = [
        (f"tests/fixtures/managed-policies/{path.name}", json.loads(path.read_text(encoding="utf-8"))["document"])
        for path in sorted(MANAGED_DIR.glob("*.json"))
    ]
    for path in sorted(CFN.glob("*.yaml")):
        documents += cfn_documents(path.name)
    folders = [p.relative_to(TF) for p in sorted(TF.glob("*/")) if p.name != "modules"]
    folders += [p.relative_to(TF) for p in sorted((TF / "modules").glob("*/"))]
    for folder in folders:
        documents += tf_documents(str(folder))
    return documents


def parliament_finds_no_unknown_actions_or_resource_mismatches() -> list[str]:
    """Every policy's actions exist and each names a resource type its action takes."""
    problems = []
    for where, document in every_document():
        policy = analyze_policy_string(json.dumps(for_parliament(document)))
        for finding in policy.findings:
            detail = alternatives_matched(finding.detail) if finding.issue == "RESOURCE_MISMATCH" else finding.detail
            if finding.issue in ISSUES and detail:
                problems.append(f"{where}: {finding.issue} {detail}")
    return problems


# Elastic Load Balancing lists a listener's and a listener rule's ARN once per load balancer type,
# each marked required (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html):
# a listener is of one type, so a statement that names one type's ARNs covers that type's
# listeners, where Parliament asks it to name every type's.
LOAD_BALANCER_TYPES = ("/app/", "/net/")


def alternatives_matched(detail) -> list:
    """A RESOURCE_MISMATCH's missing formats, less those of another load balancer type than one
    the statement matched."""
    if not isinstance(detail, list):
        return detail
    missing = {(d.get("action"), d.get("required_format")) for d in detail if isinstance(d, dict)}

    def alternative_matched(action: str, required: str) -> bool:
        kinds = [kind for kind in LOAD_BALANCER_TYPES if kind in required]
        return bool(kinds) and any(
            (action, required.replace(kinds[0], other)) not in missing for other in LOAD_BALANCER_TYPES if other != kinds[0]
        )

    return [
        d for d in detail
        if not (isinstance(d, dict) and (alternative_matched(d.get("action"), d.get("required_format", "")) or d.get("action") in SCOPED_SINCE))
    ]


# Actions Parliament's copy of the Service Authorization Reference takes on `*` only, which AWS
# now scopes to a resource type: logs:DescribeLogGroups to `log-group:*` of the account and Region
# (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html,
# docs/aws/build-role.md).
SCOPED_SINCE = {"logs:DescribeLogGroups"}
