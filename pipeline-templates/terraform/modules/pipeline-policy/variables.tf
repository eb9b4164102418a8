variable "role_name" {
  description = "Name of the pipeline's service role (modules/pipeline-roles), which gets the inline policy \"pipeline\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.role_name))
    error_message = "role_name must be an IAM role name."
  }
}

variable "artifact_bucket_arn" {
  description = "Artifact bucket of the pipeline."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.artifact_bucket_arn))
    error_message = "artifact_bucket_arn must be an S3 bucket ARN."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed key of the artifact store. Its key policy must name the role."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (not an alias)."
  }
}

variable "connection_arn" {
  description = "CodeConnections connection of the pipeline's Git source action."
  type        = string
}

variable "codebuild_project_arns" {
  description = "The CodeBuild projects the pipeline's actions start, and the only ones the role may start."
  type        = list(string)

  validation {
    condition     = length(var.codebuild_project_arns) > 0 && alltrue([for arn in var.codebuild_project_arns : can(regex("^arn:aws[a-z-]*:codebuild:[a-z0-9-]+:[0-9]{12}:project/", arn))])
    error_message = "codebuild_project_arns must be one or more CodeBuild project ARNs."
  }
}

variable "registers_task_definitions" {
  description = "For a pipeline whose deploy action (ECS or CodeDeployToECS) registers the task definition: the family it registers revisions of, which the role may tag as they are created, and the task and execution roles those revisions name, which the role may pass to ECS tasks and no other. null for a pipeline whose deploy step is a CodeBuild project: the role gets none of these."
  type = object({
    family         = string
    task_role_arns = list(string)
  })
  default = null

  validation {
    condition     = var.registers_task_definitions == null || try(length(var.registers_task_definitions.task_role_arns) > 0 && alltrue([for arn in var.registers_task_definitions.task_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))]), false)
    error_message = "registers_task_definitions.task_role_arns must be one or more IAM role ARNs."
  }
}

variable "additional_policy_json" {
  description = "IAM policy document (JSON) with the deploy action's own calls and anything else the pipeline needs; merged into the role's inline policy. null: nothing more."
  type        = string
  default     = null
}
