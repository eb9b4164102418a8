# One CodeBuild project, with its own role, log group and report group:
#   <prefix>-render   buildspecs/prod-native.yml: imagedefinitions.json for the promoted digest,
#                     checked against the live service
# No scaling project: autoscaling keeps working during ECS-native deployments, which need no
# suspend and resume around them (ECS developer guide, "Amazon ECS blue/green deployments").

module "render" {
  source = "../modules/codebuild-project"

  name        = local.render_project_name
  description = "Writes imagedefinitions.json for the promoted digest and checks it, and the live service's blue/green strategy, the way the ECS deploy action will use them"
  # Inline from the platform's checkout at apply time, not read from the pipeline's source
  # (tests/semantics/boundary.py).
  buildspec     = file("${path.module}/../../../buildspecs/prod-native.yml")
  build_timeout = 20
  environment_variables = {
    APP_DIR        = var.app_dir
    CONTAINER_NAME = var.container_name
    CLUSTER_NAME   = module.service_base.cluster_name
    SERVICE_NAME   = aws_ecs_service.app.name
    # The Deploy action's DeploymentTimeout: the buildspec checks that the service's bake time
    # and hook timeout fit in it.
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

  # DescribeTaskDefinition has no resource-level permissions (Service Authorization
  # Reference, Amazon ECS).
  statement {
    sid       = "ReadTaskDefinitions"
    actions   = ["ecs:DescribeTaskDefinition"]
    resources = ["*"]
  }
}
