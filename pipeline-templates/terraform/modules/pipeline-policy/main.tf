# What the service role of a pipeline that deploys an ECS service may do: use its artifact
# store, its Git connection and its own CodeBuild projects and, only when its deploy action
# (ECS or CodeDeployToECS) registers task definitions, register them, tag them as they are
# created and hand them the service's task roles. A pipeline whose deploy step is a CodeBuild
# project gets none of those: its project's role registers and deploys. The deploy action's
# other calls come in additional_policy_json. The role itself comes from
# modules/pipeline-roles.

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  registers = var.registers_task_definitions != null
  # Every revision of the family, including those not registered yet.
  task_definition_arns = local.registers ? "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:task-definition/${var.registers_task_definitions.family}:*" : null
}

data "aws_iam_policy_document" "common" {
  statement {
    sid       = "ReadAndWriteArtifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
    resources = ["${var.artifact_bucket_arn}/*"]
  }

  statement {
    sid       = "LocateArtifactBucket"
    actions   = ["s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketVersioning"]
    resources = [var.artifact_bucket_arn]
  }

  statement {
    sid       = "UseArtifactKey"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    resources = [var.kms_key_arn]
  }

  # Connections created before the 2024 rename keep the codestar-connections prefix; IAM
  # accepts both action prefixes for either (CodeConnections user guide, IAM).
  statement {
    sid       = "UseGitConnection"
    actions   = ["codeconnections:UseConnection", "codestar-connections:UseConnection"]
    resources = [var.connection_arn]
  }

  statement {
    sid       = "RunOwnBuilds"
    actions   = ["codebuild:BatchGetBuilds", "codebuild:StartBuild"]
    resources = var.codebuild_project_arns
  }
}

# The ECS and CodeDeployToECS actions' own registration of the task definition (CodePipeline
# action reference, "Amazon Elastic Container Service" and "Amazon ECS and CodeDeploy blue-green":
# service role permissions); RegisterTaskDefinition has no resource-level permissions (Service
# Authorization Reference, Amazon ECS).
data "aws_iam_policy_document" "task_definitions" {
  count = var.registers_task_definitions == null ? 0 : 1

  statement {
    sid       = "RegisterTaskDefinitions"
    actions   = ["ecs:RegisterTaskDefinition"]
    resources = ["*"]
  }

  # Both ECS deploy actions register task definitions that carry tags: the ECS action copies
  # those of the revision the service runs, and taskdef.json carries the commit ecs-taskdef
  # stamps. Tag-on-create is authorised as ecs:TagResource (ECS developer guide, "Grant
  # permission to tag resources on creation").
  statement {
    sid       = "TagOwnTaskDefinitions"
    actions   = ["ecs:TagResource"]
    resources = [local.task_definition_arns]
    condition {
      test     = "StringEquals"
      variable = "ecs:CreateAction"
      values   = ["RegisterTaskDefinition"]
    }
  }

  statement {
    sid       = "PassTheTaskRoles"
    actions   = ["iam:PassRole"]
    resources = var.registers_task_definitions.task_role_arns
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "this" {
  source_policy_documents = compact([data.aws_iam_policy_document.common.json, one(data.aws_iam_policy_document.task_definitions[*].json), var.additional_policy_json])
}

resource "aws_iam_role_policy" "this" {
  name   = "pipeline"
  role   = var.role_name
  policy = data.aws_iam_policy_document.this.json
}
