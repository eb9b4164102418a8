output "name" {
  description = "The repository name."
  value       = aws_ecr_repository.app.name
}

output "arn" {
  description = "The repository ARN."
  value       = aws_ecr_repository.app.arn
}

output "repository_url" {
  description = "The repository URI, ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME."
  value       = aws_ecr_repository.app.repository_url
}

output "promotion_role_arn" {
  description = "The role the dev promote step assumes (its PROMOTION_ROLE_ARN)."
  value       = aws_iam_role.promotion.arn
}
