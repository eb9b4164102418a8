terraform {
  # 1.9 lets a variable's validation refer to other variables (min/max capacity, the promotion
  # role's account).
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # One floor for every root and module: 6.66.0 added `target_type` and
      # `timeout_configuration` to aws_ecs_service's `lifecycle_hook` (prod-native's smoke-test
      # hook; CHANGELOG 6.66.0, hashicorp/terraform-provider-aws#48128,
      # https://github.com/hashicorp/terraform-provider-aws/releases/tag/v6.66.0). It also
      # covers 6.0's `data.aws_region.region` (#42131), 6.4.0's native blue/green arguments
      # (#43434) and 6.8.0's IMMUTABLE_WITH_EXCLUSION on aws_ecr_repository (#43642).
      version = ">= 6.66.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}
