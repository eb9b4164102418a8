variable "task_role_arns" {
  description = "The task and execution roles the checked task definitions name (iam:GetRole)."
  type        = list(string)

  validation {
    condition     = length(var.task_role_arns) > 0 && alltrue([for arn in var.task_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "task_role_arns must be one or more IAM role ARNs."
  }
}

variable "execution_role_arn" {
  description = "The execution role the checked task definitions name, whose permissions are simulated (iam:SimulatePrincipalPolicy)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", var.execution_role_arn))
    error_message = "execution_role_arn must be an IAM role ARN."
  }
}

variable "repository_arns" {
  description = "The ECR repositories of the images the checked task definitions run (ecr:BatchGetImage, DescribeImages, DescribeImageScanFindings, DescribeRepositories)."
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

variable "blue_green" {
  description = "For a Blue/Green action: the ARNs of its CodeDeploy deployment group and of the group's ECS service (codedeploy:GetDeploymentGroup, ecs:DescribeServices, elasticloadbalancing:Describe*); null for the ECS action."
  type = object({
    deployment_group_arn = string
    service_arn          = string
  })
  default = null
}

variable "appspec_network" {
  description = "true when the Blue/Green action's AppSpec sets its own NetworkConfiguration, whose subnets and security groups --live asks about (ec2:DescribeSubnets, ec2:DescribeSecurityGroups); unset otherwise."
  type        = bool
  default     = null

  validation {
    condition     = var.appspec_network == null || var.appspec_network == true
    error_message = "appspec_network is true or unset."
  }
}
