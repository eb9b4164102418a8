# Failure notifications: a notification rule on the pipeline publishes failed and superseded
# executions and failed stages to an SNS topic (Developer Tools console user guide,
# "Notification concepts"); subscribe the team to the topic.

data "aws_iam_policy_document" "notifications_publish" {
  statement {
    sid       = "PipelineNotifications"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.approval.arn]
    principals {
      type        = "Service"
      identifiers = ["codestar-notifications.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "notifications" {
  arn    = aws_sns_topic.approval.arn
  policy = data.aws_iam_policy_document.notifications_publish.json
}

resource "aws_codestarnotifications_notification_rule" "pipeline" {
  name        = "${local.prefix}-pipeline"
  detail_type = "BASIC"
  resource    = aws_codepipeline.prod.arn
  event_type_ids = [
    "codepipeline-pipeline-pipeline-execution-failed",
    "codepipeline-pipeline-pipeline-execution-superseded",
    "codepipeline-pipeline-stage-execution-failed",
  ]

  target {
    address = aws_sns_topic.approval.arn
  }

  depends_on = [aws_sns_topic_policy.notifications]
}
