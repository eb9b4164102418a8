//! Edits to a task definition, each aimed at one container by name or at the task.
//!
//! Every edit works on the parsed document, never on text, and changes only what it names:
//! environment variables and secrets merge by name (the default) instead of replacing the
//! list, empty values stay empty, and members the edits do not name are left as written.

mod container;
mod pointer;

use serde_json::{Map, Value};

use crate::finding::Finding;
use crate::location::JsonPath;
use crate::placeholder::ImagePlaceholder;
use crate::secrets::{shown, without_userinfo};

pub use pointer::{PointerError, set_pointer};

/// What to do to one container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContainerEdit {
    /// Set `image` to a reference or an explicit `<IMAGEn_NAME>` placeholder.
    Image(String),
    /// Set `image` to the next free `<IMAGEn_NAME>` placeholder.
    Placeholder,
    /// Drop every existing `environment` entry before the `Env` edits apply.
    ReplaceEnvironment,
    /// Set one environment variable, replacing an entry of the same name.
    Env { name: String, value: String },
    /// Remove one environment variable.
    UnsetEnv(String),
    /// Add an `environmentFiles` entry (`type: s3`).
    EnvironmentFile(String),
    /// Set one secret, replacing an entry of the same name.
    Secret { name: String, value_from: String },
    /// Set `logConfiguration.logDriver`.
    LogDriver(String),
    /// Set one `logConfiguration.options` entry.
    LogOption { name: String, value: String },
    /// Set one `dockerLabels` entry.
    DockerLabel { name: String, value: String },
    /// Set `command`.
    Command(Vec<String>),
    /// Set `entryPoint`.
    EntryPoint(Vec<String>),
}

/// Where the running task came from: stamped as OCI labels on the containers and as tags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    /// The commit (`CODEBUILD_RESOLVED_SOURCE_VERSION`).
    pub revision: Option<String>,
    /// The source repository URL (`CODEBUILD_SOURCE_REPO_URL`). Stamped without its user
    /// information: a checkout may have put a token there.
    pub source: Option<String>,
    /// The build (`CODEBUILD_BUILD_ID`).
    pub build_id: Option<String>,
}

/// The OCI annotation keys (image-spec `annotations.md`), which `docker inspect` users know.
pub const REVISION_LABEL: &str = "org.opencontainers.image.revision";
/// See [`REVISION_LABEL`].
pub const SOURCE_LABEL: &str = "org.opencontainers.image.source";
/// The task-definition tag that carries the build id.
pub const BUILD_ID_TAG: &str = "codebuild-build-id";

/// All the edits of one run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Edits {
    /// Container edits in the order given.
    pub containers: Vec<(String, ContainerEdit)>,
    /// `taskRoleArn`: an ARN or a role name (ECS accepts both).
    pub task_role: Option<String>,
    /// `executionRoleArn`: an ARN or a role name.
    pub execution_role: Option<String>,
    /// Task-level `cpu`, as ECS wants it: a string.
    pub cpu: Option<String>,
    /// Task-level `memory`, a string.
    pub memory: Option<String>,
    /// Task-definition tags, merged by key.
    pub tags: Vec<(String, String)>,
    /// Provenance labels and tags.
    pub provenance: Provenance,
}

/// What the edits did that the caller reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// `(n, container)` for every `<IMAGEn_NAME>` placeholder, by `n`: the action's
    /// `Image<n>ContainerName` settings.
    pub placeholders: Vec<(ImagePlaceholder, String)>,
}

/// Applies `edits` to a register-input document. Fails, naming the containers that exist,
/// when an edit names a container the document does not have.
pub fn apply(document: &mut Value, edits: &Edits) -> Result<Applied, Vec<Finding>> {
    let names = container_names(document);
    let unknown: Vec<Finding> = edits
        .containers
        .iter()
        .filter(|(name, _)| !names.contains(name))
        .map(|(name, _)| unknown_container(name, &names))
        .collect();
    if !unknown.is_empty() {
        return Err(dedup(unknown));
    }
    let Some(object) = document.as_object_mut() else {
        return Err(vec![
            Finding::error("wrong-shape", "the task definition is not a JSON object")
                .at(JsonPath::root()),
        ]);
    };
    set_string(object, "taskRoleArn", edits.task_role.as_ref());
    set_string(object, "executionRoleArn", edits.execution_role.as_ref());
    set_string(object, "cpu", edits.cpu.as_ref());
    set_string(object, "memory", edits.memory.as_ref());
    let mut tags = edits.tags.clone();
    if let Some(revision) = &edits.provenance.revision {
        tags.push((REVISION_LABEL.to_owned(), revision.clone()));
    }
    if let Some(source) = &edits.provenance.source {
        tags.push((
            SOURCE_LABEL.to_owned(),
            without_userinfo(source).into_owned(),
        ));
    }
    if let Some(build_id) = &edits.provenance.build_id {
        tags.push((BUILD_ID_TAG.to_owned(), build_id.clone()));
    }
    merge_tags(object, &tags);
    let containers = object
        .get_mut("containerDefinitions")
        .and_then(Value::as_array_mut);
    let containers = containers.map(Vec::as_mut_slice).unwrap_or_default();
    container::apply_all(containers, &edits.containers, &edits.provenance)
}

fn set_string(object: &mut Map<String, Value>, key: &str, value: Option<&String>) {
    if let Some(value) = value {
        object.insert(key.to_owned(), Value::String(value.clone()));
    }
}

/// Tags are `[{"key": …, "value": …}]`; a key given again replaces the value in place.
fn merge_tags(object: &mut Map<String, Value>, tags: &[(String, String)]) {
    if tags.is_empty() {
        return;
    }
    let list = object
        .entry("tags")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !list.is_array() {
        return;
    }
    let list = list.as_array_mut().expect("checked above");
    for (key, value) in tags {
        let entry = serde_json::json!({ "key": key, "value": value });
        match list
            .iter_mut()
            .find(|tag| tag.get("key").and_then(Value::as_str) == Some(key))
        {
            Some(existing) => *existing = entry,
            None => list.push(entry),
        }
    }
}

/// The container names, in order.
#[must_use]
pub fn container_names(document: &Value) -> Vec<String> {
    document
        .get("containerDefinitions")
        .and_then(Value::as_array)
        .map(|containers| {
            containers
                .iter()
                .filter_map(|c| c.get("name").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn unknown_container(name: &str, names: &[String]) -> Finding {
    let listed: Vec<String> = names.iter().map(|n| format!("`{}`", shown(n))).collect();
    Finding::error(
        "unknown-container",
        format!(
            "container `{}` is not in the task definition; it has {}",
            shown(name),
            listed.join(", ")
        ),
    )
    .help("name one of those containers")
}

fn dedup(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.dedup_by(|a, b| a.message == b.message);
    findings
}

#[cfg(test)]
mod tests;
