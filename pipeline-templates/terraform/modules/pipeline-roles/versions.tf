terraform {
  # 1.9 lets a validation refer to another variable (the pipeline role's name).
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.0 replaced `data.aws_region.name` with `region` (provider CHANGELOG 6.0.0, #42131).
      version = ">= 6.0.0, < 7.0.0"
    }
  }
}
