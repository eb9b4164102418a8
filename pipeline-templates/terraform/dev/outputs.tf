output "pipeline_name" {
  description = "Name of the dev pipeline."
  value       = aws_codepipeline.dev.name
}

output "pipeline_url" {
  description = "Console page of the dev pipeline."
  value       = "https://${local.region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${aws_codepipeline.dev.name}/view?region=${local.region}"
}

output "pipeline_role_arn" {
  description = "CodePipeline service role."
  value       = module.roles.pipeline_role.arn
}

output "build_role_arn" {
  description = "Role of the build project."
  value       = module.roles.codebuild_roles[local.build_project_name].arn
}

output "promote_role_arn" {
  description = "Role of the promote project: the prod module's dev_promote_role_arn."
  value       = module.roles.codebuild_roles[local.promote_project_name].arn
}

output "build_project_name" {
  description = "Build project; its report group is <name>-checks."
  value       = module.build.project_name
}

output "test_project_name" {
  description = "Test project, between the dev deploy and the promotion."
  value       = module.test.project_name
}

output "promote_project_name" {
  description = "Promote project; its report group is <name>-checks."
  value       = module.promote.project_name
}

output "artifact_bucket_name" {
  description = "Artifact store of the pipeline."
  value       = module.artifact_store.bucket_name
}

output "kms_key_arn" {
  description = "Customer-managed key of the artifact store, the ECR repository and the log groups."
  value       = module.artifact_store.kms_key_arn
}

output "repository_url" {
  description = "Dev ECR repository (REPOSITORY_URI)."
  value       = aws_ecr_repository.app.repository_url
}

output "repository_arn" {
  description = "Dev ECR repository ARN."
  value       = aws_ecr_repository.app.arn
}

output "cluster_name" {
  description = "ECS cluster of the dev service."
  value       = module.service_base.cluster_name
}

output "service_name" {
  description = "The dev ECS service."
  value       = aws_ecs_service.app.name
}

output "task_role_arn" {
  description = "Task role (<family>-task) that taskdef.template.json names."
  value       = module.service_base.task_role_arn
}

output "task_execution_role_arn" {
  description = "Execution role (<family>-execution) that taskdef.template.json names."
  value       = module.service_base.task_execution_role_arn
}

output "notifications_topic_arn" {
  description = "SNS topic of the pipeline's failure notifications; subscribe the team to it."
  value       = aws_sns_topic.notifications.arn
}
