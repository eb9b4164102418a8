"""The calls each service role's service makes on its behalf, from AWS's documentation of that
service's required permissions, decided against the role's policies by moto's IAM evaluation
(`iam.py`, `evaluator.py`): a call is a problem unless it is allowed, so an explicit deny, an
implicit deny and a condition the evaluator cannot decide are each reported."""

from __future__ import annotations

from semantics.evaluator import ALLOWED
from semantics.iam import cfn_role_statements, decision, tf_role_statements
from semantics.reading import cloudformation, terraform

ACCOUNT = "arn:aws:{service}:us-east-1:123456789012:{rest}"
SERVICE = ACCOUNT.format(service="ecs", rest="service/web-service-prod/web-service")
ANY_LISTENER = ACCOUNT.format(service="elasticloadbalancing", rest="listener/app/web/0123456789abcdef/0123456789abcdef")
SCALABLE_TARGET = ACCOUNT.format(service="application-autoscaling", rest="scalable-target/0123456789abcdef0123456789abcdef")
HOOK = ACCOUNT.format(service="lambda", rest="function:CodeDeployHook_smoke")
REVISION = ACCOUNT.format(service="ecs", rest="service-revision/web-service-prod/web-service/0123456789")
TASK_DEFINITION = ACCOUNT.format(service="ecs", rest="task-definition/web-service:7")

# CodeDeploy's calls for an ECS blue/green deployment
# (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/codedeploy_IAM_role.html); the
# task roles' iam:PassRole is checked by `codedeploy_passes_the_task_roles`.
CODEDEPLOY = [
    *((f"ecs:{call}", SERVICE) for call in ("DescribeServices", "CreateTaskSet", "UpdateServicePrimaryTaskSet", "DeleteTaskSet")),
    *((f"elasticloadbalancing:{call}", ANY_LISTENER) for call in ("DescribeListeners", "DescribeRules", "DescribeTargetGroups", "ModifyListener", "ModifyRule")),
    ("cloudwatch:DescribeAlarms", ACCOUNT.format(service="cloudwatch", rest="alarm:web-service-prod-blue-5xx")),
    ("lambda:InvokeFunction", HOOK),
]
# Registering a scalable target for an ECS service: Application Auto Scaling also checks the
# caller's ecs:DescribeServices and ecs:UpdateService on it
# (https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html).
# The request names the service namespace and dimension
# (https://docs.aws.amazon.com/service-authorization/latest/reference/list_applicationautoscaling.html#applicationautoscaling-policy-keys).
ECS_DESIRED_COUNT = {
    "application-autoscaling:service-namespace": "ecs",
    "application-autoscaling:scalable-dimension": "ecs:service:DesiredCount",
}
RESUME = [
    ("application-autoscaling:RegisterScalableTarget", SCALABLE_TARGET, ECS_DESIRED_COUNT),
    ("ecs:DescribeServices", SERVICE),
    ("ecs:UpdateService", SERVICE),
]
# The resume function is also the AppSpec's AfterAllowTraffic hook, which reports its status
# (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_PutLifecycleEventHookExecutionStatus.html).
RESUME_HOOK = [
    *RESUME,
    ("codedeploy:PutLifecycleEventHookExecutionStatus", ACCOUNT.format(service="codedeploy", rest="deploymentgroup:web-service-prod/web-service")),
]
# The ECS-native smoke test reads the revision under test and its task definition
# (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html);
# DescribeServiceRevisions is authorized on both required resource types, the service and the
# service revision.
SMOKE_TEST = [
    ("ecs:DescribeServiceRevisions", SERVICE),
    ("ecs:DescribeServiceRevisions", REVISION),
    ("ecs:DescribeTaskDefinition", TASK_DEFINITION),
]

# ECS's calls through the infrastructure role of a blue/green service behind an Application Load
# Balancer: it registers the new revision's tasks with the alternate target group and re-weights
# the production and test listener rules
# (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html).
ELB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:{rest}"
TARGET_GROUP = ELB.format(rest="targetgroup/web-service-green/0123456789abcdef")
INFRASTRUCTURE = [
    *((f"elasticloadbalancing:{call}", "*") for call in ("DescribeListeners", "DescribeRules", "DescribeTargetGroups", "DescribeTargetHealth")),
    *((f"elasticloadbalancing:{call}", TARGET_GROUP) for call in ("RegisterTargets", "DeregisterTargets")),
    ("elasticloadbalancing:ModifyListener", ANY_LISTENER),
    ("elasticloadbalancing:ModifyRule", ELB.format(rest="listener-rule/app/web/0123456789abcdef/0123456789abcdef/0123456789abcdef")),
]

# The promotion reads what the dev service runs and the dev repository's scan of it, then becomes
# the prod PromotionRole (buildspecs/promote.yml).
PROMOTE = [
    ("ecs:DescribeServices", ACCOUNT.format(service="ecs", rest="service/web-service-dev/web-service")),
    ("ecs:DescribeTaskDefinition", TASK_DEFINITION),
    ("ecr:DescribeImageScanFindings", ACCOUNT.format(service="ecr", rest="repository/web-service")),
    ("sts:AssumeRole", "arn:aws:iam::210987654321:role/web-service-promotion"),
]
# The dev test reads what the dev service runs (buildspecs/dev-test.yml).
DEV_TEST = PROMOTE[:2]

# (template or folder, role, calls as (action, resource[, request context]), the template's
# expressions of the resources involved).
CLOUDFORMATION = [
    ("dev-pipeline.yaml", "PromoteRole", PROMOTE, {"service/${ClusterName}/${ServiceName}", '"Ref": "PromotionRoleArn"', '"Repository", "Arn"'}),
    ("dev-pipeline.yaml", "TestRole", DEV_TEST, {"service/${ClusterName}/${ServiceName}"}),
    ("prod-pipeline.yaml", "CodeDeployRole", CODEDEPLOY, set()),
    ("prod-pipeline.yaml", "ResumeScalingRole", RESUME_HOOK, {'"Ref": "Service"'}),
    ("prod-pipeline.yaml", "ScalingRole", [("application-autoscaling:DescribeScalableTargets", "*"), *RESUME], {'"Ref": "Service"'}),
    ("prod-native-pipeline.yaml", "InfrastructureRole", INFRASTRUCTURE, set()),
    ("prod-native-pipeline.yaml", "SmokeTestRole", SMOKE_TEST, {"service/${ClusterName}/${ServiceName}", "service-revision/${ClusterName}/${ServiceName}/*"}),
]
TERRAFORM = [
    ("prod", "codedeploy", CODEDEPLOY, set()),
    ("prod", "resume_scaling", RESUME_HOOK, {"module.autoscaling.scalable_target_arn", "local.service_arn"}),
    ("prod-native", "ecs_infrastructure", INFRASTRUCTURE, set()),
    ("prod-native", "smoke_test", SMOKE_TEST, {"local.service_arn", "service-revision/${local.cluster_name}/${var.service_name}/*"}),
]


def service_roles_may_make_their_calls() -> list[str]:
    """Each service role allows the calls its service makes on its behalf (AWS managed policies
    included, as recorded in `iam.py`)."""
    problems = []
    for name, role, calls, refs in CLOUDFORMATION:
        template = cloudformation(name)
        if role not in template["Resources"]:
            problems.append(f"{name}: no role {role}")
            continue
        statements = cfn_role_statements(template, role)
        parameters = template.get("Parameters", {})
        for action, resource, *context in calls:
            got = decision(statements, action, resource, refs, parameters, *context)
            if got != ALLOWED:
                problems.append(f"{name}: {role} calling {action} on {resource}: {got}")
    for folder, role, calls, refs in TERRAFORM:
        root = terraform(folder)
        if role not in root["resource"].get("aws_iam_role", {}):
            problems.append(f"terraform/{folder}: no aws_iam_role.{role}")
            continue
        statements = tf_role_statements(root, role)
        for action, resource, *context in calls:
            got = decision(statements, action, resource, refs, None, *context)
            if got != ALLOWED:
                problems.append(f"terraform/{folder}: aws_iam_role.{role} calling {action} on {resource}: {got}")
    return problems
