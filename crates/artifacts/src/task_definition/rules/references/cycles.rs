//! Start-order cycles: `dependsOn`, `links` and `volumesFrom` each make a container wait for
//! another to start. The START condition "emulates the behavior of links and volumes"
//! (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html>), and
//! ECS refuses a cycle with `Container links should not have a cycle`; in a cycle no container
//! can start first.

use serde_json::Value;

use super::{Names, link_target};
use crate::finding::Finding;
use crate::location::JsonPath;
use crate::task_definition::rules::Container;

/// One "starts after" reference.
struct Edge {
    /// The document index of the container waited for.
    to: usize,
    at: JsonPath,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    New,
    Open,
    Done,
}

pub(super) fn check(
    containers: &[Container<'_>],
    names: &Names<'_, '_>,
    findings: &mut Vec<Finding>,
) {
    let size = containers.iter().map(|c| c.index + 1).max().unwrap_or(0);
    let mut label = vec![String::new(); size];
    let mut edges: Vec<Vec<Edge>> = (0..size).map(|_| Vec::new()).collect();
    for container in containers {
        label[container.index] = container.short();
        for (from, to, at) in references(container) {
            let Some(other) = names.get(to) else {
                continue;
            };
            if other.index == container.index {
                findings.push(
                    Finding::error(
                        "dependency-cycle",
                        format!("{container} {from} itself, so it can never start"),
                    )
                    .at(at)
                    .help("remove the reference to the container itself"),
                );
            } else {
                edges[container.index].push(Edge {
                    to: other.index,
                    at,
                });
            }
        }
    }
    let mut marks = vec![Mark::New; size];
    let mut stack = Vec::new();
    for container in containers {
        if marks[container.index] == Mark::New {
            visit(
                container.index,
                &edges,
                &label,
                &mut marks,
                &mut stack,
                findings,
            );
        }
    }
}

/// Depth-first search; a reference back to a container still on the stack closes a cycle.
fn visit(
    node: usize,
    edges: &[Vec<Edge>],
    label: &[String],
    marks: &mut [Mark],
    stack: &mut Vec<usize>,
    findings: &mut Vec<Finding>,
) {
    marks[node] = Mark::Open;
    stack.push(node);
    for edge in &edges[node] {
        match marks[edge.to] {
            Mark::New => visit(edge.to, edges, label, marks, stack, findings),
            Mark::Open => {
                let start = stack.iter().position(|&n| n == edge.to).unwrap_or(0);
                let mut chain: Vec<&str> =
                    stack[start..].iter().map(|&n| label[n].as_str()).collect();
                chain.push(&label[edge.to]);
                findings.push(
                    Finding::error(
                        "dependency-cycle",
                        format!(
                            "containers wait for each other to start in a cycle: {}; none of them can start first",
                            chain.join(" → ")
                        ),
                    )
                    .at(edge.at.clone())
                    .help("remove one of the `dependsOn`, `links` or `volumesFrom` references in the cycle"),
                );
            }
            Mark::Done => {}
        }
    }
    stack.pop();
    marks[node] = Mark::Done;
}

/// The containers `container` starts after: (how, name, where).
fn references<'a>(container: &Container<'a>) -> Vec<(&'static str, &'a str, JsonPath)> {
    let mut found = Vec::new();
    let path = container.path();
    for (index, dependency) in container.list("dependsOn").iter().enumerate() {
        if let Some(name) = dependency.get("containerName").and_then(Value::as_str) {
            let at = path.key("dependsOn").index(index).key("containerName");
            found.push(("depends on", name, at));
        }
    }
    for (index, link) in container.list("links").iter().enumerate() {
        if let Some(link) = link.as_str() {
            found.push((
                "links to",
                link_target(link),
                path.key("links").index(index),
            ));
        }
    }
    for (index, entry) in container.list("volumesFrom").iter().enumerate() {
        if let Some(name) = entry.get("sourceContainer").and_then(Value::as_str) {
            let at = path.key("volumesFrom").index(index).key("sourceContainer");
            found.push(("mounts the volumes of", name, at));
        }
    }
    found
}
