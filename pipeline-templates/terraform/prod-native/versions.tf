terraform {
  # 1.9 lets a variable's validation refer to other variables (min/max capacity, the dev
  # promote role's account, bake time plus hook timeout within the deployment timeout).
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.4.0 added deployment_configuration (strategy, bake_time_in_minutes, lifecycle_hook)
      # and load_balancer.advanced_configuration on aws_ecs_service
      # (hashicorp/terraform-provider-aws#43434); 6.8.0 added IMMUTABLE_WITH_EXCLUSION on
      # aws_ecr_repository (CHANGELOG 6.8.0, #43642). lifecycle_hook.timeout_configuration
      # arrived later still, with the pause hooks (hashicorp/terraform-provider-aws#48128,
      # issue #48075): an older provider rejects it as an unsupported block at `terraform
      # validate`, so upgrade rather than drop it (see service.tf).
      version = ">= 6.8.0, < 7.0.0"
    }
    archive = {
      source = "hashicorp/archive"
      # The zip of the smoke-test hook (data.archive_file.smoke_test).
      version = ">= 2.4.0, < 3.0.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}
