# One customer-managed key for the artifact store, the ECR repository, the approval topic and
# the log groups.
# The artifact store needs a customer-managed key as soon as an artifact leaves the account:
# the AWS-managed aws/s3 key cannot be shared (CodePipeline user guide, cross-account pipelines).

resource "aws_kms_key" "pipeline" {
  description             = "${local.pipeline_name}: pipeline artifacts, ECR images, approval messages and logs"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = jsonencode(local.pipeline_key_policy)
}

resource "aws_kms_alias" "pipeline" {
  name          = "alias/${local.pipeline_name}-pipeline"
  target_key_id = aws_kms_key.pipeline.key_id
}

# The key policy names every role that uses the key; nothing is granted to a wildcard
# principal. Written inline rather than as an aws_iam_policy_document: in a key policy the
# only valid Resource is "*", meaning this key (KMS developer guide, key policies), which
# identity-policy checks would misread as "every resource".
locals {
  pipeline_key_policy = {
    Version = "2012-10-17"
    Statement = [
      # Administration through IAM in this account (without it the key can become
      # unmanageable). Encrypt and Decrypt are left out: only the roles below use the key for
      # data. ECR creates its own grant when the repository is created (ECR user guide,
      # encryption at rest), which needs kms:CreateGrant and kms:DescribeKey here.
      {
        Sid       = "AccountAdministersTheKey"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
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
        Sid    = "PipelineRolesUseTheKey"
        Effect = "Allow"
        # The pipeline role also publishes to the encrypted approval topic, which needs
        # kms:GenerateDataKey* and kms:Decrypt (SNS developer guide, encryption at rest).
        Principal = {
          AWS = [
            aws_iam_role.pipeline.arn,
            aws_iam_role.render.arn,
            aws_iam_role.scaling.arn,
          ]
        }
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
        Principal = { Service = "logs.${local.region}.${local.dns_suffix}" }
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
              "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/codebuild/${local.prefix}-*",
              "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/ecs/${var.service_name}",
              "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/ecs/${var.service_name}/*",
            ]
          }
        }
      },
    ]
  }
}
