# ---------------------------------------------------------------------------------------------
# Artifact store
# ---------------------------------------------------------------------------------------------

resource "aws_s3_bucket" "artifacts" {
  #checkov:skip=CKV_AWS_144:Pipeline artifacts are rebuilt from Git and ECR; a second-region copy of short-lived zips buys nothing.
  #checkov:skip=CKV2_AWS_62:Nothing consumes object events: CodePipeline reads the artifacts by key.
  bucket_prefix = "${local.prefix}-artifacts-"
}

# CodeBuild's CODEBUILD_RESOLVED_SOURCE_VERSION and S3 sources rely on object versions
# (CodePipeline user guide, S3 source action).
resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket                  = aws_s3_bucket.artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.pipeline.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    id     = "expire-pipeline-artifacts"
    status = "Enabled"
    filter {}
    expiration {
      days = var.artifact_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = var.artifact_retention_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.artifacts]
}

resource "aws_s3_bucket_logging" "artifacts" {
  count         = var.access_log_bucket == null ? 0 : 1
  bucket        = aws_s3_bucket.artifacts.id
  target_bucket = var.access_log_bucket
  target_prefix = "${aws_s3_bucket.artifacts.id}/"
}

data "aws_iam_policy_document" "artifacts_bucket" {
  statement {
    sid     = "DenyWithoutTls"
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [aws_s3_bucket.artifacts.arn, "${aws_s3_bucket.artifacts.arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid     = "DenyTlsBefore12"
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [aws_s3_bucket.artifacts.arn, "${aws_s3_bucket.artifacts.arn}/*"]
    condition {
      test     = "NumericLessThan"
      variable = "s3:TlsVersion"
      values   = ["1.2"]
    }
  }
}

resource "aws_s3_bucket_policy" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  policy = data.aws_iam_policy_document.artifacts_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.artifacts]
}

# ---------------------------------------------------------------------------------------------
# ECR repository: the replication destination, same name as in dev
# ---------------------------------------------------------------------------------------------

# Commit tags stay immutable; only the promotion tag may move, so that the dev pipeline can
# point it at each newly promoted digest (ECR user guide, "Image tag mutability": exclusion
# filters, at most five).
resource "aws_ecr_repository" "app" {
  #checkov:skip=CKV_AWS_51:IMMUTABLE_WITH_EXCLUSION keeps every tag immutable except the promotion tag, which has to move to each promoted digest; commit tags cannot be overwritten.
  name                 = var.service_name
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
    kms_key         = aws_kms_key.pipeline.arn
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
        Principal = { AWS = "arn:${local.partition}:iam::${var.dev_account_id}:root" }
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
  name                 = local.promotion_role_name
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
