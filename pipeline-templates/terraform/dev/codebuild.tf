# Three CodeBuild projects, each with its own role, log group and report group:
#   <prefix>-build    buildspecs/dev.yml: docker build, push, imagedefinitions.json, imageDetail.json
#   <prefix>-test     buildspecs/dev-test.yml: the dev service's health endpoint, once it runs the digest
#   <prefix>-promote  buildspecs/promote.yml: the promotion tag moved to the digest in prod ECR

module "build" {
  #checkov:skip=CKV_AWS_316:docker build needs the Docker daemon, which CodeBuild starts only in privileged mode (CodeBuild user guide, Docker in custom image / privileged mode).
  source = "../modules/codebuild-project"

  name            = local.build_project_name
  description     = "Builds the image once per commit and writes the dev pipeline's deployment artifacts"
  buildspec       = "buildspecs/dev.yml"
  build_timeout   = 30
  compute_type    = var.build_compute_type
  privileged_mode = true
  environment_variables = merge(local.project_environment, {
    REPOSITORY_URI = aws_ecr_repository.app.repository_url
    CLUSTER_NAME   = local.cluster_name
    SERVICE_NAME   = var.service_name
  })
  role                   = module.roles.codebuild_roles[local.build_project_name]
  policy_name            = "build"
  additional_policy_json = data.aws_iam_policy_document.build.json

  image               = var.codebuild_image
  tools               = local.tools
  artifact_bucket_arn = module.artifact_store.bucket_arn
  kms_key_arn         = module.artifact_store.kms_key_arn
  log_retention_days  = var.log_retention_days
}

data "aws_iam_policy_document" "build" {
  # `ecs-verify --live` (modules/live-check-policy).
  source_policy_documents = [module.live_check.json]

  # GetAuthorizationToken has no resource-level permissions (ECR user guide, IAM actions).
  statement {
    sid       = "LogInToEcr"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushToOwnRepository"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [aws_ecr_repository.app.arn]
  }

  # The build registers the rendered task definition template and points the dev service at
  # it (buildspecs/dev.yml); RegisterTaskDefinition has no resource-level permissions
  # (Service Authorization Reference, Amazon ECS).
  statement {
    sid       = "RegisterTheTemplate"
    actions   = ["ecs:RegisterTaskDefinition"]
    resources = ["*"]
  }

  statement {
    sid       = "PointTheDevServiceAtIt"
    actions   = ["ecs:UpdateService"]
    resources = [local.service_arn]
  }

  # `ecs-verify --from-ecs CLUSTER/SERVICE` then reads the service and the task definition it
  # runs; DescribeTaskDefinition has no resource-level permissions.
  statement {
    sid       = "ReadTheService"
    actions   = ["ecs:DescribeServices"]
    resources = [local.service_arn]
  }

  statement {
    sid       = "ReadItsTaskDefinition"
    actions   = ["ecs:DescribeTaskDefinition"]
    resources = ["*"]
  }

  statement {
    sid       = "PassTheTaskRoles"
    actions   = ["iam:PassRole"]
    resources = [module.service_base.task_role_arn, module.service_base.task_execution_role_arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

module "test" {
  source = "../modules/codebuild-project"

  name        = local.test_project_name
  description = "Calls the dev service's health endpoint once it runs the digest this pipeline built"
  # Inline, as the promotion's: what "tested" means is the platform's, not a push's
  # (tests/semantics/boundary.py).
  buildspec = file("${path.module}/../../../buildspecs/dev-test.yml")
  # TEST_WAIT_SECONDS of the buildspec (5 minutes) plus install.
  build_timeout = 15
  environment_variables = merge(local.project_environment, {
    DEV_CLUSTER_NAME = local.cluster_name
    DEV_SERVICE_NAME = var.service_name
    TEST_URL         = var.test_url
  })
  role                   = module.roles.codebuild_roles[local.test_project_name]
  policy_name            = "test"
  additional_policy_json = data.aws_iam_policy_document.reads_the_dev_service.json

  image               = var.codebuild_image
  tools               = local.tools
  artifact_bucket_arn = module.artifact_store.bucket_arn
  kms_key_arn         = module.artifact_store.kms_key_arn
  log_retention_days  = var.log_retention_days
}

# The test and the promotion read what the dev service runs; a task definition has no
# resource-level permissions (Service Authorization Reference, Amazon ECS).
data "aws_iam_policy_document" "reads_the_dev_service" {
  statement {
    sid       = "WhatTheDevServiceRuns"
    actions   = ["ecs:DescribeServices"]
    resources = [local.service_arn]
  }

  statement {
    sid       = "ItsTaskDefinition"
    actions   = ["ecs:DescribeTaskDefinition"]
    resources = ["*"]
  }
}

module "promote" {
  source = "../modules/codebuild-project"

  name        = local.promote_project_name
  description = "Points the prod repository's promotion tag at the digest the dev service runs"
  # Inline from the platform's checkout at apply time, not read from the pipeline's source
  # (tests/semantics/boundary.py).
  buildspec     = file("${path.module}/../../../buildspecs/promote.yml")
  build_timeout = 60
  environment_variables = merge(local.project_environment, {
    DEV_CLUSTER_NAME        = local.cluster_name
    DEV_SERVICE_NAME        = var.service_name
    DESTINATION_REGISTRY_ID = var.prod_account_id
    # Replication keeps the repository name in the destination registry.
    DESTINATION_REPOSITORY = var.service_name
    PROMOTION_TAG          = var.promotion_tag
    PROMOTION_ROLE_ARN     = var.promotion_role_arn
  })
  role                   = module.roles.codebuild_roles[local.promote_project_name]
  policy_name            = "promote"
  additional_policy_json = data.aws_iam_policy_document.promote.json

  image               = var.codebuild_image
  tools               = local.tools
  artifact_bucket_arn = module.artifact_store.bucket_arn
  kms_key_arn         = module.artifact_store.kms_key_arn
  log_retention_days  = var.log_retention_days
}

# Everything in the prod account happens as the PromotionRole, which may only read and tag
# the prod repository.
data "aws_iam_policy_document" "promote" {
  source_policy_documents = [data.aws_iam_policy_document.reads_the_dev_service.json]

  statement {
    sid       = "BecomePromotionRole"
    actions   = ["sts:AssumeRole"]
    resources = [var.promotion_role_arn]
  }

  # The vulnerability gate reads the dev repository's scan of the digest.
  statement {
    sid       = "ItsScanFindings"
    actions   = ["ecr:DescribeImageScanFindings"]
    resources = [aws_ecr_repository.app.arn]
  }
}

# What `ecs-verify --live` reads about the task definition the build project checks
# (docs/aws/build-role.md).
module "live_check" {
  source = "../modules/live-check-policy"

  task_role_arns     = [module.service_base.task_role_arn, module.service_base.task_execution_role_arn]
  execution_role_arn = module.service_base.task_execution_role_arn
  repository_arns    = [aws_ecr_repository.app.arn]
  secret_prefix      = var.service_name
}
