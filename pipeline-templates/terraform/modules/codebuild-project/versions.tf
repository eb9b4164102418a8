terraform {
  # optional() object attributes and startswith() arrived in 1.3.
  required_version = ">= 1.3.0, < 2.0.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The roots' floor (../../prod-native/versions.tf says why).
      version = ">= 6.66.0, < 7.0.0"
    }
  }
}
