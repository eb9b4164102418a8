terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.0 replaced `data.aws_region.name` with `region` (provider CHANGELOG 6.0.0, #42131).
      version = ">= 6.0.0, < 7.0.0"
    }
  }
}
