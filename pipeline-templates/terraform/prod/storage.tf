# ---------------------------------------------------------------------------------------------
# Artifact store, and the one customer-managed key that also encrypts the ECR repository, the
# approval topic and the log groups
# ---------------------------------------------------------------------------------------------

module "artifact_store" {
  source = "../modules/artifact-store"

  name            = local.pipeline_name
  key_description = "${local.pipeline_name}: pipeline artifacts, ECR images, approval messages and logs"
  # The pipeline role, then the render and scaling projects' roles. The pipeline role also
  # publishes to the encrypted approval topic, which needs kms:GenerateDataKey* and
  # kms:Decrypt (SNS developer guide, encryption at rest).
  key_user_role_arns = module.roles.arns
  log_group_name_patterns = [
    "/aws/codebuild/${local.prefix}-*",
    "/aws/lambda/${local.prefix}-resume-scaling",
    "/ecs/${var.service_name}",
    "/ecs/${var.service_name}/*",
  ]
  artifact_retention_days = var.artifact_retention_days
  access_log_bucket       = var.access_log_bucket
}

# ---------------------------------------------------------------------------------------------
# ECR repository (the replication destination, same name as in dev) and PromotionRole
# ---------------------------------------------------------------------------------------------

module "repository" {
  source = "../modules/promoted-repository"

  name                   = var.service_name
  promotion_tag          = var.promotion_tag
  kms_key_arn            = module.artifact_store.kms_key_arn
  manage_registry_policy = var.manage_registry_policy
  dev_account_id         = var.dev_account_id
  dev_promote_role_arn   = var.dev_promote_role_arn
  promotion_role_name    = local.promotion_role_name
}
