//! Numeric ranges, counts and formats of nested members: ephemeral storage, placement
//! constraints, tags and the App Mesh proxy configuration at the task level; in each container
//! the health check, start and stop timeouts and restart policy (`container`), Linux parameters
//! and user (`linux`), kernel parameters, extra hosts and DNS servers (`network`), credential
//! specs, Docker security options, GPUs and registry credentials (`specs`). The constraints and
//! their sources are listed in `docs/ecs-rules.md`.
//!
//! Ranges the botocore model already carries (tag counts and lengths) and its enums (`pidMode`,
//! `ipcMode`, ulimit names) are the `shape` module's findings and are not repeated here.

mod container;
mod linux;
mod network;
mod proxy;
mod specs;

use std::collections::HashMap;

use serde_json::Value;

use super::{Container, Task};
use crate::finding::Finding;
use crate::location::JsonPath;

/// Every rule of this family that `document` breaks.
pub(super) fn check(document: &Value, task: &Task<'_>, findings: &mut Vec<Finding>) {
    check_ephemeral_storage(document, findings);
    check_placement_constraints(document, findings);
    check_tags(document, findings);
    proxy::check(document, findings);
    let ipc_mode = document.get("ipcMode").and_then(Value::as_str);
    if let Some(Value::Array(containers)) = document.get("containerDefinitions") {
        let containers: Vec<Container<'_>> = containers
            .iter()
            .enumerate()
            .filter_map(|(index, value)| match value {
                Value::Object(fields) => Some(Container::new(index, fields)),
                _ => None,
            })
            .collect();
        for container in &containers {
            container::check(task, container, findings);
            linux::check(task, container, findings);
            network::check(task, ipc_mode, container, findings);
            specs::check(container, findings);
        }
        network::check_shared_system_controls(task, ipc_mode, &containers, findings);
    }
}

/// An integer outside `min..=max`, as one finding.
struct Range<'a> {
    rule: &'static str,
    /// What holds the value: "container `web`", or "the task".
    owner: &'a str,
    /// The member as written in messages: `healthCheck.interval`.
    member: &'a str,
    min: i64,
    max: i64,
    /// "seconds", "GiB", or "" for a count.
    unit: &'static str,
}

impl Range<'_> {
    fn check(&self, value: Option<i64>, path: JsonPath, findings: &mut Vec<Finding>) {
        let Some(value) = value else {
            return;
        };
        if (self.min..=self.max).contains(&value) {
            return;
        }
        let (owner, member, min, max) = (self.owner, self.member, self.min, self.max);
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        findings.push(
            Finding::error(
                self.rule,
                format!("{owner} has `{member}` {value}{unit}; ECS accepts {min} to {max}{unit}"),
            )
            .at(path)
            .help(format!("set `{member}` between {min} and {max}")),
        );
    }
}

/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EphemeralStorage.html>
/// ("The minimum supported value is 21 GiB and the maximum supported value is 200 GiB").
fn check_ephemeral_storage(document: &Value, findings: &mut Vec<Finding>) {
    let size = document
        .get("ephemeralStorage")
        .and_then(|storage| storage.get("sizeInGiB"))
        .and_then(Value::as_i64);
    Range {
        rule: "ephemeral-storage",
        owner: "the task",
        member: "ephemeralStorage.sizeInGiB",
        min: 21,
        max: 200,
        unit: "GiB",
    }
    .check(
        size,
        JsonPath::root().key("ephemeralStorage").key("sizeInGiB"),
        findings,
    );
}

/// The limit counts the task definition's constraints and those given at run time together.
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html>
/// (`placementConstraints`: "You can specify a maximum of 10 constraints for each task").
const MAX_PLACEMENT_CONSTRAINTS: usize = 10;

fn check_placement_constraints(document: &Value, findings: &mut Vec<Finding>) {
    let Some(Value::Array(constraints)) = document.get("placementConstraints") else {
        return;
    };
    if constraints.len() > MAX_PLACEMENT_CONSTRAINTS {
        findings.push(
            Finding::error(
                "placement-constraint-count",
                format!(
                    "the task definition has {} placement constraints; ECS allows at most \
                     {MAX_PLACEMENT_CONSTRAINTS} for a task, counting those given at run time",
                    constraints.len()
                ),
            )
            .at(JsonPath::root().key("placementConstraints"))
            .help("combine expressions with `and` in one `memberOf` constraint"),
        );
    }
}

/// Tag keys and values ECS refuses. The count and lengths are in botocore's model (the
/// `shape` module's `out-of-range`).
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html>: "each tag
/// key must be unique"; "Do not use `aws:`, `AWS:`, or any upper or lowercase combination of
/// such as a prefix for either keys or values as it is reserved for AWS use".
fn check_tags(document: &Value, findings: &mut Vec<Finding>) {
    let Some(Value::Array(tags)) = document.get("tags") else {
        return;
    };
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (index, tag) in tags.iter().enumerate() {
        let path = JsonPath::root().key("tags").index(index);
        for member in ["key", "value"] {
            let Some(text) = tag.get(member).and_then(Value::as_str) else {
                continue;
            };
            if let Some(bad) = text.chars().find(|c| !is_tag_char(*c)) {
                findings.push(
                    Finding::error(
                        "tag-characters",
                        format!(
                            "tag {index} has the {member} `{text}`, which contains `{bad}`; ECS \
                             allows letters, digits, spaces and `_ . : / = + - @`"
                        ),
                    )
                    .at(path.key(member))
                    .help(format!("replace `{bad}`, such as with `-`")),
                );
            }
            if text
                .get(..4)
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case("aws:"))
            {
                findings.push(
                    Finding::error(
                        "tag-reserved-prefix",
                        format!(
                            "tag {index} has the {member} `{text}`; the `aws:` prefix, in any \
                             case, is reserved for AWS"
                        ),
                    )
                    .at(path.key(member))
                    .help(format!(
                        "drop the `{}` prefix or use another one",
                        &text[..4]
                    )),
                );
            }
        }
        let Some(key) = tag.get("key").and_then(Value::as_str) else {
            continue;
        };
        if let Some(&earlier) = first.get(key) {
            findings.push(
                Finding::error(
                    "duplicate-tag-key",
                    format!(
                        "tags {earlier} and {index} both have the key `{key}`; each tag key \
                         must be unique"
                    ),
                )
                .at(path.key("key"))
                .help("keep one of them: a tag key has only one value"),
            );
        } else {
            first.insert(key, index);
        }
    }
}

/// A character of botocore's `TagKey`/`TagValue` pattern, `[\p{L}\p{Z}\p{N}_.:/=+\-@]`:
/// letters, separators, numbers and seven symbols. Neither botocore nor the `shape` module
/// checks patterns; ECS does.
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html> (`Pattern`).
fn is_tag_char(c: char) -> bool {
    c.is_alphabetic()
        || c.is_numeric()
        || (c.is_whitespace() && !c.is_control())
        || "_.:/=+-@".contains(c)
}
