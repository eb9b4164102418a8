//! Port mappings: numbers and ranges, the network mode's rules, duplicates, and names.
//!
//! Source for all of these unless a rule says otherwise: BC-ECS `PortMapping` docs
//! (`containerPort`, `hostPort`, `containerPortRange`, `name`), `docs/aws/artifact-formats.md#port-mappings`.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{Container, Task};
use crate::finding::Finding;
use crate::location::JsonPath;

/// At most 100 `containerPortRange`s per container (BC-ECS `containerPortRange` doc).
const MAX_RANGES: usize = 100;

/// Port mapping names already used in the task, with where.
#[derive(Debug, Default)]
pub(crate) struct PortNames<'a> {
    first: HashMap<&'a str, String>,
}

/// One port or range a mapping binds, to find overlaps.
#[derive(Debug)]
struct Bound<'a> {
    protocol: &'a str,
    first: i64,
    last: i64,
    mapping: usize,
    field: &'static str,
}

pub(crate) fn check_container<'a>(
    task: &Task<'_>,
    container: &Container<'a>,
    names: &mut PortNames<'a>,
    findings: &mut Vec<Finding>,
) {
    let mappings = container.list("portMappings");
    if mappings.is_empty() {
        return;
    }
    // ECS's default network mode is `bridge` (BC-ECS `networkMode`).
    let mode = task.network_mode.unwrap_or("bridge");
    // Source: BC-ECS `networkMode` doc: with `none`, containers have no external connectivity
    // and port mappings can't be specified.
    if mode == "none" {
        findings.push(
            Finding::error(
                "network-mode-none",
                format!(
                    "{container} has port mappings, but with `networkMode` `none` the task has no network"
                ),
            )
            .at(container.path().key("portMappings"))
            .help("remove `portMappings`, or use the `awsvpc` or `bridge` network mode"),
        );
        return;
    }
    let mut bound = Vec::new();
    let mut ranges = 0;
    for (index, mapping) in mappings.iter().enumerate() {
        let Value::Object(mapping) = mapping else {
            continue;
        };
        let at = |field: &str| container.path().key("portMappings").index(index).key(field);
        let protocol = mapping
            .get("protocol")
            .and_then(Value::as_str)
            .unwrap_or("tcp");
        let container_port = mapping.get("containerPort").and_then(Value::as_i64);
        let has_range = mapping.get("containerPortRange").is_some();
        if mapping.get("containerPort").is_none() && !has_range {
            findings.push(
                Finding::error(
                    "missing-container-port",
                    format!("{container}'s port mapping {index} has neither `containerPort` nor `containerPortRange`"),
                )
                .at(container.path().key("portMappings").index(index))
                .help("set `containerPort` to the port the application listens on"),
            );
        }
        if let Some(port) = container_port {
            if (1..=65535).contains(&port) {
                bound.push(Bound {
                    protocol,
                    first: port,
                    last: port,
                    mapping: index,
                    field: "containerPort",
                });
            } else {
                findings.push(
                    Finding::error(
                        "invalid-port",
                        format!("{container} maps `containerPort` {port}; ports are 1 to 65535"),
                    )
                    .at(at("containerPort"))
                    .help("use the port the application listens on"),
                );
            }
        }
        check_host_port(mode, container, mapping, container_port, &at, findings);
        if !task.fargate && !task.windows {
            check_reserved(mode, container, mapping, container_port, &at, findings);
        }
        if let Some(Value::String(range)) = mapping.get("containerPortRange") {
            ranges += 1;
            match check_range(mode, range) {
                Ok((first, last)) => bound.push(Bound {
                    protocol,
                    first,
                    last,
                    mapping: index,
                    field: "containerPortRange",
                }),
                Err(problem) => findings.push(
                    Finding::error(
                        "port-range",
                        format!("{container} has `containerPortRange` `{range}`: {problem}"),
                    )
                    .at(at("containerPortRange"))
                    .help(
                        "write `first-last` with 1 <= first < last <= 65535, such as `8000-8099`",
                    ),
                ),
            }
        }
        if let Some(Value::String(name)) = mapping.get("name") {
            check_name(container, index, name, names, findings);
        }
    }
    if ranges > MAX_RANGES {
        findings.push(
            Finding::error(
                "port-range",
                format!("{container} has {ranges} `containerPortRange`s; ECS allows at most {MAX_RANGES}"),
            )
            .at(container.path().key("portMappings"))
            .help("merge adjacent ranges into wider ones"),
        );
    }
    check_overlaps(container, &mut bound, findings);
}

/// Source: BC-ECS `hostPort` doc: with `awsvpc` or `host`, the host port is omitted or equals
/// the container port. `0` is read as omitted: it is how `bridge` asks for a dynamic port,
/// and reporting it would block templates that ECS accepts [INFERRED].
fn check_host_port(
    mode: &str,
    container: &Container<'_>,
    mapping: &Map<String, Value>,
    container_port: Option<i64>,
    at: &dyn Fn(&str) -> JsonPath,
    findings: &mut Vec<Finding>,
) {
    let Some(host_port) = mapping.get("hostPort").and_then(Value::as_i64) else {
        return;
    };
    if !(0..=65535).contains(&host_port) {
        findings.push(
            Finding::error(
                "invalid-port",
                format!("{container} maps `hostPort` {host_port}; ports are 1 to 65535, or 0 for a dynamic port"),
            )
            .at(at("hostPort"))
            .help("use a port from 1 to 65535, or leave `hostPort` out"),
        );
        return;
    }
    if (mode == "awsvpc" || mode == "host")
        && host_port != 0
        && let Some(port) = container_port
        && host_port != port
    {
        findings.push(
            Finding::error(
                "host-port",
                format!(
                    "{container} maps `hostPort` {host_port} to `containerPort` {port}; with the \
                     `{mode}` network mode the host port must be left out or equal the container port"
                ),
            )
            .at(at("hostPort"))
            .help(format!("remove `hostPort`, or set it to {port}")),
        );
    }
}

/// The ports the ECS agent reserves on a Linux container instance: "The default reserved ports
/// are 22 for SSH, the Docker ports 2375 and 2376, and the Amazon ECS container agent ports
/// 51678-51680" (`PortMapping.hostPort`,
/// <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html>).
const RESERVED_HOST_PORTS: [i64; 6] = [22, 2375, 2376, 51678, 51679, 51680];

/// A static host port among the reserved ones: no instance with the default reservations can
/// place the task. A warning, since `ECS_RESERVED_PORTS` can change the list on an instance.
fn check_reserved(
    mode: &str,
    container: &Container<'_>,
    mapping: &Map<String, Value>,
    container_port: Option<i64>,
    at: &dyn Fn(&str) -> JsonPath,
    findings: &mut Vec<Finding>,
) {
    let host_port = mapping
        .get("hostPort")
        .and_then(Value::as_i64)
        .filter(|port| *port != 0);
    let (port, field) = match (mode, host_port) {
        ("bridge" | "host", Some(port)) => (port, "hostPort"),
        ("host", None) => match container_port {
            Some(port) => (port, "containerPort"),
            None => return,
        },
        _ => return,
    };
    if RESERVED_HOST_PORTS.contains(&port) {
        findings.push(
            Finding::warning(
                "reserved-host-port",
                format!("{container} binds host port {port}, which the ECS agent reserves on container instances by default"),
            )
            .at(at(field))
            .help(if mode == "bridge" {
                "leave `hostPort` out for a dynamic port, or choose one that is not reserved"
            } else {
                "use a port that is not reserved, or the `awsvpc` network mode"
            }),
        );
    }
}

/// `"8000-8099"` as its two ports, or what is wrong with it.
fn check_range(mode: &str, range: &str) -> Result<(i64, i64), String> {
    // Source: BC-ECS `containerPortRange` doc: only with `bridge` or `awsvpc`.
    if mode == "host" {
        return Err(
            "port ranges need the `bridge` or `awsvpc` network mode, not `host`".to_owned(),
        );
    }
    let port = |text: &str| {
        let text = text.trim();
        (!text.is_empty() && text.len() <= 6 && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<i64>().expect("a few digits parse"))
    };
    let Some((first, last)) = range
        .split_once('-')
        .and_then(|(a, b)| port(a).zip(port(b)))
    else {
        return Err("it is not two ports joined by `-`".to_owned());
    };
    if !(1..=65535).contains(&first) || !(1..=65535).contains(&last) {
        return Err("ports are 1 to 65535".to_owned());
    }
    if first >= last {
        return Err("the first port must be less than the last".to_owned());
    }
    Ok((first, last))
}

/// Source: BC-ECS `containerPortRange` doc: "A port can only be included in one port mapping
/// per container. You cannot specify overlapping port ranges." Per protocol: Docker binds
/// `53/tcp` and `53/udp` separately. Also ECS's duplicate `(containerPort, protocol)` refusal.
fn check_overlaps(container: &Container<'_>, bound: &mut [Bound<'_>], findings: &mut Vec<Finding>) {
    bound.sort_by(|a, b| (a.protocol, a.first, a.mapping).cmp(&(b.protocol, b.first, b.mapping)));
    let mut reach: Option<&Bound<'_>> = None;
    for current in bound.iter() {
        match reach {
            Some(previous)
                if previous.protocol == current.protocol && current.first <= previous.last =>
            {
                let (earlier, later) = if previous.mapping < current.mapping {
                    (previous, current)
                } else {
                    (current, previous)
                };
                let low = current.first.max(previous.first);
                let high = current.last.min(previous.last);
                let what = if low == high {
                    format!("port {low}/{}", current.protocol)
                } else {
                    format!("ports {low}-{high}/{}", current.protocol)
                };
                findings.push(
                    Finding::error(
                        "duplicate-port",
                        format!(
                            "{container} maps {what} in both port mapping {} and {}",
                            earlier.mapping, later.mapping
                        ),
                    )
                    .at(container.path().key("portMappings").index(later.mapping).key(later.field))
                    .help("a port can be in only one port mapping per container: remove or narrow one"),
                );
                if current.last > previous.last {
                    reach = Some(current);
                }
            }
            _ => reach = Some(current),
        }
    }
}

/// Source: BC-ECS `PortMapping.name`: up to 64 lowercase letters, digits, `_` and `-`, not
/// starting with `-`. Service Connect and VPC Lattice refer to mappings by this name, so it is
/// unique across the task's containers.
fn check_name<'a>(
    container: &Container<'a>,
    index: usize,
    name: &'a str,
    names: &mut PortNames<'a>,
    findings: &mut Vec<Finding>,
) {
    let problem = if name.is_empty() {
        Some("is empty".to_owned())
    } else if name.len() > 64 {
        Some(format!("is {} characters long; ECS allows 64", name.len()))
    } else if name.starts_with('-') {
        Some("starts with `-`".to_owned())
    } else {
        name.chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-'))
            .map(|bad| format!("contains `{bad}`"))
    };
    let at = container
        .path()
        .key("portMappings")
        .index(index)
        .key("name");
    if let Some(problem) = problem {
        findings.push(
            Finding::error(
                "port-mapping-name",
                format!(
                    "{container}'s port mapping name `{name}` {problem}; names are up to 64 \
                     lowercase letters, digits, `_` or `-`, not starting with `-`"
                ),
            )
            .at(at)
            .help("rename it, such as `http` or `web-8080`"),
        );
        return;
    }
    let here = format!("{container}");
    if let Some(first) = names.first.get(name) {
        findings.push(
            Finding::error(
                "duplicate-port-name",
                format!("port mapping name `{name}` is used by {first} and again by {here}"),
            )
            .at(at)
            .help("give each port mapping in the task its own name: Service Connect refers to them by name"),
        );
    } else {
        names.first.insert(name, here);
    }
}
