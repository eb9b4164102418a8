# ---------------------------------------------------------------------------------------------
# Artifact store, and the one customer-managed key that also encrypts the ECR repository and
# the log groups
# ---------------------------------------------------------------------------------------------

module "artifact_store" {
  source = "../modules/artifact-store"

  name            = local.pipeline_name
  key_description = "${local.pipeline_name}: pipeline artifacts, ECR images and logs"
  # The pipeline role, then the build and promote projects' roles.
  key_user_role_arns = module.roles.arns
  log_group_name_patterns = [
    "/aws/codebuild/${local.prefix}-*",
    "/ecs/${var.service_name}",
    "/ecs/${var.service_name}/*",
  ]
  artifact_retention_days = var.artifact_retention_days
  access_log_bucket       = var.access_log_bucket
}

# ---------------------------------------------------------------------------------------------
# ECR repository: every image tagged with its commit, never overwritten
# ---------------------------------------------------------------------------------------------

resource "aws_ecr_repository" "app" {
  name                 = var.service_name
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.artifact_store.kms_key_arn
  }
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Untagged images (failed pushes, superseded manifests) after 7 days"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = 7
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the 300 most recent images; prod keeps its own replicas"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = 300
        }
        action = { type = "expire" }
      },
    ]
  })
}

# Replication copies every push of this repository into the prod registry under the same
# name, where the promote step tags it. The configuration is registry-wide (one per registry
# and Region, PutReplicationConfiguration replaces all rules), hence manage_replication.
# PREFIX_MATCH also matches repositories whose name starts with service_name.
resource "aws_ecr_replication_configuration" "to_prod" {
  count = var.manage_replication ? 1 : 0

  replication_configuration {
    rule {
      destination {
        # The promote step looks the replica up in its own Region (buildspecs/promote.yml).
        region      = local.region
        registry_id = var.prod_account_id
      }
      repository_filter {
        filter      = var.service_name
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}
