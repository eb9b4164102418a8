//! A container's kernel parameters, extra hosts and DNS servers.

use std::net::IpAddr;

use serde_json::Value;

use crate::finding::Finding;
use crate::task_definition::rules::{Container, Task};

/// The kernel parameters of the IPC namespace; `fs.mqueue.*` are too.
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_SystemControl.html>
/// ("Valid IPC namespace values", "Valid network namespace values: Sysctls that start with
/// net.*").
const IPC_SYSCTLS: [&str; 8] = [
    "kernel.msgmax",
    "kernel.msgmnb",
    "kernel.msgmni",
    "kernel.sem",
    "kernel.shmall",
    "kernel.shmmax",
    "kernel.shmmni",
    "kernel.shm_rmid_forced",
];

pub(super) fn check(
    task: &Task<'_>,
    ipc_mode: Option<&str>,
    container: &Container<'_>,
    findings: &mut Vec<Finding>,
) {
    check_system_controls(task, ipc_mode, container, findings);
    check_addresses(container, findings);
}

/// Which namespace a kernel parameter belongs to, if any.
fn sysctl_namespace(name: &str) -> Option<&'static str> {
    if name.starts_with("net.") {
        Some("network")
    } else if IPC_SYSCTLS.contains(&name) || name.starts_with("fs.mqueue.") {
        Some("IPC")
    } else {
        None
    }
}

/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_SystemControl.html>: the namespaced values above, and "For tasks that use the host
/// network mode, the network namespace systemControls aren't supported"; "For tasks that use
/// the host IPC mode, IPC namespace systemControls aren't supported".
fn check_system_controls(
    task: &Task<'_>,
    ipc_mode: Option<&str>,
    container: &Container<'_>,
    findings: &mut Vec<Finding>,
) {
    for (index, control) in container.list("systemControls").iter().enumerate() {
        let Some(name) = control.get("namespace").and_then(Value::as_str) else {
            continue;
        };
        let path = container
            .path()
            .key("systemControls")
            .index(index)
            .key("namespace");
        let finding = match sysctl_namespace(name) {
            None => Finding::error(
                "system-control-namespace",
                format!(
                    "{container} sets the kernel parameter `{name}`, which is not namespaced; \
                     ECS accepts `net.*`, `fs.mqueue.*` and the IPC `kernel.*` parameters"
                ),
            )
            .help("set host-wide kernel parameters on the instance, not in the task"),
            Some("network") if task.network_mode == Some("host") => Finding::error(
                "system-control-host-mode",
                format!(
                    "{container} sets the network parameter `{name}`, which the `host` network \
                     mode does not support"
                ),
            )
            .help("set it on the instance, or use the `awsvpc` or `bridge` network mode"),
            Some("IPC") if ipc_mode == Some("host") => Finding::error(
                "system-control-host-mode",
                format!(
                    "{container} sets the IPC parameter `{name}`, which the `host` IPC mode does \
                     not support"
                ),
            )
            .help("set it on the instance, or use `\"ipcMode\": \"task\"`"),
            Some(_) => continue,
        };
        findings.push(finding.at(path));
    }
}

/// Kernel parameters that apply to the whole task, set to different values in two containers:
/// "For tasks that use the awsvpc network mode including Fargate, if you set systemControls for
/// any container, it applies to all containers in the task. If you set different systemControls
/// for multiple containers in a single task, the container that's started last determines which
/// systemControls take effect"; "For tasks that use the task IPC mode, IPC namespace
/// systemControls values apply to all containers within a task" (`SystemControl`). A warning:
/// ECS runs the task, with one of the values.
pub(super) fn check_shared_system_controls(
    task: &Task<'_>,
    ipc_mode: Option<&str>,
    containers: &[Container<'_>],
    findings: &mut Vec<Finding>,
) {
    let mut first: Vec<(&str, &str, String)> = Vec::new();
    for container in containers {
        for (index, control) in container.list("systemControls").iter().enumerate() {
            let (Some(name), Some(value)) = (
                control.get("namespace").and_then(Value::as_str),
                control.get("value").and_then(Value::as_str),
            ) else {
                continue;
            };
            let shared = match sysctl_namespace(name) {
                Some("network") => task.network_mode == Some("awsvpc"),
                Some(_) => ipc_mode == Some("task"),
                None => false,
            };
            if !shared {
                continue;
            }
            match first.iter().find(|(known, _, _)| *known == name) {
                None => first.push((name, value, container.short())),
                Some((_, earlier, owner)) if *earlier != value => findings.push(
                    Finding::warning(
                        "system-control-conflict",
                        format!(
                            "{container} sets `{name}` to `{value}`, but {owner} sets it to `{earlier}`; the value applies to the whole task, and the container started last wins"
                        ),
                    )
                    .at(container.path().key("systemControls").index(index).key("value"))
                    .help("set the parameter in one container only, or to the same value in each"),
                ),
                Some(_) => {}
            }
        }
    }
}

/// `extraHosts[].ipAddress` and `dnsServers[]` are IP addresses; Docker also resolves the
/// special `host-gateway` in `--add-host`.
/// Sources: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HostEntry.html> ("The IP address to use in the /etc/hosts entry"); Docker's `--dns`
/// ("The IP address of a DNS server", <https://docs.docker.com/engine/network/#dns-services>),
/// which `dnsServers` maps to; <https://docs.docker.com/reference/cli/docker/container/run/#add-host>.
fn check_addresses(container: &Container<'_>, findings: &mut Vec<Finding>) {
    let is_ip = |text: &str| text.parse::<IpAddr>().is_ok();
    for (index, host) in container.list("extraHosts").iter().enumerate() {
        let Some(address) = host.get("ipAddress").and_then(Value::as_str) else {
            continue;
        };
        if !is_ip(address) && address != "host-gateway" {
            findings.push(
                Finding::error(
                    "extra-host-address",
                    format!(
                        "{container} has the `extraHosts` address `{address}`, which is not an IP \
                         address"
                    ),
                )
                .at(container
                    .path()
                    .key("extraHosts")
                    .index(index)
                    .key("ipAddress"))
                .help(
                    "write the address as IPv4 (`10.0.0.5`) or IPv6; host names go in `hostname`",
                ),
            );
        }
    }
    for (index, server) in container.list("dnsServers").iter().enumerate() {
        let Some(address) = server.as_str() else {
            continue;
        };
        if !is_ip(address) {
            findings.push(
                Finding::error(
                    "dns-server-address",
                    format!(
                        "{container} has the DNS server `{address}`, which is not an IP address"
                    ),
                )
                .at(container.path().key("dnsServers").index(index))
                .help("write the resolver's IPv4 or IPv6 address, without a port"),
            );
        }
    }
}
