# A pipeline's artifact store: a customer-managed key (rotation on) and a versioned, TLS-only
# bucket encrypted with it. The caller encrypts the rest of the pipeline with the same key (ECR
# repository, log groups, approval topic), so its policy names every role that uses it.
# The artifact store needs a customer-managed key as soon as an artifact leaves the account:
# the AWS-managed aws/s3 key cannot be shared (CodePipeline user guide, cross-account pipelines).

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  account_root_arn     = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
  logs_service         = "logs.${data.aws_region.current.region}.${data.aws_partition.current.dns_suffix}"
  log_group_arn_prefix = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:"
}

# ---------------------------------------------------------------------------------------------
# Key
# ---------------------------------------------------------------------------------------------

# The key policy names every role that uses the key; nothing is granted to a wildcard
# principal. Written inline rather than as an aws_iam_policy_document: in a key policy the
# only valid Resource is "*", meaning this key (KMS developer guide, key policies), which
# identity-policy checks would misread as "every resource".
resource "aws_kms_key" "pipeline" {
  description             = var.key_description
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # Administration through IAM in this account (without it the key can become
      # unmanageable). Encrypt and Decrypt are left out: only the roles below use the key for
      # data. ECR creates its own grant when the repository is created (ECR user guide,
      # encryption at rest), which needs kms:CreateGrant and kms:DescribeKey here.
      {
        Sid       = "AccountAdministersTheKey"
        Effect    = "Allow"
        Principal = { AWS = local.account_root_arn }
        Action = [
          "kms:CancelKeyDeletion",
          "kms:Create*",
          "kms:Delete*",
          "kms:Describe*",
          "kms:Disable*",
          "kms:Enable*",
          "kms:Get*",
          "kms:List*",
          "kms:Put*",
          "kms:RetireGrant",
          "kms:Revoke*",
          "kms:RotateKeyOnDemand",
          "kms:ScheduleKeyDeletion",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:Update*",
        ]
        Resource = "*"
      },
      {
        Sid       = "PipelineRolesUseTheKey"
        Effect    = "Allow"
        Principal = { AWS = var.key_user_role_arns }
        Action = [
          "kms:Decrypt",
          "kms:DescribeKey",
          "kms:Encrypt",
          "kms:GenerateDataKey*",
          "kms:ReEncrypt*",
        ]
        Resource = "*"
      },
      # CloudWatch Logs encrypts only the log groups named here (CloudWatch Logs user guide,
      # "Encrypt log data using AWS KMS": the encryption context is the log group's ARN).
      {
        Sid       = "CloudWatchLogsEncryptsThePipelineLogGroups"
        Effect    = "Allow"
        Principal = { Service = local.logs_service }
        Action = [
          "kms:Decrypt*",
          "kms:Describe*",
          "kms:Encrypt*",
          "kms:GenerateDataKey*",
          "kms:ReEncrypt*",
        ]
        Resource = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = [
              for pattern in var.log_group_name_patterns : "${local.log_group_arn_prefix}${pattern}"
            ]
          }
        }
      },
      # Notification rules publish to a topic encrypted with this key only if the service may
      # use it (Developer Tools console user guide, "Configure Amazon SNS topics for
      # notifications"), and only through SNS.
      {
        Sid       = "PipelineNotificationsToTheEncryptedTopics"
        Effect    = "Allow"
        Principal = { Service = "codestar-notifications.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = {
          StringEquals = { "kms:ViaService" = "sns.${data.aws_region.current.region}.amazonaws.com" }
        }
      },
    ]
  })
}

resource "aws_kms_alias" "pipeline" {
  name          = "alias/${var.name}-pipeline"
  target_key_id = aws_kms_key.pipeline.key_id
}

# ---------------------------------------------------------------------------------------------
# Bucket
# ---------------------------------------------------------------------------------------------

resource "aws_s3_bucket" "artifacts" {
  #checkov:skip=CKV_AWS_144:Pipeline artifacts are rebuilt from Git and ECR; a second-region copy of short-lived zips buys nothing.
  #checkov:skip=CKV2_AWS_62:Nothing consumes object events: CodePipeline reads the artifacts by key.
  bucket_prefix = "${var.name}-artifacts-"
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
