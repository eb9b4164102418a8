//! `imagedefinitions.json`, the input of CodePipeline's ECS (rolling) deploy action.
//!
//! Rules (CodePipeline user guide, "Image definitions file reference" and "Quotas"): a UTF-8
//! JSON array of `{"name": container, "imageUri": image}` objects, key names exactly so, at
//! most 100 KB. `name` is matched against the container names of the service's task definition.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Checked, check_image, container_name_problem, decode_into, similar_key, type_name};
use crate::actions::ecs::MAX_IMAGE_DEFINITIONS_BYTES;
use crate::finding::Finding;
use crate::location::JsonPath;
use crate::tag_policy::TagPolicy;

/// One container-image pair.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ImageDefinition {
    /// The container name in the service's task definition.
    pub name: String,
    /// The image the container should run.
    #[serde(rename = "imageUri")]
    pub image_uri: String,
}

const KEYS: [&str; 2] = ["name", "imageUri"];

/// Renders the file: pretty JSON, entries in the given order, a trailing newline.
#[must_use]
pub fn render(definitions: &[ImageDefinition]) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(definitions).expect("strings always serialize");
    bytes.push(b'\n');
    bytes
}

/// Findings about one entry, located by field as a path from the entry (`$.name`, `$.imageUri`).
#[must_use]
pub fn check_definition(definition: &ImageDefinition, policy: TagPolicy) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(problem) = container_name_problem(&definition.name) {
        findings.push(
            Finding::error("invalid-container-name", problem).at(JsonPath::root().key("name")),
        );
    }
    let (_, image_findings) = check_image(&definition.image_uri, policy);
    findings.extend(
        image_findings
            .into_iter()
            .map(|finding| finding.at(JsonPath::root().key("imageUri"))),
    );
    findings
}

/// Findings about the list as a whole: duplicate names, located by entry index.
#[must_use]
pub fn check_unique_names(definitions: &[ImageDefinition]) -> Vec<(usize, Finding)> {
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    let mut findings = Vec::new();
    for (index, definition) in definitions.iter().enumerate() {
        if let Some(first) = first_seen.insert(&definition.name, index) {
            first_seen.insert(&definition.name, first);
            findings.push((
                index,
                Finding::error(
                    "duplicate-name",
                    format!(
                        "container `{}` is listed twice (entries {first} and {index})",
                        definition.name
                    ),
                )
                .help("list each container once; the action would apply only one of the images"),
            ));
        }
    }
    findings
}

/// Findings for names that are not containers of the task definition, by entry index.
#[must_use]
pub fn check_against_containers(
    definitions: &[ImageDefinition],
    containers: &[String],
) -> Vec<(usize, Finding)> {
    definitions
        .iter()
        .enumerate()
        .filter(|(_, definition)| !containers.contains(&definition.name))
        .map(|(index, definition)| {
            (
                index,
                Finding::error(
                    "unknown-container",
                    format!(
                        "container `{}` is not in the task definition; it has {}",
                        definition.name,
                        list_names(containers)
                    ),
                )
                .help("the deploy action fails with `The AWS ECS container … does not exist`: use one of those names"),
            )
        })
        .collect()
}

/// `` `a`, `b` `` for messages.
pub(crate) fn list_names(names: &[String]) -> String {
    if names.is_empty() {
        return "no containers".to_owned();
    }
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks an existing file exactly as the ECS action reads it.
#[must_use]
pub fn check(bytes: &[u8], policy: TagPolicy) -> Checked<Vec<ImageDefinition>> {
    let mut findings = Vec::new();
    if bytes.len() > MAX_IMAGE_DEFINITIONS_BYTES {
        findings.push(
            Finding::error(
                "too-large",
                format!(
                    "the file is {} bytes; the ECS action reads at most {MAX_IMAGE_DEFINITIONS_BYTES}",
                    bytes.len()
                ),
            )
            .at(JsonPath::root())
            .help("list only the containers whose image changes"),
        );
    }
    let Some(value) = decode_into(bytes, &mut findings) else {
        return Checked::failed(findings);
    };
    let Some(entries) = value.as_array() else {
        findings.push(wrong_shape(&value));
        return Checked::failed(findings);
    };
    if entries.is_empty() {
        findings.push(
            Finding::error("empty", "the array lists no containers")
                .at(JsonPath::root())
                .help("add `{\"name\": \"<container>\", \"imageUri\": \"<image>\"}`"),
        );
    }
    let mut definitions = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let at = JsonPath::root().index(index);
        if let Some(definition) = read_entry(entry, &at, &mut findings) {
            findings.extend(
                check_definition(&definition, policy)
                    .into_iter()
                    .map(|finding| relocate(finding, &at)),
            );
            definitions.push(definition);
        }
    }
    if definitions.len() == entries.len() {
        findings.extend(
            check_unique_names(&definitions)
                .into_iter()
                .map(|(index, finding)| finding.at(JsonPath::root().index(index).key("name"))),
        );
    }
    Checked {
        value: Some(definitions),
        findings,
    }
}

/// A finding of [`check_definition`], located in the entry at `prefix`.
fn relocate(finding: Finding, prefix: &JsonPath) -> Finding {
    let field = finding
        .location
        .as_ref()
        .and_then(|l| l.path().cloned())
        .unwrap_or_default();
    finding.at(prefix.join(&field))
}

fn wrong_shape(value: &Value) -> Finding {
    let keys: Vec<&str> = value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    if keys.iter().any(|key| key.eq_ignore_ascii_case("ImageURI")) && !keys.contains(&"name") {
        return Finding::error(
            "wrong-file",
            "this is an imageDetail.json (an object with `ImageURI`), which the Blue/Green action reads; \
             the ECS (rolling) action reads an array of `{\"name\", \"imageUri\"}`",
        )
        .at(JsonPath::root())
        .help("write imagedefinitions.json with `ecs-imagedefs NAME=IMAGE`, or give this file to the CodeDeployToECS action");
    }
    let finding = Finding::error(
        "wrong-shape",
        format!("the file holds {}, not an array", type_name(value)),
    )
    .at(JsonPath::root());
    if value.is_object() {
        finding.help("wrap the object in `[` `]`: the ECS action reads a list of containers")
    } else {
        finding.help("the file is `[{\"name\": \"<container>\", \"imageUri\": \"<image>\"}]`")
    }
}

fn read_entry(
    entry: &Value,
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) -> Option<ImageDefinition> {
    let Some(object) = entry.as_object() else {
        findings.push(
            Finding::error(
                "wrong-shape",
                format!("the entry is {}, not an object", type_name(entry)),
            )
            .at(at.clone()),
        );
        return None;
    };
    for key in object.keys().filter(|key| !KEYS.contains(&key.as_str())) {
        let key = &*crate::suggest::shown(key);
        match similar_key(key, &KEYS) {
            Some(meant) if !object.contains_key(meant) => findings.push(
                Finding::error(
                    "key-case",
                    format!("the key `{key}` is not read; the action reads `{meant}`"),
                )
                .at(at.key(key))
                .help(format!(
                    "rename `{key}` to `{meant}`: key names are case-sensitive"
                )),
            ),
            _ => findings.push(
                Finding::warning(
                    "unknown-key",
                    format!("the key `{key}` is not part of imagedefinitions.json and is ignored"),
                )
                .at(at.key(key)),
            ),
        }
    }
    let mut field = |key: &str| match object.get(key) {
        Some(Value::String(text)) => Some(text.clone()),
        Some(other) => {
            findings.push(
                Finding::error(
                    "wrong-type",
                    format!("`{key}` is {}, not a string", type_name(other)),
                )
                .at(at.key(key)),
            );
            None
        }
        None => {
            if !object.keys().any(|k| similar_key(k, &KEYS) == Some(key)) {
                findings.push(
                    Finding::error("missing-key", format!("the entry has no `{key}`"))
                        .at(at.clone()),
                );
            }
            None
        }
    };
    let name = field("name");
    let image_uri = field("imageUri");
    Some(ImageDefinition {
        name: name?,
        image_uri: image_uri?,
    })
}

#[cfg(test)]
mod tests;
