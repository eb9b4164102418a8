# The prod ECS service the pipeline deploys blue/green (deployment controller CODE_DEPLOY).
# Terraform creates it; afterwards CodeDeploy owns its task definition and which target group
# serves it, and Application Auto Scaling owns its task count.

# The cluster, the log groups and task roles taskdef.template.json names, and the task
# definition the service is created with; the first deployment replaces it with the one
# rendered from taskdef.template.json on the release branch.
module "service_base" {
  source = "../modules/ecs-service-base"

  name                       = var.service_name
  cluster_name               = local.cluster_name
  container_name             = var.container_name
  container_port             = var.container_port
  bootstrap_image            = var.bootstrap_image
  container_environment      = var.container_environment
  repository_arn             = module.repository.arn
  kms_key_arn                = module.artifact_store.kms_key_arn
  log_retention_days         = var.log_retention_days
  vpc_id                     = var.vpc_id
  security_group_description = "Tasks of ${var.service_name} (prod)"
}

resource "aws_vpc_security_group_ingress_rule" "service" {
  security_group_id            = module.service_base.security_group_id
  description                  = "Container port from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = aws_security_group.load_balancer.id
}

# ---------------------------------------------------------------------------------------------
# Service
# ---------------------------------------------------------------------------------------------

resource "aws_ecs_service" "app" {
  name                              = var.service_name
  cluster                           = module.service_base.cluster_id
  task_definition                   = module.service_base.task_definition_arn
  desired_count                     = var.desired_count
  launch_type                       = "FARGATE"
  platform_version                  = "LATEST"
  health_check_grace_period_seconds = 60
  propagate_tags                    = "SERVICE"
  enable_ecs_managed_tags           = true

  deployment_controller {
    type = "CODE_DEPLOY"
  }

  network_configuration {
    subnets          = var.service_subnet_ids
    security_groups  = [module.service_base.security_group_id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.blue.arn
    container_name   = var.container_name
    container_port   = var.container_port
  }

  # CODE_DEPLOY controller: every deployment registers a new task definition, starts a
  # replacement task set in the idle target group and moves the service to it, and
  # Application Auto Scaling changes desired_count. Terraform cannot update either field of
  # such a service ("Unable to update task definition on services with a CODE_DEPLOY
  # deployment controller") and, after a deployment, would plan to put the load balancer back
  # on the blue target group: hashicorp/terraform-provider-aws#12703, where ignore_changes on
  # these three is the documented workaround.
  lifecycle {
    ignore_changes = [task_definition, load_balancer, desired_count]
  }

  # Tasks start as soon as the service exists: their roles, permissions and log groups first,
  # and the listeners CodeDeploy will move between the target groups.
  depends_on = [
    module.service_base,
    aws_lb_listener.production,
    aws_lb_listener.test,
  ]
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
