variable "cluster_name" {
  description = "Cluster of the service."
  type        = string
}

variable "service_name" {
  description = "The ECS service whose desired count is scaled. Pass the service resource's name so that the target is registered after the service exists."
  type        = string
}

variable "policy_name" {
  description = "Name of the CPU target-tracking policy."
  type        = string
}

variable "min_capacity" {
  description = "Fewest tasks Application Auto Scaling keeps."
  type        = number
}

variable "max_capacity" {
  description = "Most tasks Application Auto Scaling starts."
  type        = number
}

variable "cpu_target_percent" {
  description = "Average CPU utilisation the service is scaled to."
  type        = number
}
