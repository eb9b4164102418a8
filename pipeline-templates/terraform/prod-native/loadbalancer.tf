# The blue/green traffic path: one Application Load Balancer with a production listener (443)
# and a test listener (8080), two target groups, and on each listener a rule forwarding with
# weights to both groups, which ECS re-weights during every deployment. The test listener
# serves the new revision before production traffic does, so only test_traffic_cidr and the
# smoke-test hook may reach it.

resource "aws_security_group" "load_balancer" {
  name        = "${local.prefix}-alb"
  description = "Load balancer of ${var.service_name} (prod)"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "production" {
  for_each = toset(var.production_ingress_cidrs)

  security_group_id = aws_security_group.load_balancer.id
  description       = "Production listener from ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_ingress_rule" "test" {
  security_group_id = aws_security_group.load_balancer.id
  description       = "Test listener, only from the test clients"
  ip_protocol       = "tcp"
  from_port         = 8080
  to_port           = 8080
  cidr_ipv4         = var.test_traffic_cidr
}

resource "aws_vpc_security_group_egress_rule" "load_balancer_to_tasks" {
  security_group_id            = aws_security_group.load_balancer.id
  description                  = "Requests and health checks to the tasks"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = module.service_base.security_group_id
}

resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_76:The web ACL is the adopter's own (web_acl_arn) and its rules, the Log4j managed rule group among them, are kept where it is defined.
  name                       = local.prefix
  load_balancer_type         = "application"
  internal                   = var.internal_load_balancer
  security_groups            = [aws_security_group.load_balancer.id]
  subnets                    = var.load_balancer_subnet_ids
  drop_invalid_header_fields = true
  enable_deletion_protection = true

  access_logs {
    bucket  = var.load_balancer_access_logs_bucket
    prefix  = local.prefix
    enabled = true
  }
}

resource "aws_wafv2_web_acl_association" "this" {
  count = var.web_acl_arn == null ? 0 : 1

  resource_arn = aws_lb.this.arn
  web_acl_arn  = var.web_acl_arn
}

# ---------------------------------------------------------------------------------------------
# Target groups. ECS registers each new revision in the one not serving production, so blue
# and green are only the initial roles (ECS developer guide, "Application Load Balancer
# resources for blue/green deployments").
# ---------------------------------------------------------------------------------------------

resource "aws_lb_target_group" "blue" {
  name                 = "${local.prefix}-blue"
  port                 = var.container_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    path                = var.health_check_path
    matcher             = "200-399"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_target_group" "green" {
  #checkov:skip=CKV_AWS_378:Like blue, HTTP from the load balancer to the tasks (private subnets, reachable only from the load balancer's security group) behind the HTTPS listeners' rules; TLS ends at the load balancer.
  name                 = "${local.prefix}-green"
  port                 = var.container_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    path                = var.health_check_path
    matcher             = "200-399"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

# ---------------------------------------------------------------------------------------------
# Listeners. ECS shifts traffic by re-weighting listener rules, never default actions, so the
# listeners keep their configuration. Their default action forwards too, because ECS refuses
# listeners that mix forward with other action types (ECS developer guide, "Application Load
# Balancer resources for blue/green deployments", limitations); the `/*` rules below match
# every request first.
# ---------------------------------------------------------------------------------------------

resource "aws_lb_listener" "production" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.blue.arn
  }
}

resource "aws_lb_listener" "test" {
  load_balancer_arn = aws_lb.this.arn
  port              = 8080
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.blue.arn
  }
}

# ---------------------------------------------------------------------------------------------
# The rules ECS re-weights (the service's advanced_configuration names them). Each deployment
# rewrites their forward weights to the new revision's group (100/0 one way, then the other),
# while these resources keep the initial 1/0 on blue: the next plan would send production
# traffic back to whichever group the configuration weights at 1, possibly the drained old
# revision. ignore_changes on `action` is the workaround terraform-aws-modules/terraform-aws-alb#409
# settled on (a lifecycle argument cannot be a module variable, so the rules stay plain
# resources; terraform-aws-modules/terraform-aws-alb#219). Conditions, priority and tags stay
# managed.
# ---------------------------------------------------------------------------------------------

# One rule per listener: production traffic and the test listener's traffic.
resource "aws_lb_listener_rule" "weighted" {
  for_each = {
    production = aws_lb_listener.production.arn
    test       = aws_lb_listener.test.arn
  }

  listener_arn = each.value
  priority     = 1

  action {
    type = "forward"
    forward {
      target_group {
        arn    = aws_lb_target_group.blue.arn
        weight = 1
      }
      target_group {
        arn    = aws_lb_target_group.green.arn
        weight = 0
      }
    }
  }

  condition {
    path_pattern {
      values = ["/*"]
    }
  }

  lifecycle {
    ignore_changes = [action]
  }
}
