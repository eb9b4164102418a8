# The smoke-test hook: ECS invokes it at POST_TEST_TRAFFIC_SHIFT, once the test listener sends
# all test traffic to the new revision, and rolls back unless it answers SUCCEEDED. Payload and
# answer (ECS developer guide, "Lambda hooks for Amazon ECS service deployments",
# lambda-lifecycle-hooks.html, and "Lifecycle hooks for Amazon ECS service deployments",
# deployment-lifecycle-hooks.html): the payload carries serviceArn, targetServiceRevisionArn,
# testTrafficWeights and productionTrafficWeights; the function returns {"hookStatus":
# "SUCCEEDED" | "FAILED" | "IN_PROGRESS"}, and an invalid hookStatus or a function error rolls
# the deployment back. On a rollback ECS runs only TEST_TRAFFIC_SHIFT and
# PRODUCTION_TRAFFIC_SHIFT hooks, not this one. The code is smoke_test/index.py, the same as the
# CloudFormation template's inline function.

data "archive_file" "smoke_test" {
  type        = "zip"
  source_file = "${path.module}/smoke_test/index.py"
  output_path = "${path.module}/.terraform/smoke-test.zip"
}

resource "aws_cloudwatch_log_group" "smoke_test" {
  name              = "/aws/lambda/${local.smoke_test_function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.artifact_store.kms_key_arn
}

# ---------------------------------------------------------------------------------------------
# Network: in the VPC because the test listener admits only private sources, test_traffic_cidr
# and this function's security group.
# ---------------------------------------------------------------------------------------------

resource "aws_security_group" "smoke_test" {
  name        = "${local.prefix}-smoke-test"
  description = "Smoke-test hook of ${var.service_name}"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "smoke_test_to_test_listener" {
  security_group_id            = aws_security_group.smoke_test.id
  description                  = "To the test listener only"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.load_balancer.id
}

# An internet-facing load balancer's name resolves to public addresses, which the rule above
# does not match (a referenced group covers private addresses only): the requests then go out
# through the subnets' NAT, to port 8080 only, and arrive from the NAT's public address, which
# test_traffic_cidr has to cover.
resource "aws_vpc_security_group_egress_rule" "smoke_test_to_public_test_listener" {
  count = var.internal_load_balancer ? 0 : 1

  security_group_id = aws_security_group.smoke_test.id
  description       = "To the internet-facing test listener, through the NAT"
  ip_protocol       = "tcp"
  from_port         = 8080
  to_port           = 8080
  cidr_ipv4         = "0.0.0.0/0"
}

# The hook reads the revision under test from the ECS API (BOOTSTRAP_IMAGE in
# smoke_test/index.py), through the subnets' NAT or an ECS interface endpoint.
resource "aws_vpc_security_group_egress_rule" "smoke_test_to_ecs_api" {
  security_group_id = aws_security_group.smoke_test.id
  description       = "HTTPS to the ECS API (or its VPC endpoint), to read the revision under test"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "test_listener_from_smoke_test" {
  security_group_id            = aws_security_group.load_balancer.id
  description                  = "Test listener from the smoke-test hook"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.smoke_test.id
}

# ---------------------------------------------------------------------------------------------
# The function's own role: its log group and its network interfaces
# ---------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "smoke_test" {
  name               = "${local.prefix}-smoke-test"
  description        = "Execution role of the ${var.service_name} smoke-test hook"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

data "aws_iam_policy_document" "smoke_test" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.smoke_test.arn}:*"]
  }

  # Lambda creates the function's VPC network interfaces with its execution role (Lambda
  # developer guide, "Giving Lambda functions access to resources in a VPC"). The Describe
  # actions work only on "*": no resource-level permissions.
  statement {
    sid       = "DescribeNetworkInterfaces"
    actions   = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]
    resources = ["*"]
  }

  # Interfaces get their ids at creation: this account and Region, the service's subnets and
  # only the function's security group.
  statement {
    sid     = "CreateTheFunctionsInterfaces"
    actions = ["ec2:CreateNetworkInterface"]
    resources = concat(
      ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*"],
      [for id in var.service_subnet_ids : "arn:${local.partition}:ec2:${local.region}:${local.account_id}:subnet/${id}"],
      ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:security-group/${aws_security_group.smoke_test.id}"],
    )
  }

  # Interface ids are only known at run time: every interface in this account and Region.
  statement {
    sid       = "ManageTheFunctionsInterfaces"
    actions   = ["ec2:AssignPrivateIpAddresses", "ec2:DeleteNetworkInterface", "ec2:UnassignPrivateIpAddresses"]
    resources = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*"]
  }

  # The hook refuses a revision that would put the bootstrap image back in production: it reads
  # the revision under test and its task definition. DescribeTaskDefinition has no
  # resource-level permissions (Service Authorization Reference, Amazon ECS).
  statement {
    sid     = "ReadTheRevisionUnderTest"
    actions = ["ecs:DescribeServiceRevisions"]
    # Authorized on the service and on the revision, both required (Service Authorization
    # Reference, Amazon ECS).
    resources = [
      local.service_arn,
      "arn:${local.partition}:ecs:${local.region}:${local.account_id}:service-revision/${local.cluster_name}/${var.service_name}/*",
    ]
  }

  statement {
    sid       = "ReadItsTaskDefinition"
    actions   = ["ecs:DescribeTaskDefinition"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "smoke_test" {
  name   = "smoke-test"
  role   = aws_iam_role.smoke_test.id
  policy = data.aws_iam_policy_document.smoke_test.json
}

# ---------------------------------------------------------------------------------------------
# Function
# ---------------------------------------------------------------------------------------------

resource "aws_lambda_function" "smoke_test" {
  #checkov:skip=CKV_AWS_116:ECS invokes the hook synchronously and reads its answer; a dead-letter queue receives only failed asynchronous invocations, and a failed invocation already rolls the deployment back.
  #checkov:skip=CKV_AWS_115:Reserved concurrency takes from the account's unreserved pool, which must stay at 100 or more; accounts with a low concurrency quota could not create the function. One deployment at a time invokes it.
  #checkov:skip=CKV_AWS_173:The environment holds only the non-secret test URL and probe settings; a customer managed key for it would also need kms:Encrypt and kms:CreateGrant for whoever applies this module.
  #checkov:skip=CKV_AWS_272:The code is smoke_test/index.py of this module, reviewed with it and zipped at plan time; code signing needs a signer profile and signed artifacts in S3, which a zip built by Terraform does not have.
  function_name    = local.smoke_test_function_name
  description      = "Smoke test of ${var.service_name}'s new revision through the test listener (ECS lifecycle hook)"
  role             = aws_iam_role.smoke_test.arn
  runtime          = "python3.13"
  handler          = "index.handler"
  architectures    = ["arm64"]
  memory_size      = 128
  filename         = data.archive_file.smoke_test.output_path
  source_code_hash = data.archive_file.smoke_test.output_base64sha256
  # ATTEMPTS x (5 s timeout + 2 s pause) fits with room to spare.
  timeout = 60

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.smoke_test.name
  }

  vpc_config {
    subnet_ids         = var.service_subnet_ids
    security_group_ids = [aws_security_group.smoke_test.id]
  }

  # X-Ray traces each invocation; the write permission comes from the managed policy below.
  tracing_config {
    mode = "Active"
  }

  environment {
    variables = {
      TEST_URL = var.test_url != "" ? var.test_url : "https://${aws_lb.this.dns_name}:8080${var.health_check_path}"
      # The load balancer's certificate names the application, not the load balancer's own DNS
      # name: for the derived URL the chain is still verified, the host name is not.
      VERIFY_HOSTNAME = var.test_url != "" ? "true" : "false"
      ATTEMPTS        = "5"
      # Terraform leaves the service's task definition alone (service.tf), so an apply never
      # deploys the bootstrap image; the guard is kept because the code is the template's.
      BOOTSTRAP_IMAGE = var.bootstrap_image
    }
  }

  depends_on = [
    aws_iam_role_policy.smoke_test,
    aws_iam_role_policy_attachment.smoke_test_xray,
  ]
}

# X-Ray's write actions have no resource-level permissions; the AWS managed policy is exactly
# them (X-Ray developer guide, "IAM managed policies for X-Ray").
resource "aws_iam_role_policy_attachment" "smoke_test_xray" {
  role       = aws_iam_role.smoke_test.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"
}

# ---------------------------------------------------------------------------------------------
# The role ECS assumes to invoke the hook: this one function only, where the ECS developer
# guide's example allows every function ("Permissions required for Lambda functions in Amazon
# ECS blue/green deployments").
# ---------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "ecs_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "hook_invoke" {
  name               = "${local.prefix}-hook-invoke"
  description        = "Lets ECS invoke the smoke-test hook of ${var.service_name}"
  assume_role_policy = data.aws_iam_policy_document.ecs_trust.json
}

data "aws_iam_policy_document" "hook_invoke" {
  statement {
    sid       = "InvokeSmokeTest"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.smoke_test.arn]
  }
}

resource "aws_iam_role_policy" "hook_invoke" {
  name   = "invoke-the-smoke-test"
  role   = aws_iam_role.hook_invoke.id
  policy = data.aws_iam_policy_document.hook_invoke.json
}
