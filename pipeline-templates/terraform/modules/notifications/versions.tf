terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The roots' floor (../../prod-native/versions.tf says why).
      version = ">= 6.66.0, < 7.0.0"
    }
  }
}
