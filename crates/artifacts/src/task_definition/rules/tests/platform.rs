//! The rules of `platform/`: for each, a definition that passes and one that breaks it.

mod network;
mod windows;

use serde_json::{Value, json};

use super::{ECR, SHA, only, run, set, web_and_sidecar, with};

/// A Windows service on Fargate: IIS on Windows Server 2022 Core at the smallest Windows size,
/// logging to CloudWatch. It passes every rule.
fn windows_on_fargate() -> Value {
    json!({
        "family": "iis",
        "executionRoleArn": "arn:aws:iam::123456789012:role/iis-execution",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "1024",
        "memory": "2048",
        "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE", "cpuArchitecture": "X86_64"},
        "containerDefinitions": [{
            "name": "iis",
            "image": format!("{ECR}/iis@{SHA}"),
            "essential": true,
            "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
            "dockerSecurityOptions": [],
            "privileged": false,
            "readonlyRootFilesystem": false,
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {"awslogs-group": "/ecs/iis", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "iis"}
            }
        }]
    })
}

/// The same service on EC2 Windows instances, with the default network mode and a `local`
/// Docker volume.
fn windows_on_ec2() -> Value {
    let mut document = windows_on_fargate();
    let fields = document.as_object_mut().expect("an object");
    fields.remove("networkMode");
    fields.remove("cpu");
    fields.remove("memory");
    set(&mut document, "/requiresCompatibilities", json!(["EC2"]));
    set(&mut document, "/containerDefinitions/0/memory", json!(2048));
    set(
        &mut document,
        "/volumes",
        json!([{"name": "cache", "dockerVolumeConfiguration": {"scope": "task", "driver": "local"}}]),
    );
    document
}

/// The ARM64 Linux Fargate fixture at the edge of what Fargate allows: `SYS_PTRACE` added
/// (both spellings), `pidMode` `task`, a bind mount with no host path, Splunk logs, and the
/// refused switches written as their defaults.
fn fargate_at_the_edges() -> Value {
    let mut document = web_and_sidecar();
    set(&mut document, "/pidMode", json!("task"));
    set(&mut document, "/placementConstraints", json!([]));
    set(
        &mut document,
        "/volumes",
        json!([{"name": "scratch", "host": {}}, {"name": "plain"}]),
    );
    set(
        &mut document,
        "/containerDefinitions/0/linuxParameters",
        json!({
            "capabilities": {"add": ["SYS_PTRACE", "CAP_SYS_PTRACE"], "drop": ["NET_RAW"]},
            "initProcessEnabled": true,
            "devices": [],
            "tmpfs": []
        }),
    );
    set(
        &mut document,
        "/containerDefinitions/0/privileged",
        json!(false),
    );
    set(
        &mut document,
        "/containerDefinitions/0/disableNetworking",
        json!(false),
    );
    set(&mut document, "/containerDefinitions/0/links", json!([]));
    set(
        &mut document,
        "/containerDefinitions/0/dnsServers",
        json!([]),
    );
    set(
        &mut document,
        "/containerDefinitions/0/resourceRequirements",
        json!([{"type": "InferenceAccelerator", "value": "device_1"}]),
    );
    set(
        &mut document,
        "/containerDefinitions/1/firelensConfiguration",
        json!({"type": "fluentbit", "options": {"config-file-type": "file", "config-file-value": "/extra.conf"}}),
    );
    set(
        &mut document,
        "/containerDefinitions/1/logConfiguration",
        json!({
            "logDriver": "splunk",
            "options": {"splunk-url": "https://splunk.example.com:8088"},
            "secretOptions": [{"name": "splunk-token", "valueFrom": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:splunk-AbCdEf"}]
        }),
    );
    document
}

#[test]
fn valid_platform_definitions_pass() {
    assert_eq!(run(&web_and_sidecar()), []);
    assert_eq!(run(&windows_on_fargate()), []);
    assert_eq!(run(&windows_on_ec2()), []);
    assert_eq!(run(&fargate_at_the_edges()), []);
}

#[test]
fn fargate_refuses_container_parameters() {
    let web = "$.containerDefinitions[0]";
    for (key, value, rule, field) in [
        (
            "disableNetworking",
            json!(true),
            "fargate-disable-networking",
            "disableNetworking",
        ),
        (
            "dnsSearchDomains",
            json!(["corp.example"]),
            "fargate-dns-search-domains",
            "dnsSearchDomains",
        ),
        (
            "dnsServers",
            json!(["10.0.0.2"]),
            "fargate-dns-servers",
            "dnsServers",
        ),
        (
            "dockerSecurityOptions",
            json!(["no-new-privileges"]),
            "fargate-docker-security-options",
            "dockerSecurityOptions",
        ),
        (
            "extraHosts",
            json!([{"hostname": "db", "ipAddress": "10.0.0.9"}]),
            "fargate-extra-hosts",
            "extraHosts",
        ),
        ("links", json!(["log-router"]), "fargate-links", "links"),
        (
            "privileged",
            json!(true),
            "fargate-privileged",
            "privileged",
        ),
        (
            "linuxParameters",
            json!({"maxSwap": 0}),
            "fargate-max-swap",
            "linuxParameters.maxSwap",
        ),
        (
            "linuxParameters",
            json!({"swappiness": 60}),
            "fargate-swappiness",
            "linuxParameters.swappiness",
        ),
        (
            "linuxParameters",
            json!({"devices": [{"hostPath": "/dev/fuse"}]}),
            "fargate-devices",
            "linuxParameters.devices",
        ),
        (
            "linuxParameters",
            json!({"sharedMemorySize": 256}),
            "fargate-shared-memory-size",
            "linuxParameters.sharedMemorySize",
        ),
        (
            "linuxParameters",
            json!({"tmpfs": [{"containerPath": "/tmp", "size": 64}]}),
            "fargate-tmpfs",
            "linuxParameters.tmpfs",
        ),
    ] {
        let finding = only(
            run(&with(&format!("/containerDefinitions/0/{key}"), value)),
            rule,
            &format!("{web}.{field}"),
        );
        assert_eq!(
            finding.message,
            format!("container `web` sets `{field}`; Fargate does not support it")
        );
    }
}

#[test]
fn fargate_adds_only_sys_ptrace() {
    let document = with(
        "/containerDefinitions/0/linuxParameters",
        json!({"capabilities": {"add": ["SYS_PTRACE", "NET_ADMIN"]}}),
    );
    let finding = only(
        run(&document),
        "fargate-capabilities",
        "$.containerDefinitions[0].linuxParameters.capabilities.add[1]",
    );
    assert_eq!(
        finding.message,
        "container `web` adds the `NET_ADMIN` capability; Fargate only lets a container add `SYS_PTRACE`"
    );
}

#[test]
fn fargate_has_no_gpus() {
    let document = with(
        "/containerDefinitions/0/resourceRequirements",
        json!([{"type": "InferenceAccelerator", "value": "device_1"}, {"type": "GPU", "value": "1"}]),
    );
    let finding = only(
        run(&document),
        "fargate-gpu",
        "$.containerDefinitions[0].resourceRequirements[1]",
    );
    assert_eq!(
        finding.message,
        "container `web` asks for a GPU; Fargate has no GPUs"
    );
}

#[test]
fn fargate_log_drivers() {
    let document = with(
        "/containerDefinitions/1/logConfiguration",
        json!({"logDriver": "json-file"}),
    );
    let finding = only(
        run(&document),
        "fargate-log-driver",
        "$.containerDefinitions[1].logConfiguration.logDriver",
    );
    assert_eq!(
        finding.message,
        "container `log-router` logs with the `json-file` driver; Fargate supports `awslogs`, `splunk` and `awsfirelens`"
    );
    // The same driver is fine on EC2.
    let mut document = document;
    set(&mut document, "/requiresCompatibilities", json!(["EC2"]));
    assert_eq!(run(&document), []);
}

#[test]
fn fargate_reads_firelens_configuration_from_a_file() {
    let document = with(
        "/containerDefinitions/1/firelensConfiguration",
        json!({"type": "fluentbit", "options": {"config-file-type": "s3", "config-file-value": "arn:aws:s3:::logs/extra.conf"}}),
    );
    let finding = only(
        run(&document),
        "fargate-firelens-config-file",
        "$.containerDefinitions[1].firelensConfiguration.options['config-file-type']",
    );
    assert_eq!(
        finding.message,
        "container `log-router` reads its FireLens configuration from S3; on Fargate the `config-file-type` must be `file`"
    );
}

#[test]
fn fargate_task_parameters() {
    let finding = only(
        run(&with("/ipcMode", json!("task"))),
        "fargate-ipc-mode",
        "$.ipcMode",
    );
    assert_eq!(
        finding.message,
        "the task sets `ipcMode` `task`; Fargate does not support `ipcMode`"
    );
    let finding = only(
        run(&with("/pidMode", json!("host"))),
        "fargate-pid-mode",
        "$.pidMode",
    );
    assert_eq!(
        finding.message,
        "the task sets `pidMode` `host`; on Fargate the only valid value is `task`"
    );
    let constraints = json!([{"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}]);
    let finding = only(
        run(&with("/placementConstraints", constraints)),
        "fargate-placement-constraints",
        "$.placementConstraints",
    );
    assert_eq!(
        finding.message,
        "the task sets `placementConstraints`; Fargate does not support them"
    );
}

#[test]
fn fargate_volumes_are_bind_mounts() {
    let document = with(
        "/volumes",
        json!([
            {"name": "scratch"},
            {"name": "data", "dockerVolumeConfiguration": {"scope": "shared", "autoprovision": true, "driver": "local"}},
            {"host": {"sourcePath": "/var/run/docker.sock"}}
        ]),
    );
    let findings = run(&document);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let finding = only(
        findings[..1].to_vec(),
        "fargate-docker-volume",
        "$.volumes[1].dockerVolumeConfiguration",
    );
    assert_eq!(
        finding.message,
        "volume `data` is a Docker volume; Fargate tasks only support bind mounts"
    );
    let finding = only(
        findings[1..].to_vec(),
        "fargate-host-source-path",
        "$.volumes[2].host.sourcePath",
    );
    assert_eq!(
        finding.message,
        "volume 2 mounts the host path `/var/run/docker.sock`; Fargate has no host paths"
    );
}
