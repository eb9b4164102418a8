# ---------------------------------------------------------------------------------------------
# Approval topic
# ---------------------------------------------------------------------------------------------

resource "aws_sns_topic" "approval" {
  name              = "${local.prefix}-approval"
  kms_master_key_id = aws_kms_key.pipeline.arn
}

resource "aws_sns_topic_subscription" "approval_email" {
  for_each = toset(var.approval_emails)

  topic_arn = aws_sns_topic.approval.arn
  protocol  = "email"
  endpoint  = each.value
}

# ---------------------------------------------------------------------------------------------
# Pipeline role
# ---------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "pipeline_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["codepipeline.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:codepipeline:${local.region}:${local.account_id}:${local.pipeline_name}"]
    }
  }
}

resource "aws_iam_role" "pipeline" {
  name               = "${local.pipeline_name}-pipeline"
  description        = "CodePipeline ${local.pipeline_name}"
  assume_role_policy = data.aws_iam_policy_document.pipeline_trust.json
}

data "aws_iam_policy_document" "pipeline" {
  statement {
    sid       = "ReadAndWriteArtifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
    resources = ["${aws_s3_bucket.artifacts.arn}/*"]
  }

  statement {
    sid       = "LocateArtifactBucket"
    actions   = ["s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketVersioning"]
    resources = [aws_s3_bucket.artifacts.arn]
  }

  statement {
    sid       = "UseArtifactKey"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    resources = [aws_kms_key.pipeline.arn]
  }

  # Connections created before the 2024 rename keep the codestar-connections prefix; IAM
  # accepts both action prefixes for either (CodeConnections user guide, IAM).
  statement {
    sid       = "UseGitConnection"
    actions   = ["codeconnections:UseConnection", "codestar-connections:UseConnection"]
    resources = [var.connection_arn]
  }

  # The ECR source action resolves the promotion tag to a digest (CodePipeline action
  # reference, Amazon ECR source: service role permissions).
  statement {
    sid       = "ReadThePromotedImage"
    actions   = ["ecr:DescribeImages"]
    resources = [aws_ecr_repository.app.arn]
  }

  statement {
    sid       = "RunOwnBuilds"
    actions   = ["codebuild:BatchGetBuilds", "codebuild:StartBuild"]
    resources = [aws_codebuild_project.render.arn, aws_codebuild_project.scaling.arn]
  }

  # Manual approval notifications (CodePipeline user guide, "Grant Amazon SNS permissions to
  # a CodePipeline service role").
  statement {
    sid       = "NotifyApprovers"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.approval.arn]
  }

  # The CodeDeployToECS action's calls, as the CDK's CodeDeployEcsDeployAction grants them,
  # narrowed to this application, deployment group and configuration (aws-cdk:
  # aws-codepipeline-actions/lib/codedeploy/ecs-deploy-action.ts).
  statement {
    sid = "RegisterRevisions"
    actions = [
      "codedeploy:GetApplication",
      "codedeploy:GetApplicationRevision",
      "codedeploy:RegisterApplicationRevision",
    ]
    resources = [aws_codedeploy_app.prod.arn]
  }

  statement {
    sid       = "CreateDeployments"
    actions   = ["codedeploy:CreateDeployment", "codedeploy:GetDeployment"]
    resources = ["arn:${local.partition}:codedeploy:${local.region}:${local.account_id}:deploymentgroup:${local.codedeploy_app_name}/${local.deployment_group_name}"]
  }

  statement {
    sid       = "ReadDeploymentConfig"
    actions   = ["codedeploy:GetDeploymentConfig"]
    resources = ["arn:${local.partition}:codedeploy:${local.region}:${local.account_id}:deploymentconfig:${var.deployment_config_name}"]
  }

  # RegisterTaskDefinition has no resource-level permissions (Service Authorization
  # Reference, Amazon ECS).
  statement {
    sid       = "RegisterTaskDefinitions"
    actions   = ["ecs:RegisterTaskDefinition"]
    resources = ["*"]
  }

  # taskdef.json carries tags (ecs-taskdef stamps the commit): tag-on-create is authorised as
  # ecs:TagResource (ECS developer guide, "Grant permission to tag resources on creation").
  statement {
    sid       = "TagOwnTaskDefinitions"
    actions   = ["ecs:TagResource"]
    resources = [local.task_definition_arn]
    condition {
      test     = "StringEquals"
      variable = "ecs:CreateAction"
      values   = ["RegisterTaskDefinition"]
    }
  }

  statement {
    sid       = "PassTheTaskRoles"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.task.arn, aws_iam_role.task_execution.arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "pipeline" {
  name   = "pipeline"
  role   = aws_iam_role.pipeline.id
  policy = data.aws_iam_policy_document.pipeline.json
}

# ---------------------------------------------------------------------------------------------
# Pipeline: Source (image + config) -> Build (render) -> Approve -> Deploy (blue/green)
# ---------------------------------------------------------------------------------------------

resource "aws_codepipeline" "prod" {
  name          = local.pipeline_name
  pipeline_type = "V2"
  # Each promotion waits its turn: a run waiting for approval is never replaced by a newer
  # one, and two deployments never overlap.
  execution_mode = "QUEUED"
  role_arn       = aws_iam_role.pipeline.arn

  artifact_store {
    type     = "S3"
    location = aws_s3_bucket.artifacts.bucket
    # The key ARN, never an alias: aliases resolve only in the owning account (CodePipeline
    # user guide, cross-account pipelines).
    encryption_key {
      type = "KMS"
      id   = aws_kms_key.pipeline.arn
    }
  }

  variable {
    name          = "RELEASE_NOTE"
    default_value = "none"
    description   = "Shown to the approver; set it when starting a run by hand (a configuration-only change, a re-run)."
  }

  # A push to the release branch (task definition template, prod.env, buildspecs) redeploys
  # the image the promotion tag points at. The image source needs no trigger: the EventBridge
  # rule below starts the pipeline. A trigger replaces the Git source's own change detection
  # (CodePipeline user guide, "Add triggers").
  trigger {
    provider_type = "CodeStarSourceConnection"
    git_configuration {
      source_action_name = local.config_source_action_name
      push {
        branches {
          includes = [var.release_branch]
        }
      }
    }
  }

  stage {
    name = "Source"

    # ImageTag defaults to latest when left out (CodePipeline action reference, Amazon ECR);
    # the promotion tag is set explicitly. Written as a quoted template so that the
    # line-based `ecs-tagcheck` reads an explicit ImageTag.
    action {
      name             = "Image"
      category         = "Source"
      owner            = "AWS"
      provider         = "ECR"
      version          = "1"
      namespace        = "ImageVariables"
      output_artifacts = ["ImageSource"]
      configuration = {
        RepositoryName = aws_ecr_repository.app.name
        ImageTag       = "${var.promotion_tag}"
      }
    }

    action {
      name             = local.config_source_action_name
      category         = "Source"
      owner            = "AWS"
      provider         = "CodeStarSourceConnection"
      version          = "1"
      namespace        = "ConfigVariables"
      output_artifacts = ["ConfigSource"]
      configuration = {
        ConnectionArn        = var.connection_arn
        FullRepositoryId     = var.full_repository_id
        BranchName           = var.release_branch
        OutputArtifactFormat = "CODE_ZIP"
      }
    }
  }

  stage {
    name = "Build"
    action {
      name      = "Render"
      category  = "Build"
      owner     = "AWS"
      provider  = "CodeBuild"
      version   = "1"
      namespace = "RenderVariables"
      # The buildspec is read from the primary input (CodePipeline action reference,
      # CodeBuild: PrimarySource); ImageSource arrives in CODEBUILD_SRC_DIR_ImageSource.
      input_artifacts  = ["ConfigSource", "ImageSource"]
      output_artifacts = ["DeployArtifact", "ImageArtifact"]
      configuration = {
        ProjectName   = aws_codebuild_project.render.name
        PrimarySource = "ConfigSource"
      }
    }
  }

  stage {
    name = "Approve"
    action {
      name     = "Approve"
      category = "Approval"
      owner    = "AWS"
      provider = "Manual"
      version  = "1"
      configuration = {
        NotificationArn    = aws_sns_topic.approval.arn
        CustomData         = "Deploy #{RenderVariables.IMAGE_URI} to ${var.service_name} in production (${local.region}). Note: #{variables.RELEASE_NOTE}"
        ExternalEntityLink = "https://${local.region}.console.aws.amazon.com/ecr/repositories/private/${local.account_id}/${aws_ecr_repository.app.name}/_/image/#{RenderVariables.IMAGE_DIGEST}/details?region=${local.region}"
      }
    }
  }

  stage {
    name = "Deploy"

    # A failed deployment re-runs this stage with the last successful execution's artifacts
    # (CodePipeline user guide, "Configure stage rollback"); the rollback runs ResumeScaling too,
    # so autoscaling is not left suspended.
    on_failure {
      result = "ROLLBACK"
    }

    action {
      name            = "SuspendScaling"
      category        = "Build"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      run_order       = 1
      input_artifacts = ["ConfigSource"]
      configuration = {
        ProjectName          = aws_codebuild_project.scaling.name
        EnvironmentVariables = jsonencode([{ name = "SCALING_ACTION", value = "suspend", type = "PLAINTEXT" }])
      }
    }

    action {
      name            = "BlueGreen"
      category        = "Deploy"
      owner           = "AWS"
      provider        = "CodeDeployToECS"
      version         = "1"
      run_order       = 2
      input_artifacts = ["DeployArtifact", "ImageArtifact"]
      configuration = {
        ApplicationName                = aws_codedeploy_app.prod.name
        DeploymentGroupName            = aws_codedeploy_deployment_group.prod.deployment_group_name
        TaskDefinitionTemplateArtifact = "DeployArtifact"
        TaskDefinitionTemplatePath     = "taskdef.json"
        AppSpecTemplateArtifact        = "DeployArtifact"
        AppSpecTemplatePath            = "appspec.yaml"
        Image1ArtifactName             = "ImageArtifact"
        # The placeholder's name in taskdef.json (<IMAGE1_NAME>), not the container's
        # (CodePipeline tutorial, ECS blue/green with CodeDeploy).
        Image1ContainerName = "IMAGE1_NAME"
      }
    }

    action {
      name            = "ResumeScaling"
      category        = "Build"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      run_order       = 3
      input_artifacts = ["ConfigSource"]
      configuration = {
        ProjectName          = aws_codebuild_project.scaling.name
        EnvironmentVariables = jsonencode([{ name = "SCALING_ACTION", value = "resume", type = "PLAINTEXT" }])
      }
    }
  }

  depends_on = [aws_iam_role_policy.pipeline]
}

# ---------------------------------------------------------------------------------------------
# Start on the promotion: the ECR source action has no polling, an EventBridge rule on the
# push of its tag starts the pipeline (CodePipeline user guide, "Amazon ECR source actions and
# EventBridge").
# ---------------------------------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "promotion" {
  name        = "${local.prefix}-promotion"
  description = "Starts ${local.pipeline_name} when ${var.promotion_tag} is pushed to ${aws_ecr_repository.app.name}"
  event_pattern = jsonencode({
    source        = ["aws.ecr"]
    "detail-type" = ["ECR Image Action"]
    detail = {
      "action-type"     = ["PUSH"]
      result            = ["SUCCESS"]
      "repository-name" = [aws_ecr_repository.app.name]
      "image-tag"       = [var.promotion_tag]
    }
  })
}

data "aws_iam_policy_document" "events_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.promotion.arn]
    }
  }
}

resource "aws_iam_role" "events" {
  name               = "${local.prefix}-promotion-events"
  description        = "EventBridge rule ${local.prefix}-promotion"
  assume_role_policy = data.aws_iam_policy_document.events_trust.json
}

data "aws_iam_policy_document" "events" {
  statement {
    sid       = "StartThePipeline"
    actions   = ["codepipeline:StartPipelineExecution"]
    resources = [aws_codepipeline.prod.arn]
  }
}

resource "aws_iam_role_policy" "events" {
  name   = "start-pipeline"
  role   = aws_iam_role.events.id
  policy = data.aws_iam_policy_document.events.json
}

resource "aws_cloudwatch_event_target" "promotion" {
  rule     = aws_cloudwatch_event_rule.promotion.name
  arn      = aws_codepipeline.prod.arn
  role_arn = aws_iam_role.events.arn
}
