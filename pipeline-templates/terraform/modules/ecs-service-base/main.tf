# What an ECS service of the kit runs with, whichever tool deploys it: the cluster, the log
# groups and task roles taskdef.template.json names, the task definition the service is created
# with, and the tasks' security group. The service itself stays with the caller: its
# deployment controller and the attributes its lifecycle leaves to that controller differ per
# pipeline, and Terraform takes ignore_changes only as a literal list.

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

resource "aws_ecs_cluster" "this" {
  name = var.cluster_name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

# ---------------------------------------------------------------------------------------------
# Logs: the groups taskdef.template.json writes to (/ecs/<family> through FireLens, and the
# log router's own), created here because the template sets auto_create_group to false.
# ---------------------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_cloudwatch_log_group" "log_router" {
  name              = "/ecs/${var.name}/firelens"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

# ---------------------------------------------------------------------------------------------
# Task roles, named as taskdef.template.json names them: <family>-execution and <family>-task
# ---------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:*"]
    }
  }
}

resource "aws_iam_role" "task_execution" {
  name               = "${var.name}-execution"
  description        = "ECS agent of ${var.name}: image pulls and awslogs"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  description        = "Containers of ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

data "aws_iam_policy_document" "task_execution" {
  # GetAuthorizationToken has no resource-level permissions (ECR user guide, IAM actions).
  statement {
    sid       = "LogInToEcr"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "PullFromOwnRepository"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [var.repository_arn]
  }

  statement {
    sid       = "WriteContainerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.app.arn}:*", "${aws_cloudwatch_log_group.log_router.arn}:*"]
  }
}

resource "aws_iam_role_policy" "task_execution" {
  name   = "execution"
  role   = aws_iam_role.task_execution.id
  policy = data.aws_iam_policy_document.task_execution.json
}

# Fluent Bit's cloudwatch_logs output runs with the task role.
data "aws_iam_policy_document" "task" {
  statement {
    sid       = "FireLensWritesApplicationLogs"
    actions   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.app.arn}:*"]
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "task"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# ---------------------------------------------------------------------------------------------
# The task definition the service is created with, until its deployment tool puts another
# revision on it.
# ---------------------------------------------------------------------------------------------

resource "aws_ecs_task_definition" "bootstrap" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.task_execution.arn
  task_role_arn            = aws_iam_role.task.arn
  # Pipeline revisions of the family stay registered; destroying this one must not
  # deregister the revision the service may still run.
  skip_destroy = true

  runtime_platform {
    cpu_architecture        = "X86_64"
    operating_system_family = "LINUX"
  }

  container_definitions = jsonencode([
    {
      name      = var.container_name
      image     = var.bootstrap_image
      essential = true
      portMappings = [
        { containerPort = var.container_port, protocol = "tcp" },
      ]
      environment = [
        for name, value in var.container_environment : { name = name, value = value }
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = data.aws_region.current.region
          "awslogs-stream-prefix" = var.container_name
        }
      }
    },
  ])
}

# ---------------------------------------------------------------------------------------------
# Network: the caller allows the container port from whatever fronts the service.
# ---------------------------------------------------------------------------------------------

resource "aws_security_group" "service" {
  name        = "${var.cluster_name}-service"
  description = var.security_group_description
  vpc_id      = var.vpc_id
}

# Image layers (ECR, S3) and logs travel over HTTPS through the subnets' NAT or VPC endpoints.
resource "aws_vpc_security_group_egress_rule" "service_https" {
  security_group_id = aws_security_group.service.id
  description       = "HTTPS to AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}
