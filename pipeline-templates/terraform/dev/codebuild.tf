# Two CodeBuild projects, each with its own role, log group and report group:
#   <prefix>-build    buildspecs/dev.yml: docker build, push, imagedefinitions.json, imageDetail.json
#   <prefix>-promote  buildspecs/promote.yml: the promotion tag moved to the digest in prod ECR

# ---------------------------------------------------------------------------------------------
# Logs and test reports
# ---------------------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "build" {
  name              = "/aws/codebuild/${local.build_project_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.pipeline.arn
}

resource "aws_cloudwatch_log_group" "promote" {
  name              = "/aws/codebuild/${local.promote_project_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.pipeline.arn
}

# A buildspec `reports: checks:` group that is not an ARN is created by CodeBuild as
# <project-name>-checks (CodeBuild user guide, "Create a report group"); creating it here keeps
# its retention and the role's permissions on one known ARN.
resource "aws_codebuild_report_group" "build" {
  name           = "${local.build_project_name}-checks"
  type           = "TEST"
  delete_reports = true
  export_config {
    type = "NO_EXPORT"
  }
}

resource "aws_codebuild_report_group" "promote" {
  name           = "${local.promote_project_name}-checks"
  type           = "TEST"
  delete_reports = true
  export_config {
    type = "NO_EXPORT"
  }
}

# ---------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "codebuild_trust" {
  for_each = toset([local.build_project_name, local.promote_project_name])

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["codebuild.amazonaws.com"]
    }
    # Only this project may use the role (IAM user guide, confused deputy prevention).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:codebuild:${local.region}:${local.account_id}:project/${each.key}"]
    }
  }
}

resource "aws_iam_role" "build" {
  name               = local.build_project_name
  description        = "CodeBuild project ${local.build_project_name}"
  assume_role_policy = data.aws_iam_policy_document.codebuild_trust[local.build_project_name].json
}

resource "aws_iam_role" "promote" {
  # The prod module's PromotionRole trusts this role's ARN (its dev_promote_role_arn).
  name               = local.promote_project_name
  description        = "CodeBuild project ${local.promote_project_name}"
  assume_role_policy = data.aws_iam_policy_document.codebuild_trust[local.promote_project_name].json
}

# What both projects need: their own log group and report group, the artifact bucket and its
# key, and the ecs-deploy-kit tarball.
data "aws_iam_policy_document" "codebuild_common" {
  for_each = {
    (local.build_project_name) = {
      log_group    = aws_cloudwatch_log_group.build.arn
      report_group = aws_codebuild_report_group.build.arn
    }
    (local.promote_project_name) = {
      log_group    = aws_cloudwatch_log_group.promote.arn
      report_group = aws_codebuild_report_group.promote.arn
    }
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${each.value.log_group}:*"]
  }

  statement {
    sid = "WriteOwnReports"
    actions = [
      "codebuild:BatchPutCodeCoverages",
      "codebuild:BatchPutTestCases",
      "codebuild:CreateReport",
      "codebuild:UpdateReport",
    ]
    resources = [each.value.report_group]
  }

  statement {
    sid       = "ReadAndWritePipelineArtifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
    resources = ["${aws_s3_bucket.artifacts.arn}/*"]
  }

  statement {
    sid       = "LocateArtifactBucket"
    actions   = ["s3:GetBucketAcl", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.artifacts.arn]
  }

  statement {
    sid       = "UseArtifactKey"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    resources = [aws_kms_key.pipeline.arn]
  }

  statement {
    sid       = "DownloadEcsDeployKit"
    actions   = ["s3:GetObject"]
    resources = [var.tools_object_arn]
  }

  dynamic "statement" {
    for_each = var.tools_kms_key_arn == null ? [] : [var.tools_kms_key_arn]
    content {
      sid       = "DecryptEcsDeployKit"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

data "aws_iam_policy_document" "build" {
  source_policy_documents = [data.aws_iam_policy_document.codebuild_common[local.build_project_name].json]

  # GetAuthorizationToken has no resource-level permissions (ECR user guide, IAM actions).
  statement {
    sid       = "LogInToEcr"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushToOwnRepository"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [aws_ecr_repository.app.arn]
  }
}

data "aws_iam_policy_document" "promote" {
  source_policy_documents = [data.aws_iam_policy_document.codebuild_common[local.promote_project_name].json]

  # Everything in the prod account happens as the PromotionRole, which may only read and tag
  # the prod repository.
  statement {
    sid       = "BecomePromotionRole"
    actions   = ["sts:AssumeRole"]
    resources = [var.promotion_role_arn]
  }
}

resource "aws_iam_role_policy" "build" {
  name   = "build"
  role   = aws_iam_role.build.id
  policy = data.aws_iam_policy_document.build.json
}

resource "aws_iam_role_policy" "promote" {
  name   = "promote"
  role   = aws_iam_role.promote.id
  policy = data.aws_iam_policy_document.promote.json
}

# ---------------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------------

resource "aws_codebuild_project" "build" {
  #checkov:skip=CKV_AWS_316:docker build needs the Docker daemon, which CodeBuild starts only in privileged mode (CodeBuild user guide, Docker in custom image / privileged mode).
  name           = local.build_project_name
  description    = "Builds the image once per commit and writes the dev pipeline's deployment artifacts"
  service_role   = aws_iam_role.build.arn
  encryption_key = aws_kms_key.pipeline.arn
  build_timeout  = 30
  queued_timeout = 60

  source {
    type      = "CODEPIPELINE"
    buildspec = "buildspecs/dev.yml"
  }

  artifacts {
    type = "CODEPIPELINE"
  }

  environment {
    type                        = "LINUX_CONTAINER"
    compute_type                = var.build_compute_type
    image                       = var.codebuild_image
    image_pull_credentials_type = "CODEBUILD"
    privileged_mode             = true

    dynamic "environment_variable" {
      for_each = merge(local.tools_environment, {
        REPOSITORY_URI = aws_ecr_repository.app.repository_url
      })
      content {
        name  = environment_variable.key
        value = environment_variable.value
        type  = "PLAINTEXT"
      }
    }
  }

  # Docker layers, the source and buildspec cache.paths (the unpacked ecs-deploy-kit) kept on
  # the build host, best effort (CodeBuild user guide, build caching).
  cache {
    type  = "LOCAL"
    modes = ["LOCAL_DOCKER_LAYER_CACHE", "LOCAL_SOURCE_CACHE", "LOCAL_CUSTOM_CACHE"]
  }

  logs_config {
    cloudwatch_logs {
      status     = "ENABLED"
      group_name = aws_cloudwatch_log_group.build.name
    }
    s3_logs {
      status = "DISABLED"
    }
  }

  depends_on = [aws_iam_role_policy.build]
}

resource "aws_codebuild_project" "promote" {
  name           = local.promote_project_name
  description    = "Points the prod repository's promotion tag at the digest the dev service runs"
  service_role   = aws_iam_role.promote.arn
  encryption_key = aws_kms_key.pipeline.arn
  build_timeout  = 60
  queued_timeout = 60

  source {
    type      = "CODEPIPELINE"
    buildspec = "buildspecs/promote.yml"
  }

  artifacts {
    type = "CODEPIPELINE"
  }

  environment {
    type                        = "LINUX_CONTAINER"
    compute_type                = "BUILD_GENERAL1_SMALL"
    image                       = var.codebuild_image
    image_pull_credentials_type = "CODEBUILD"
    privileged_mode             = false

    dynamic "environment_variable" {
      for_each = merge(local.tools_environment, {
        DESTINATION_REGISTRY_ID = var.prod_account_id
        # Replication keeps the repository name in the destination registry.
        DESTINATION_REPOSITORY = var.service_name
        PROMOTION_TAG          = var.promotion_tag
        PROMOTION_ROLE_ARN     = var.promotion_role_arn
      })
      content {
        name  = environment_variable.key
        value = environment_variable.value
        type  = "PLAINTEXT"
      }
    }
  }

  cache {
    type  = "LOCAL"
    modes = ["LOCAL_DOCKER_LAYER_CACHE", "LOCAL_SOURCE_CACHE", "LOCAL_CUSTOM_CACHE"]
  }

  logs_config {
    cloudwatch_logs {
      status     = "ENABLED"
      group_name = aws_cloudwatch_log_group.promote.name
    }
    s3_logs {
      status = "DISABLED"
    }
  }

  depends_on = [aws_iam_role_policy.promote]
}
