//! What an `AppSpec` needs from the task definition: which containers expose which ports, and
//! the operating system and architecture the tasks run on (`FARGATE_SPOT` runs only Linux on
//! `X86_64`).
//!
//! `LoadBalancerInfo.ContainerName` must be a container of the task definition (CD-RES), and
//! the port must be one of its `portMappings[].containerPort`, or ECS cannot register the
//! replacement tasks with the target group (`docs/aws/codedeploy.md#loadbalancerinfo`; ecspresso
//! `verify` checks the same pairing for services).

use serde_json::Value;

use super::suggest::backticked;
use crate::finding::Finding;
use crate::location::JsonPath;
use crate::task_definition::rules::{PlatformNeed, platform_needs};

/// One container and the container ports of its `portMappings`, in order, without repeats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerPorts {
    /// The container name.
    pub name: String,
    /// Its `containerPort` values. Port ranges (`containerPortRange`) are left out: a load
    /// balancer routes to one port.
    pub ports: Vec<u16>,
}

/// The containers and platform of a task definition, as far as the `AppSpec` cares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskContainers {
    /// `family`, when it is a string.
    pub family: Option<String>,
    /// The containers, in task-definition order.
    pub containers: Vec<ContainerPorts>,
    /// `runtimePlatform.operatingSystemFamily`, when it is a string.
    pub operating_system_family: Option<String>,
    /// `runtimePlatform.cpuArchitecture`, when it is a string.
    pub cpu_architecture: Option<String>,
    /// What the task definition uses that needs a later Fargate platform version, checked
    /// against `PlatformVersion`.
    pub platform_needs: Vec<PlatformNeed>,
}

impl TaskContainers {
    /// Reads a `RegisterTaskDefinition` input document (`task_definition::render::read` turns
    /// describe output and YAML into one). Members of the wrong type are skipped: they are the
    /// task-definition checker's findings, not the `AppSpec`'s.
    #[must_use]
    pub fn from_task_definition(document: &Value) -> Self {
        let platform = |key: &str| {
            document
                .get("runtimePlatform")
                .and_then(|platform| platform.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let containers = document
            .get("containerDefinitions")
            .and_then(Value::as_array)
            .map(|containers| {
                containers
                    .iter()
                    .filter_map(|container| {
                        let name = container.get("name")?.as_str()?.to_owned();
                        let mut ports: Vec<u16> = Vec::new();
                        for mapping in container
                            .get("portMappings")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                        {
                            if let Some(port) = mapping
                                .get("containerPort")
                                .and_then(Value::as_u64)
                                .and_then(|port| u16::try_from(port).ok())
                                && !ports.contains(&port)
                            {
                                ports.push(port);
                            }
                        }
                        Some(ContainerPorts { name, ports })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self {
            family: document
                .get("family")
                .and_then(Value::as_str)
                .map(str::to_owned),
            containers,
            operating_system_family: platform("operatingSystemFamily"),
            cpu_architecture: platform("cpuArchitecture"),
            platform_needs: platform_needs(document),
        }
    }

    /// The first `containerPort` outside 1 to 65535, which [`Self::from_task_definition`]
    /// would otherwise pass over as if the container exposed nothing.
    #[must_use]
    pub fn port_fault(document: &Value) -> Option<Finding> {
        let containers = document.get("containerDefinitions")?.as_array()?;
        containers
            .iter()
            .enumerate()
            .find_map(|(index, container)| {
                let mappings = container.get("portMappings")?.as_array()?;
                mappings.iter().enumerate().find_map(|(at, mapping)| {
                    let port = mapping.get("containerPort")?.as_i64()?;
                    (!(1..=65535).contains(&port)).then(|| {
                        Finding::error(
                            "invalid-port",
                            format!("`containerPort` {port} is not a port; ports are 1 to 65535"),
                        )
                        .at(JsonPath::root()
                            .key("containerDefinitions")
                            .index(index)
                            .key("portMappings")
                            .index(at)
                            .key("containerPort"))
                        .help("use the port the application listens on")
                    })
                })
            })
    }

    /// `` `web` (8080), `log-router` (no ports) `` for messages.
    #[must_use]
    pub fn describe(&self) -> String {
        if self.containers.is_empty() {
            return "no containers".to_owned();
        }
        self.containers
            .iter()
            .map(|container| format!("`{}` ({})", container.name, ports(&container.ports)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The container and port to route to when the flags leave one or both out: a given
    /// container with exactly one port; the only container exposing a given port; or, with
    /// neither, the only container that exposes exactly one port when no other exposes any.
    pub fn infer(
        &self,
        container: Option<&str>,
        port: Option<u16>,
    ) -> Result<(String, u16), Finding> {
        let exposing: Vec<&ContainerPorts> = self
            .containers
            .iter()
            .filter(|c| !c.ports.is_empty())
            .collect();
        let cannot = |why: String| {
            Finding::error("load-balancer-info", why)
                .help("name them: --container NAME --container-port PORT")
        };
        match (container, port) {
            (Some(name), Some(port)) => Ok((name.to_owned(), port)),
            (Some(name), None) => {
                let Some(found) = self.containers.iter().find(|c| c.name == name) else {
                    return Err(self.unknown_container(name));
                };
                match found.ports.as_slice() {
                    [only] => Ok((name.to_owned(), *only)),
                    [] => Err(self.no_ports(name)),
                    many => Err(cannot(format!(
                        "container `{name}` exposes {}; which one does the load balancer route to?",
                        ports(many)
                    ))
                    .help(format!("add --container-port, one of {}", ports(many)))),
                }
            }
            (None, Some(port)) => {
                let with: Vec<&ContainerPorts> =
                    exposing.iter().copied().filter(|c| c.ports.contains(&port)).collect();
                match with.as_slice() {
                    [only] => Ok((only.name.clone(), port)),
                    [] => Err(cannot(format!(
                        "no container exposes port {port}; the task definition has {}",
                        self.describe()
                    ))
                    .help(format!(
                        "use a port the task definition exposes, or add a `portMappings` entry with `containerPort` {port}"
                    ))),
                    many => Err(cannot(format!(
                        "{} all expose port {port}",
                        backticked(many.iter().map(|c| c.name.as_str()))
                    ))
                    .help("add --container NAME")),
                }
            }
            (None, None) => match exposing.as_slice() {
                [only] if only.ports.len() == 1 => Ok((only.name.clone(), only.ports[0])),
                [] => Err(cannot(format!(
                    "no container of the task definition has a `containerPort` for the load balancer; it has {}",
                    self.describe()
                ))
                .help("add a `portMappings` entry to the container the load balancer routes to")),
                _ => Err(cannot(format!(
                    "cannot tell which container and port the load balancer routes to; the task definition has {}",
                    self.describe()
                ))),
            },
        }
    }

    /// What is wrong with routing to `port` of container `name`, if anything.
    #[must_use]
    pub fn check(&self, name: &str, port: u16) -> Option<Finding> {
        let Some(container) = self.containers.iter().find(|c| c.name == name) else {
            return Some(self.unknown_container(name));
        };
        if container.ports.is_empty() {
            return Some(self.no_ports(name));
        }
        (!container.ports.contains(&port)).then(|| {
            Finding::error(
                "unknown-port",
                format!(
                    "container `{name}` has no port mapping for port {port}; it exposes {}",
                    ports(&container.ports)
                ),
            )
            .help("use one of those ports, or add a `portMappings` entry with that `containerPort`")
        })
    }

    fn unknown_container(&self, name: &str) -> Finding {
        let with_ports: Vec<&str> = self
            .containers
            .iter()
            .filter(|c| !c.ports.is_empty())
            .map(|c| c.name.as_str())
            .collect();
        let finding = Finding::error(
            "unknown-container",
            format!(
                "container `{name}` is not in the task definition; it has {}",
                self.describe()
            ),
        );
        match with_ports.as_slice() {
            [] => finding,
            names => finding.help(format!(
                "name the container the load balancer routes to: {}",
                backticked(names.iter().copied())
            )),
        }
    }

    fn no_ports(&self, name: &str) -> Finding {
        Finding::error(
            "unknown-port",
            format!(
                "container `{name}` has no `portMappings`, so no load balancer can route to it; the task definition has {}",
                self.describe()
            ),
        )
        .help("add a `portMappings` entry with the `containerPort` the application listens on")
    }
}

fn ports(ports: &[u16]) -> String {
    if ports.is_empty() {
        return "no ports".to_owned();
    }
    ports
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
