# Failure notifications of the pipeline (modules/notifications); subscribe the team to the topic.
# Failures go to the approval topic, which the team already follows.

module "notifications" {
  source = "../modules/notifications"

  name         = "${local.prefix}-pipeline"
  pipeline_arn = aws_codepipeline.prod.arn
  topic_arn    = aws_sns_topic.approval.arn
}

# The same resources, now in the module: a plan moves them rather than replacing them.
moved {
  from = aws_sns_topic_policy.notifications
  to   = module.notifications.aws_sns_topic_policy.this
}

moved {
  from = aws_codestarnotifications_notification_rule.pipeline
  to   = module.notifications.aws_codestarnotifications_notification_rule.pipeline
}
