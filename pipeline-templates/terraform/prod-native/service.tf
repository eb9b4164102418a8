# The prod ECS service, deployed blue/green by ECS itself (deployment controller ECS, strategy
# BLUE_GREEN). Terraform creates it; afterwards the pipeline's ECS action owns its task
# definition, ECS owns which target group serves it and the weights of the two listener rules,
# and Application Auto Scaling owns its task count.

# The cluster, the log groups and task roles taskdef.template.json names, and the task
# definition the service is created with; the ECS action copies the revision the service runs
# and changes only the image, so later settings come from the running revision, not from here.
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
# The role ECS assumes to register tasks with the two target groups and to re-weight the
# listener rules during a deployment. Trust policy and managed policy as the ECS developer
# guide gives them ("Amazon ECS infrastructure IAM role for load balancers").
# ---------------------------------------------------------------------------------------------

resource "aws_iam_role" "ecs_infrastructure" {
  name               = "${local.prefix}-ecs-infrastructure"
  description        = "Lets ECS shift traffic between the target groups of ${var.service_name}"
  assume_role_policy = data.aws_iam_policy_document.ecs_trust.json
}

resource "aws_iam_role_policy_attachment" "ecs_infrastructure" {
  role       = aws_iam_role.ecs_infrastructure.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"
}

# ---------------------------------------------------------------------------------------------
# Deployment alarms: one per target group and signal, since either group can hold the new
# revision. ECS fails and rolls back a deployment whose alarms go off before it completes, bake
# time included (ECS developer guide, "How CloudWatch alarms detect Amazon ECS deployment
# failures").
# ---------------------------------------------------------------------------------------------

locals {
  target_groups = {
    blue  = aws_lb_target_group.blue
    green = aws_lb_target_group.green
  }
}

resource "aws_cloudwatch_metric_alarm" "target_5xx" {
  for_each = local.target_groups

  alarm_name          = "${local.prefix}-${each.key}-target-5xx"
  alarm_description   = "5xx of ${var.service_name} in the ${each.key} target group; fails and rolls back a deployment"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = var.target_5xx_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  dimensions = {
    LoadBalancer = aws_lb.this.arn_suffix
    TargetGroup  = each.value.arn_suffix
  }
}

# Three minutes in a row, so that one target failing a single check does not roll back.
resource "aws_cloudwatch_metric_alarm" "unhealthy_hosts" {
  for_each = local.target_groups

  alarm_name          = "${local.prefix}-${each.key}-unhealthy-hosts"
  alarm_description   = "Unhealthy ${var.service_name} tasks in the ${each.key} target group; fails and rolls back a deployment"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  dimensions = {
    LoadBalancer = aws_lb.this.arn_suffix
    TargetGroup  = each.value.arn_suffix
  }
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

  # The ECS controller: the pipeline's ECS action (UpdateService) starts each deployment, and
  # the strategy below makes it blue/green (ECS developer guide, "Amazon ECS blue/green
  # deployments"); a CODE_DEPLOY service would refuse the action's UpdateService.
  deployment_controller {
    type = "ECS"
  }

  deployment_configuration {
    strategy = "BLUE_GREEN"
    # Required for BLUE_GREEN (ECS API reference, DeploymentConfiguration.bakeTimeInMinutes).
    bake_time_in_minutes = var.bake_time_minutes

    lifecycle_hook {
      hook_target_arn  = aws_lambda_function.smoke_test.arn
      role_arn         = aws_iam_role.hook_invoke.arn
      lifecycle_stages = ["POST_TEST_TRAFFIC_SHIFT"]

      # The API default is 1440 minutes (ECS API reference, DeploymentLifecycleHook); the
      # action gives up after DeploymentTimeout while ECS carries on, so bake time plus this
      # must fit in it (validated in variables.tf).
      timeout_configuration {
        timeout_in_minutes = var.hook_timeout_minutes
        action             = "ROLLBACK"
      }
    }
  }

  alarms {
    enable   = true
    rollback = true
    alarm_names = concat(
      [for alarm in aws_cloudwatch_metric_alarm.target_5xx : alarm.alarm_name],
      [for alarm in aws_cloudwatch_metric_alarm.unhealthy_hosts : alarm.alarm_name],
    )
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

    advanced_configuration {
      alternate_target_group_arn = aws_lb_target_group.green.arn
      production_listener_rule   = aws_lb_listener_rule.weighted["production"].arn
      test_listener_rule         = aws_lb_listener_rule.weighted["test"].arn
      role_arn                   = aws_iam_role.ecs_infrastructure.arn
    }
  }

  # What the deployment tools own for this deployment type:
  # - task_definition: the pipeline's ECS action registers a revision per release and points
  #   the service at it; applying the bootstrap revision would deploy the bootstrap image
  #   (same rule as dev/, check_lifecycle.py).
  # - desired_count: Application Auto Scaling changes it, also during deployments (provider
  #   docs, aws_ecs_service "Ignoring Changes to Desired Count").
  # - load_balancer: ECS alternates the two target groups across deployments, so after one the
  #   service's target_group_arn and alternate_target_group_arn are swapped. Terraform would
  #   plan them back, and an apply makes ECS start the next revision in the group production
  #   is on instead of the idle one: hashicorp/terraform-provider-aws#45678 ("Terraform
  #   triggered deployments do not alternate target groups for ECS-managed blue/green"),
  #   where ECS-console deployments alternate and Terraform-driven ones do not. The same
  #   ownership as under CODE_DEPLOY (hashicorp/terraform-provider-aws#12703). A deliberate
  #   change to the block (another container port, a new role) needs `-replace` or a manual
  #   UpdateService.
  lifecycle {
    ignore_changes = [task_definition, desired_count, load_balancer]
  }

  # Tasks start as soon as the service exists: their roles, permissions and log groups first,
  # the rules ECS will re-weight, and the roles ECS assumes with their policies, which must
  # exist when the first deployment runs.
  depends_on = [
    module.service_base,
    aws_lb_listener_rule.weighted,
    aws_iam_role_policy_attachment.ecs_infrastructure,
    aws_iam_role_policy.hook_invoke,
  ]
}

# ---------------------------------------------------------------------------------------------
# Autoscaling: the count belongs to Application Auto Scaling, and stays with it during
# deployments (CPU rather than requests per target: the serving target group changes on every
# deployment).
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
