output "notification_rule_arn" {
  description = "ARN of the pipeline's notification rule."
  value       = aws_codestarnotifications_notification_rule.pipeline.arn
}
