# The prod pipeline: the image the dev pipeline promoted (replicated into this account's ECR
# and tagged with the promotion tag) is deployed by digest, never rebuilt, with the release
# branch's configuration, after a manual approval, through a CodeDeploy blue/green deployment
# that rolls back on alarms. Resources by concern:
#   kms.tf           customer-managed key of the artifact store, ECR, SNS and the log groups
#   storage.tf       artifact bucket, ECR repository, registry policy, PromotionRole
#   codebuild.tf     render and scaling projects with their roles, log groups and report groups
#   pipeline.tf      the CodePipeline (V2, QUEUED), approval topic, EventBridge start rule
#   codedeploy.tf    CodeDeploy application, deployment group, rollback alarms
#   loadbalancer.tf  load balancer, production and test listeners, blue and green target groups
#   service.tf       the ECS cluster and CODE_DEPLOY service, with its autoscaling

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix

  prefix                    = "${var.service_name}-prod"
  pipeline_name             = local.prefix
  cluster_name              = local.prefix
  render_project_name       = "${local.prefix}-render"
  scaling_project_name      = "${local.prefix}-scaling"
  codedeploy_app_name       = local.prefix
  deployment_group_name     = local.prefix
  promotion_role_name       = "${var.service_name}-promotion"
  config_source_action_name = "Config"

  # What every project needs to run buildspecs/install.sh (PLAINTEXT: none of it is secret).
  tools_environment = {
    ECS_DEPLOY_KIT_URL     = var.tools_url
    ECS_DEPLOY_KIT_SHA256  = var.tools_sha256
    ECS_DEPLOY_KIT_VERSION = var.tools_version
    APP_DIR                = var.app_dir
    CONTAINER_NAME         = var.container_name
  }

  vars_file = coalesce(var.vars_file, "${var.app_dir}/prod.env")

  service_arn         = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:service/${local.cluster_name}/${var.service_name}"
  task_definition_arn = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:task-definition/${var.service_name}:*"
}
