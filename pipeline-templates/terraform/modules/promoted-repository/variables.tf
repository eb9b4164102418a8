variable "name" {
  description = "The repository name; replication keeps the dev repository's name."
  type        = string
}

variable "promotion_tag" {
  description = "The one mutable tag, which the production pipeline's ECR source watches."
  type        = string
  validation {
    condition     = lower(var.promotion_tag) != "latest"
    error_message = "The promotion tag must not be latest."
  }
}

variable "kms_key_arn" {
  description = "The customer-managed key that encrypts the repository."
  type        = string
}

variable "manage_registry_policy" {
  description = "Write the registry policy that lets the dev registry replicate (it is one per registry and Region)."
  type        = bool
}

variable "dev_account_id" {
  description = "The account whose registry replicates into this one."
  type        = string
}

variable "dev_promote_role_arn" {
  description = "The dev promote project's role, the only principal that may assume the promotion role."
  type        = string
}

variable "promotion_role_name" {
  description = "The name of the role the dev promote step assumes."
  type        = string
}
