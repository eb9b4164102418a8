//! Task definitions, as `RegisterTaskDefinition` input or `DescribeTaskDefinition` output.

pub mod diff;
pub mod edit;
pub mod render;
pub mod rules;
pub mod shape;
pub mod source;

use serde_json::Value;

use crate::finding::Finding;
use crate::image_files::{decode_json, type_name};

/// The container names of a task definition in JSON, in order.
///
/// Accepts both shapes users have: register input (`{"family", "containerDefinitions"}`) and
/// describe output (`{"taskDefinition": {…}, "tags": […]}`).
pub fn container_names(bytes: &[u8]) -> Result<Vec<String>, Finding> {
    let (value, _) = decode_json(bytes)?;
    let (definition, prefix) = match value.get("taskDefinition") {
        Some(inner) if value.get("containerDefinitions").is_none() => (inner, "$.taskDefinition"),
        _ => (&value, "$"),
    };
    let containers = match definition.get("containerDefinitions") {
        Some(Value::Array(containers)) => containers,
        Some(other) => {
            return Err(Finding::error(
                "wrong-type",
                format!(
                    "`containerDefinitions` is {}, not an array",
                    type_name(other)
                ),
            )
            .at(format!("{prefix}.containerDefinitions")));
        }
        None => {
            return Err(Finding::error("missing-key", "this is not a task definition: it has no `containerDefinitions`")
                .at(prefix)
                .help("give a RegisterTaskDefinition input or the output of `aws ecs describe-task-definition`"));
        }
    };
    containers
        .iter()
        .enumerate()
        .map(|(index, container)| match container.get("name") {
            Some(Value::String(name)) => Ok(name.clone()),
            _ => Err(
                Finding::error("missing-key", "the container has no string `name`")
                    .at(format!("{prefix}.containerDefinitions[{index}]")),
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_register_input_and_describe_output() {
        let register =
            br#"{"family":"web","containerDefinitions":[{"name":"web"},{"name":"log-router"}]}"#;
        assert_eq!(container_names(register).unwrap(), ["web", "log-router"]);
        let describe = br#"{"taskDefinition":{"containerDefinitions":[{"name":"api"}]},"tags":[]}"#;
        assert_eq!(container_names(describe).unwrap(), ["api"]);
    }

    #[test]
    fn says_what_is_missing() {
        let error = container_names(br#"{"family":"web"}"#).unwrap_err();
        assert_eq!(error.rule, "missing-key");
        let error = container_names(br#"{"containerDefinitions":{}}"#).unwrap_err();
        assert_eq!(
            error.message,
            "`containerDefinitions` is an object, not an array"
        );
        let error = container_names(br#"{"containerDefinitions":[{"image":"x"}]}"#).unwrap_err();
        assert_eq!(error.location.as_deref(), Some("$.containerDefinitions[0]"));
        let error = container_names(b"{").unwrap_err();
        assert_eq!(error.rule, "invalid-json");
    }
}
