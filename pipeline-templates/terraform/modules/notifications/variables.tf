variable "name" {
  description = "Name of the notification rule."
  type        = string
}

variable "pipeline_arn" {
  description = "The pipeline whose failed and superseded executions and failed stages are published."
  type        = string
}

variable "topic_arn" {
  description = "SNS topic the rule publishes to. Its topic policy is this module's: a topic has one."
  type        = string
}
