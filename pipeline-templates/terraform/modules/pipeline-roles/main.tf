# The roles a pipeline's artifact store key is used by: the pipeline's service role and one role
# per CodeBuild project, each assumable only by its own pipeline or project, and without
# permissions here. They stand apart from what they may do because the key policy has to name
# them before the key exists (KMS refuses a principal that does not exist yet), while their
# permissions, the projects and the log groups need the key. modules/pipeline-policy and
# modules/codebuild-project attach the permissions.

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  pipeline_role_name = "${var.pipeline_name}-pipeline"

  # The pipeline and the projects the roles act for, and the roles themselves (IAM puts a role
  # without a path at role/<name>).
  pipeline_arn       = "arn:${data.aws_partition.current.partition}:codepipeline:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:${var.pipeline_name}"
  project_arn_prefix = "arn:${data.aws_partition.current.partition}:codebuild:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:project/"
  role_arn_prefix    = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/"

  # Role name => the service that assumes it and the one resource it may act for.
  roles = merge(
    {
      (local.pipeline_role_name) = {
        description = "CodePipeline ${var.pipeline_name}"
        service     = "codepipeline.amazonaws.com"
        source_arn  = local.pipeline_arn
      }
    },
    {
      for name in var.codebuild_project_names : name => {
        description = "CodeBuild project ${name}"
        service     = "codebuild.amazonaws.com"
        source_arn  = "${local.project_arn_prefix}${name}"
      }
    },
  )
}

data "aws_iam_policy_document" "trust" {
  for_each = local.roles

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = [each.value.service]
    }
    # Only this pipeline or project may use the role (IAM user guide, confused deputy
    # prevention).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [each.value.source_arn]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.roles

  name               = each.key
  description        = each.value.description
  assume_role_policy = data.aws_iam_policy_document.trust[each.key].json
}
