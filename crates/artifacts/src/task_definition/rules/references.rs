//! References between the parts of a task definition: `dependsOn`, `volumesFrom`, `links` and `mountPoints` naming containers and volumes that exist, dependency conditions, FireLens log routers and their users, the App Mesh proxy configuration.

mod cycles;
mod firelens;
mod proxy;

use std::collections::HashMap;

use serde_json::Value;

use super::{Container, Task};
use crate::finding::Finding;

/// Every rule of this family that `document` breaks.
pub(super) fn check(document: &Value, task: &Task<'_>, findings: &mut Vec<Finding>) {
    let containers = containers(document);
    let names = Names::new(&containers);
    for container in &containers {
        check_dependencies(container, &names, findings);
        check_volumes_from(container, &names, findings);
        check_links(task, container, &names, findings);
    }
    check_mount_points(document, &containers, findings);
    cycles::check(&containers, &names, findings);
    // ECS's default network mode on Linux EC2 instances is `bridge`.
    let bridge = task
        .network_mode
        .map_or(!task.fargate && !task.windows, |mode| mode == "bridge");
    firelens::check(&containers, bridge, findings);
    proxy::check(document, &names, findings);
}

/// The entries of `containerDefinitions` that are objects.
pub(super) fn containers(document: &Value) -> Vec<Container<'_>> {
    match document.get("containerDefinitions") {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| match item {
                Value::Object(fields) => Some(Container::new(index, fields)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The containers by name; a repeated name keeps its first container (`duplicate-container`
/// reports the repeat).
pub(super) struct Names<'c, 'a> {
    by_name: HashMap<&'a str, &'c Container<'a>>,
    /// In task order, for messages.
    listed: Vec<&'a str>,
}

impl<'c, 'a> Names<'c, 'a> {
    fn new(containers: &'c [Container<'a>]) -> Self {
        let mut by_name = HashMap::new();
        let mut listed = Vec::new();
        for container in containers {
            if let Some(name) = container.name
                && !by_name.contains_key(name)
            {
                by_name.insert(name, container);
                listed.push(name);
            }
        }
        Self { by_name, listed }
    }

    pub(super) fn get(&self, name: &str) -> Option<&'c Container<'a>> {
        self.by_name.get(name).copied()
    }

    /// The help for a name that is not a container: the names there are.
    pub(super) fn choose(&self) -> String {
        let quoted: Vec<String> = self.listed.iter().map(|name| format!("`{name}`")).collect();
        if quoted.is_empty() {
            "name the container the reference means".to_owned()
        } else {
            format!(
                "use one of the task's containers: {}",
                super::or_list(&quoted)
            )
        }
    }
}

/// Whether ECS treats the container as essential: `essential` defaults to true
/// (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html>).
/// `None` for a value of the wrong type, which is the `shape` check's finding.
fn is_essential(container: &Container<'_>) -> Option<bool> {
    match container.get("essential") {
        None => Some(true),
        Some(Value::Bool(essential)) => Some(*essential),
        Some(_) => None,
    }
}

/// `dependsOn`: the container exists; COMPLETE and SUCCESS name a non-essential container;
/// HEALTHY names a container with a health check.
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html>
fn check_dependencies(
    container: &Container<'_>,
    names: &Names<'_, '_>,
    findings: &mut Vec<Finding>,
) {
    for (index, dependency) in container.list("dependsOn").iter().enumerate() {
        let at = container.path().key("dependsOn").index(index);
        let Some(target) = dependency.get("containerName").and_then(Value::as_str) else {
            continue;
        };
        let Some(other) = names.get(target) else {
            // ECS refuses it: `Cannot depend on container + '<name>' because it does not exist`.
            findings.push(
                Finding::error(
                    "depends-on-missing",
                    format!(
                        "{container} depends on `{target}`, which is not a container of this task definition"
                    ),
                )
                .at(at.key("containerName"))
                .help(names.choose()),
            );
            continue;
        };
        match dependency.get("condition").and_then(Value::as_str) {
            // ECS refuses it: `A dependency container with SUCCESS or COMPLETE condition cannot
            // be an essential container`.
            Some(condition @ ("COMPLETE" | "SUCCESS")) if is_essential(other) == Some(true) => findings.push(
                Finding::error(
                    "depends-on-essential",
                    format!(
                        "{container} waits for {other} to {condition}, but {other} is essential; \
                         the COMPLETE and SUCCESS conditions can't name an essential container"
                    ),
                )
                .at(at.key("condition"))
                .help(format!(
                    "set `\"essential\": false` on {other}, or wait for it with START or HEALTHY"
                )),
            ),
            Some("HEALTHY") if other.get("healthCheck").is_none() => findings.push(
                Finding::error(
                    "depends-on-health-check",
                    format!(
                        "{container} waits for {other} to be HEALTHY, but {other} has no `healthCheck`"
                    ),
                )
                .at(at.key("condition"))
                .help(format!(
                    "add a `healthCheck` to {other}, or wait for it with the START condition"
                )),
            ),
            _ => {}
        }
    }
}

/// `volumesFrom[].sourceContainer` names "another container within the same task definition".
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_VolumeFrom.html>
fn check_volumes_from(
    container: &Container<'_>,
    names: &Names<'_, '_>,
    findings: &mut Vec<Finding>,
) {
    for (index, entry) in container.list("volumesFrom").iter().enumerate() {
        let Some(source) = entry.get("sourceContainer").and_then(Value::as_str) else {
            continue;
        };
        if names.get(source).is_none() {
            findings.push(
                Finding::error(
                    "volumes-from-missing",
                    format!(
                        "{container} mounts the volumes of `{source}`, which is not a container of this task definition"
                    ),
                )
                .at(container.path().key("volumesFrom").index(index).key("sourceContainer"))
                .help(names.choose()),
            );
        }
    }
}

/// The container a `links` entry (`name:internalName`) names.
pub(super) fn link_target(link: &str) -> &str {
    link.split_once(':').map_or(link, |(name, _)| name)
}

/// `links`: each `name:internalName` names a container of the task.
/// Source: `links` in
/// <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html>
fn check_links(
    task: &Task<'_>,
    container: &Container<'_>,
    names: &Names<'_, '_>,
    findings: &mut Vec<Finding>,
) {
    let links = container.list("links");
    if links.is_empty() {
        return;
    }
    // Without `networkMode`, EC2 tasks use `bridge`; Fargate's missing `awsvpc` is the Fargate
    // rules' finding.
    // Links outside `bridge`, on Fargate and on Windows are the platform rules' findings;
    // their targets matter only where links work.
    if task.fargate || task.windows || task.network_mode.is_some_and(|mode| mode != "bridge") {
        return;
    }
    for (index, link) in links.iter().enumerate() {
        let Some(link) = link.as_str() else {
            continue;
        };
        let target = link_target(link);
        if names.get(target).is_none() {
            findings.push(
                Finding::error(
                    "link-missing",
                    format!(
                        "{container} links to `{target}`, which is not a container of this task definition"
                    ),
                )
                .at(container.path().key("links").index(index))
                .help(names.choose()),
            );
        }
    }
}

/// `mountPoints[].sourceVolume` "must be a volume name referenced in the `name` parameter of
/// task definition `volume`"; ECS refuses another with `Unknown volume '<name>'.`
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_MountPoint.html>
fn check_mount_points(document: &Value, containers: &[Container<'_>], findings: &mut Vec<Finding>) {
    let volumes: Vec<&str> = match document.get("volumes") {
        Some(Value::Array(volumes)) => volumes
            .iter()
            .filter_map(|volume| volume.get("name").and_then(Value::as_str))
            .collect(),
        _ => Vec::new(),
    };
    for container in containers {
        for (index, mount) in container.list("mountPoints").iter().enumerate() {
            let Some(source) = mount.get("sourceVolume").and_then(Value::as_str) else {
                continue;
            };
            if volumes.contains(&source) {
                continue;
            }
            let help = if volumes.is_empty() {
                format!("add a volume named `{source}` to the task's `volumes`")
            } else {
                let quoted: Vec<String> = volumes.iter().map(|name| format!("`{name}`")).collect();
                format!(
                    "use one of the task's volumes, {}, or add `{source}` to `volumes`",
                    super::or_list(&quoted)
                )
            };
            findings.push(
                Finding::error(
                    "mount-volume-missing",
                    format!(
                        "{container} mounts the volume `{source}`, which the task definition's `volumes` do not name"
                    ),
                )
                .at(container.path().key("mountPoints").index(index).key("sourceVolume"))
                .help(help),
            );
        }
    }
}
