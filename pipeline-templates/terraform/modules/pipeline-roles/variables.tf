variable "pipeline_name" {
  description = "Name of the pipeline, the only one that may assume the pipeline role <pipeline_name>-pipeline."
  type        = string

  validation {
    # The role's name adds "-pipeline" (9 characters) and stops at 64.
    condition     = can(regex("^[A-Za-z0-9.@_-]{1,55}$", var.pipeline_name))
    error_message = "pipeline_name must be 1 to 55 letters, digits or . @ _ -."
  }
}

variable "codebuild_project_names" {
  description = "The pipeline's CodeBuild projects; each gets a role of the same name, which only that project may assume."
  type        = list(string)

  validation {
    condition     = length(var.codebuild_project_names) > 0 && alltrue([for name in var.codebuild_project_names : can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$", name))])
    error_message = "codebuild_project_names must be one or more project names of 2 to 64 letters, digits, hyphens or underscores."
  }

  validation {
    condition     = length(distinct(var.codebuild_project_names)) == length(var.codebuild_project_names)
    error_message = "codebuild_project_names must not repeat a name."
  }

  validation {
    condition     = !contains(var.codebuild_project_names, "${var.pipeline_name}-pipeline")
    error_message = "No project may be named <pipeline_name>-pipeline, the pipeline role's name."
  }
}
