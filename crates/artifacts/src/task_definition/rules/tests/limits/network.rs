//! Container kernel parameters, extra hosts and DNS servers.

use serde_json::{Value, json};

use super::{ec2_host, ec2_with};
use crate::task_definition::rules::tests::{only, run, set, web_and_sidecar};

fn with_sysctl(document: &mut Value, namespace: &str) {
    set(
        document,
        "/containerDefinitions/0/systemControls",
        json!([{"namespace": namespace, "value": "1"}]),
    );
}

#[test]
fn kernel_parameters_are_namespaced() {
    let mut document = web_and_sidecar();
    for namespace in [
        "net.core.somaxconn",
        "kernel.shmmax",
        "fs.mqueue.msg_max",
        "kernel.shm_rmid_forced",
    ] {
        with_sysctl(&mut document, namespace);
        assert_eq!(run(&document), []);
    }
    with_sysctl(&mut document, "vm.swappiness");
    let finding = only(
        run(&document),
        "system-control-namespace",
        "$.containerDefinitions[0].systemControls[0].namespace",
    );
    assert_eq!(
        finding.message,
        "container `web` sets the kernel parameter `vm.swappiness`, which is not namespaced; \
         ECS accepts `net.*`, `fs.mqueue.*` and the IPC `kernel.*` parameters"
    );
}

#[test]
fn host_modes_refuse_their_namespace_parameters() {
    // The host network still takes IPC parameters, and the task IPC mode takes them too.
    let mut document = ec2_with("/ipcMode", json!("task"));
    with_sysctl(&mut document, "kernel.shmmax");
    assert_eq!(run(&document), []);

    let mut document = ec2_host();
    with_sysctl(&mut document, "net.ipv4.tcp_keepalive_time");
    let finding = only(
        run(&document),
        "system-control-host-mode",
        "$.containerDefinitions[0].systemControls[0].namespace",
    );
    assert_eq!(
        finding.message,
        "container `app` sets the network parameter `net.ipv4.tcp_keepalive_time`, which the `host` network mode does not support"
    );

    let mut document = ec2_with("/ipcMode", json!("host"));
    with_sysctl(&mut document, "kernel.sem");
    let finding = only(
        run(&document),
        "system-control-host-mode",
        "$.containerDefinitions[0].systemControls[0].namespace",
    );
    assert_eq!(
        finding.message,
        "container `app` sets the IPC parameter `kernel.sem`, which the `host` IPC mode does not support"
    );
}

#[test]
fn extra_hosts_map_names_to_ip_addresses() {
    let hosts = json!([
        {"hostname": "db", "ipAddress": "10.0.0.5"},
        {"hostname": "db6", "ipAddress": "fd00::5"},
        {"hostname": "host.docker.internal", "ipAddress": "host-gateway"}
    ]);
    assert_eq!(
        run(&ec2_with("/containerDefinitions/0/extraHosts", hosts)),
        []
    );
    let hosts = json!([{"hostname": "db", "ipAddress": "db.internal"}]);
    let finding = only(
        run(&ec2_with("/containerDefinitions/0/extraHosts", hosts)),
        "extra-host-address",
        "$.containerDefinitions[0].extraHosts[0].ipAddress",
    );
    assert_eq!(
        finding.message,
        "container `app` has the `extraHosts` address `db.internal`, which is not an IP address"
    );
}

#[test]
fn dns_servers_are_ip_addresses() {
    let servers = json!(["10.0.0.2", "2001:db8::53"]);
    assert_eq!(
        run(&ec2_with("/containerDefinitions/0/dnsServers", servers)),
        []
    );
    let servers = json!(["10.0.0.2", "10.0.0.3:53"]);
    let finding = only(
        run(&ec2_with("/containerDefinitions/0/dnsServers", servers)),
        "dns-server-address",
        "$.containerDefinitions[0].dnsServers[1]",
    );
    assert_eq!(
        finding.message,
        "container `app` has the DNS server `10.0.0.3:53`, which is not an IP address"
    );
}

#[test]
fn task_wide_kernel_parameters_have_one_value() {
    let set_in = |document: &mut Value, index: usize, namespace: &str, value: &str| {
        set(
            document,
            &format!("/containerDefinitions/{index}/systemControls"),
            json!([{"namespace": namespace, "value": value}]),
        );
    };
    // Under `awsvpc` a network parameter applies to the whole task: one value passes.
    let mut document = web_and_sidecar();
    set_in(&mut document, 0, "net.core.somaxconn", "1024");
    set_in(&mut document, 1, "net.core.somaxconn", "1024");
    assert_eq!(run(&document), []);
    set_in(&mut document, 1, "net.core.somaxconn", "4096");
    let finding = only(
        run(&document),
        "system-control-conflict",
        "$.containerDefinitions[1].systemControls[0].value",
    );
    assert_eq!(finding.severity, crate::finding::Severity::Warning);
    assert_eq!(
        finding.message,
        "container `log-router` sets `net.core.somaxconn` to `4096`, but `web` sets it to `1024`; the value applies to the whole task, and the container started last wins"
    );
    // The `task` IPC mode shares IPC parameters; `bridge` gives each container its own network.
    let mut document = ec2_with("/ipcMode", json!("task"));
    set(&mut document, "/networkMode", json!("bridge"));
    let second = document["containerDefinitions"][0].clone();
    set(&mut document, "/containerDefinitions/1", second);
    set(
        &mut document,
        "/containerDefinitions/1/name",
        json!("worker"),
    );
    set_in(&mut document, 0, "net.core.somaxconn", "1024");
    set_in(&mut document, 1, "net.core.somaxconn", "4096");
    assert_eq!(run(&document), []);
    set_in(&mut document, 0, "kernel.shmmax", "1024");
    set_in(&mut document, 1, "kernel.shmmax", "4096");
    only(
        run(&document),
        "system-control-conflict",
        "$.containerDefinitions[1].systemControls[0].value",
    );
}
