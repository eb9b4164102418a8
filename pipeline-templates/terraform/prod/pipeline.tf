# ---------------------------------------------------------------------------------------------
# Approval topic
# ---------------------------------------------------------------------------------------------

resource "aws_sns_topic" "approval" {
  name              = "${local.prefix}-approval"
  kms_master_key_id = module.artifact_store.kms_key_arn
}

resource "aws_sns_topic_subscription" "approval_email" {
  for_each = toset(var.approval_emails)

  topic_arn = aws_sns_topic.approval.arn
  protocol  = "email"
  endpoint  = each.value
}

# ---------------------------------------------------------------------------------------------
# Roles: the pipeline's, and one per CodeBuild project, which the artifact store's key policy
# names
# ---------------------------------------------------------------------------------------------

module "roles" {
  source = "../modules/pipeline-roles"

  pipeline_name           = local.pipeline_name
  codebuild_project_names = [local.render_project_name, local.scaling_project_name]
}

module "pipeline_policy" {
  source = "../modules/pipeline-policy"

  role_name              = module.roles.pipeline_role.name
  artifact_bucket_arn    = module.artifact_store.bucket_arn
  kms_key_arn            = module.artifact_store.kms_key_arn
  connection_arn         = var.connection_arn
  codebuild_project_arns = [module.render.project_arn, module.scaling.project_arn]
  # The CodeDeployToECS action registers the task definition itself.
  registers_task_definitions = {
    family         = var.service_name
    task_role_arns = [module.service_base.task_role_arn, module.service_base.task_execution_role_arn]
  }
  additional_policy_json = data.aws_iam_policy_document.pipeline.json
}

data "aws_iam_policy_document" "pipeline" {
  # The ECR source action resolves the promotion tag to a digest (CodePipeline action
  # reference, Amazon ECR source: service role permissions).
  statement {
    sid       = "ReadThePromotedImage"
    actions   = ["ecr:DescribeImages"]
    resources = [module.repository.arn]
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
  # aws-codepipeline-actions/lib/codedeploy/ecs-deploy-action.ts); its registration of the
  # task definition is modules/pipeline-policy's.
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
  role_arn       = module.roles.pipeline_role.arn

  artifact_store {
    type     = "S3"
    location = module.artifact_store.bucket_name
    # The key ARN, never an alias: aliases resolve only in the owning account (CodePipeline
    # user guide, cross-account pipelines).
    encryption_key {
      type = "KMS"
      id   = module.artifact_store.kms_key_arn
    }
  }

  variable {
    name          = "CHANGE_REFERENCE"
    default_value = "none"
    description   = "Change ticket or reason shown to the approver; set it when starting a run by hand."
  }

  # With config_changes_start_pipeline, a push to the release branch (task definition
  # template, prod.env, buildspecs) redeploys the image the promotion tag points at. The image
  # source needs no trigger: the EventBridge rule below starts the pipeline. A trigger replaces
  # the Git source's own change detection (CodePipeline user guide, "Add triggers").
  dynamic "trigger" {
    for_each = var.config_changes_start_pipeline ? [var.release_branch] : []
    content {
      provider_type = "CodeStarSourceConnection"
      git_configuration {
        source_action_name = local.config_source_action_name
        push {
          branches {
            includes = [trigger.value]
          }
        }
      }
    }
  }

  stage {
    name = "Source"

    # ImageTag defaults to latest when left out (CodePipeline action reference, Amazon ECR);
    # the promotion tag is set explicitly.
    action {
      name             = "Image"
      category         = "Source"
      owner            = "AWS"
      provider         = "ECR"
      version          = "1"
      namespace        = "ImageVariables"
      output_artifacts = ["ImageSource"]
      configuration = {
        RepositoryName = module.repository.name
        ImageTag       = var.promotion_tag
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
        ConnectionArn    = var.connection_arn
        FullRepositoryId = var.full_repository_id
        BranchName       = var.release_branch
        # A clone, not a zip: the render step checks out the commit the image was built from,
        # which needs the repository's history.
        OutputArtifactFormat = "CODEBUILD_CLONE_REF"
        # Without a trigger, false keeps pushes from starting runs (CodePipeline action
        # reference, CodeStarSourceConnection: DetectChanges).
        DetectChanges = tostring(var.config_changes_start_pipeline)
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
        ProjectName   = module.render.project_name
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
        CustomData         = "Deploy #{RenderVariables.IMAGE_URI} to ${var.service_name} in production (${local.region}) with the configuration of its own commit #{RenderVariables.CONFIG_COMMIT}. Change: #{variables.CHANGE_REFERENCE}. #{RenderVariables.TASKDEF_CHANGES}"
        ExternalEntityLink = "https://${local.region}.console.aws.amazon.com/ecr/repositories/private/${local.account_id}/${module.repository.name}/_/image/#{RenderVariables.IMAGE_DIGEST}/details?region=${local.region}"
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
      name      = "SuspendScaling"
      category  = "Build"
      owner     = "AWS"
      provider  = "CodeBuild"
      version   = "1"
      run_order = 1
      # An action needs an input; the buildspec is the project's own and reads none.
      input_artifacts = ["ImageSource"]
      configuration = {
        ProjectName          = module.scaling.project_name
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
      name      = "ResumeScaling"
      category  = "Build"
      owner     = "AWS"
      provider  = "CodeBuild"
      version   = "1"
      run_order = 3
      # An action needs an input; the buildspec is the project's own and reads none.
      input_artifacts = ["ImageSource"]
      configuration = {
        ProjectName          = module.scaling.project_name
        EnvironmentVariables = jsonencode([{ name = "SCALING_ACTION", value = "resume", type = "PLAINTEXT" }])
      }
    }
  }

  # The role must hold its permissions before the pipeline first runs.
  depends_on = [module.pipeline_policy]
}

# ---------------------------------------------------------------------------------------------
# Start on the promotion: the ECR source action has no polling, an EventBridge rule on the
# push of its tag starts the pipeline (CodePipeline user guide, "Amazon ECR source actions and
# EventBridge").
# ---------------------------------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "promotion" {
  name        = "${local.prefix}-promotion"
  description = "Starts ${local.pipeline_name} when ${var.promotion_tag} is pushed to ${module.repository.name}"
  event_pattern = jsonencode({
    source        = ["aws.ecr"]
    "detail-type" = ["ECR Image Action"]
    detail = {
      "action-type"     = ["PUSH"]
      result            = ["SUCCESS"]
      "repository-name" = [module.repository.name]
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
