variable "name" {
  description = "Name of the service: the task-definition family, the log groups /ecs/<name> and /ecs/<name>/firelens, and the roles <name>-execution and <name>-task, the names taskdef.template.json uses."
  type        = string

  validation {
    # "<name>-execution" must fit the 64-character limit of an IAM role name.
    condition     = can(regex("^[A-Za-z0-9_-]{1,54}$", var.name))
    error_message = "name must be 1 to 54 letters, digits, hyphens or underscores."
  }
}

variable "cluster_name" {
  description = "Name of the ECS cluster; the service's security group is <cluster_name>-service."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,247}$", var.cluster_name))
    error_message = "cluster_name must be 1 to 247 letters, digits, hyphens or underscores."
  }
}

variable "container_name" {
  description = "Container of the bootstrap task definition, which serves container_port."
  type        = string
}

variable "container_port" {
  description = "Port the container listens on."
  type        = number
}

variable "bootstrap_image" {
  description = "Image of the task definition the service is created with, by tag or digest, never latest."
  type        = string
}

variable "container_environment" {
  description = "Environment of the container in the bootstrap task definition."
  type        = map(string)
  default     = {}
}

variable "repository_arn" {
  description = "ECR repository of the service's images: the only one the execution role may pull from."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+$", var.repository_arn))
    error_message = "repository_arn must be an ECR repository ARN."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed key that encrypts the log groups; its key policy must let CloudWatch Logs use it for /ecs/<name> and /ecs/<name>/*."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (not an alias)."
  }
}

variable "log_retention_days" {
  description = "Retention of the service's log groups, in days (a value CloudWatch Logs accepts)."
  type        = number
}

variable "vpc_id" {
  description = "VPC of the service's tasks and their security group."
  type        = string
}

variable "security_group_description" {
  description = "Description of the tasks' security group."
  type        = string

  validation {
    condition     = length(var.security_group_description) > 0 && length(var.security_group_description) <= 255
    error_message = "security_group_description must be 1 to 255 characters."
  }
}
