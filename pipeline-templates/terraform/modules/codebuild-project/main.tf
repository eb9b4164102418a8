# A CodeBuild project that a pipeline action runs, with its own log group (retention, KMS),
# report group and local cache, and what its own role may use: those, the pipeline's artifact
# bucket and key, and the ecs-deploy-kit release tarball that buildspecs/install.sh downloads.
# Anything else the project calls comes in additional_policy_json. The role, trusted by this
# project only, comes from modules/pipeline-roles.

locals {
  # What buildspecs/install.sh needs to fetch the toolkit (PLAINTEXT: none of it is secret).
  tools_environment = {
    ECS_DEPLOY_KIT_URL     = var.tools.url
    ECS_DEPLOY_KIT_SHA256  = var.tools.sha256
    ECS_DEPLOY_KIT_VERSION = var.tools.version
  }
}

# ---------------------------------------------------------------------------------------------
# Logs and test reports
# ---------------------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/codebuild/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

# A buildspec `reports: checks:` group that is not an ARN is created by CodeBuild as
# <project-name>-checks (CodeBuild user guide, "Create a report group"); creating it here keeps
# its retention and the role's permissions on one known ARN.
resource "aws_codebuild_report_group" "this" {
  name           = "${var.name}-checks"
  type           = "TEST"
  delete_reports = true
  export_config {
    type = "NO_EXPORT"
  }
}

# ---------------------------------------------------------------------------------------------
# Permissions of the project's role
# ---------------------------------------------------------------------------------------------

# What every project needs: its own log group and report group, the artifact bucket and its
# key, and the ecs-deploy-kit tarball.
data "aws_iam_policy_document" "common" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    sid = "WriteOwnReports"
    actions = [
      "codebuild:BatchPutCodeCoverages",
      "codebuild:BatchPutTestCases",
      "codebuild:CreateReport",
      "codebuild:UpdateReport",
    ]
    resources = [aws_codebuild_report_group.this.arn]
  }

  statement {
    sid       = "ReadAndWritePipelineArtifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
    resources = ["${var.artifact_bucket_arn}/*"]
  }

  statement {
    sid       = "LocateArtifactBucket"
    actions   = ["s3:GetBucketAcl", "s3:GetBucketLocation"]
    resources = [var.artifact_bucket_arn]
  }

  statement {
    sid       = "UseArtifactKey"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    resources = [var.kms_key_arn]
  }

  statement {
    sid       = "DownloadEcsDeployKit"
    actions   = ["s3:GetObject"]
    resources = [var.tools.object_arn]
  }

  dynamic "statement" {
    for_each = var.tools.kms_key_arn == null ? [] : [var.tools.kms_key_arn]
    content {
      sid       = "DecryptEcsDeployKit"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

data "aws_iam_policy_document" "this" {
  source_policy_documents = compact([data.aws_iam_policy_document.common.json, var.additional_policy_json])
}

resource "aws_iam_role_policy" "this" {
  name   = var.policy_name
  role   = var.role.name
  policy = data.aws_iam_policy_document.this.json
}

# ---------------------------------------------------------------------------------------------
# Project
# ---------------------------------------------------------------------------------------------

resource "aws_codebuild_project" "this" {
  name           = var.name
  description    = var.description
  service_role   = var.role.arn
  encryption_key = var.kms_key_arn
  build_timeout  = var.build_timeout
  queued_timeout = var.queued_timeout

  source {
    type      = "CODEPIPELINE"
    buildspec = var.buildspec
  }

  artifacts {
    type = "CODEPIPELINE"
  }

  environment {
    type                        = "LINUX_CONTAINER"
    compute_type                = var.compute_type
    image                       = var.image
    image_pull_credentials_type = "CODEBUILD"
    privileged_mode             = var.privileged_mode

    dynamic "environment_variable" {
      for_each = merge(local.tools_environment, var.environment_variables)
      content {
        name  = environment_variable.key
        value = environment_variable.value
        type  = "PLAINTEXT"
      }
    }
  }

  # The source and buildspec cache.paths (the unpacked ecs-deploy-kit) kept on the build host,
  # best effort, and the Docker layers of a privileged project; without privileged mode the
  # Docker layer cache goes unused (CodeBuild user guide, build caching).
  cache {
    type  = "LOCAL"
    modes = ["LOCAL_DOCKER_LAYER_CACHE", "LOCAL_SOURCE_CACHE", "LOCAL_CUSTOM_CACHE"]
  }

  logs_config {
    cloudwatch_logs {
      status     = "ENABLED"
      group_name = aws_cloudwatch_log_group.this.name
    }
    s3_logs {
      status = "DISABLED"
    }
  }

  depends_on = [aws_iam_role_policy.this]
}
