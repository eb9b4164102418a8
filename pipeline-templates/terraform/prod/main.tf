# The prod pipeline: the image the dev pipeline promoted (replicated into this account's ECR
# and tagged with the promotion tag) is deployed by digest, never rebuilt, with the release
# branch's configuration, after a manual approval, through a CodeDeploy blue/green deployment
# that rolls back on alarms. Resources by concern:
#   storage.tf       artifact store and its key (modules/artifact-store), ECR repository,
#                    registry policy, PromotionRole
#   codebuild.tf     render and scaling projects (modules/codebuild-project)
#   pipeline.tf      the CodePipeline (V2, QUEUED), its roles (modules/pipeline-roles,
#                    modules/pipeline-policy), approval topic, EventBridge start rule
#   codedeploy.tf    CodeDeploy application, deployment group, rollback alarms
#   loadbalancer.tf  load balancer, production and test listeners, blue and green target groups
#   service.tf       the CODE_DEPLOY service (modules/ecs-service-base), with its autoscaling
#                    (modules/ecs-service-autoscaling)

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  partition  = data.aws_partition.current.partition

  prefix                    = "${var.service_name}-prod"
  pipeline_name             = local.prefix
  cluster_name              = local.prefix
  render_project_name       = "${local.prefix}-render"
  scaling_project_name      = "${local.prefix}-scaling"
  codedeploy_app_name       = local.prefix
  deployment_group_name     = local.prefix
  promotion_role_name       = "${var.service_name}-promotion"
  config_source_action_name = "Config"

  # The ecs-deploy-kit release every project installs, and what its buildspecs read about the
  # application (PLAINTEXT: none of it is secret).
  tools = {
    url         = var.tools_url
    object_arn  = var.tools_object_arn
    sha256      = var.tools_sha256
    version     = var.tools_version
    kms_key_arn = var.tools_kms_key_arn
  }
  project_environment = {
    APP_DIR        = var.app_dir
    CONTAINER_NAME = var.container_name
  }

  vars_file = coalesce(var.vars_file, "${var.app_dir}/prod.env")

  service_arn = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:service/${local.cluster_name}/${var.service_name}"
}
