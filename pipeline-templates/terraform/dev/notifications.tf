# Failure notifications of the pipeline (modules/notifications); subscribe the team to the topic.

resource "aws_sns_topic" "notifications" {
  name              = "${local.prefix}-notifications"
  kms_master_key_id = module.artifact_store.kms_key_arn
}

module "notifications" {
  source = "../modules/notifications"

  name         = "${local.prefix}-pipeline"
  pipeline_arn = aws_codepipeline.dev.arn
  topic_arn    = aws_sns_topic.notifications.arn
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
