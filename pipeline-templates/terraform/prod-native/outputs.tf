output "pipeline_name" {
  description = "Name of the prod pipeline."
  value       = aws_codepipeline.prod.name
}

output "pipeline_url" {
  description = "Console page of the prod pipeline."
  value       = "https://${local.region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${aws_codepipeline.prod.name}/view?region=${local.region}"
}

output "pipeline_role_arn" {
  description = "CodePipeline service role."
  value       = module.roles.pipeline_role.arn
}

output "render_role_arn" {
  description = "Role of the render project."
  value       = module.roles.codebuild_roles[local.render_project_name].arn
}

output "promotion_role_arn" {
  description = "PromotionRole: the dev module's promotion_role_arn (PROMOTION_ROLE_ARN)."
  value       = module.repository.promotion_role_arn
}

output "render_project_name" {
  description = "Render project; its report group is <name>-checks."
  value       = module.render.project_name
}

output "artifact_bucket_name" {
  description = "Artifact store of the pipeline."
  value       = module.artifact_store.bucket_name
}

output "kms_key_arn" {
  description = "Customer-managed key of the artifact store, ECR repository, approval topic and log groups."
  value       = module.artifact_store.kms_key_arn
}

output "repository_url" {
  description = "Prod ECR repository, the replication destination."
  value       = module.repository.repository_url
}

output "repository_arn" {
  description = "Prod ECR repository ARN."
  value       = module.repository.arn
}

output "approval_topic_arn" {
  description = "SNS topic of the manual approval."
  value       = aws_sns_topic.approval.arn
}

output "cluster_name" {
  description = "ECS cluster of the prod service (CLUSTER_NAME)."
  value       = module.service_base.cluster_name
}

output "service_name" {
  description = "The prod ECS service (SERVICE_NAME)."
  value       = aws_ecs_service.app.name
}

output "load_balancer_dns_name" {
  description = "DNS name of the load balancer: production on 443, test on 8080."
  value       = aws_lb.this.dns_name
}

output "production_listener_rule_arn" {
  description = "Production listener rule whose weights ECS shifts."
  value       = aws_lb_listener_rule.weighted["production"].arn
}

output "test_listener_rule_arn" {
  description = "Test listener rule whose weights ECS shifts."
  value       = aws_lb_listener_rule.weighted["test"].arn
}

output "ecs_infrastructure_role_arn" {
  description = "Role ECS assumes to shift traffic between the target groups."
  value       = aws_iam_role.ecs_infrastructure.arn
}

output "hook_invoke_role_arn" {
  description = "Role ECS assumes to invoke the smoke-test hook."
  value       = aws_iam_role.hook_invoke.arn
}

output "smoke_test_function_arn" {
  description = "The POST_TEST_TRAFFIC_SHIFT lifecycle hook."
  value       = aws_lambda_function.smoke_test.arn
}

output "task_role_arn" {
  description = "Task role (<family>-task) that taskdef.template.json names."
  value       = module.service_base.task_role_arn
}

output "task_execution_role_arn" {
  description = "Execution role (<family>-execution) that taskdef.template.json names."
  value       = module.service_base.task_execution_role_arn
}

output "scalable_target_arn" {
  description = "Application Auto Scaling target of the service."
  value       = module.autoscaling.scalable_target_arn
}
