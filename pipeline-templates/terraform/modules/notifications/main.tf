# Failure notifications: a notification rule on the pipeline publishes failed and superseded
# executions and failed stages to an SNS topic (Developer Tools console user guide,
# "Notification concepts"); subscribe the team to the topic. The topic's policy lets the
# notifications service publish from this account only.

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "publish" {
  statement {
    sid       = "PipelineNotifications"
    actions   = ["sns:Publish"]
    resources = [var.topic_arn]
    principals {
      type        = "Service"
      identifiers = ["codestar-notifications.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  arn    = var.topic_arn
  policy = data.aws_iam_policy_document.publish.json
}

resource "aws_codestarnotifications_notification_rule" "pipeline" {
  name        = var.name
  detail_type = "BASIC"
  resource    = var.pipeline_arn
  event_type_ids = [
    "codepipeline-pipeline-pipeline-execution-failed",
    "codepipeline-pipeline-pipeline-execution-superseded",
    "codepipeline-pipeline-stage-execution-failed",
  ]

  target {
    address = var.topic_arn
  }

  depends_on = [aws_sns_topic_policy.this]
}
