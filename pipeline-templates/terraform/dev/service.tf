# The dev ECS service the pipeline deploys with a rolling update (deployment controller ECS).
# Terraform creates it; afterwards the pipeline owns its task definition and Application Auto
# Scaling owns its task count.

# The cluster, the log groups and task roles taskdef.template.json names, and the task
# definition the service is created with. The ECS deploy action copies the revision the
# service runs and changes only the image (CodePipeline action reference, Amazon ECS), so the
# bootstrap revision's settings carry on into every dev deployment until a new revision is put
# on the service (README: "Changing the dev task definition").
module "service_base" {
  source = "../modules/ecs-service-base"

  name                       = var.service_name
  cluster_name               = local.cluster_name
  container_name             = var.container_name
  container_port             = var.container_port
  bootstrap_image            = var.bootstrap_image
  container_environment      = var.container_environment
  repository_arn             = aws_ecr_repository.app.arn
  kms_key_arn                = module.artifact_store.kms_key_arn
  log_retention_days         = var.log_retention_days
  vpc_id                     = var.vpc_id
  security_group_description = "Tasks of ${var.service_name} (dev)"
}

resource "aws_vpc_security_group_ingress_rule" "service" {
  for_each = toset(var.ingress_security_group_ids)

  security_group_id            = module.service_base.security_group_id
  description                  = "Container port from ${each.value}"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = each.value
}

# ---------------------------------------------------------------------------------------------
# Service
# ---------------------------------------------------------------------------------------------

resource "aws_ecs_service" "app" {
  name                               = var.service_name
  cluster                            = module.service_base.cluster_id
  task_definition                    = module.service_base.task_definition_arn
  desired_count                      = var.desired_count
  launch_type                        = "FARGATE"
  platform_version                   = "LATEST"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = var.target_group_arn == null ? null : 60
  propagate_tags                     = "SERVICE"
  enable_ecs_managed_tags            = true

  deployment_controller {
    type = "ECS"
  }

  # A rolling deployment whose tasks never become healthy is stopped and rolled back to the
  # last completed one (ECS developer guide, deployment circuit breaker).
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [module.service_base.security_group_id]
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = var.target_group_arn == null ? [] : [var.target_group_arn]
    content {
      target_group_arn = load_balancer.value
      container_name   = var.container_name
      container_port   = var.container_port
    }
  }

  # Rolling controller: the pipeline's ECS action registers a new task-definition revision and
  # points the service at it on every run, and Application Auto Scaling changes desired_count.
  # Without these two, every `terraform apply` would put the service back on the bootstrap
  # revision and the initial count (hashicorp/terraform-provider-aws#12703: the provider has no
  # setting for "owned by a deployment tool", ignore_changes is the documented workaround).
  lifecycle {
    ignore_changes = [task_definition, desired_count]
  }

  # Tasks start as soon as the service exists: their roles, permissions and log groups first.
  depends_on = [module.service_base]
}

# ---------------------------------------------------------------------------------------------
# Autoscaling: the count belongs to Application Auto Scaling
# ---------------------------------------------------------------------------------------------

module "autoscaling" {
  source = "../modules/ecs-service-autoscaling"

  cluster_name       = module.service_base.cluster_name
  service_name       = aws_ecs_service.app.name
  policy_name        = "${local.prefix}-cpu"
  min_capacity       = var.min_capacity
  max_capacity       = var.max_capacity
  cpu_target_percent = var.cpu_target_percent
}
