# Two CodeBuild projects, each with its own role, log group and report group:
#   <prefix>-render   buildspecs/prod-artifacts.yml: taskdef.json, appspec.yaml, imageDetail.json
#   <prefix>-scaling  buildspecs/scaling.yml: Application Auto Scaling suspended / resumed

# ---------------------------------------------------------------------------------------------
# Logs and test reports
# ---------------------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "render" {
  name              = "/aws/codebuild/${local.render_project_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.pipeline.arn
}

resource "aws_cloudwatch_log_group" "scaling" {
  name              = "/aws/codebuild/${local.scaling_project_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.pipeline.arn
}

# A buildspec `reports: checks:` group that is not an ARN is created by CodeBuild as
# <project-name>-checks (CodeBuild user guide, "Create a report group"); creating it here keeps
# its retention and the role's permissions on one known ARN.
resource "aws_codebuild_report_group" "render" {
  name           = "${local.render_project_name}-checks"
  type           = "TEST"
  delete_reports = true
  export_config {
    type = "NO_EXPORT"
  }
}

resource "aws_codebuild_report_group" "scaling" {
  name           = "${local.scaling_project_name}-checks"
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
  for_each = toset([local.render_project_name, local.scaling_project_name])

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

resource "aws_iam_role" "render" {
  name               = local.render_project_name
  description        = "CodeBuild project ${local.render_project_name}"
  assume_role_policy = data.aws_iam_policy_document.codebuild_trust[local.render_project_name].json
}

resource "aws_iam_role" "scaling" {
  name               = local.scaling_project_name
  description        = "CodeBuild project ${local.scaling_project_name}"
  assume_role_policy = data.aws_iam_policy_document.codebuild_trust[local.scaling_project_name].json
}

# What both projects need: their own log group and report group, the artifact bucket and its
# key, and the ecs-deploy-kit tarball.
data "aws_iam_policy_document" "codebuild_common" {
  for_each = {
    (local.render_project_name) = {
      log_group    = aws_cloudwatch_log_group.render.arn
      report_group = aws_codebuild_report_group.render.arn
    }
    (local.scaling_project_name) = {
      log_group    = aws_cloudwatch_log_group.scaling.arn
      report_group = aws_codebuild_report_group.scaling.arn
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

data "aws_iam_policy_document" "scaling" {
  source_policy_documents = [data.aws_iam_policy_document.codebuild_common[local.scaling_project_name].json]

  # ecs-scaling reads the target with DescribeScalableTargets (no resource-level permissions)
  # and re-registers it with SuspendedState only.
  statement {
    sid       = "FindTheScalableTarget"
    actions   = ["application-autoscaling:DescribeScalableTargets"]
    resources = ["*"]
  }

  statement {
    sid       = "SuspendAndResumeTheScalableTarget"
    actions   = ["application-autoscaling:RegisterScalableTarget"]
    resources = [aws_appautoscaling_target.service.arn]
  }

  # Registering an ECS scalable target also needs these two on the service (ECS developer
  # guide, "IAM permissions required for Amazon ECS service auto scaling").
  statement {
    sid       = "DescribeAndScaleTheService"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = [local.service_arn]
  }
}

resource "aws_iam_role_policy" "render" {
  name   = "render"
  role   = aws_iam_role.render.id
  policy = data.aws_iam_policy_document.codebuild_common[local.render_project_name].json
}

resource "aws_iam_role_policy" "scaling" {
  name   = "scaling"
  role   = aws_iam_role.scaling.id
  policy = data.aws_iam_policy_document.scaling.json
}

# ---------------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------------

resource "aws_codebuild_project" "render" {
  name           = local.render_project_name
  description    = "Renders the Blue/Green action's taskdef.json, appspec.yaml and imageDetail.json for the promoted digest"
  service_role   = aws_iam_role.render.arn
  encryption_key = aws_kms_key.pipeline.arn
  build_timeout  = 20
  queued_timeout = 60

  source {
    type      = "CODEPIPELINE"
    buildspec = "buildspecs/prod-artifacts.yml"
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
      for_each = merge(
        local.tools_environment,
        { VARS_FILE = local.vars_file },
        var.test_hook_function == "" ? {} : { TEST_HOOK_FUNCTION = var.test_hook_function },
      )
      content {
        name  = environment_variable.key
        value = environment_variable.value
        type  = "PLAINTEXT"
      }
    }
  }

  # The source and buildspec cache.paths (the unpacked ecs-deploy-kit) kept on the build host,
  # best effort; the Docker layer cache is unused without privileged mode (CodeBuild user
  # guide, build caching).
  cache {
    type  = "LOCAL"
    modes = ["LOCAL_DOCKER_LAYER_CACHE", "LOCAL_SOURCE_CACHE", "LOCAL_CUSTOM_CACHE"]
  }

  logs_config {
    cloudwatch_logs {
      status     = "ENABLED"
      group_name = aws_cloudwatch_log_group.render.name
    }
    s3_logs {
      status = "DISABLED"
    }
  }

  depends_on = [aws_iam_role_policy.render]
}

resource "aws_codebuild_project" "scaling" {
  name           = local.scaling_project_name
  description    = "Suspends or resumes the service's autoscaling around the blue/green deployment (SCALING_ACTION set by the action)"
  service_role   = aws_iam_role.scaling.arn
  encryption_key = aws_kms_key.pipeline.arn
  build_timeout  = 10
  queued_timeout = 30

  source {
    type      = "CODEPIPELINE"
    buildspec = "buildspecs/scaling.yml"
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
        CLUSTER_NAME = aws_ecs_cluster.this.name
        SERVICE_NAME = aws_ecs_service.app.name
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
      group_name = aws_cloudwatch_log_group.scaling.name
    }
    s3_logs {
      status = "DISABLED"
    }
  }

  depends_on = [aws_iam_role_policy.scaling]
}
