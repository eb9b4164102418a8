variable "name" {
  description = "Name of the pipeline: the key's alias is alias/<name>-pipeline and the bucket's name starts with <name>-artifacts-."
  type        = string

  validation {
    # "<name>-artifacts-" must fit the 37-character limit of an S3 bucket_prefix.
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,25}$", var.name))
    error_message = "name must be 1 to 26 lower-case letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "key_description" {
  description = "Description of the customer-managed key: what it encrypts."
  type        = string

  validation {
    condition     = length(var.key_description) > 0 && length(var.key_description) <= 8192
    error_message = "key_description must be 1 to 8192 characters."
  }
}

variable "key_user_role_arns" {
  description = "Roles that use the key for data (encrypt, decrypt, generate data keys): the pipeline role and the role of every CodeBuild project. The key policy names exactly these; no wildcard principal is granted anything."
  type        = list(string)

  validation {
    condition     = length(var.key_user_role_arns) > 0 && alltrue([for arn in var.key_user_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "key_user_role_arns must be one or more IAM role ARNs."
  }
}

variable "log_group_name_patterns" {
  description = "Names of the log groups CloudWatch Logs may encrypt with the key, in this account and Region (`*` matches any characters)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for pattern in var.log_group_name_patterns : can(regex("^[A-Za-z0-9_/.#*-]{1,512}$", pattern))])
    error_message = "log_group_name_patterns must be log group names, with * as the only wildcard."
  }
}

variable "artifact_retention_days" {
  description = "Days objects (and their noncurrent versions) stay in the bucket."
  type        = number

  validation {
    condition     = var.artifact_retention_days >= 1 && var.artifact_retention_days <= 3650 && floor(var.artifact_retention_days) == var.artifact_retention_days
    error_message = "artifact_retention_days must be a whole number from 1 to 3650."
  }
}

variable "access_log_bucket" {
  description = "Existing bucket that receives the bucket's server access logs, under the prefix <bucket name>/. null: no access logging."
  type        = string
  default     = null
}
