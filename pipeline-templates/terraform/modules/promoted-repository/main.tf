# The production repository that dev's images are replicated into and promoted in: commit tags
# immutable, the promotion tag movable, the dev registry allowed to replicate into it, and the
# role the dev pipeline's promote step assumes to move the tag. The CodeDeploy and the
# ECS-native production roots both use it.

data "aws_partition" "current" {}

# ---------------------------------------------------------------------------------------------
# ECR repository: the replication destination, same name as in dev
# ---------------------------------------------------------------------------------------------

# Commit tags stay immutable; only the promotion tag may move, so that the dev pipeline can
# point it at each newly promoted digest (ECR user guide, "Image tag mutability": exclusion
# filters, at most five).
resource "aws_ecr_repository" "app" {
  #checkov:skip=CKV_AWS_51:IMMUTABLE_WITH_EXCLUSION keeps every tag immutable except the promotion tag, which has to move to each promoted digest; commit tags cannot be overwritten.
  name                 = var.name
  image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"

  image_tag_mutability_exclusion_filter {
    filter      = var.promotion_tag
    filter_type = "WILDCARD"
  }

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Untagged images after 30 days; every replicated image keeps its commit tag"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = 30
        }
        action = { type = "expire" }
      },
    ]
  })
}

# Lets the dev registry replicate into this one repository. The repository exists (created
# above, with this account's key), so ecr:CreateRepository is not granted (ECR user guide,
# "Granting registry permissions for cross account replication"). The registry policy is one
# per registry and Region and PutRegistryPolicy replaces it whole, hence
# manage_registry_policy.
resource "aws_ecr_registry_policy" "replication_from_dev" {
  count = var.manage_registry_policy ? 1 : 0

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DevRegistryReplicatesTheServiceRepository"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${var.dev_account_id}:root" }
        Action    = ["ecr:ReplicateImage"]
        Resource  = aws_ecr_repository.app.arn
      },
    ]
  })
}

# ---------------------------------------------------------------------------------------------
# PromotionRole: what the dev promote step may do in this account, and nothing else
# ---------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "promotion_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [var.dev_promote_role_arn]
    }
  }
}

resource "aws_iam_role" "promotion" {
  name                 = var.promotion_role_name
  description          = "Assumed by the dev pipeline's promote step to point ${var.promotion_tag} at a promoted digest"
  assume_role_policy   = data.aws_iam_policy_document.promotion_trust.json
  max_session_duration = 3600
}

# Re-tagging is PutImage of the manifest BatchGetImage returned: no layer is uploaded, no
# docker login needed (ECR user guide, "Retagging an image").
data "aws_iam_policy_document" "promotion" {
  statement {
    sid       = "ReadAndTagTheRepository"
    actions   = ["ecr:BatchGetImage", "ecr:DescribeImages", "ecr:PutImage"]
    resources = [aws_ecr_repository.app.arn]
  }
}

resource "aws_iam_role_policy" "promotion" {
  name   = "promote"
  role   = aws_iam_role.promotion.id
  policy = data.aws_iam_policy_document.promotion.json
}
