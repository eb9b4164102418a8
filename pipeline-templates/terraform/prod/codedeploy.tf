# CodeDeploy blue/green for the prod ECS service: the new task set behind the test listener
# first, then production traffic shifted by deployment_config_name, rolled back on failure or
# on any alarm below.

resource "aws_codedeploy_app" "prod" {
  name             = local.codedeploy_app_name
  compute_platform = "ECS"
}

# ---------------------------------------------------------------------------------------------
# Service role: the managed policy for ECS, in its Limited form (SNS only to CodeDeployTopic_*,
# Lambda only CodeDeployHook_*) rather than AWSCodeDeployRoleForECS, which may read every S3
# object and invoke every function (ECS developer guide, "Amazon ECS CodeDeploy IAM role").
# ---------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "codedeploy_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["codedeploy.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "codedeploy" {
  name               = "${local.prefix}-codedeploy"
  description        = "CodeDeploy deployment group ${local.deployment_group_name}"
  assume_role_policy = data.aws_iam_policy_document.codedeploy_trust.json
}

resource "aws_iam_role_policy_attachment" "codedeploy" {
  role       = aws_iam_role.codedeploy.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AWSCodeDeployRoleForECSLimited"
}

# CodeDeploy creates each task set with the task definition's roles, so it must pass them.
# The Limited policy allows iam:PassRole only on ecsTaskExecutionRole and ECSTaskExecution*
# (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRoleForECSLimited.html),
# not on the <service>-execution and <service>-task roles of modules/ecs-service-base
# (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/codedeploy_IAM_role.html).
data "aws_iam_policy_document" "codedeploy_pass_task_roles" {
  statement {
    sid     = "PassTaskRoles"
    effect  = "Allow"
    actions = ["iam:PassRole"]
    resources = [
      module.service_base.task_execution_role_arn,
      module.service_base.task_role_arn,
    ]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "codedeploy_pass_task_roles" {
  name   = "pass-the-task-roles"
  role   = aws_iam_role.codedeploy.id
  policy = data.aws_iam_policy_document.codedeploy_pass_task_roles.json
}

# ---------------------------------------------------------------------------------------------
# Rollback alarms. CodeDeploy alternates the two target groups between deployments (the
# replacement tasks go to whichever one is idle), so "the green target group" is blue in one
# deployment and green in the next: both are watched, and the load balancer's own 5xx too.
# ---------------------------------------------------------------------------------------------

locals {
  target_groups = {
    blue  = aws_lb_target_group.blue
    green = aws_lb_target_group.green
  }
}

resource "aws_cloudwatch_metric_alarm" "target_5xx" {
  for_each = local.target_groups

  alarm_name          = "${local.prefix}-${each.key}-5xx"
  alarm_description   = "5xx responses from the tasks in target group ${each.value.name}: stops and rolls back a deployment"
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

resource "aws_cloudwatch_metric_alarm" "load_balancer_5xx" {
  alarm_name          = "${local.prefix}-elb-5xx"
  alarm_description   = "5xx responses the load balancer produced itself (no healthy target, timeouts): stops and rolls back a deployment"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_ELB_5XX_Count"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = var.target_5xx_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  dimensions = {
    LoadBalancer = aws_lb.this.arn_suffix
  }
}

# ---------------------------------------------------------------------------------------------
# Deployment group
# ---------------------------------------------------------------------------------------------

resource "aws_codedeploy_deployment_group" "prod" {
  app_name               = aws_codedeploy_app.prod.name
  deployment_group_name  = local.deployment_group_name
  service_role_arn       = aws_iam_role.codedeploy.arn
  deployment_config_name = var.deployment_config_name

  deployment_style {
    deployment_type   = "BLUE_GREEN"
    deployment_option = "WITH_TRAFFIC_CONTROL"
  }

  blue_green_deployment_config {
    # STOP_DEPLOYMENT: production traffic shifts only when someone continues the deployment
    # after testing on the test listener; a deployment nobody continues within the wait is
    # stopped (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentReadyOption.html).
    # test_traffic_wait_minutes = 0 shifts as soon as the AfterAllowTestTraffic hook passes.
    deployment_ready_option {
      action_on_timeout    = var.test_traffic_wait_minutes > 0 ? "STOP_DEPLOYMENT" : "CONTINUE_DEPLOYMENT"
      wait_time_in_minutes = var.test_traffic_wait_minutes
    }

    terminate_blue_instances_on_deployment_success {
      action                           = "TERMINATE"
      termination_wait_time_in_minutes = var.termination_wait_minutes
    }
  }

  auto_rollback_configuration {
    enabled = true
    events  = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
  }

  alarm_configuration {
    enabled = true
    alarms = concat(
      [for alarm in aws_cloudwatch_metric_alarm.target_5xx : alarm.alarm_name],
      [aws_cloudwatch_metric_alarm.load_balancer_5xx.alarm_name],
    )
  }

  ecs_service {
    cluster_name = module.service_base.cluster_name
    service_name = aws_ecs_service.app.name
  }

  load_balancer_info {
    target_group_pair_info {
      prod_traffic_route {
        listener_arns = [aws_lb_listener.production.arn]
      }

      test_traffic_route {
        listener_arns = [aws_lb_listener.test.arn]
      }

      target_group {
        name = aws_lb_target_group.blue.name
      }

      target_group {
        name = aws_lb_target_group.green.name
      }
    }
  }

  depends_on = [aws_iam_role_policy_attachment.codedeploy, aws_iam_role_policy.codedeploy_pass_task_roles]
}
