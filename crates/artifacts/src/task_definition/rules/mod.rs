//! ECS's own rules for a task definition, the ones that can be known offline.
//!
//! These are the rules ECS enforces when it registers or deploys a task definition and that
//! neither botocore's model nor the local AWS endpoint checks: name syntax, the Fargate
//! cpu/memory table, port mappings per network mode, container resources, image references
//! and the Blue/Green placeholders, credentials in `environment`, secret references. The facts
//! and their sources are in `docs/aws/artifact-formats.md#taskdefjson` and `docs/aws/image-references.md`; each rule names its
//! source where it is checked.
//!
//! Structure, JSON types, unknown keys and enum values are the `shape` module's: when a value
//! here has the wrong type, its rule is skipped rather than reported twice.
//!
//! The check is one pass over the document (plus one compact serialization to measure its
//! size), so a full 64 KiB task definition with ten containers costs well under a millisecond.

mod environment;
mod fargate;
mod images;
mod limits;
mod logging;
mod platform;
mod ports;
mod references;
mod resources;
mod roles;
mod task;
mod volumes;

use std::fmt;

use serde_json::{Map, Value};

use crate::finding::Finding;
use crate::location::JsonPath;
use crate::tag_policy::TagPolicy;

pub use images::placeholders;
pub use platform::{PlatformNeed, platform_needs};

/// Whether `text` is a task-level `cpu` ECS reads: CPU units (`1024`) or vCPUs (`1 vCPU`).
#[must_use]
pub fn is_cpu_value(text: &str) -> bool {
    fargate::parse_cpu(text).is_some()
}

/// Whether `text` is a task-level `memory` ECS reads: MiB (`2048`) or GB (`2 GB`).
#[must_use]
pub fn is_memory_value(text: &str) -> bool {
    fargate::parse_memory(text).is_some()
}

/// What the caller allows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleOptions {
    /// The image tag policy (`--allow-mutable-tag`).
    pub policy: TagPolicy,
    /// The document is a CodeDeployToECS template, so `"image": "<IMAGE1_NAME>"` is expected.
    pub allow_placeholders: bool,
}

/// Every ECS rule that `document`, a `RegisterTaskDefinition` input, breaks.
#[must_use]
pub fn check(document: &Value, options: &RuleOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    let task = Task::read(document);
    task::check_family(document, &mut findings);
    fargate::check(&task, &mut findings);
    limits::check(document, &task, &mut findings);
    platform::check(document, &task, &mut findings);
    references::check(document, &task, &mut findings);
    roles::check(document, &task, &mut findings);
    logging::check(document, &task, &mut findings);
    volumes::check(document, &task, &mut findings);

    let mut totals = resources::Totals::default();
    let mut images = images::Images::default();
    let mut largest_environment: Option<(String, usize)> = None;
    if let Some(Value::Array(containers)) = document.get("containerDefinitions") {
        let mut names = task::Names::default();
        let mut port_names = ports::PortNames::default();
        for (index, value) in containers.iter().enumerate() {
            let Value::Object(fields) = value else {
                continue;
            };
            let container = Container::new(index, fields);
            names.check(&container, &mut findings);
            resources::check_container(&task, &container, &mut totals, &mut findings);
            ports::check_container(&task, &container, &mut port_names, &mut findings);
            images.check_container(&container, *options, &mut findings);
            let bytes = environment::check_container(&container, &mut findings);
            if bytes > largest_environment.as_ref().map_or(0, |(_, most)| *most) {
                largest_environment = Some((container.to_string(), bytes));
            }
        }
        task::check_containers(containers, &mut findings);
        resources::check_totals(&task, &totals, &mut findings);
    }
    task::check_size(
        document,
        &images,
        largest_environment.as_ref(),
        &mut findings,
    );
    findings
}

/// What the task-level fields say, read once for all the rules.
#[derive(Debug)]
pub(crate) struct Task<'a> {
    /// `requiresCompatibilities` contains `FARGATE`.
    pub(crate) fargate: bool,
    /// `requiresCompatibilities` contains `EXTERNAL` (ECS Anywhere: no EC2 instance metadata).
    pub(crate) external: bool,
    /// `runtimePlatform.operatingSystemFamily` is one of the `WINDOWS_*` families.
    pub(crate) windows: bool,
    /// `runtimePlatform.cpuArchitecture`, when it is a string.
    pub(crate) architecture: Option<&'a str>,
    /// `networkMode`, when it is a string. ECS's default when absent is `bridge` (on EC2).
    pub(crate) network_mode: Option<&'a str>,
    /// Task-level `cpu`, when present and a string.
    pub(crate) cpu: Option<TaskSize<'a>>,
    /// Task-level `memory`, when present and a string.
    pub(crate) memory: Option<TaskSize<'a>>,
    /// Which task-level fields are written at all.
    pub(crate) present: Present,
}

/// Task-level fields present with any value: a wrong type is `shape`'s finding, not a missing
/// value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Present {
    pub(crate) network_mode: bool,
    pub(crate) cpu: bool,
    pub(crate) memory: bool,
}

/// A task-level `cpu` or `memory` string and its value in CPU units or MiB.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TaskSize<'a> {
    pub(crate) text: &'a str,
    /// `None` when the text is not a number ECS can convert.
    pub(crate) value: Option<u64>,
}

impl<'a> Task<'a> {
    fn read(document: &'a Value) -> Self {
        let string = |key: &str| document.get(key).and_then(Value::as_str);
        let present = |key: &str| document.get(key).is_some_and(|value| !value.is_null());
        let platform = document.get("runtimePlatform");
        let platform_string = |key: &str| platform.and_then(|p| p.get(key)).and_then(Value::as_str);
        let compatible = |name: &str| {
            document
                .get("requiresCompatibilities")
                .and_then(Value::as_array)
                .is_some_and(|list| list.iter().any(|item| item == name))
        };
        Self {
            fargate: compatible("FARGATE"),
            external: compatible("EXTERNAL"),
            windows: platform_string("operatingSystemFamily")
                .is_some_and(|family| family.starts_with("WINDOWS")),
            architecture: platform_string("cpuArchitecture"),
            network_mode: string("networkMode"),
            cpu: string("cpu").map(|text| TaskSize {
                text,
                value: fargate::parse_cpu(text),
            }),
            memory: string("memory").map(|text| TaskSize {
                text,
                value: fargate::parse_memory(text),
            }),
            present: Present {
                network_mode: present("networkMode"),
                cpu: present("cpu"),
                memory: present("memory"),
            },
        }
    }

    /// Task-level CPU units, when given and readable.
    pub(crate) fn cpu_units(&self) -> Option<u64> {
        self.cpu.and_then(|size| size.value)
    }

    /// Task-level memory in MiB, when given and readable.
    pub(crate) fn memory_mib(&self) -> Option<u64> {
        self.memory.and_then(|size| size.value)
    }
}

/// One entry of `containerDefinitions` that is an object.
#[derive(Debug)]
pub(crate) struct Container<'a> {
    pub(crate) index: usize,
    pub(crate) fields: &'a Map<String, Value>,
    /// The name when it is a non-empty string.
    pub(crate) name: Option<&'a str>,
}

impl<'a> Container<'a> {
    fn new(index: usize, fields: &'a Map<String, Value>) -> Self {
        let name = fields
            .get("name")
            .and_then(Value::as_str)
            .filter(|name| !name.is_empty());
        Self {
            index,
            fields,
            name,
        }
    }

    /// The JSON path of this container.
    pub(crate) fn path(&self) -> JsonPath {
        JsonPath::root()
            .key("containerDefinitions")
            .index(self.index)
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.fields.get(key).filter(|value| !value.is_null())
    }

    /// The array under `key`; empty when it is absent or not an array.
    pub(crate) fn list(&self, key: &str) -> &'a [Value] {
        match self.fields.get(key) {
            Some(Value::Array(items)) => items,
            _ => &[],
        }
    }

    pub(crate) fn integer(&self, key: &str) -> Option<i64> {
        self.fields.get(key).and_then(Value::as_i64)
    }

    /// `` `web` ``, or `container 3` without a usable name: for lists in messages.
    pub(crate) fn short(&self) -> String {
        match self.name {
            Some(name) => format!("`{name}`"),
            None => format!("container {}", self.index),
        }
    }
}

/// "container `web`", or "container 3" for one without a usable name.
impl fmt::Display for Container<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name {
            Some(name) => write!(f, "container `{}`", crate::suggest::shown(name)),
            None => write!(f, "container {}", self.index),
        }
    }
}

/// `a, b or c` for messages.
pub(crate) fn or_list<T: fmt::Display>(items: &[T]) -> String {
    join_list(items, " or ")
}

/// `a, b and c` for messages.
pub(crate) fn and_list<T: fmt::Display>(items: &[T]) -> String {
    join_list(items, " and ")
}

fn join_list<T: fmt::Display>(items: &[T], last: &str) -> String {
    let mut text = String::new();
    for (position, item) in items.iter().enumerate() {
        if position > 0 {
            text.push_str(if position + 1 == items.len() {
                last
            } else {
                ", "
            });
        }
        text.push_str(&item.to_string());
    }
    text
}

/// `65,536` for messages.
pub(crate) fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

#[cfg(test)]
mod tests;
