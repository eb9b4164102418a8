terraform {
  # 1.9 lets a validation refer to another variable (the pipeline role's name).
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The roots' floor (../../prod-native/versions.tf says why).
      version = ">= 6.66.0, < 7.0.0"
    }
  }
}
