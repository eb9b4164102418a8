terraform {
  # 1.9 lets a variable's validation refer to other variables (min/max capacity, the dev
  # promote role's account).
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.8.0 added IMMUTABLE_WITH_EXCLUSION and `image_tag_mutability_exclusion_filter` on
      # aws_ecr_repository (provider CHANGELOG 6.8.0, #43642); 6.0 replaced
      # `data.aws_region.name` with `region` (#42131).
      version = ">= 6.8.0, < 7.0.0"
    }
    archive = {
      source = "hashicorp/archive"
      # The zip of the resume-scaling function (data.archive_file.resume_scaling).
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
