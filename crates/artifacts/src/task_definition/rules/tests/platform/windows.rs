//! The Windows rules of `platform/windows.rs`, on EC2 and on Fargate.

use serde_json::json;

use super::super::{only, run, set};
use super::{windows_on_ec2, windows_on_fargate};

#[test]
fn windows_refuses_container_parameters() {
    for (key, value, rule) in [
        ("links", json!(["db"]), "windows-links"),
        (
            "linuxParameters",
            json!({"initProcessEnabled": true}),
            "windows-linux-parameters",
        ),
        (
            "disableNetworking",
            json!(true),
            "windows-disable-networking",
        ),
        ("privileged", json!(true), "windows-privileged"),
        (
            "readonlyRootFilesystem",
            json!(true),
            "windows-readonly-root-filesystem",
        ),
        ("dnsServers", json!(["10.0.0.2"]), "windows-dns-servers"),
        (
            "dnsSearchDomains",
            json!(["corp.example"]),
            "windows-dns-search-domains",
        ),
        (
            "extraHosts",
            json!([{"hostname": "db", "ipAddress": "10.0.0.9"}]),
            "windows-extra-hosts",
        ),
        (
            "ulimits",
            json!([{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}]),
            "windows-ulimits",
        ),
        (
            "systemControls",
            json!([{"namespace": "net.core.somaxconn", "value": "1024"}]),
            "windows-system-controls",
        ),
    ] {
        // On Fargate a parameter both refuse is reported once, as the Windows rule; on EC2
        // the Windows rule alone applies.
        for mut document in [windows_on_fargate(), windows_on_ec2()] {
            set(
                &mut document,
                &format!("/containerDefinitions/0/{key}"),
                value.clone(),
            );
            let finding = only(
                run(&document),
                rule,
                &format!("$.containerDefinitions[0].{key}"),
            );
            assert_eq!(
                finding.message,
                format!("container `iis` sets `{key}`; Windows containers do not support it")
            );
        }
    }
}

#[test]
fn windows_on_fargate_still_gets_the_fargate_only_rules() {
    let mut document = windows_on_fargate();
    set(
        &mut document,
        "/containerDefinitions/0/dockerSecurityOptions",
        json!(["credentialspec:arn:aws:s3:::specs/gmsa.json"]),
    );
    only(
        run(&document),
        "fargate-docker-security-options",
        "$.containerDefinitions[0].dockerSecurityOptions",
    );
    // The same option is how gMSA is set up on EC2 Windows instances.
    let mut document = windows_on_ec2();
    set(
        &mut document,
        "/containerDefinitions/0/dockerSecurityOptions",
        json!(["credentialspec:arn:aws:s3:::specs/gmsa.json"]),
    );
    assert_eq!(run(&document), []);
}

#[test]
fn windows_has_no_pid_or_ipc_mode() {
    for (key, value, rule) in [
        ("pidMode", "task", "windows-pid-mode"),
        ("ipcMode", "none", "windows-ipc-mode"),
    ] {
        for mut document in [windows_on_fargate(), windows_on_ec2()] {
            set(&mut document, &format!("/{key}"), json!(value));
            let finding = only(run(&document), rule, &format!("$.{key}"));
            assert_eq!(
                finding.message,
                format!(
                    "the task sets `{key}` `{value}`; Windows containers do not support `{key}`"
                )
            );
        }
    }
}

#[test]
fn windows_on_ec2_network_modes() {
    let mut document = windows_on_ec2();
    set(&mut document, "/networkMode", json!("awsvpc"));
    assert_eq!(run(&document), []);
    set(&mut document, "/networkMode", json!("bridge"));
    let finding = only(run(&document), "windows-network-mode", "$.networkMode");
    assert_eq!(
        finding.message,
        "Windows containers on EC2 use the default network mode or `awsvpc`, not `bridge`"
    );
}

#[test]
fn windows_runs_on_x86_64_only() {
    let mut document = windows_on_ec2();
    set(
        &mut document,
        "/runtimePlatform/cpuArchitecture",
        json!("ARM64"),
    );
    let finding = only(
        run(&document),
        "windows-architecture",
        "$.runtimePlatform.cpuArchitecture",
    );
    assert_eq!(
        finding.message,
        "Windows containers run only on `X86_64`, not `ARM64`"
    );
    // On Fargate the Fargate rule says it, once.
    let mut document = windows_on_fargate();
    set(
        &mut document,
        "/runtimePlatform/cpuArchitecture",
        json!("ARM64"),
    );
    only(
        run(&document),
        "windows-fargate-architecture",
        "$.runtimePlatform.cpuArchitecture",
    );
}

#[test]
fn windows_docker_volumes_use_the_local_driver() {
    let mut document = windows_on_ec2();
    set(
        &mut document,
        "/volumes/0/dockerVolumeConfiguration/driver",
        json!("rexray/ebs"),
    );
    let finding = only(
        run(&document),
        "windows-docker-volume-driver",
        "$.volumes[0].dockerVolumeConfiguration.driver",
    );
    assert_eq!(
        finding.message,
        "volume 0 uses the `rexray/ebs` Docker volume driver; Windows containers only support `local`"
    );
}

#[test]
fn windows_has_no_firelens() {
    for mut document in [windows_on_fargate(), windows_on_ec2()] {
        set(
            &mut document,
            "/containerDefinitions/0/firelensConfiguration",
            json!({"type": "fluentbit"}),
        );
        set(
            &mut document,
            "/containerDefinitions/0/logConfiguration",
            json!({"logDriver": "awsfirelens", "options": {"Name": "stdout"}}),
        );
        let finding = only(
            run(&document),
            "windows-firelens",
            "$.containerDefinitions[0].firelensConfiguration",
        );
        assert_eq!(
            finding.message,
            "container `iis` sets `firelensConfiguration`; Windows containers do not support it"
        );
    }
}
