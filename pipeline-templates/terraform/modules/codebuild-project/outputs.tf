output "project_name" {
  description = "Name of the project (the CodeBuild action's ProjectName)."
  value       = aws_codebuild_project.this.name
}

output "project_arn" {
  description = "ARN of the project, which the pipeline role may start."
  value       = aws_codebuild_project.this.arn
}

output "log_group_name" {
  description = "Log group of the builds."
  value       = aws_cloudwatch_log_group.this.name
}

output "report_group_arn" {
  description = "Report group of the buildspec's `reports: checks:`."
  value       = aws_codebuild_report_group.this.arn
}
