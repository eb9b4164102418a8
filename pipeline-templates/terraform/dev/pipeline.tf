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

  statement {
    sid       = "RunOwnBuilds"
    actions   = ["codebuild:BatchGetBuilds", "codebuild:StartBuild"]
    resources = [aws_codebuild_project.build.arn, aws_codebuild_project.promote.arn]
  }

  # The ECS action's calls, as the CDK's EcsDeployAction grants them, narrowed to this
  # service (aws-cdk: aws-codepipeline-actions/lib/ecs/deploy-action.ts).
  statement {
    sid       = "UpdateTheService"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = [local.service_arn]
  }

  # RegisterTaskDefinition and DescribeTaskDefinition have no resource-level permissions
  # (Service Authorization Reference, Amazon ECS).
  statement {
    sid       = "RegisterTaskDefinitions"
    actions   = ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]
    resources = ["*"]
  }

  # The action registers the copy with the tags of the revision it copies: tag-on-create is
  # authorised as ecs:TagResource (ECS developer guide, "Grant permission to tag resources on
  # creation").
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
    sid       = "WatchTheDeployment"
    actions   = ["ecs:DescribeTasks", "ecs:ListTasks"]
    resources = ["*"]
    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [local.cluster_arn]
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
# Pipeline: Source -> Build -> Deploy (ECS rolling) -> Promote
# ---------------------------------------------------------------------------------------------

resource "aws_codepipeline" "dev" {
  name          = local.pipeline_name
  pipeline_type = "V2"
  # A newer commit replaces an older one still waiting: dev only needs the latest.
  execution_mode = "SUPERSEDED"
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
    name          = "PROMOTE"
    default_value = "true"
    description   = "Set to false when starting a run by hand to build and deploy dev without promoting to prod."
  }

  # A trigger replaces the source action's own change detection (CodePipeline user guide,
  # "Add triggers"); only pushes to the dev branch start the pipeline.
  trigger {
    provider_type = "CodeStarSourceConnection"
    git_configuration {
      source_action_name = local.source_action_name
      push {
        branches {
          includes = [var.dev_branch]
        }
      }
    }
  }

  stage {
    name = "Source"
    action {
      name             = local.source_action_name
      category         = "Source"
      owner            = "AWS"
      provider         = "CodeStarSourceConnection"
      version          = "1"
      namespace        = "SourceVariables"
      output_artifacts = ["SourceArtifact"]
      configuration = {
        ConnectionArn        = var.connection_arn
        FullRepositoryId     = var.full_repository_id
        BranchName           = var.dev_branch
        OutputArtifactFormat = "CODE_ZIP"
      }
    }
  }

  stage {
    name = "Build"
    action {
      name             = "Build"
      category         = "Build"
      owner            = "AWS"
      provider         = "CodeBuild"
      version          = "1"
      namespace        = "BuildVariables"
      input_artifacts  = ["SourceArtifact"]
      # With more than one output, each name must be a secondary-artifacts id of the buildspec
      # (CodePipeline action reference, CodeBuild).
      output_artifacts = ["BuildArtifact", "ImageArtifact"]
      configuration = {
        ProjectName = aws_codebuild_project.build.name
      }
    }
  }

  stage {
    name = "Deploy"
    # The ECS action copies the task definition the service runs now and changes only the
    # images named in imagedefinitions.json (CodePipeline action reference, Amazon ECS,
    # "Important" note).
    action {
      name            = "Deploy"
      category        = "Deploy"
      owner           = "AWS"
      provider        = "ECS"
      version         = "1"
      input_artifacts = ["BuildArtifact"]
      configuration = {
        ClusterName       = aws_ecs_cluster.this.name
        ServiceName       = aws_ecs_service.app.name
        FileName          = "imagedefinitions.json"
        DeploymentTimeout = tostring(var.deployment_timeout_minutes)
      }
    }
  }

  stage {
    name = "Promote"
    # Entry conditions may SKIP a stage only with VariableCheck or LambdaInvoke rules
    # (CodePipeline user guide, "Configure conditions for a stage").
    before_entry {
      condition {
        result = "SKIP"
        rule {
          name = "PromoteRequested"
          rule_type_id {
            category = "Rule"
            owner    = "AWS"
            provider = "VariableCheck"
            version  = "1"
          }
          configuration = {
            Variable = "#{variables.PROMOTE}"
            Operator = "EQ"
            Value    = "true"
          }
        }
      }
    }
    action {
      name     = "Promote"
      category = "Build"
      owner    = "AWS"
      provider = "CodeBuild"
      version  = "1"
      # CodeBuild reads buildspecs/promote.yml from the primary input, so the source comes
      # along; ImageArtifact carries imageDetail.json (CodePipeline action reference,
      # CodeBuild: PrimarySource).
      input_artifacts = ["SourceArtifact", "ImageArtifact"]
      namespace       = "PromoteVariables"
      configuration = {
        ProjectName   = aws_codebuild_project.promote.name
        PrimarySource = "SourceArtifact"
      }
    }
  }

  depends_on = [aws_iam_role_policy.pipeline]
}
