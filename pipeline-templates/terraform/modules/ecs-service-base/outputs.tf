output "cluster_id" {
  description = "ID (ARN) of the cluster, for the service's cluster."
  value       = aws_ecs_cluster.this.id
}

output "cluster_name" {
  description = "Name of the cluster."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the cluster."
  value       = aws_ecs_cluster.this.arn
}

output "task_definition_arn" {
  description = "The bootstrap task definition, which the service is created with."
  value       = aws_ecs_task_definition.bootstrap.arn
}

output "task_role_arn" {
  description = "Task role (<name>-task)."
  value       = aws_iam_role.task.arn
}

output "task_execution_role_arn" {
  description = "Execution role (<name>-execution)."
  value       = aws_iam_role.task_execution.arn
}

output "security_group_id" {
  description = "Security group of the tasks: HTTPS out; the caller adds who may reach container_port."
  value       = aws_security_group.service.id
}

output "log_group_name" {
  description = "Log group of the application (/ecs/<name>)."
  value       = aws_cloudwatch_log_group.app.name
}
