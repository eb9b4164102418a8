output "json" {
  description = "The policy document, for source_policy_documents or a project's additional_policy_json."
  value       = data.aws_iam_policy_document.this.json
}
