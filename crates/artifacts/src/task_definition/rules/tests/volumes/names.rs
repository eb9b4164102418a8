//! Volume names, mount paths and the EFS transit encryption port.

use serde_json::json;

use super::on_ec2;
use crate::finding::Severity;
use crate::task_definition::rules::tests::{only, run, set};

#[test]
fn volume_names_are_unique() {
    let two = json!([{"name": "data", "host": {}}, {"name": "cache", "host": {}}]);
    assert_eq!(run(&on_ec2(&two)), []);
    let same = json!([{"name": "data", "host": {}}, {"name": "cache"}, {"name": "data"}]);
    let finding = only(
        run(&on_ec2(&same)),
        "duplicate-volume-name",
        "$.volumes[2].name",
    );
    assert_eq!(
        finding.message,
        "volume 2 is named `data` like an earlier volume; a mount point's `sourceVolume` names one volume"
    );
}

#[test]
fn a_container_mounts_one_volume_per_path() {
    let mut document = on_ec2(&json!([{"name": "data"}, {"name": "cache"}]));
    set(
        &mut document,
        "/containerDefinitions/0/mountPoints",
        json!([
            {"sourceVolume": "data", "containerPath": "/var/data"},
            {"sourceVolume": "cache", "containerPath": "/var/data/cache"}
        ]),
    );
    assert_eq!(run(&document), []);
    // A trailing `/` names the same path.
    set(
        &mut document,
        "/containerDefinitions/0/mountPoints/1/containerPath",
        json!("/var/data/"),
    );
    let finding = only(
        run(&document),
        "duplicate-mount-path",
        "$.containerDefinitions[0].mountPoints[1].containerPath",
    );
    assert_eq!(
        finding.message,
        "container `worker` mounts two volumes at `/var/data`; Docker refuses a duplicate mount point, so the container cannot start"
    );
}

#[test]
fn efs_transit_encryption_port() {
    let efs = |configuration: serde_json::Value| {
        let mut volume =
            json!({"name": "shared", "efsVolumeConfiguration": {"fileSystemId": "fs-1234"}});
        for (key, value) in configuration.as_object().expect("an object") {
            volume["efsVolumeConfiguration"][key] = value.clone();
        }
        on_ec2(&json!([volume]))
    };
    for port in [0, 2049, 65_535] {
        let document = efs(json!({"transitEncryption": "ENABLED", "transitEncryptionPort": port}));
        assert_eq!(run(&document), [], "{port}");
    }
    let at = "$.volumes[0].efsVolumeConfiguration.transitEncryptionPort";
    for port in [-1, 65_536] {
        let document = efs(json!({"transitEncryption": "ENABLED", "transitEncryptionPort": port}));
        let finding = only(run(&document), "efs-transit-encryption-port", at);
        assert_eq!(finding.severity, Severity::Error);
        assert_eq!(
            finding.message,
            format!("volume `shared` has `transitEncryptionPort` {port}; the port is 0 to 65535")
        );
    }
    for configuration in [
        json!({"transitEncryptionPort": 2049}),
        json!({"transitEncryption": "DISABLED", "transitEncryptionPort": 2049}),
    ] {
        let finding = only(run(&efs(configuration)), "efs-transit-encryption-port", at);
        assert_eq!(finding.severity, Severity::Warning);
        assert_eq!(
            finding.message,
            "volume `shared` sets `transitEncryptionPort` without transit encryption, so nothing uses the port"
        );
    }
}

#[test]
fn fsx_credentials_are_a_secret_or_parameter_arn() {
    let windows = |parameter: &str| {
        let mut document = on_ec2(
            &json!([{"name": "share", "fsxWindowsFileServerVolumeConfiguration": {
                "fileSystemId": "fs-0123456789abcdef0",
                "rootDirectory": "share",
                "authorizationConfig": {"credentialsParameter": parameter, "domain": "corp.example.com"}
            }}]),
        );
        set(
            &mut document,
            "/runtimePlatform/operatingSystemFamily",
            json!("WINDOWS_SERVER_2022_CORE"),
        );
        document
    };
    for parameter in [
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fsx-AbCdEf",
        "arn:aws:ssm:eu-west-1:123456789012:parameter/fsx/credentials",
    ] {
        assert_eq!(run(&windows(parameter)), [], "{parameter}");
    }
    let at = "$.volumes[0].fsxWindowsFileServerVolumeConfiguration.authorizationConfig.credentialsParameter";
    let finding = only(
        run(&windows("fsx/credentials")),
        "fsx-credentials-parameter",
        at,
    );
    assert_eq!(
        finding.message,
        "volume `share`'s `authorizationConfig.credentialsParameter` `fsx/credentials` is not an ARN"
    );
    only(
        run(&windows("arn:aws:ssm:eu-west-1:123456789012")),
        "fsx-credentials-parameter",
        at,
    );
}
