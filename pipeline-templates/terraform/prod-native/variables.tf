# ---------------------------------------------------------------------------------------------
# Where and what
# ---------------------------------------------------------------------------------------------

variable "region" {
  description = "AWS Region of the prod account: pipeline, ECR repository (replication destination) and ECS service."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be a Region code such as eu-west-1."
  }
}

variable "service_name" {
  description = "ECS service, task-definition family and ECR repository name. Keep it equal to the dev module's: replication keeps the repository name, and taskdef.template.json names the family and the <name>-execution and <name>-task roles."
  type        = string
  default     = "web-service"

  validation {
    # 20 characters: "<name>-prod-artifacts-" must fit the 37-character limit of an S3 bucket_prefix.
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
  description = "Container that runs the promoted image (CONTAINER_NAME): the imagedefinitions.json entry, and the container the service registers with the target groups."
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
# Sources: the release branch (configuration) and the promoted image
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
  description = "Repository of the application (its release branch holds the configuration the prod pipeline deploys), as owner/name (GitLab: group/subgroup/name)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$", var.full_repository_id))
    error_message = "full_repository_id must look like owner/name."
  }
}

variable "release_branch" {
  description = "Branch whose taskdef.template.json and buildspecs the Render step checks the release against (the Config source)."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]+$", var.release_branch)) && !can(regex("(^/|/$|\\.\\.)", var.release_branch))
    error_message = "release_branch must be a plain branch name."
  }
}

variable "config_changes_start_pipeline" {
  description = "false: only a promotion (the push of promotion_tag) starts a run. true: a push to release_branch starts one too, redeploying the image the promotion tag points at."
  type        = bool
  default     = false
}

variable "promotion_tag" {
  description = "Tag the dev pipeline's promote step points at the promoted digest; the ECR source action and the EventBridge rule watch it, and it is the repository's only mutable tag."
  type        = string
  default     = "release"

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.promotion_tag)) && lower(var.promotion_tag) != "latest"
    error_message = "promotion_tag must be a valid image tag other than latest."
  }
}

variable "dev_account_id" {
  description = "Dev account: the registry that replicates into this one."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.dev_account_id))
    error_message = "dev_account_id must be a 12-digit account id."
  }
}

variable "dev_promote_role_arn" {
  description = "Role of the dev pipeline's promote project (the dev module's promote_role_arn): the only principal the PromotionRole trusts."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,64}$", var.dev_promote_role_arn))
    error_message = "dev_promote_role_arn must be an IAM role ARN."
  }

  validation {
    condition     = split(":", var.dev_promote_role_arn)[4] == var.dev_account_id
    error_message = "dev_promote_role_arn must be a role in dev_account_id."
  }
}

variable "manage_registry_policy" {
  description = "Create the registry permissions policy that lets the dev account replicate into this registry. It is one per registry and Region and replaces any policy already there: set true only when nothing else manages it; otherwise add the statement there. Terraform destroying it removes the whole document."
  type        = bool
  default     = false
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
# Pipeline, approval and the ECS deployment
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

variable "approval_emails" {
  description = "Addresses subscribed to the approval topic (each confirms by mail)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for address in var.approval_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", address))])
    error_message = "approval_emails must be e-mail addresses."
  }
}

variable "deployment_timeout_minutes" {
  description = "How long the Deploy step follows the deployment, in minutes (1 to 60; DEPLOYMENT_TIMEOUT of the render and deploy projects); the render project checks the live service's bake time and hook timeout against it. The step fails when it runs out while ECS carries on, so bake_time_minutes plus hook_timeout_minutes plus task start-up must fit."
  type        = number
  default     = 60

  validation {
    condition     = var.deployment_timeout_minutes >= 1 && var.deployment_timeout_minutes <= 60 && floor(var.deployment_timeout_minutes) == var.deployment_timeout_minutes
    error_message = "deployment_timeout_minutes must be a whole number from 1 to 60."
  }
}

variable "bake_time_minutes" {
  description = "Minutes the previous revision stays ready for an instant rollback after production traffic has moved (bakeTimeInMinutes, required by BLUE_GREEN); the deployment, and so the Deploy action, completes only after it."
  type        = number
  default     = 10

  validation {
    condition     = var.bake_time_minutes >= 0 && var.bake_time_minutes <= 1440 && floor(var.bake_time_minutes) == var.bake_time_minutes
    error_message = "bake_time_minutes must be a whole number from 0 to 1440."
  }
}

variable "hook_timeout_minutes" {
  description = "Minutes ECS waits for the smoke-test hook before rolling back (timeoutConfiguration; the API default of 1440 is far beyond the deploy action's 60)."
  type        = number
  default     = 5

  validation {
    condition     = var.hook_timeout_minutes >= 1 && var.hook_timeout_minutes <= 10 && floor(var.hook_timeout_minutes) == var.hook_timeout_minutes
    error_message = "hook_timeout_minutes must be a whole number from 1 to 10."
  }

  # Leave the tasks at least five minutes to start, register and pass their health checks.
  validation {
    condition     = var.bake_time_minutes + var.hook_timeout_minutes + 5 <= var.deployment_timeout_minutes
    error_message = "bake_time_minutes + hook_timeout_minutes + 5 minutes of task start-up must fit in deployment_timeout_minutes, or the Deploy action fails while ECS carries on."
  }
}

variable "test_url" {
  description = "URL the smoke-test hook calls through the test listener, such as https://app.example.com:8080/health (a name the certificate covers, resolving to the load balancer). Empty: https://<load balancer DNS name>:8080<health_check_path>, with the certificate chain verified but not the host name."
  type        = string
  default     = ""

  validation {
    condition     = var.test_url == "" || can(regex("^https://[A-Za-z0-9.-]+:8080(/[A-Za-z0-9._~/?=&%-]*)?$", var.test_url))
    error_message = "test_url must be empty or an https URL on port 8080 (the test listener is HTTPS)."
  }
}

variable "target_5xx_threshold" {
  description = "Target 5xx responses per minute, in 2 of 3 minutes, from either target group that fail a deployment and roll it back (the service's deployment alarms)."
  type        = number
  default     = 5

  validation {
    condition     = var.target_5xx_threshold >= 1
    error_message = "target_5xx_threshold must be at least 1."
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
  description = "Days pipeline artifacts (and their old versions) stay in the artifact bucket. The Deploy stage's rollback re-runs the last successful execution's artifacts, so keep them longer than the time between two releases."
  type        = number
  default     = 90

  validation {
    condition     = var.artifact_retention_days >= 7 && var.artifact_retention_days <= 3650
    error_message = "artifact_retention_days must be from 7 to 3650."
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
# Load balancer
# ---------------------------------------------------------------------------------------------

variable "vpc_id" {
  description = "VPC of the service's tasks."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id."
  }
}

variable "load_balancer_subnet_ids" {
  description = "Subnets of the load balancer (public ones for an internet-facing load balancer), in at least two Availability Zones."
  type        = list(string)

  validation {
    condition     = length(var.load_balancer_subnet_ids) >= 2 && alltrue([for id in var.load_balancer_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "load_balancer_subnet_ids must be two or more subnet ids."
  }
}

variable "internal_load_balancer" {
  description = "Create an internal load balancer instead of an internet-facing one. The smoke-test hook runs in service_subnet_ids: against an internet-facing load balancer its requests leave through the subnets' NAT (its security group then allows 8080 to any address), so test_traffic_cidr must cover the NAT's public addresses."
  type        = bool
  default     = false
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listeners (production on 443, test on 8080)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "ssl_policy" {
  description = "TLS policy of the listeners."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = can(regex("^ELBSecurityPolicy-TLS13-1-[23]-", var.ssl_policy))
    error_message = "ssl_policy must be a TLS 1.3 policy with TLS 1.2 or 1.3 as its minimum (ELBSecurityPolicy-TLS13-1-2-* or -1-3-*)."
  }
}

variable "production_ingress_cidrs" {
  description = "IPv4 ranges allowed to reach the production listener (443)."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.production_ingress_cidrs) > 0 && alltrue([for cidr in var.production_ingress_cidrs : can(cidrhost(cidr, 0))])
    error_message = "production_ingress_cidrs must be one or more IPv4 CIDR blocks."
  }
}

variable "test_traffic_cidr" {
  description = "The only IPv4 range allowed to reach the test listener (8080), which serves the new tasks before production traffic does: the CI runners' or the VPN's range, never the internet."
  type        = string

  validation {
    condition     = can(cidrhost(var.test_traffic_cidr, 0)) && !endswith(var.test_traffic_cidr, "/0")
    error_message = "test_traffic_cidr must be an IPv4 CIDR block narrower than /0."
  }
}

variable "load_balancer_access_logs_bucket" {
  description = "Existing S3 bucket that receives the load balancer's access logs (its policy must let Elastic Load Balancing write; ELB user guide, access logs)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.load_balancer_access_logs_bucket))
    error_message = "load_balancer_access_logs_bucket must be a bucket name."
  }
}

variable "web_acl_arn" {
  description = "AWS WAF web ACL (REGIONAL) associated with the load balancer. null: none."
  type        = string
  default     = null

  validation {
    condition     = var.web_acl_arn == null || can(regex("^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:[0-9]{12}:regional/webacl/.+$", var.web_acl_arn))
    error_message = "web_acl_arn must be a regional WAFv2 web ACL ARN."
  }
}

variable "health_check_path" {
  description = "Path the target groups' health check requests."
  type        = string
  default     = "/"

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "health_check_path must start with /."
  }
}

# ---------------------------------------------------------------------------------------------
# The prod ECS service
# ---------------------------------------------------------------------------------------------

variable "service_subnet_ids" {
  description = "Private subnets of the tasks, with a route to ECR and CloudWatch Logs (NAT or VPC endpoints): tasks get no public IP."
  type        = list(string)

  validation {
    condition     = length(var.service_subnet_ids) > 0 && alltrue([for id in var.service_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "service_subnet_ids must be one or more subnet ids."
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
  default     = { APP_ENV = "prod" }

  validation {
    condition     = alltrue([for name in keys(var.container_environment) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", name))])
    error_message = "container_environment keys must be environment variable names."
  }
}

variable "desired_count" {
  description = "Tasks the service starts with; Application Auto Scaling owns the count afterwards."
  type        = number
  default     = 2

  validation {
    condition     = var.desired_count >= var.min_capacity && var.desired_count <= var.max_capacity
    error_message = "desired_count must lie between min_capacity and max_capacity."
  }
}

variable "min_capacity" {
  description = "Fewest tasks Application Auto Scaling keeps."
  type        = number
  default     = 2

  validation {
    condition     = var.min_capacity >= 1 && var.min_capacity <= var.max_capacity
    error_message = "min_capacity must be from 1 to max_capacity."
  }
}

variable "max_capacity" {
  description = "Most tasks Application Auto Scaling starts. During a blue/green deployment both revisions run at full size until the bake time ends, so the service briefly holds up to twice this many tasks."
  type        = number
  default     = 6

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
