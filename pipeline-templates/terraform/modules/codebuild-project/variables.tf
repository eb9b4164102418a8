variable "name" {
  description = "Name of the project; its log group is /aws/codebuild/<name> and its report group <name>-checks, the group CodeBuild uses for a buildspec's `reports: checks:`."
  type        = string

  validation {
    # The report group adds "-checks" and stops at 128 characters.
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{1,120}$", var.name))
    error_message = "name must be 2 to 121 letters, digits, hyphens or underscores, starting with a letter or digit."
  }
}

variable "description" {
  description = "What the project does, shown in the CodeBuild console."
  type        = string

  validation {
    condition     = length(var.description) <= 255
    error_message = "description must be at most 255 characters."
  }
}

variable "buildspec" {
  description = "The buildspec: its path in the pipeline's primary input artifact, or, for a project whose buildspec must not come from a branch developers push to, the document itself (file() of the platform's checkout)."
  type        = string

  validation {
    condition = strcontains(var.buildspec, "\n") || (
      can(regex("^[A-Za-z0-9._/-]+\\.ya?ml$", var.buildspec)) && !can(regex("(^/|\\.\\.)", var.buildspec))
    )
    error_message = "buildspec must be a relative path to a .yml or .yaml file, without `..`, or a buildspec document."
  }
}

variable "build_timeout" {
  description = "Minutes a build may run before CodeBuild stops it."
  type        = number

  validation {
    condition     = var.build_timeout >= 5 && var.build_timeout <= 2160 && floor(var.build_timeout) == var.build_timeout
    error_message = "build_timeout must be a whole number from 5 to 2160."
  }
}

variable "queued_timeout" {
  description = "Minutes a build may wait in the queue before CodeBuild gives up on it."
  type        = number
  default     = 60

  validation {
    condition     = var.queued_timeout >= 5 && var.queued_timeout <= 480 && floor(var.queued_timeout) == var.queued_timeout
    error_message = "queued_timeout must be a whole number from 5 to 480."
  }
}

variable "image" {
  description = "CodeBuild image, with an explicit version."
  type        = string
}

variable "compute_type" {
  description = "Compute type. Local caching does not work on BUILD_GENERAL1_2XLARGE (CodeBuild user guide, build caching)."
  type        = string
  default     = "BUILD_GENERAL1_SMALL"

  validation {
    condition     = contains(["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"], var.compute_type)
    error_message = "compute_type must be BUILD_GENERAL1_SMALL, _MEDIUM or _LARGE."
  }
}

variable "privileged_mode" {
  description = "Start the Docker daemon in the build container, which `docker build` needs. checkov's CKV_AWS_316 fails a privileged project: skip it in the module call, with the reason."
  type        = bool
  default     = false
}

variable "environment_variables" {
  description = "PLAINTEXT environment variables of the build, besides the ECS_DEPLOY_KIT_* ones this module sets from `tools`. Nothing secret: PLAINTEXT values show in the console and the API."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for name in keys(var.environment_variables) :
      can(regex("^[A-Za-z_][A-Za-z0-9_]*$", name)) && !startswith(name, "CODEBUILD_") && !startswith(name, "ECS_DEPLOY_KIT_")
    ])
    error_message = "environment_variables keys must be environment variable names, none starting with CODEBUILD_ (reserved by CodeBuild) or ECS_DEPLOY_KIT_ (set from tools)."
  }
}

variable "tools" {
  description = "The ecs-deploy-kit release tarball buildspecs/install.sh downloads: its s3:// URL, the ARN of the same object (the only object outside the artifact bucket the role may read), its SHA-256, its version (the cache folder's name), and the KMS key that encrypts it when it is SSE-KMS encrypted (null for SSE-S3)."
  type = object({
    url         = string
    object_arn  = string
    sha256      = string
    version     = string
    kms_key_arn = optional(string)
  })

  validation {
    condition     = endswith(var.tools.object_arn, ":::${trimprefix(var.tools.url, "s3://")}")
    error_message = "tools.object_arn must name the object tools.url points at."
  }

  validation {
    condition     = can(regex("^[0-9a-f]{64}$", var.tools.sha256))
    error_message = "tools.sha256 must be 64 lower-case hex digits."
  }
}

variable "artifact_bucket_arn" {
  description = "Artifact bucket of the pipeline, whose objects the project reads and writes."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.artifact_bucket_arn))
    error_message = "artifact_bucket_arn must be an S3 bucket ARN."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed key of the pipeline: it encrypts the build's output artifacts and the log group, and the role may use it. Its key policy must name the role."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (not an alias)."
  }
}

variable "log_retention_days" {
  description = "Retention of the project's log group, in days (a value CloudWatch Logs accepts)."
  type        = number
}

variable "role" {
  description = "The project's own role (name, arn), assumable by this project only (modules/pipeline-roles): the project runs as it, and this module gives it the project's permissions."
  type = object({
    name = string
    arn  = string
  })

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", var.role.arn))
    error_message = "role.arn must be an IAM role ARN."
  }
}

variable "policy_name" {
  description = "Name of the role's inline policy."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,128}$", var.policy_name))
    error_message = "policy_name must be 1 to 128 characters of A-Z, a-z, 0-9 and +=,.@_-."
  }
}

variable "additional_policy_json" {
  description = "IAM policy document (JSON) with what this project needs beyond its logs, reports, the artifact store and the tarball; merged into the role's inline policy. null: nothing more."
  type        = string
  default     = null
}
