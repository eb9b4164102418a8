# The dev pipeline: a push to the dev branch is built once into an image tagged with the commit,
# deployed to the dev ECS service with a rolling update, then promoted to the prod account by
# digest. Resources by concern:
#   storage.tf    artifact store and its key (modules/artifact-store), ECR repository,
#                 replication to the prod registry
#   codebuild.tf  build, test and promote projects (modules/codebuild-project)
#   pipeline.tf   the CodePipeline (V2) and its role (modules/pipeline-role)
#   service.tf    the ECS service the pipeline deploys (modules/ecs-service-base), with its
#                 autoscaling (modules/ecs-service-autoscaling)

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  partition  = data.aws_partition.current.partition

  prefix               = "${var.service_name}-dev"
  pipeline_name        = local.prefix
  cluster_name         = local.prefix
  build_project_name   = "${local.prefix}-build"
  test_project_name    = "${local.prefix}-test"
  promote_project_name = "${local.prefix}-promote"

  # The Git source action and its trigger must name the same action.
  source_action_name = "Source"

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

  service_arn = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:service/${local.cluster_name}/${var.service_name}"
  cluster_arn = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:cluster/${local.cluster_name}"
}
