# ---------------------------------------------------------------------------------------------
# Where and what
# ---------------------------------------------------------------------------------------------

variable "region" {
  description = "AWS Region of the dev account: pipeline, ECR repository and ECS service."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be a Region code such as eu-west-1."
  }
}

variable "service_name" {
  description = "ECS service, task-definition family and ECR repository name. Keep it equal to the prod module's: replication keeps the repository name, and taskdef.template.json names the family and the <name>-execution and <name>-task roles."
  type        = string
  default     = "web-service"

  validation {
    # 20 characters: "<name>-dev-artifacts-" must fit the 37-character limit of an S3 bucket_prefix.
    condition     = can(regex("^[a-z][a-z0-9-]{0,19}$", var.service_name))
    error_message = "service_name must be 1 to 20 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "app_dir" {
  description = "Folder of the application (Dockerfile, taskdef.template.json) inside the repository, relative to its root (APP_DIR)."
  type        = string
  default     = "."

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]+$", var.app_dir)) && !can(regex("(^/|\\.\\.)", var.app_dir))
    error_message = "app_dir must be a relative path inside the repository, without `..`."
  }
}

variable "container_name" {
  description = "Container that runs the image the pipeline builds (CONTAINER_NAME; the name in imagedefinitions.json)."
  type        = string
  default     = "web"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.container_name))
    error_message = "container_name must be 1 to 255 letters, digits, hyphens or underscores (ECS container name)."
  }
}

variable "container_port" {
  description = "Port the container listens on."
  type        = number
  default     = 8080

  validation {
    condition     = var.container_port >= 1 && var.container_port <= 65535 && floor(var.container_port) == var.container_port
    error_message = "container_port must be a whole number from 1 to 65535."
  }
}

# ---------------------------------------------------------------------------------------------
# Source
# ---------------------------------------------------------------------------------------------

variable "connection_arn" {
  description = "AWS CodeConnections (CodeStar Connections) connection to the Git provider, already in the AVAILABLE state (the handshake is finished in the console)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]{36}$", var.connection_arn))
    error_message = "connection_arn must be a codestar-connections or codeconnections connection ARN."
  }
}

variable "full_repository_id" {
  description = "Repository the pipeline builds, as owner/name (GitLab: group/subgroup/name)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$", var.full_repository_id))
    error_message = "full_repository_id must look like owner/name."
  }
}

variable "test_url" {
  description = "Health endpoint of the dev service the Test stage calls after the dev deploy (2xx within five minutes, or nothing is promoted), such as https://dev.example.com/healthz. The test project runs outside the VPC: the URL must be reachable from the internet."
  type        = string

  validation {
    condition     = can(regex("^https?://[^\\s]+$", var.test_url))
    error_message = "test_url must be an http:// or https:// URL."
  }
}

variable "dev_branch" {
  description = "Branch whose pushes start the dev pipeline."
  type        = string
  default     = "develop"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]+$", var.dev_branch)) && !can(regex("(^/|/$|\\.\\.)", var.dev_branch))
    error_message = "dev_branch must be a plain branch name."
  }
}

# ---------------------------------------------------------------------------------------------
# ecs-deploy-kit release tarball (buildspecs/install.sh)
# ---------------------------------------------------------------------------------------------

variable "tools_url" {
  description = "s3:// URL of the ecs-deploy-kit release tarball (ECS_DEPLOY_KIT_URL)."
  type        = string

  validation {
    condition     = can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+\\.tar\\.gz$", var.tools_url))
    error_message = "tools_url must be an s3://bucket/key.tar.gz URL."
  }
}

variable "tools_object_arn" {
  description = "ARN of the same S3 object: the only object the CodeBuild roles may s3:GetObject outside the artifact bucket."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+\\.tar\\.gz$", var.tools_object_arn))
    error_message = "tools_object_arn must be an S3 object ARN (arn:aws:s3:::bucket/key.tar.gz)."
  }

  validation {
    condition     = endswith(var.tools_object_arn, ":::${trimprefix(var.tools_url, "s3://")}")
    error_message = "tools_object_arn must name the object tools_url points at."
  }
}

variable "tools_sha256" {
  description = "SHA-256 of the tarball, checked before it is unpacked (ECS_DEPLOY_KIT_SHA256)."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{64}$", var.tools_sha256))
    error_message = "tools_sha256 must be 64 lower-case hex digits."
  }
}

variable "tools_version" {
  description = "Version of the release; it names the CodeBuild cache folder (ECS_DEPLOY_KIT_VERSION)."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-Za-z._-]+$", var.tools_version))
    error_message = "tools_version must be a version such as 0.1.0."
  }
}

variable "tools_kms_key_arn" {
  description = "KMS key that encrypts the tarball object, when it is SSE-KMS encrypted (the CodeBuild roles then get kms:Decrypt on it). null when the object uses SSE-S3."
  type        = string
  default     = null

  validation {
    condition     = var.tools_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.tools_kms_key_arn))
    error_message = "tools_kms_key_arn must be a KMS key ARN (not an alias)."
  }
}

# ---------------------------------------------------------------------------------------------
# Promotion to the prod account
# ---------------------------------------------------------------------------------------------

variable "prod_account_id" {
  description = "Prod account: ECR replication destination and DESTINATION_REGISTRY_ID of the promote step."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.prod_account_id))
    error_message = "prod_account_id must be a 12-digit account id."
  }
}

variable "manage_replication" {
  description = "Create the registry's replication configuration. It is one per registry and region, and replaces any rules already there: set true only when nothing else manages it; otherwise add this repository to its rules. Terraform destroying it removes the whole document."
  type        = bool
  default     = false
}

variable "promotion_role_arn" {
  description = "PromotionRole of the prod module (its promotion_role_arn output); the promote project's role may assume exactly this role (PROMOTION_ROLE_ARN)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,64}$", var.promotion_role_arn))
    error_message = "promotion_role_arn must be an IAM role ARN."
  }

  validation {
    condition     = split(":", var.promotion_role_arn)[4] == var.prod_account_id
    error_message = "promotion_role_arn must be a role in prod_account_id."
  }
}

variable "promotion_tag" {
  description = "Tag the promote step points at the promoted digest in the prod repository; the prod pipeline's ECR source watches it (PROMOTION_TAG)."
  type        = string
  default     = "release"

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.promotion_tag)) && lower(var.promotion_tag) != "latest"
    error_message = "promotion_tag must be a valid image tag other than latest."
  }
}

# ---------------------------------------------------------------------------------------------
# Build and pipeline
# ---------------------------------------------------------------------------------------------

variable "codebuild_image" {
  description = "CodeBuild image of the projects, with an explicit version."
  type        = string
  default     = "aws/codebuild/amazonlinux-x86_64-standard:5.0"

  validation {
    condition     = can(regex(":[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.codebuild_image)) && !can(regex(":latest$", lower(var.codebuild_image)))
    error_message = "codebuild_image must carry an explicit tag other than latest."
  }
}

variable "build_compute_type" {
  description = "Compute type of the build project. Local caching does not work on BUILD_GENERAL1_2XLARGE (CodeBuild user guide, build caching)."
  type        = string
  default     = "BUILD_GENERAL1_MEDIUM"

  validation {
    condition     = contains(["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"], var.build_compute_type)
    error_message = "build_compute_type must be BUILD_GENERAL1_SMALL, _MEDIUM or _LARGE."
  }
}

variable "deployment_timeout_minutes" {
  description = "DeploymentTimeout of the ECS deploy action, in minutes (1 to 60, the action's maximum)."
  type        = number
  default     = 30

  validation {
    condition     = var.deployment_timeout_minutes >= 1 && var.deployment_timeout_minutes <= 60 && floor(var.deployment_timeout_minutes) == var.deployment_timeout_minutes
    error_message = "deployment_timeout_minutes must be a whole number from 1 to 60."
  }
}

variable "log_retention_days" {
  description = "Retention of the CodeBuild and service log groups."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "artifact_retention_days" {
  description = "Days pipeline artifacts (and their old versions) stay in the artifact bucket."
  type        = number
  default     = 90

  validation {
    condition     = var.artifact_retention_days >= 1 && var.artifact_retention_days <= 3650
    error_message = "artifact_retention_days must be from 1 to 3650."
  }
}

variable "access_log_bucket" {
  description = "Existing bucket that receives the artifact bucket's server access logs (it must allow logging.s3.amazonaws.com to write). null: no access logging."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket))
    error_message = "access_log_bucket must be a bucket name."
  }
}

# ---------------------------------------------------------------------------------------------
# The dev ECS service
# ---------------------------------------------------------------------------------------------

variable "vpc_id" {
  description = "VPC of the service's tasks."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id."
  }
}

variable "subnet_ids" {
  description = "Private subnets of the tasks, with a route to ECR and CloudWatch Logs (NAT or VPC endpoints): tasks get no public IP."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0 && alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "subnet_ids must be one or more subnet ids."
  }
}

variable "ingress_security_group_ids" {
  description = "Security groups (a load balancer's, a client's) allowed to reach the container port."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.ingress_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "ingress_security_group_ids must be security group ids."
  }
}

variable "target_group_arn" {
  description = "Existing target group (target type ip) the service registers with. null: no load balancer."
  type        = string
  default     = null

  validation {
    condition     = var.target_group_arn == null || can(regex("^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:targetgroup/.+$", var.target_group_arn))
    error_message = "target_group_arn must be a target group ARN."
  }
}

variable "bootstrap_image" {
  description = "Image of the task definition the service is created with, before the first pipeline run. A tag or digest is required and latest is refused."
  type        = string

  validation {
    condition     = can(regex("(@sha256:[0-9a-f]{64}|:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$", var.bootstrap_image)) && !can(regex(":latest(@|$)", lower(var.bootstrap_image)))
    error_message = "bootstrap_image must end in an explicit tag (other than latest) or an @sha256 digest."
  }
}

variable "container_environment" {
  description = "Environment of the container in the task definition the service is created with."
  type        = map(string)
  default     = { APP_ENV = "dev" }

  validation {
    condition     = alltrue([for name in keys(var.container_environment) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", name))])
    error_message = "container_environment keys must be environment variable names."
  }
}

variable "desired_count" {
  description = "Tasks the service starts with; Application Auto Scaling owns the count afterwards."
  type        = number
  default     = 1

  validation {
    condition     = var.desired_count >= var.min_capacity && var.desired_count <= var.max_capacity
    error_message = "desired_count must lie between min_capacity and max_capacity."
  }
}

variable "min_capacity" {
  description = "Fewest tasks Application Auto Scaling keeps."
  type        = number
  default     = 1

  validation {
    condition     = var.min_capacity >= 0 && var.min_capacity <= var.max_capacity
    error_message = "min_capacity must be from 0 to max_capacity."
  }
}

variable "max_capacity" {
  description = "Most tasks Application Auto Scaling starts."
  type        = number
  default     = 2

  validation {
    condition     = var.max_capacity >= 1
    error_message = "max_capacity must be at least 1."
  }
}

variable "cpu_target_percent" {
  description = "Average CPU utilisation the service is scaled to."
  type        = number
  default     = 60

  validation {
    condition     = var.cpu_target_percent > 0 && var.cpu_target_percent <= 100
    error_message = "cpu_target_percent must be from 1 to 100."
  }
}

variable "tags" {
  description = "Tags on every resource (provider default_tags)."
  type        = map(string)
  default     = {}
}
