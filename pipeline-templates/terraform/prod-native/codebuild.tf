# Two CodeBuild projects, each with its own role, log group and report group:
#   <prefix>-render   buildspecs/prod-native.yml: the task definition of the image's commit,
#                     registered for the approval, and imagedefinitions.json checked against
#                     the live service
#   <prefix>-deploy   buildspecs/prod-native-deploy.yml: the service pointed at that revision,
#                     the blue/green deployment followed
# No scaling project: autoscaling keeps working during ECS-native deployments, which need no
# suspend and resume around them (ECS developer guide, "Amazon ECS blue/green deployments").

module "render" {
  source = "../modules/codebuild-project"

  name        = local.render_project_name
  description = "Registers the task definition of the promoted image's commit and checks the image and the live service's blue/green strategy"
  # Inline from the platform's checkout at apply time, not read from the pipeline's source
  # (tests/semantics/boundary.py).
  buildspec     = file("${path.module}/../../../buildspecs/prod-native.yml")
  build_timeout = 20
  environment_variables = {
    APP_DIR        = var.app_dir
    CONTAINER_NAME = var.container_name
    CLUSTER_NAME   = module.service_base.cluster_name
    SERVICE_NAME   = aws_ecs_service.app.name
    # How long the deploy project follows the deployment: the buildspec checks that the
    # service's bake time and hook timeout fit in it.
    DEPLOYMENT_TIMEOUT = tostring(var.deployment_timeout_minutes)
  }
  role                   = module.roles.codebuild_roles[local.render_project_name]
  policy_name            = "render"
  additional_policy_json = data.aws_iam_policy_document.render.json

  image               = var.codebuild_image
  tools               = local.tools
  artifact_bucket_arn = module.artifact_store.bucket_arn
  kms_key_arn         = module.artifact_store.kms_key_arn
  log_retention_days  = var.log_retention_days
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

  # `ecs-verify --for ecs --from-ecs CLUSTER/SERVICE` reads the live service's deployment
  # controller, strategy, bake time and hooks, and the task definition it runs.
  statement {
    sid       = "ReadTheService"
    actions   = ["ecs:DescribeServices"]
    resources = [local.service_arn]
  }

  # DescribeTaskDefinition and RegisterTaskDefinition have no resource-level permissions
  # (Service Authorization Reference, Amazon ECS): the render step registers the revision the
  # approver sees.
  statement {
    sid       = "ReadAndRegisterTaskDefinitions"
    actions   = ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]
    resources = ["*"]
  }

  # Registering a tagged revision also authorizes ecs:TagResource (ECS developer guide, "Grant
  # permission to tag resources on creation").
  statement {
    sid       = "TagOnRegister"
    actions   = ["ecs:TagResource"]
    resources = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:task-definition/${var.service_name}:*"]
    condition {
      test     = "StringEquals"
      variable = "ecs:CreateAction"
      values   = ["RegisterTaskDefinition"]
    }
  }

  # A revision that names the task roles is registered only by whoever may pass them.
  statement {
    sid       = "PassTaskRoles"
    actions   = ["iam:PassRole"]
    resources = [module.service_base.task_role_arn, module.service_base.task_execution_role_arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  # `ecs-taskdef prune` after the registration (docs/programs/ecs-taskdef.md): the family's
  # revisions, what the cluster's services, task sets and tasks use, and the deregistration of
  # the rest. ListTaskDefinitions and DeregisterTaskDefinition have no resource-level
  # permissions; ListServices and ListTasks take the ecs:cluster key (Service Authorization
  # Reference, Amazon ECS).
  statement {
    sid       = "PruneRevisions"
    actions   = ["ecs:DeregisterTaskDefinition", "ecs:ListTaskDefinitions"]
    resources = ["*"]
  }

  statement {
    sid       = "PruneListTheCluster"
    actions   = ["ecs:ListServices", "ecs:ListTasks"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "ecs:cluster"
      values   = [local.cluster_arn]
    }
  }

  statement {
    sid     = "PruneReadWhatRuns"
    actions = ["ecs:DescribeServices", "ecs:DescribeTasks"]
    resources = [
      "arn:${local.partition}:ecs:${local.region}:${local.account_id}:service/${local.cluster_name}/*",
      "arn:${local.partition}:ecs:${local.region}:${local.account_id}:task/${local.cluster_name}/*",
    ]
  }
}

module "deploy" {
  source = "../modules/codebuild-project"

  name        = local.deploy_project_name
  description = "Points the service at the revision the render project registered and follows the blue/green deployment"
  # Inline from the platform's checkout at apply time, not read from the pipeline's source
  # (tests/semantics/boundary.py).
  buildspec = file("${path.module}/../../../buildspecs/prod-native-deploy.yml")
  # Longer than the longest deployment_timeout_minutes (60): the buildspec's own limit ends it.
  build_timeout = 75
  environment_variables = {
    CLUSTER_NAME       = module.service_base.cluster_name
    SERVICE_NAME       = aws_ecs_service.app.name
    DEPLOYMENT_TIMEOUT = tostring(var.deployment_timeout_minutes)
  }
  role                   = module.roles.codebuild_roles[local.deploy_project_name]
  policy_name            = "deploy"
  additional_policy_json = data.aws_iam_policy_document.deploy.json

  image               = var.codebuild_image
  tools               = local.tools
  artifact_bucket_arn = module.artifact_store.bucket_arn
  kms_key_arn         = module.artifact_store.kms_key_arn
  log_retention_days  = var.log_retention_days
}

# UpdateService to the registered revision; `ecs-pipeline wait --service` reads the service's
# deployments and events, its service deployment, and its stopped tasks for the diagnosis
# (docs/programs/ecs-pipeline.md#following-a-service).
data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "DeployTheService"
    actions   = ["ecs:DescribeServices", "ecs:ListServiceDeployments", "ecs:UpdateService"]
    resources = [local.service_arn]
  }

  # Authorized on the service and on its service deployments (Service Authorization Reference,
  # Amazon ECS).
  statement {
    sid     = "ReadTheServiceDeployments"
    actions = ["ecs:DescribeServiceDeployments"]
    resources = [
      local.service_arn,
      "arn:${local.partition}:ecs:${local.region}:${local.account_id}:service-deployment/${local.cluster_name}/${var.service_name}/*",
    ]
  }

  statement {
    sid       = "ReadTheStoppedTasks"
    actions   = ["ecs:DescribeTasks"]
    resources = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:task/${local.cluster_name}/*"]
  }

  # ListTasks authorizes against container instances; the ecs:cluster key scopes it to this
  # cluster.
  statement {
    sid       = "ListTheStoppedTasks"
    actions   = ["ecs:ListTasks"]
    resources = ["*"]
    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [local.cluster_arn]
    }
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
}
