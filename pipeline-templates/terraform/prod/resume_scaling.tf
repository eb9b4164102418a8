# Safety net: scaling resumed whatever ended the execution. The Deploy stage's rollback runs
# ResumeScaling only when an earlier execution of the current pipeline structure succeeded
# (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html): not on the
# first run, after an edit of the pipeline, when an execution is stopped or superseded, or when
# the rollback itself fails. This rule resumes scaling on each of those ends
# (https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html).
# The code is resume_scaling/index.py, the same as the CloudFormation template's inline function.

# The same function is the AppSpec's AfterAllowTraffic hook (buildspecs/prod-artifacts.yml,
# RESUME_SCALING_HOOK): scaling resumes as soon as production traffic has shifted, not after
# TerminationWaitMinutes. Its name starts with CodeDeployHook_, the functions
# AWSCodeDeployRoleForECSLimited lets CodeDeploy invoke.

locals {
  resume_scaling_name          = "${local.prefix}-resume-scaling"
  resume_scaling_function_name = "CodeDeployHook_${local.resume_scaling_name}"
}

data "archive_file" "resume_scaling" {
  type        = "zip"
  source_file = "${path.module}/resume_scaling/index.py"
  output_path = "${path.module}/.terraform/resume-scaling.zip"
}

resource "aws_cloudwatch_log_group" "resume_scaling" {
  name              = "/aws/lambda/${local.resume_scaling_function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.artifact_store.kms_key_arn
}

data "aws_iam_policy_document" "resume_scaling_trust" {
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

resource "aws_iam_role" "resume_scaling" {
  name               = local.resume_scaling_name
  description        = "Resumes the autoscaling of ${var.service_name} when ${local.pipeline_name} ends without doing so"
  assume_role_policy = data.aws_iam_policy_document.resume_scaling_trust.json
}

# The scaling project's rights to resume (codebuild.tf), and its own log group.
data "aws_iam_policy_document" "resume_scaling" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.resume_scaling.arn}:*"]
  }

  statement {
    sid       = "ResumeTheScalableTarget"
    actions   = ["application-autoscaling:RegisterScalableTarget"]
    resources = [module.autoscaling.scalable_target_arn]
  }

  statement {
    sid       = "DescribeAndScaleTheService"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = [local.service_arn]
  }

  # As the AfterAllowTraffic hook it reports its result to the deployment; the action takes no
  # resource type (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html).
  statement {
    sid       = "ReportTheHook"
    actions   = ["codedeploy:PutLifecycleEventHookExecutionStatus"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "resume_scaling" {
  name   = "resume-scaling"
  role   = aws_iam_role.resume_scaling.id
  policy = data.aws_iam_policy_document.resume_scaling.json
}

resource "aws_lambda_function" "resume_scaling" {
  #checkov:skip=CKV_AWS_116:EventBridge retries a failed invocation for 24 hours and the pipeline's failure notification already tells the team; a dead-letter queue would hold only the event.
  #checkov:skip=CKV_AWS_115:Reserved concurrency takes from the account's unreserved pool; one execution at a time ends, so one invocation at a time runs.
  #checkov:skip=CKV_AWS_117:It calls only the Application Auto Scaling API; in a VPC it would need a NAT gateway or an interface endpoint for nothing it reaches there.
  #checkov:skip=CKV_AWS_173:The environment holds only the service's resource id, which is not secret.
  #checkov:skip=CKV_AWS_272:The code is resume_scaling/index.py of this module, reviewed with it and zipped at plan time; code signing needs a signer profile and signed artifacts in S3, which a zip built by Terraform does not have.
  function_name    = local.resume_scaling_function_name
  description      = "Resumes the autoscaling of ${var.service_name} once traffic has shifted or when ${local.pipeline_name} fails, stops or is superseded"
  role             = aws_iam_role.resume_scaling.arn
  runtime          = "python3.13"
  handler          = "index.handler"
  architectures    = ["arm64"]
  memory_size      = 128
  timeout          = 30
  filename         = data.archive_file.resume_scaling.output_path
  source_code_hash = data.archive_file.resume_scaling.output_base64sha256

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.resume_scaling.name
  }

  tracing_config {
    mode = "Active"
  }

  environment {
    variables = {
      RESOURCE_ID = "service/${module.service_base.cluster_name}/${aws_ecs_service.app.name}"
    }
  }

  depends_on = [aws_iam_role_policy.resume_scaling, aws_iam_role_policy_attachment.resume_scaling_xray]
}

# X-Ray traces each invocation (tracing_config above).
resource "aws_iam_role_policy_attachment" "resume_scaling_xray" {
  role       = aws_iam_role.resume_scaling.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"
}

resource "aws_cloudwatch_event_rule" "resume_scaling" {
  name        = local.resume_scaling_name
  description = "Resumes the autoscaling of ${var.service_name} when an execution of ${local.pipeline_name} ends other than by success"
  event_pattern = jsonencode({
    source      = ["aws.codepipeline"]
    detail-type = ["CodePipeline Pipeline Execution State Change"]
    resources   = [aws_codepipeline.prod.arn]
    detail = {
      state = ["FAILED", "STOPPED", "SUPERSEDED", "CANCELED"]
    }
  })
}

resource "aws_cloudwatch_event_target" "resume_scaling" {
  rule      = aws_cloudwatch_event_rule.resume_scaling.name
  target_id = "resume-scaling"
  arn       = aws_lambda_function.resume_scaling.arn
}

resource "aws_lambda_permission" "resume_scaling" {
  statement_id  = "EventBridgeResumesScaling"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.resume_scaling.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.resume_scaling.arn
}
