//! Task definitions, as `RegisterTaskDefinition` input or `DescribeTaskDefinition` output.

pub mod diff;
pub mod edit;
pub mod prune;
pub mod render;
pub mod rules;
pub mod shape;
pub mod source;

use serde_json::Value;

use crate::finding::Finding;
use crate::image_files::{decode_json, type_name};
use crate::location::JsonPath;

/// The container names of a task definition in JSON, in order.
///
/// Accepts both shapes users have: register input (`{"family", "containerDefinitions"}`) and
/// describe output (`{"taskDefinition": {…}, "tags": […]}`).
pub fn container_names(bytes: &[u8]) -> Result<Vec<String>, Finding> {
    let (value, _) = decode_json(bytes)?;
    let (definition, prefix) = match value.get("taskDefinition") {
        Some(inner) if value.get("containerDefinitions").is_none() => {
            (inner, JsonPath::root().key("taskDefinition"))
        }
        _ => (&value, JsonPath::root()),
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
            .at(prefix.key("containerDefinitions")));
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
                    .at(prefix.key("containerDefinitions").index(index)),
            ),
        })
        .collect()
}

/// Reads a task definition that another file is checked against (`--taskdef`): register
/// input or describe output, JSON or YAML, turned into register input. Only what the reader
/// needs is judged, but judged strictly: a document `RegisterTaskDefinition` would refuse for
/// its shape (the API model), or one without containers, is the first error found, never a
/// source of container names. Its other rules are `ecs-taskdef check`'s.
pub fn read_referenced(bytes: &[u8], format: source::SourceFormat) -> Result<Value, Finding> {
    let first_error = |findings: Vec<Finding>| {
        findings
            .into_iter()
            .find(Finding::is_error)
            .unwrap_or_else(|| {
                Finding::error("invalid-file", "the file cannot be read").at(JsonPath::root())
            })
    };
    let (document, _) = render::read(bytes, format).map_err(first_error)?;
    if document.get("containerDefinitions").is_none() {
        return Err(Finding::error(
            "missing-key",
            "this is not a task definition: it has no `containerDefinitions`",
        )
        .at(JsonPath::root())
        .help("give a RegisterTaskDefinition input or the output of `aws ecs describe-task-definition`"));
    }
    let structural: Vec<Finding> = shape::check_structure(&document);
    if structural.iter().any(Finding::is_error) {
        return Err(first_error(structural));
    }
    if document["containerDefinitions"]
        .as_array()
        .is_some_and(Vec::is_empty)
    {
        return Err(
            Finding::error("container-count", "the task definition has no containers")
                .at(JsonPath::root().key("containerDefinitions"))
                .help("add the service's container to `containerDefinitions`"),
        );
    }
    Ok(document)
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
        assert_eq!(error.location_str(), Some("$.containerDefinitions[0]"));
        let error = container_names(b"{").unwrap_err();
        assert_eq!(error.rule, "invalid-json");
    }

    #[test]
    fn a_referenced_definition_must_have_a_valid_shape() {
        let read = |text: &str| read_referenced(text.as_bytes(), source::SourceFormat::Json);
        let good = r#"{"family":"web","containerDefinitions":[{"name":"web","image":"a/b:1"}]}"#;
        assert!(read(good).is_ok());
        let error = read(r#"{"family":"web","containerDefinitions":[{"name":"web","image":[1]}]}"#)
            .unwrap_err();
        assert_eq!(
            error.location_str(),
            Some("$.containerDefinitions[0].image")
        );
        let error = read(r#"{"family":"web","containerDefinitions":[]}"#).unwrap_err();
        assert_eq!(error.location_str(), Some("$.containerDefinitions"));
        assert_eq!(read("null").unwrap_err().location_str(), Some("$"));
    }
}
