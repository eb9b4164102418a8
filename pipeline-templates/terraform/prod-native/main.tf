# The prod pipeline, ECS-native blue/green variant: the image the dev pipeline promoted
# (replicated into this account's ECR and tagged with the promotion tag) is deployed by digest,
# never rebuilt, with the release branch's configuration, after a manual approval, by the
# standard ECS deploy action with a plain imagedefinitions.json. The service's BLUE_GREEN
# strategy does the rest: ECS starts the new revision in the idle target group, sends the test
# listener to it, runs the smoke-test hook, shifts production traffic, bakes and rolls back on
# alarms (ECS developer guide, "Amazon ECS blue/green deployments"). No CodeDeploy, no
# taskdef.json or appspec.yaml, and autoscaling stays on. Resources by concern:
#   storage.tf       artifact store and its key (modules/artifact-store), ECR repository,
#                    registry policy, PromotionRole
#   codebuild.tf     render project (modules/codebuild-project)
#   pipeline.tf      the CodePipeline (V2, QUEUED), its roles (modules/pipeline-roles,
#                    modules/pipeline-policy), approval topic, EventBridge start rule
#   loadbalancer.tf  load balancer, production and test listeners, the two target groups and
#                    the weighted listener rules ECS shifts
#   hook.tf          the POST_TEST_TRAFFIC_SHIFT smoke-test Lambda and the role ECS invokes it with
#   service.tf       the ECS-controller service with its BLUE_GREEN strategy, the ECS
#                    infrastructure role, rollback alarms (modules/ecs-service-base,
#                    modules/ecs-service-autoscaling)

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  partition  = data.aws_partition.current.partition

  # The same names as prod/: the two roots are alternatives for one service, never applied
  # side by side in one account.
  prefix                    = "${var.service_name}-prod"
  pipeline_name             = local.prefix
  cluster_name              = local.prefix
  render_project_name       = "${local.prefix}-render"
  deploy_project_name       = "${local.prefix}-deploy"
  smoke_test_function_name  = "${local.prefix}-smoke-test"
  promotion_role_name       = "${var.service_name}-promotion"
  config_source_action_name = "Config"

  # The ecs-deploy-kit release every project installs, and what buildspecs/prod-native.yml
  # reads about the application and the service (PLAINTEXT: none of it is secret).
  tools = {
    url         = var.tools_url
    object_arn  = var.tools_object_arn
    sha256      = var.tools_sha256
    version     = var.tools_version
    kms_key_arn = var.tools_kms_key_arn
  }

  cluster_arn = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:cluster/${local.cluster_name}"
  service_arn = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:service/${local.cluster_name}/${var.service_name}"
}
