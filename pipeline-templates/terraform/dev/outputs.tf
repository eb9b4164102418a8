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
  value       = aws_iam_role.pipeline.arn
}

output "build_role_arn" {
  description = "Role of the build project."
  value       = aws_iam_role.build.arn
}

output "promote_role_arn" {
  description = "Role of the promote project: the prod module's dev_promote_role_arn."
  value       = aws_iam_role.promote.arn
}

output "build_project_name" {
  description = "Build project; its report group is <name>-checks."
  value       = aws_codebuild_project.build.name
}

output "promote_project_name" {
  description = "Promote project; its report group is <name>-checks."
  value       = aws_codebuild_project.promote.name
}

output "artifact_bucket_name" {
  description = "Artifact store of the pipeline."
  value       = aws_s3_bucket.artifacts.bucket
}

output "kms_key_arn" {
  description = "Customer-managed key of the artifact store, the ECR repository and the log groups."
  value       = aws_kms_key.pipeline.arn
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
  value       = aws_ecs_cluster.this.name
}

output "service_name" {
  description = "The dev ECS service."
  value       = aws_ecs_service.app.name
}

output "task_role_arn" {
  description = "Task role (<family>-task) that taskdef.template.json names."
  value       = aws_iam_role.task.arn
}

output "task_execution_role_arn" {
  description = "Execution role (<family>-execution) that taskdef.template.json names."
  value       = aws_iam_role.task_execution.arn
}
