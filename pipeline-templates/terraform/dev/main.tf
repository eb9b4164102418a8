# The dev pipeline: a push to the dev branch is built once into an image tagged with the commit,
# deployed to the dev ECS service with a rolling update, then promoted to the prod account by
# digest. Resources by concern:
#   kms.tf        customer-managed key of the artifact store, ECR and the log groups
#   storage.tf    artifact bucket, ECR repository, replication to the prod registry
#   codebuild.tf  build and promote projects with their roles, log groups and report groups
#   pipeline.tf   the CodePipeline (V2) and its role
#   service.tf    the ECS cluster and service the pipeline deploys, with its autoscaling

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix

  prefix               = "${var.service_name}-dev"
  pipeline_name        = local.prefix
  cluster_name         = local.prefix
  build_project_name   = "${local.prefix}-build"
  promote_project_name = "${local.prefix}-promote"

  # The Git source action and its trigger must name the same action.
  source_action_name = "Source"

  # What every project needs to run buildspecs/install.sh (PLAINTEXT: none of it is secret).
  tools_environment = {
    ECS_DEPLOY_KIT_URL     = var.tools_url
    ECS_DEPLOY_KIT_SHA256  = var.tools_sha256
    ECS_DEPLOY_KIT_VERSION = var.tools_version
    APP_DIR                = var.app_dir
    CONTAINER_NAME         = var.container_name
  }

  service_arn         = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:service/${local.cluster_name}/${var.service_name}"
  cluster_arn         = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:cluster/${local.cluster_name}"
  task_definition_arn = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:task-definition/${var.service_name}:*"
}
