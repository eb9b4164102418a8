# ---------------------------------------------------------------------------------------------
# Roles: the pipeline's, and one per CodeBuild project, which the artifact store's key policy
# names. The prod module's PromotionRole trusts the promote project's (its
# dev_promote_role_arn).
# ---------------------------------------------------------------------------------------------

module "roles" {
  source = "../modules/pipeline-roles"

  pipeline_name           = local.pipeline_name
  codebuild_project_names = [local.build_project_name, local.test_project_name, local.promote_project_name]
}

module "pipeline_policy" {
  source = "../modules/pipeline-policy"

  role_name              = module.roles.pipeline_role.name
  artifact_bucket_arn    = module.artifact_store.bucket_arn
  kms_key_arn            = module.artifact_store.kms_key_arn
  connection_arn         = var.connection_arn
  codebuild_project_arns = [module.build.project_arn, module.test.project_arn, module.promote.project_arn]
  # The ECS action registers the task definition itself.
  registers_task_definitions = {
    family         = var.service_name
    task_role_arns = [module.service_base.task_role_arn, module.service_base.task_execution_role_arn]
  }
  additional_policy_json = data.aws_iam_policy_document.pipeline.json
}

# The ECS action's calls, as the CDK's EcsDeployAction grants them, narrowed to this
# service (aws-cdk: aws-codepipeline-actions/lib/ecs/deploy-action.ts).
data "aws_iam_policy_document" "pipeline" {
  statement {
    sid       = "UpdateTheService"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = [local.service_arn]
  }

  # DescribeTaskDefinition has no resource-level permissions (Service Authorization
  # Reference, Amazon ECS); the registration is modules/pipeline-policy's.
  statement {
    sid       = "ReadTaskDefinitions"
    actions   = ["ecs:DescribeTaskDefinition"]
    resources = ["*"]
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
}

# ---------------------------------------------------------------------------------------------
# Pipeline: Source -> Build -> Deploy (ECS rolling) -> Test -> Promote
# ---------------------------------------------------------------------------------------------

resource "aws_codepipeline" "dev" {
  name          = local.pipeline_name
  pipeline_type = "V2"
  # A newer commit replaces an older one still waiting: dev only needs the latest.
  execution_mode = "SUPERSEDED"
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
      name            = "Build"
      category        = "Build"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      namespace       = "BuildVariables"
      input_artifacts = ["SourceArtifact"]
      # With more than one output, each name must be a secondary-artifacts id of the buildspec
      # (CodePipeline action reference, CodeBuild).
      output_artifacts = ["BuildArtifact", "ImageArtifact"]
      configuration = {
        ProjectName = module.build.project_name
      }
    }
  }

  stage {
    name = "Deploy"
    # The ECS action copies the task definition the service runs now and changes only the
    # images named in imagedefinitions.json (CodePipeline action reference, Amazon ECS,
    # "Important" note): the build has pointed the service at the rendered template
    # (buildspecs/dev.yml).
    action {
      name            = "Deploy"
      category        = "Deploy"
      owner           = "AWS"
      provider        = "ECS"
      version         = "1"
      input_artifacts = ["BuildArtifact"]
      configuration = {
        ClusterName       = module.service_base.cluster_name
        ServiceName       = aws_ecs_service.app.name
        FileName          = "imagedefinitions.json"
        DeploymentTimeout = tostring(var.deployment_timeout_minutes)
      }
    }
  }

  # Nothing is promoted that has not passed this stage in the same execution: the Promote
  # action is handed the digest the test passed and refuses any other.
  stage {
    name = "Test"
    action {
      name            = "Test"
      category        = "Build"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      input_artifacts = ["ImageArtifact"]
      namespace       = "TestVariables"
      configuration = {
        ProjectName = module.test.project_name
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
        ProjectName   = module.promote.project_name
        PrimarySource = "SourceArtifact"
        # The digest the Test stage passed (buildspecs/promote.yml refuses any other).
        EnvironmentVariables = jsonencode([{
          name  = "TESTED_IMAGE_URI"
          value = "#{TestVariables.TESTED_IMAGE_URI}"
          type  = "PLAINTEXT"
        }])
      }
    }
  }

  # The role must hold its permissions before the pipeline first runs.
  depends_on = [module.pipeline_policy]
}
