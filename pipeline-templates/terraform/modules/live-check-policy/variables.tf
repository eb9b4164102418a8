variable "task_role_arns" {
  description = "The task and execution roles the checked task definitions name (iam:GetRole)."
  type        = list(string)

  validation {
    condition     = length(var.task_role_arns) > 0 && alltrue([for arn in var.task_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "task_role_arns must be one or more IAM role ARNs."
  }
}

variable "repository_arns" {
  description = "The ECR repositories of the images the checked task definitions run (ecr:BatchGetImage)."
  type        = list(string)

  validation {
    condition     = length(var.repository_arns) > 0 && alltrue([for arn in var.repository_arns : can(regex("^arn:aws[a-z-]*:ecr:", arn))])
    error_message = "repository_arns must be one or more ECR repository ARNs."
  }
}

variable "secret_prefix" {
  description = "The Secrets Manager names the task definitions' secrets start with, followed by a slash (secretsmanager:DescribeSecret)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]+$", var.secret_prefix))
    error_message = "secret_prefix must be a Secrets Manager name prefix."
  }
}
