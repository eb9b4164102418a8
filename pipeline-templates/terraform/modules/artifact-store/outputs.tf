output "kms_key_arn" {
  description = "ARN of the customer-managed key. Name it by ARN, never by alias, wherever another account uses it: aliases resolve only in the owning account."
  value       = aws_kms_key.pipeline.arn
}

output "kms_alias_name" {
  description = "Alias of the key (alias/<name>-pipeline)."
  value       = aws_kms_alias.pipeline.name
}

output "bucket_name" {
  description = "Name of the artifact bucket (the pipeline's artifact_store location)."
  value       = aws_s3_bucket.artifacts.bucket
}

output "bucket_arn" {
  description = "ARN of the artifact bucket."
  value       = aws_s3_bucket.artifacts.arn
}
