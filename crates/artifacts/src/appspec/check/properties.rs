//! `TargetService.Properties`: the task definition, the load balancer's container and port,
//! and the platform version. The network configuration and capacity providers are in
//! `network` and `capacity`.

mod capacity;
mod network;
mod versions;

use super::{at, check_keys, get};
use crate::appspec::arn::task_definition_problem;
use crate::appspec::source::{Key, Kind, Node};
use crate::appspec::{
    AwsvpcConfiguration, CapacityProviderItem, LoadBalancerInfo, TASK_DEFINITION_PLACEHOLDER,
    TaskContainers,
};
use crate::finding::Finding;
use crate::image_files::container_name_problem;
use crate::location::JsonPath;

const PROPERTY_KEYS: [&str; 5] = [
    "TaskDefinition",
    "LoadBalancerInfo",
    "PlatformVersion",
    "NetworkConfiguration",
    "CapacityProviderStrategy",
];
const LOAD_BALANCER_KEYS: [&str; 2] = ["ContainerName", "ContainerPort"];

/// What the properties hold, each member when it was readable.
#[derive(Debug, Default)]
pub(super) struct Target {
    pub(super) task_definition: Option<String>,
    pub(super) load_balancer: Option<LoadBalancerInfo>,
    pub(super) platform_version: Option<String>,
    pub(super) network: Option<AwsvpcConfiguration>,
    pub(super) capacity_providers: Vec<CapacityProviderItem>,
}

pub(super) fn check(
    node: &Node,
    key: &Key,
    path: &JsonPath,
    containers: Option<&TaskContainers>,
    findings: &mut Vec<Finding>,
) -> Option<Target> {
    let Kind::Map(entries) = &node.kind else {
        findings.push(
            Finding::error(
                "wrong-type",
                format!("`{}` is {}, not a mapping", key.text, node.kind.describe()),
            )
            .at(at(path, node.line.or(key.line)))
            .help("give `Properties` a `TaskDefinition` and a `LoadBalancerInfo`"),
        );
        return None;
    };
    check_keys(entries, &PROPERTY_KEYS, path, findings);
    let mut target = Target {
        task_definition: task_definition(entries, key, path, containers, findings),
        load_balancer: load_balancer(entries, key, path, containers, findings),
        ..Target::default()
    };
    if let Some((key, value)) = get(entries, "PlatformVersion") {
        target.platform_version = platform_version(value, key, &path.key(&key.text), findings);
    }
    if let Some((key, value)) = get(entries, "NetworkConfiguration") {
        target.network = network::network(value, key, &path.key(&key.text), findings);
    }
    if let Some((key, value)) = get(entries, "CapacityProviderStrategy") {
        target.capacity_providers =
            capacity::capacity_providers(value, key, &path.key(&key.text), findings);
    }
    capacity::check_spot(&target, entries, path, containers, findings);
    versions::check(&target, entries, path, containers, findings);
    Some(target)
}

/// A string value, or the finding that says why not. CD-RES: "Each property is specified with
/// a string except for `ContainerPort`", so an unquoted `8080`, `yes` or `1.10`, which YAML
/// reads as another type, is wrong.
pub(super) fn string<'n>(
    node: &'n Node,
    key: &Key,
    rule: &'static str,
    path: &JsonPath,
) -> Result<&'n str, Finding> {
    let where_ = at(path, node.line.or(key.line));
    match &node.kind {
        Kind::Str(text) => Ok(text),
        Kind::Null => Err(Finding::error(rule, format!("`{}` is empty", key.text)).at(where_)),
        Kind::Bool(_) | Kind::Int(_) | Kind::Float(_) => Err(Finding::error(
            rule,
            format!("`{}` is {}, not a string", key.text, node.kind.describe()),
        )
        .at(where_)
        .help(
            "quote the value: YAML reads unquoted numbers, `yes`, `no`, `on`, `off`, `true` and `false` as other types",
        )),
        Kind::Seq(_) | Kind::Map(_) => Err(Finding::error(
            rule,
            format!("`{}` is {}, not a string", key.text, node.kind.describe()),
        )
        .at(where_)),
    }
}

/// Source: CD-RES (required; the ARN), CP-TUT-BG (the placeholder).
fn task_definition(
    entries: &[(Key, Node)],
    properties: &Key,
    path: &JsonPath,
    containers: Option<&TaskContainers>,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let Some((key, node)) = get(entries, "TaskDefinition") else {
        findings.push(
            Finding::error("task-definition", "`Properties` has no `TaskDefinition`")
                .at(at(path, properties.line))
                .help(format!("add `TaskDefinition: {TASK_DEFINITION_PLACEHOLDER}` for CodePipeline, or the task-definition ARN")),
        );
        return None;
    };
    let path = path.key(&key.text);
    let value = match string(node, key, "task-definition", &path) {
        Ok(value) => value,
        Err(finding) => {
            findings.push(finding);
            return None;
        }
    };
    if let Some(problem) = task_definition_problem(value) {
        findings.push(problem.at(at(&path, node.line)));
    } else if let Some(family) = containers.and_then(|c| c.family.as_deref())
        && let Some((arn_family, _)) = value
            .split_once(":task-definition/")
            .and_then(|(_, name)| name.rsplit_once(':'))
        && arn_family != family
    {
        findings.push(
            Finding::warning(
                "task-definition-family",
                format!("`TaskDefinition` is a revision of `{arn_family}`, but the task definition checked against is family `{family}`"),
            )
            .at(at(&path, node.line))
            .help("the container and port were checked against a different task definition than the one deployed"),
        );
    }
    Some(value.to_owned())
}

/// Source: CD-RES (both required; the name must be a container of the task definition;
/// `ContainerPort` a number); ASSIST (`MissingECSContainerNameErr`, port 0).
fn load_balancer(
    entries: &[(Key, Node)],
    properties: &Key,
    path: &JsonPath,
    containers: Option<&TaskContainers>,
    findings: &mut Vec<Finding>,
) -> Option<LoadBalancerInfo> {
    let Some((key, node)) = get(entries, "LoadBalancerInfo") else {
        findings.push(
            Finding::error("load-balancer-info", "`Properties` has no `LoadBalancerInfo`")
                .at(at(path, properties.line))
                .help("add `LoadBalancerInfo` with the `ContainerName` and `ContainerPort` the load balancer routes to"),
        );
        return None;
    };
    let path = path.key(&key.text);
    let Kind::Map(fields) = &node.kind else {
        findings.push(
            Finding::error(
                "load-balancer-info",
                format!("`{}` is {}, not a mapping", key.text, node.kind.describe()),
            )
            .at(at(&path, node.line.or(key.line)))
            .help("give it `ContainerName` and `ContainerPort`"),
        );
        return None;
    };
    check_keys(fields, &LOAD_BALANCER_KEYS, &path, findings);
    let name = match get(fields, "ContainerName") {
        None => {
            findings.push(
                Finding::error("container-name", "`LoadBalancerInfo` has no `ContainerName`")
                    .at(at(&path, key.line.or(node.line)))
                    .help(match containers {
                        Some(containers) => format!("name the container the load balancer routes to; the task definition has {}", containers.describe()),
                        None => "name the container the load balancer routes to".to_owned(),
                    }),
            );
            None
        }
        Some((name_key, value)) => {
            let name_path = path.key(&name_key.text);
            match string(value, name_key, "container-name", &name_path) {
                Ok(name) => {
                    if let Some(problem) = container_name_problem(name) {
                        findings.push(
                            Finding::error("container-name", problem)
                                .at(at(&name_path, value.line)),
                        );
                    }
                    Some((name.to_owned(), name_path, value.line))
                }
                Err(finding) => {
                    findings.push(finding);
                    None
                }
            }
        }
    };
    let port = match get(fields, "ContainerPort") {
        None => {
            findings.push(
                Finding::error(
                    "container-port",
                    "`LoadBalancerInfo` has no `ContainerPort`",
                )
                .at(at(&path, node.line.or(key.line)))
                .help("add the port the container listens on, as a number: `ContainerPort: 8080`"),
            );
            None
        }
        Some((port_key, value)) => {
            let port_path = path.key(&port_key.text);
            match container_port(value, port_key) {
                Ok(port) => Some((port, port_path, value.line)),
                Err(finding) => {
                    findings.push(finding.at(at(&port_path, value.line.or(port_key.line))));
                    None
                }
            }
        }
    };
    let ((name, name_path, name_line), (port, port_path, port_line)) = (name?, port?);
    if let Some(problem) = containers.and_then(|containers| containers.check(&name, port)) {
        let located = if problem.rule == "unknown-port" {
            at(&port_path, port_line)
        } else {
            at(&name_path, name_line)
        };
        findings.push(problem.at(located));
    }
    Some(LoadBalancerInfo {
        container_name: name,
        container_port: port,
    })
}

/// A port number: an integer from 1 to 65535. CodeDeploy wants the number, not a string
/// (CD-RES); 0 is no port (ASSIST warns on it; ECS refuses it).
fn container_port(node: &Node, key: &Key) -> Result<u16, Finding> {
    let wrong = |message: String| Finding::error("container-port", message);
    match &node.kind {
        Kind::Int(number) => u16::try_from(*number)
            .ok()
            .filter(|port| *port > 0)
            .ok_or_else(|| {
                wrong(format!(
                    "`{}` is {number}; a port is from 1 to 65535",
                    key.text
                ))
            }),
        Kind::Str(text) if text.trim().parse::<u16>().is_ok() => Err(wrong(format!(
            "`{}` is the string `\"{text}\"`; CodeDeploy wants a number",
            key.text
        ))
        .help(format!(
            "write it without quotes: `{}: {}`",
            key.text,
            text.trim()
        ))),
        Kind::Float(number) => Err(wrong(format!(
            "`{}` is {number}, not a whole number",
            key.text
        ))),
        other => Err(wrong(format!(
            "`{}` is {}, not a port number",
            key.text,
            other.describe()
        ))
        .help("write the port the container listens on: `ContainerPort: 8080`")),
    }
}

/// Fargate platform versions are `LATEST` or a version such as `1.4.0` (ECS-DG
/// `platform_versions.md`; CD-RES: "If not specified, LATEST is used").
fn platform_version(
    node: &Node,
    key: &Key,
    path: &JsonPath,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let value = match string(node, key, "platform-version", path) {
        Ok(value) => value,
        Err(finding) => {
            findings.push(finding);
            return None;
        }
    };
    let numbered = {
        let parts: Vec<&str> = value.split('.').collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
    };
    if value != "LATEST" && !numbered {
        findings.push(
            Finding::warning(
                "platform-version",
                format!(
                    "`PlatformVersion` `{value}` is neither `LATEST` nor a version such as `1.4.0`"
                ),
            )
            .at(at(path, node.line))
            .help("use `LATEST`, or a Fargate platform version such as `1.4.0`"),
        );
    }
    Some(value.to_owned())
}
