# What a build role that runs `ecs-verify --live` may read: the read-only actions of
# docs/aws/build-role.md, scoped as that page says (tests/semantics/buildrole.py holds the
# two together). The caller merges `json` into its project's additional policy.

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

  statement {
    sid       = "EcsVerifyLiveImages"
    actions   = ["ecr:BatchGetImage"]
    resources = var.repository_arns
  }
}
