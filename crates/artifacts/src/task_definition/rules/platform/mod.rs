//! What a launch type or operating system does not support: the task and container parameters
//! Fargate refuses, and those Windows containers refuse.
//!
//! Each side is a table of container parameters (name, what counts as setting it, the rule it
//! breaks) plus the task-level rules that need more than "is it set". A Windows task on Fargate
//! gets the Windows finding for a parameter both refuse, not two findings for one value.

mod fargate;
mod versions;
mod windows;

use serde_json::{Map, Value};

pub use versions::{PlatformNeed, platform_needs};

use super::{Container, Task};
use crate::finding::Finding;
use crate::location::JsonPath;

/// Every rule of this family that `document` breaks.
pub(super) fn check(document: &Value, task: &Task<'_>, findings: &mut Vec<Finding>) {
    let Value::Object(fields) = document else {
        return;
    };
    if task.fargate {
        fargate::check_task(fields, task, findings);
    }
    if task.windows {
        windows::check_task(fields, task, findings);
    }
    let Some(Value::Array(containers)) = fields.get("containerDefinitions") else {
        return;
    };
    for (index, value) in containers.iter().enumerate() {
        let Value::Object(container) = value else {
            continue;
        };
        let container = Container::new(index, container);
        if task.fargate {
            fargate::check_container(task, &container, findings);
        }
        if task.windows {
            windows::check_container(&container, findings);
        }
        if !task.fargate && !task.windows {
            check_network_mode(task, &container, findings);
        }
        // Source: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
        // (`hostname`): "not supported if you're using the awsvpc network mode".
        if task.network_mode == Some("awsvpc")
            && let Some(Value::String(hostname)) = container.get("hostname")
        {
            findings.push(
                Finding::error(
                    "awsvpc-hostname",
                    format!(
                        "{container} sets `hostname` `{hostname}`, which the `awsvpc` network mode does not support"
                    ),
                )
                .at(container.path().key("hostname"))
                .help("remove `hostname`: with `awsvpc` the task's host name comes from its elastic network interface"),
            );
        }
    }
}

/// What the network mode of a Linux task on EC2 or external instances refuses; on Fargate and
/// on Windows the platform's own rule says it.
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html>
/// (`links`: "only supported if the network mode of a task definition is bridge";
/// `extraHosts`: "isn't supported for ... tasks that use the awsvpc network mode").
fn check_network_mode(task: &Task<'_>, container: &Container<'_>, findings: &mut Vec<Finding>) {
    // ECS's default when `networkMode` is absent is `bridge`; a wrong type is `shape`'s.
    let mode = match task.network_mode {
        Some(mode) => mode,
        None if !task.present.network_mode => "bridge",
        None => return,
    };
    if mode != "bridge" && !container.list("links").is_empty() {
        findings.push(
            Finding::error(
                "links-network-mode",
                format!("{container} sets `links`, which only the `bridge` network mode supports, not `{mode}`"),
            )
            .at(container.path().key("links"))
            .help(format!(
                "remove `links`: with `{mode}`, containers of a task reach each other on `localhost` or the host's address"
            )),
        );
    }
    if mode == "awsvpc" && !container.list("extraHosts").is_empty() {
        findings.push(
            Finding::error(
                "awsvpc-extra-hosts",
                format!("{container} sets `extraHosts`, which the `awsvpc` network mode does not support"),
            )
            .at(container.path().key("extraHosts"))
            .help("remove `extraHosts` and resolve those names through DNS, such as a Route 53 private hosted zone"),
        );
    }
}

/// What makes a container parameter count as set.
#[derive(Clone, Copy, Debug)]
enum Used {
    /// `true`; `false` asks for the default and is harmless.
    True,
    /// A non-empty array.
    List,
    /// A number.
    Number,
    /// A non-empty object.
    Object,
}

/// A container parameter a platform does not support.
#[derive(Debug)]
struct Unsupported {
    rule: &'static str,
    /// The member's keys from the container definition down.
    keys: &'static [&'static str],
    used: Used,
    help: &'static str,
}

impl Unsupported {
    /// The value when `fields` sets this parameter; `None` when it is absent, `false`, empty,
    /// or of a type the `shape` check reports.
    fn set<'a>(&self, fields: &'a Map<String, Value>) -> Option<&'a Value> {
        let (last, parents) = self.keys.split_last()?;
        let mut object = fields;
        for key in parents {
            object = object.get(*key)?.as_object()?;
        }
        let value = object.get(*last)?;
        let set = match self.used {
            Used::True => value == &Value::Bool(true),
            Used::List => value.as_array().is_some_and(|items| !items.is_empty()),
            Used::Number => value.is_number(),
            Used::Object => value.as_object().is_some_and(|map| !map.is_empty()),
        };
        set.then_some(value)
    }

    fn path(&self, container: &Container<'_>) -> JsonPath {
        self.keys
            .iter()
            .fold(container.path(), |path, key| path.key(*key))
    }
}

/// One finding for each parameter of `table` that `container` sets; `refuser` is the subject
/// of the message ("Fargate does", "Windows containers do").
fn check_table(
    table: &[Unsupported],
    refuser: &str,
    container: &Container<'_>,
    skip: impl Fn(&Unsupported) -> bool,
    findings: &mut Vec<Finding>,
) {
    for entry in table {
        if skip(entry) || entry.set(container.fields).is_none() {
            continue;
        }
        findings.push(
            Finding::error(
                entry.rule,
                format!(
                    "{container} sets `{}`; {refuser} not support it",
                    entry.keys.join(".")
                ),
            )
            .at(entry.path(container))
            .help(entry.help),
        );
    }
}
