output "policy_name" {
  description = "Name of the role's inline policy."
  value       = aws_iam_role_policy.this.name
}
