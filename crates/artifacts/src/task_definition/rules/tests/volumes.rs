//! The rules of `volumes.rs`: for each, a definition that passes and one that breaks it.

mod names;

use serde_json::{Value, json};

use super::{ECR, SHA, only, remove, run, set, with};
use crate::task_definition::shape::check_structure;

/// A one-container EC2 task on Linux with `volumes`, mounting none of them.
fn on_ec2(volumes: &Value) -> Value {
    json!({
        "family": "worker",
        "requiresCompatibilities": ["EC2"],
        "runtimePlatform": {"operatingSystemFamily": "LINUX"},
        "volumes": volumes,
        "containerDefinitions": [{
            "name": "worker",
            "image": format!("{ECR}/worker@{SHA}"),
            "memory": 512,
            "essential": true
        }]
    })
}

/// The same task with the worker's `linuxParameters` set.
fn linux(parameters: &Value) -> Value {
    let mut document = on_ec2(&json!([]));
    set(
        &mut document,
        "/containerDefinitions/0/linuxParameters",
        parameters.clone(),
    );
    document
}

#[test]
fn volume_names() {
    let longest = "v".repeat(255);
    for name in ["data_01-x", longest.as_str(), "${VOLUME}"] {
        assert_eq!(run(&on_ec2(&json!([{"name": name}]))), [], "{name}");
    }
    for name in ["my.volume", "two words", &"v".repeat(256)] {
        let finding = only(
            run(&on_ec2(&json!([{"name": name}]))),
            "volume-name",
            "$.volumes[0].name",
        );
        assert!(
            finding
                .message
                .ends_with("name is not up to 255 letters, digits, `_` and `-`"),
            "{name}"
        );
    }
    // A host volume may be unnamed; an EFS volume may not.
    assert_eq!(run(&on_ec2(&json!([{"host": {}}]))), []);
    let finding = only(
        run(&on_ec2(
            &json!([{"efsVolumeConfiguration": {"fileSystemId": "fs-1234"}}]),
        )),
        "volume-name",
        "$.volumes[0]",
    );
    assert_eq!(
        finding.message,
        "volume 0 uses `efsVolumeConfiguration` without a name, which EFS volumes require"
    );
}

#[test]
fn one_type_per_volume() {
    for volume in [
        json!({"name": "a", "host": {"sourcePath": "/data"}}),
        json!({"name": "a", "configuredAtLaunch": false, "host": {}}),
        json!({"name": "a", "configuredAtLaunch": true}),
    ] {
        assert_eq!(run(&on_ec2(&json!([volume]))), [], "{volume}");
    }
    let volume = json!({"name": "data", "host": {"sourcePath": "/data"}, "efsVolumeConfiguration": {"fileSystemId": "fs-1234"}});
    let finding = only(
        run(&on_ec2(&json!([volume]))),
        "volume-type-conflict",
        "$.volumes[0]",
    );
    assert_eq!(
        finding.message,
        "volume `data` has `efsVolumeConfiguration` and `host`; a volume has one type"
    );
}

#[test]
fn one_volume_configured_at_launch() {
    let first = json!({"name": "ebs-a", "configuredAtLaunch": true});
    let second = json!({"name": "ebs-b", "configuredAtLaunch": true});
    assert_eq!(
        run(&on_ec2(
            &json!([first, {"name": "ebs-b", "configuredAtLaunch": false}])
        )),
        []
    );
    let finding = only(
        run(&on_ec2(&json!([first, second]))),
        "volume-configured-at-launch",
        "$.volumes[1].configuredAtLaunch",
    );
    assert_eq!(
        finding.message,
        "volume 1 is the second volume with `configuredAtLaunch`; a task definition may have only one"
    );
}

#[test]
fn docker_volume_autoprovision() {
    for docker in [
        json!({"scope": "shared", "autoprovision": true, "driver": "local"}),
        json!({"scope": "shared", "autoprovision": false}),
        json!({"scope": "task", "driver": "local"}),
    ] {
        let volumes = json!([{"name": "scratch", "dockerVolumeConfiguration": docker}]);
        assert_eq!(run(&on_ec2(&volumes)), [], "{docker}");
    }
    for autoprovision in [true, false] {
        let volumes = json!([{"name": "scratch", "dockerVolumeConfiguration": {"scope": "task", "autoprovision": autoprovision}}]);
        let finding = only(
            run(&on_ec2(&volumes)),
            "docker-volume-autoprovision",
            "$.volumes[0].dockerVolumeConfiguration.autoprovision",
        );
        assert_eq!(
            finding.message,
            format!(
                "volume `scratch` sets `autoprovision` {autoprovision} with the `task` scope; it is only for `shared` volumes"
            )
        );
    }
}

fn efs(configuration: &Value) -> Value {
    with(
        "/volumes",
        json!([{"name": "content", "efsVolumeConfiguration": configuration}]),
    )
}

#[test]
fn efs_transit_encryption() {
    for configuration in [
        json!({"fileSystemId": "fs-1234", "transitEncryption": "ENABLED", "authorizationConfig": {"iam": "ENABLED", "accessPointId": "fsap-1234"}}),
        json!({"fileSystemId": "fs-1234", "authorizationConfig": {"iam": "DISABLED"}}),
        json!({"fileSystemId": "fs-1234", "rootDirectory": "/data"}),
    ] {
        assert_eq!(run(&efs(&configuration)), [], "{configuration}");
    }
    let finding = only(
        run(&efs(
            &json!({"fileSystemId": "fs-1234", "authorizationConfig": {"accessPointId": "fsap-1234"}}),
        )),
        "efs-transit-encryption",
        "$.volumes[0].efsVolumeConfiguration",
    );
    assert_eq!(
        finding.message,
        "volume `content` uses an access point without transit encryption, which they require"
    );
    let finding = only(
        run(&efs(
            &json!({"fileSystemId": "fs-1234", "transitEncryption": "DISABLED", "authorizationConfig": {"iam": "ENABLED"}}),
        )),
        "efs-transit-encryption",
        "$.volumes[0].efsVolumeConfiguration.transitEncryption",
    );
    assert_eq!(
        finding.message,
        "volume `content` uses IAM authorization without transit encryption, which they require"
    );
}

#[test]
fn efs_root_directory_with_an_access_point() {
    let with_root = |root: &str| {
        efs(&json!({
            "fileSystemId": "fs-1234",
            "rootDirectory": root,
            "transitEncryption": "ENABLED",
            "authorizationConfig": {"accessPointId": "fsap-1234"}
        }))
    };
    assert_eq!(run(&with_root("/")), []);
    let finding = only(
        run(&with_root("/data")),
        "efs-root-directory",
        "$.volumes[0].efsVolumeConfiguration.rootDirectory",
    );
    assert_eq!(
        finding.message,
        "volume `content` sets `rootDirectory` `/data` with an access point; the access point's path is the root"
    );
}

#[test]
fn fsx_for_windows_only_on_windows() {
    let fsx = json!([{"name": "share", "fsxWindowsFileServerVolumeConfiguration": {
        "fileSystemId": "fs-0123456789abcdef0",
        "rootDirectory": "share",
        "authorizationConfig": {"credentialsParameter": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fsx-AbCdEf", "domain": "corp.example.com"}
    }}]);
    let mut windows = on_ec2(&fsx);
    set(
        &mut windows,
        "/runtimePlatform/operatingSystemFamily",
        json!("WINDOWS_SERVER_2022_CORE"),
    );
    assert_eq!(run(&windows), []);
    let finding = only(
        run(&on_ec2(&fsx)),
        "fsx-windows-only",
        "$.volumes[0].fsxWindowsFileServerVolumeConfiguration",
    );
    assert_eq!(
        finding.message,
        "volume `share` is an FSx for Windows File Server volume in a Linux task"
    );
}

const LINUX: &str = "$.containerDefinitions[0].linuxParameters";

#[test]
fn tmpfs_container_path() {
    let tmpfs = |path: &str| linux(&json!({"tmpfs": [{"containerPath": path, "size": 64}]}));
    assert_eq!(run(&tmpfs("/run")), []);
    let finding = only(
        run(&tmpfs("run")),
        "tmpfs-container-path",
        &format!("{LINUX}.tmpfs[0].containerPath"),
    );
    assert_eq!(
        finding.message,
        "container `worker`'s tmpfs mount 0 has `containerPath` `run`, which is not an absolute path"
    );
}

#[test]
fn tmpfs_mount_options() {
    let tmpfs = |options: Value| {
        linux(&json!({"tmpfs": [{"containerPath": "/tmp", "size": 64, "mountOptions": options}]}))
    };
    assert_eq!(
        run(&tmpfs(json!([
            "rw",
            "noexec",
            "nosuid",
            "mode=1777",
            "uid=1000",
            "mpol"
        ]))),
        []
    );
    let finding = only(
        run(&tmpfs(json!(["rw", "noexce"]))),
        "tmpfs-mount-option",
        &format!("{LINUX}.tmpfs[0].mountOptions[1]"),
    );
    assert_eq!(
        finding.message,
        "container `worker`'s tmpfs mount option `noexce` is not one ECS accepts"
    );
    assert_eq!(finding.help.as_deref(), Some("did you mean `noexec`?"));
    only(
        run(&tmpfs(json!(["size=64m"]))),
        "tmpfs-mount-option",
        &format!("{LINUX}.tmpfs[0].mountOptions[0]"),
    );
}

#[test]
fn linux_capabilities() {
    let capabilities =
        |add: Value, drop: Value| linux(&json!({"capabilities": {"add": add, "drop": drop}}));
    assert_eq!(
        run(&capabilities(
            json!(["SYS_PTRACE", "NET_ADMIN"]),
            json!(["ALL"])
        )),
        []
    );
    assert_eq!(
        run(&capabilities(
            json!(["CAP_SYS_PTRACE"]),
            json!(["NET_RAW", "CAP_SYS_ADMIN"])
        )),
        [],
        "the `CAP_` form the Fargate page writes"
    );
    let finding = only(
        run(&capabilities(json!([]), json!(["NET_RAW", "sys_admin"]))),
        "linux-capability",
        &format!("{LINUX}.capabilities.drop[1]"),
    );
    assert_eq!(
        finding.message,
        "container `worker`'s `capabilities.drop` has `sys_admin`, which is not a Linux capability ECS knows"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("write `SYS_ADMIN`: ECS names capabilities in capitals")
    );
    let finding = only(
        run(&capabilities(json!(["SYS_PTRAC"]), json!([]))),
        "linux-capability",
        &format!("{LINUX}.capabilities.add[0]"),
    );
    assert_eq!(finding.help.as_deref(), Some("did you mean `SYS_PTRACE`?"));
}

#[test]
fn what_the_model_catches() {
    let mut document = on_ec2(&json!([
        {"name": "a", "dockerVolumeConfiguration": {"scope": "cluster"}},
        {"name": "b", "efsVolumeConfiguration": {"transitEncryption": "ON"}},
        {"name": "c", "fsxWindowsFileServerVolumeConfiguration": {"fileSystemId": "fs-0123456789abcdef0"}}
    ]));
    // Without `runtimePlatform` the operating system is unknown offline.
    remove(&mut document, "/runtimePlatform");
    set(
        &mut document,
        "/containerDefinitions/0/linuxParameters",
        json!({"tmpfs": [{"containerPath": "/tmp"}]}),
    );
    let rules: Vec<_> = check_structure(&document)
        .iter()
        .map(|finding| (finding.rule, finding.shown_location().unwrap_or_default()))
        .collect();
    for expected in [
        (
            "invalid-enum",
            "$.volumes[0].dockerVolumeConfiguration.scope",
        ),
        ("missing-key", "$.volumes[1].efsVolumeConfiguration"),
        (
            "invalid-enum",
            "$.volumes[1].efsVolumeConfiguration.transitEncryption",
        ),
        (
            "missing-key",
            "$.containerDefinitions[0].linuxParameters.tmpfs[0]",
        ),
    ] {
        let expected = (expected.0, expected.1.to_owned());
        assert!(rules.contains(&expected), "{expected:?} in {rules:?}");
    }
    assert_eq!(run(&document), []);
}
