//! When the task execution role is required: private ECR images and awslogs on Fargate, secrets, private registry credentials, environment files, log secret options.

use serde_json::Value;

use super::Task;
use crate::finding::Finding;

/// Every rule of this family that `document` breaks.
pub(super) fn check(document: &Value, task: &Task<'_>, findings: &mut Vec<Finding>) {
    let _ = (document, task, findings);
}
