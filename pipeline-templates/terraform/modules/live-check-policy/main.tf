# What a build role that runs `ecs-verify --live` may read: the read-only actions of
# docs/aws/build-role.md, scoped as that page says (tests/semantics/buildrole.py holds the
# two together). The caller merges `json` into its project's additional policy.
# Environment files, EFS volumes, images of other accounts' repositories and an AppSpec
# capacity provider strategy would need more rows of that page; the checked task definitions
# and AppSpecs use none of them.

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  in_account = "${data.aws_partition.current.partition}:%s:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}"
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "EcsVerifyLiveRoles"
    actions   = ["iam:GetRole"]
    resources = var.task_role_arns
  }

  # DescribeLogGroups is not scoped to one group.
  statement {
    sid       = "EcsVerifyLiveLogs"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["arn:${format(local.in_account, "logs")}:log-group:*"]
  }

  # DescribeParameters is not scoped to a parameter.
  statement {
    sid       = "EcsVerifyLiveParameters"
    actions   = ["ssm:DescribeParameters"]
    resources = ["*"]
  }

  statement {
    sid       = "EcsVerifyLiveSecrets"
    actions   = ["secretsmanager:DescribeSecret"]
    resources = ["arn:${format(local.in_account, "secretsmanager")}:secret:${var.secret_prefix}/*"]
  }

  # What the execution role may do on each resource the task needs.
  statement {
    sid       = "EcsVerifyLiveSimulation"
    actions   = ["iam:SimulatePrincipalPolicy"]
    resources = [var.execution_role_arn]
  }

  statement {
    sid       = "EcsVerifyLiveImages"
    actions   = ["ecr:BatchGetImage", "ecr:DescribeImageScanFindings", "ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:GetDownloadUrlForLayer"]
    resources = var.repository_arns
  }

  # The Blue/Green action's deployment group, its service, target groups and listeners.
  dynamic "statement" {
    for_each = var.blue_green == null ? [] : [var.blue_green.deployment_group_arn]
    content {
      sid       = "EcsVerifyLiveDeploymentGroup"
      actions   = ["codedeploy:GetDeploymentGroup"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.blue_green == null ? [] : [var.blue_green.service_arn]
    content {
      sid       = "EcsVerifyLiveService"
      actions   = ["ecs:DescribeServices"]
      resources = [statement.value]
    }
  }

  # Elastic Load Balancing's Describe actions take no resource-level permission.
  dynamic "statement" {
    for_each = var.blue_green == null ? [] : ["*"]
    content {
      sid       = "EcsVerifyLiveLoadBalancing"
      actions   = ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeTargetGroups"]
      resources = [statement.value]
    }
  }

  # EC2's Describe actions take no resource-level permission
  # (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html).
  dynamic "statement" {
    for_each = var.appspec_network == null ? [] : ["*"]
    content {
      sid       = "EcsVerifyLiveNetwork"
      actions   = ["ec2:DescribeSecurityGroups", "ec2:DescribeSubnets"]
      resources = [statement.value]
    }
  }
}
