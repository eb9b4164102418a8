# The ARNs are spelled out from the names instead of read from the roles, so that they are
# known at plan time (the key policy shows them) and checkov, which evaluates a module's
# variables only at the end of the chain of everything passed to it, can follow them into the
# modules that use them. depends_on keeps every user after the roles, as a reference would.

output "pipeline_role" {
  description = "The pipeline's service role (name, arn): the pipeline's role_arn, and the role modules/pipeline-policy gives its permissions."
  value       = { name = local.pipeline_role_name, arn = "${local.role_arn_prefix}${local.pipeline_role_name}" }
  depends_on  = [aws_iam_role.this]
}

output "codebuild_roles" {
  description = "Role (name, arn) of each CodeBuild project, by project name: the role modules/codebuild-project gives the project's permissions."
  value       = { for name in var.codebuild_project_names : name => { name = name, arn = "${local.role_arn_prefix}${name}" } }
  depends_on  = [aws_iam_role.this]
}

output "arns" {
  description = "Every role, the pipeline's first and then the projects' in the order given: the principals the artifact store's key policy names."
  value       = [for name in concat([local.pipeline_role_name], var.codebuild_project_names) : "${local.role_arn_prefix}${name}"]
  depends_on  = [aws_iam_role.this]
}
