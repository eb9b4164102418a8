# Two CodeBuild projects, each with its own role, log group and report group:
#   <prefix>-render   buildspecs/prod-artifacts.yml: taskdef.json, appspec.yaml, imageDetail.json
#   <prefix>-scaling  buildspecs/scaling.yml: Application Auto Scaling suspended / resumed

module "render" {
  source = "../modules/codebuild-project"

  name        = local.render_project_name
  description = "Renders the Blue/Green action's taskdef.json, appspec.yaml and imageDetail.json for the promoted digest"
  # Inline from the platform's checkout at apply time, not read from the pipeline's source
  # (tests/semantics/boundary.py).
  buildspec     = file("${path.module}/../../../buildspecs/prod-artifacts.yml")
  build_timeout = 20
  environment_variables = merge(
    local.project_environment,
    # The AppSpec's AfterAllowTraffic hook: scaling resumes once traffic has shifted.
    { VARS_FILE = local.vars_file, RESUME_SCALING_HOOK = aws_lambda_function.resume_scaling.function_name },
    # The deployment group the BlueGreen action deploys through, for `ecs-verify --live`.
    {
      CODEDEPLOY_APPLICATION = aws_codedeploy_app.prod.name
      DEPLOYMENT_GROUP       = aws_codedeploy_deployment_group.prod.deployment_group_name
    },
    var.test_hook_function == "" ? {} : { TEST_HOOK_FUNCTION = var.test_hook_function },
    # The service the approval's comment compares the new task definition with.
    { CLUSTER_NAME = module.service_base.cluster_name, SERVICE_NAME = aws_ecs_service.app.name },
  )
  role                   = module.roles.codebuild_roles[local.render_project_name]
  policy_name            = "render"
  additional_policy_json = data.aws_iam_policy_document.render.json

  image               = var.codebuild_image
  tools               = local.tools
  artifact_bucket_arn = module.artifact_store.bucket_arn
  kms_key_arn         = module.artifact_store.kms_key_arn
  log_retention_days  = var.log_retention_days
}

module "scaling" {
  source = "../modules/codebuild-project"

  name        = local.scaling_project_name
  description = "Suspends or resumes the service's autoscaling around the blue/green deployment (SCALING_ACTION set by the action)"
  # Inline from the platform's checkout at apply time, not read from the pipeline's source
  # (tests/semantics/boundary.py).
  buildspec      = file("${path.module}/../../../buildspecs/scaling.yml")
  build_timeout  = 10
  queued_timeout = 30
  environment_variables = merge(local.project_environment, {
    CLUSTER_NAME = module.service_base.cluster_name
    SERVICE_NAME = aws_ecs_service.app.name
  })
  role                   = module.roles.codebuild_roles[local.scaling_project_name]
  policy_name            = "scaling"
  additional_policy_json = data.aws_iam_policy_document.scaling.json

  image               = var.codebuild_image
  tools               = local.tools
  artifact_bucket_arn = module.artifact_store.bucket_arn
  kms_key_arn         = module.artifact_store.kms_key_arn
  log_retention_days  = var.log_retention_days
}

data "aws_iam_policy_document" "scaling" {
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
    resources = [module.autoscaling.scalable_target_arn]
  }

  # Registering an ECS scalable target also needs these two on the service (ECS developer
  # guide, "IAM permissions required for Amazon ECS service auto scaling").
  statement {
    sid       = "DescribeAndScaleTheService"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = [local.service_arn]
  }
}

data "aws_iam_policy_document" "render" {
  # `ecs-verify --live` (modules/live-check-policy).
  source_policy_documents = [module.live_check.json]

  # ConfigSource is a clone reference: CodeBuild clones the repository through the connection,
  # and the render step checks out the image's commit (CodePipeline action reference,
  # CodeStarSourceConnection, CODEBUILD_CLONE_REF).
  statement {
    sid       = "CloneTheConfiguration"
    actions   = ["codeconnections:UseConnection", "codestar-connections:UseConnection"]
    resources = [var.connection_arn]
  }

  # `ecs-taskdef diff service:…` for the approval: the definition the service runs.
  # DescribeTaskDefinition has no resource-level permissions (Service Authorization Reference,
  # Amazon ECS).
  statement {
    sid       = "CompareWithTheService"
    actions   = ["ecs:DescribeServices"]
    resources = [local.service_arn]
  }

  statement {
    sid       = "ReadTaskDefinitions"
    actions   = ["ecs:DescribeTaskDefinition"]
    resources = ["*"]
  }
}

# What `ecs-verify --live` reads about the task definition the render project checks
# (docs/aws/build-role.md).
module "live_check" {
  source = "../modules/live-check-policy"

  task_role_arns     = [module.service_base.task_role_arn, module.service_base.task_execution_role_arn]
  execution_role_arn = module.service_base.task_execution_role_arn
  repository_arns    = [module.repository.arn]
  secret_prefix      = var.service_name
  # The deployment group the render step's `ecs-verify --live` checks.
  blue_green = {
    deployment_group_arn = aws_codedeploy_deployment_group.prod.arn
    service_arn          = local.service_arn
  }
}
