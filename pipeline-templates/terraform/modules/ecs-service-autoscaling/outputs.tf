output "scalable_target_arn" {
  description = "Application Auto Scaling target of the service, which ecs-scaling suspends and resumes."
  value       = aws_appautoscaling_target.service.arn
}
