//! Volumes and mounts: Docker volume configurations, host paths, EFS (transit encryption, IAM authorization, access points), `FSx`, tmpfs mount options and Linux capabilities.

use serde_json::Value;

use super::Task;
use crate::finding::Finding;

/// Every rule of this family that `document` breaks.
pub(super) fn check(document: &Value, task: &Task<'_>, findings: &mut Vec<Finding>) {
    let _ = (document, task, findings);
}
