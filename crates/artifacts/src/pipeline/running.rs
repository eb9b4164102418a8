//! What runs where: the rows and notices of `ecs-pipeline status --service`, from a snapshot of
//! each service (its deployments, the task definitions they name, the images its running tasks
//! pulled). Pure, so every rule is tested without a network.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use crate::image_reference::ImageReference;
use crate::task_definition::edit::{BUILD_ID_TAG, REVISION_LABEL};

/// One container of the task definition a service runs, with where it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunningRow {
    /// The environment the service was labelled with (`--service prod=CLUSTER/SERVICE`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// `CLUSTER/SERVICE` as given.
    pub service: String,
    /// The PRIMARY deployment's task definition, `family:revision`.
    pub task_definition: String,
    /// The container name.
    pub container: String,
    /// The image digest the running tasks pulled, else the digest the reference pins, else the
    /// image reference itself.
    pub image: String,
    /// The commit stamped as `org.opencontainers.image.revision` (container label, else the
    /// task definition's tag).
    pub commit: Option<String>,
    /// The build stamped in the `codebuild-build-id` tag.
    pub build: Option<String>,
    /// When the PRIMARY deployment was created, RFC 3339.
    pub since: Option<String>,
    /// The pipeline execution whose action ran the stamped build, when pipelines were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution: Option<String>,
}

/// A container of a task definition, as `DescribeTaskDefinition` (with tags) describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefinedContainer {
    /// The container name.
    pub name: String,
    /// The image reference.
    pub image: String,
    /// The commit label, or the task definition's commit tag.
    pub commit: Option<String>,
}

/// The containers and build of a `{"taskDefinition": …, "tags": […]}` document, as the kit
/// stamps them (`docs/programs/ecs-taskdef.md`, provenance).
#[must_use]
pub fn provenance(described: &Value) -> (Vec<DefinedContainer>, Option<String>) {
    let tag = |key: &str| {
        described["tags"].as_array().and_then(|tags| {
            tags.iter()
                .find(|tag| tag["key"] == key)
                .and_then(|tag| tag["value"].as_str())
                .map(str::to_owned)
        })
    };
    let commit_tag = tag(REVISION_LABEL);
    let containers = described["taskDefinition"]["containerDefinitions"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|container| DefinedContainer {
            name: text(&container["name"]),
            image: text(&container["image"]),
            commit: container["dockerLabels"][REVISION_LABEL]
                .as_str()
                .map(str::to_owned)
                .or_else(|| commit_tag.clone()),
        })
        .collect();
    (containers, tag(BUILD_ID_TAG))
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

pub use crate::task_definition::prune::short as short_task_definition;

/// How an image is known: the digests the running tasks report for it, in order and without
/// repeats, else the digest its reference pins, else the reference.
#[must_use]
pub fn identity(reference: &str, pulled: &[String]) -> String {
    let mut seen = BTreeSet::new();
    let pulled: Vec<&str> = pulled
        .iter()
        .map(String::as_str)
        .filter(|digest| seen.insert(*digest))
        .collect();
    if !pulled.is_empty() {
        return pulled.join(", ");
    }
    ImageReference::parse(reference)
        .ok()
        .and_then(|parsed| parsed.digest().map(|digest| digest.to_string()))
        .unwrap_or_else(|| reference.to_owned())
}

/// What one service deploys, for [`only_in`]: the service, and per container name the image
/// identities of its PRIMARY deployment (`running`) and of all its deployments (`deployed`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deployed {
    /// `CLUSTER/SERVICE`.
    pub service: String,
    /// The environment it was labelled with; labelled services are compared only with the
    /// environments named before theirs.
    pub environment: Option<String>,
    /// `(container, image)` of the PRIMARY deployment.
    pub running: Vec<(String, String)>,
    /// `(container, image)` of every deployment the service still lists.
    pub deployed: Vec<(String, String)>,
}

/// A notice for every image one service runs that another service has a container of the same
/// name for, but in none of its deployments: what runs in prod that never went through dev. ECS
/// keeps no history beyond the deployments it lists, so that is the horizon.
///
/// Unlabelled services are compared each with every other. Labelled ones (dev, then prod) are
/// compared only with the services of the environments named before theirs, which is the way
/// images are promoted: dev running something newer than prod is no news.
#[must_use]
pub fn only_in(services: &[Deployed]) -> Vec<String> {
    let mut order: Vec<&str> = Vec::new();
    for name in services.iter().filter_map(|s| s.environment.as_deref()) {
        if !order.contains(&name) {
            order.push(name);
        }
    }
    let mut notices = Vec::new();
    for one in services {
        // The groups `one` is compared with: each other service alone, or when labelled, each
        // environment named before its own, all of its services together.
        let groups: Vec<(Vec<&Deployed>, Option<&str>)> = match &one.environment {
            Some(mine) => order
                .iter()
                .take_while(|name| *name != mine)
                .map(|name| {
                    let members = services
                        .iter()
                        .filter(|other| other.environment.as_deref() == Some(*name))
                        .collect();
                    (members, Some(*name))
                })
                .collect(),
            None => services
                .iter()
                .filter(|other| other.service != one.service)
                .map(|other| (vec![other], None))
                .collect(),
        };
        for (members, environment) in groups {
            let deployed = || members.iter().flat_map(|other| &other.deployed);
            for (container, image) in &one.running {
                let has_container = deployed().any(|(name, _)| name == container);
                let has_image =
                    deployed().any(|(name, deployed)| name == container && deployed == image);
                if has_container && !has_image {
                    let names: Vec<&str> = members.iter().map(|m| m.service.as_str()).collect();
                    let never = environment
                        .map(|name| format!(" (never in {name})"))
                        .unwrap_or_default();
                    notices.push(format!(
                        "container `{container}` of {} runs {image}, which is in none of the \
                         deployments of {}{never}",
                        one.service,
                        names.join(", ")
                    ));
                }
            }
        }
    }
    notices
}

/// Renders `rows` as aligned columns under a header; an unknown value is `-`. The ENVIRONMENT
/// and EXECUTION columns appear only when some row has one.
#[must_use]
pub fn render_running(rows: &[RunningRow]) -> String {
    type Cell = fn(&RunningRow) -> Option<String>;
    let or_dash = |value: Option<&String>| value.map_or_else(|| "-".to_owned(), Clone::clone);
    let mut columns: Vec<(&str, Cell)> = Vec::new();
    if rows.iter().any(|row| row.environment.is_some()) {
        columns.push(("ENVIRONMENT", |row| row.environment.clone()));
    }
    columns.extend([
        ("SERVICE", (|row| Some(row.service.clone())) as Cell),
        ("TASK DEFINITION", |row| Some(row.task_definition.clone())),
        ("CONTAINER", |row| Some(row.container.clone())),
        ("IMAGE", |row| Some(row.image.clone())),
        ("COMMIT", |row| row.commit.clone()),
        ("BUILD", |row| row.build.clone()),
    ]);
    if rows.iter().any(|row| row.execution.is_some()) {
        columns.push(("EXECUTION", |row| row.execution.clone()));
    }
    columns.push(("SINCE", |row| row.since.clone()));
    let header: Vec<String> = columns.iter().map(|(name, _)| (*name).to_owned()).collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|(_, cell)| or_dash(cell(row).as_ref()))
                .collect()
        })
        .collect();
    let mut widths = vec![0_usize; columns.len()];
    for line in std::iter::once(&header).chain(&cells) {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for line in std::iter::once(&header).chain(&cells) {
        let padded: Vec<String> = widths
            .iter()
            .zip(line)
            .map(|(width, cell)| format!("{cell:<width$}"))
            .collect();
        out.push_str(padded.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests;
