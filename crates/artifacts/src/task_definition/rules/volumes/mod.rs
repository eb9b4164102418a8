//! Volumes and mounts: Docker volume configurations, host paths, EFS (transit encryption, IAM authorization, access points), `fsxWindowsFileServerVolumeConfiguration`, tmpfs mount options and Linux capabilities.
//!
//! Sources: the ECS API Reference's `Volume`, `DockerVolumeConfiguration`,
//! `EFSVolumeConfiguration`, `EFSAuthorizationConfig`, `Tmpfs` and `KernelCapabilities`
//! (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Volume.html> and the pages
//! beside it), and the Developer Guide's volume pages
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/docker-volumes.html>,
//! <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/wfsx-volumes.html>). Values
//! holding a `${VARIABLE}` are left alone: they are read once `render` has filled them.

mod linux;

use serde_json::{Map, Value};

use super::{Container, Task, and_list};
use crate::finding::Finding;
use crate::location::JsonPath;
use crate::suggest::shown;

/// A volume specifies "a name and one of either configuredAtLaunch, dockerVolumeConfiguration,
/// efsVolumeConfiguration, s3filesVolumeConfiguration, fsxWindowsFileServerVolumeConfiguration,
/// or host" (`Volume`).
const VOLUME_TYPES: [&str; 6] = [
    "configuredAtLaunch",
    "dockerVolumeConfiguration",
    "efsVolumeConfiguration",
    "s3filesVolumeConfiguration",
    "fsxWindowsFileServerVolumeConfiguration",
    "host",
];

/// Every rule of this family that `document` breaks.
pub(super) fn check(document: &Value, _task: &Task<'_>, findings: &mut Vec<Finding>) {
    if let Some(Value::Array(volumes)) = document.get("volumes") {
        // FSx for Windows File Server volumes are for Windows containers only: known offline
        // when `runtimePlatform` says the task is Linux.
        let linux = document
            .pointer("/runtimePlatform/operatingSystemFamily")
            .and_then(Value::as_str)
            == Some("LINUX");
        let mut at_launch = 0;
        let mut names: Vec<&str> = Vec::new();
        for (index, volume) in volumes.iter().enumerate() {
            let Value::Object(volume) = volume else {
                continue;
            };
            let at = JsonPath::root().key("volumes").index(index);
            check_volume(index, volume, linux, findings);
            if let Some(name) = volume.get("name").and_then(Value::as_str)
                && !name.is_empty()
            {
                // `Volume.name`: "This name is referenced in the sourceVolume parameter of
                // container definition mountPoints", so it names one volume.
                if names.contains(&name) {
                    findings.push(
                        Finding::error(
                            "duplicate-volume-name",
                            format!("volume {index} is named `{}` like an earlier volume; a mount point's `sourceVolume` names one volume", shown(name)),
                        )
                        .at(at.key("name"))
                        .help("give each volume its own name"),
                    );
                } else {
                    names.push(name);
                }
            }
            if volume.get("configuredAtLaunch") == Some(&Value::Bool(true)) {
                at_launch += 1;
                // "Each task definition revision may only have one volume configured at
                // launch in the volume configuration." (`Volume.configuredAtLaunch`)
                if at_launch == 2 {
                    findings.push(
                        Finding::error(
                            "volume-configured-at-launch",
                            format!("volume {index} is the second volume with `configuredAtLaunch`; a task definition may have only one"),
                        )
                        .at(at.key("configuredAtLaunch"))
                        .help("configure one volume at launch, and give the others a type of their own"),
                    );
                }
            }
        }
    }
    if let Some(Value::Array(containers)) = document.get("containerDefinitions") {
        for (index, value) in containers.iter().enumerate() {
            if let Value::Object(fields) = value {
                let container = Container::new(index, fields);
                linux::check(&container, findings);
                check_mount_paths(&container, findings);
            }
        }
    }
}

fn check_volume(
    index: usize,
    volume: &Map<String, Value>,
    linux: bool,
    findings: &mut Vec<Finding>,
) {
    let at = &JsonPath::root().key("volumes").index(index);
    let name = volume
        .get("name")
        .and_then(Value::as_str)
        .filter(|name| !name.is_empty());
    let label = name.map_or_else(
        || format!("volume {index}"),
        |name| format!("volume `{}`", shown(name)),
    );
    // "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are
    // allowed." "When a volume is using the efsVolumeConfiguration, the name is required."
    // (`Volume.name`)
    if let Some(name) = name.filter(|name| !name.contains("${"))
        && (name.len() > 255
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
    {
        findings.push(
            Finding::error(
                "volume-name",
                format!("{label}'s name is not up to 255 letters, digits, `_` and `-`"),
            )
            .at(at.key("name"))
            .help("rename it, and its `mountPoints` `sourceVolume`s, with letters, digits, `_` and `-` only"),
        );
    }
    if name.is_none() && has(volume, "efsVolumeConfiguration") {
        findings.push(
            Finding::error(
                "volume-name",
                format!("{label} uses `efsVolumeConfiguration` without a name, which EFS volumes require"),
            )
            .at(at.clone())
            .help("give the volume a `name` and mount it with `mountPoints` `sourceVolume`"),
        );
    }
    let types: Vec<String> = VOLUME_TYPES
        .iter()
        .filter(|key| match volume.get(**key) {
            Some(Value::Bool(set)) => *set,
            Some(Value::Null) | None => false,
            Some(_) => true,
        })
        .map(|key| format!("`{key}`"))
        .collect();
    if types.len() > 1 {
        findings.push(
            Finding::error(
                "volume-type-conflict",
                format!("{label} has {}; a volume has one type", and_list(&types)),
            )
            .at(at.clone())
            .help("split it into one volume per type"),
        );
    }
    if let Some(Value::Object(docker)) = volume.get("dockerVolumeConfiguration") {
        check_docker_volume(
            &label,
            docker,
            &at.key("dockerVolumeConfiguration"),
            findings,
        );
    }
    if let Some(Value::Object(efs)) = volume.get("efsVolumeConfiguration") {
        check_efs(&label, efs, &at.key("efsVolumeConfiguration"), findings);
    }
    if let Some(parameter) = volume
        .get("fsxWindowsFileServerVolumeConfiguration")
        .and_then(|fsx| fsx.pointer("/authorizationConfig/credentialsParameter"))
        .and_then(Value::as_str)
    {
        check_fsx_credentials(&label, parameter, at, findings);
    }
    if linux && has(volume, "fsxWindowsFileServerVolumeConfiguration") {
        findings.push(
            Finding::error(
                "fsx-windows-only",
                format!("{label} is an FSx for Windows File Server volume in a Linux task"),
            )
            .at(at.key("fsxWindowsFileServerVolumeConfiguration"))
            .help("FSx for Windows File Server volumes mount into Windows containers only; for Linux use EFS"),
        );
    }
}

/// "The authorization credential options can be provided using either the Amazon Resource Name
/// (ARN) of an AWS Secrets Manager secret or SSM Parameter Store parameter"
/// (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_FSxWindowsFileServerAuthorizationConfig.html>):
/// an ARN, not a name.
fn check_fsx_credentials(label: &str, parameter: &str, at: &JsonPath, findings: &mut Vec<Finding>) {
    if parameter.contains("${") {
        return;
    }
    let problem = if parameter.starts_with("arn:") {
        crate::secrets::value_from_problem(parameter)
    } else {
        Some("is not an ARN".to_owned())
    };
    if let Some(problem) = problem {
        findings.push(
            Finding::error(
                "fsx-credentials-parameter",
                format!("{label}'s `authorizationConfig.credentialsParameter` `{}` {problem}", shown(parameter)),
            )
            .at(at
                .key("fsxWindowsFileServerVolumeConfiguration")
                .key("authorizationConfig")
                .key("credentialsParameter"))
            .help("use the ARN of the Secrets Manager secret or SSM parameter that holds the domain credentials"),
        );
    }
}

fn has(object: &Map<String, Value>, key: &str) -> bool {
    object.get(key).is_some_and(|value| !value.is_null())
}

/// ECS refuses `autoprovision: false` with the `task` scope at registration ("When 'scope'
/// parameter is 'task', 'autoprovision' must either not be specified or set to 'True'") and
/// the agent cannot start a task whose task-scoped volume has `autoprovision: true`; the
/// Developer Guide says it "is only used if the scope is shared" (`docker-volumes.html`).
fn check_docker_volume(
    label: &str,
    docker: &Map<String, Value>,
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    let scope = docker.get("scope").and_then(Value::as_str);
    if scope == Some("task")
        && let Some(autoprovision) = docker.get("autoprovision").and_then(Value::as_bool)
    {
        findings.push(
            Finding::error(
                "docker-volume-autoprovision",
                format!("{label} sets `autoprovision` {autoprovision} with the `task` scope; it is only for `shared` volumes"),
            )
            .at(at.key("autoprovision"))
            .help("remove `autoprovision` (task-scoped volumes are always created), or set `scope` to `shared`"),
        );
    }
}

/// Two mount points of one container at the same `containerPath`: Docker refuses to create the
/// container (`Duplicate mount point: <path>`,
/// <https://github.com/docker/compose/issues/5885>), so the task cannot start. `MountPoint`
/// gives "The path on the container to mount the host volume at"
/// (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_MountPoint.html>).
fn check_mount_paths(container: &Container<'_>, findings: &mut Vec<Finding>) {
    let mut seen: Vec<&str> = Vec::new();
    for (index, mount) in container.list("mountPoints").iter().enumerate() {
        let Some(path) = mount.get("containerPath").and_then(Value::as_str) else {
            continue;
        };
        let path = path.trim_end_matches('/');
        if path.is_empty() || path.contains("${") {
            continue;
        }
        if seen.contains(&path) {
            findings.push(
                Finding::error(
                    "duplicate-mount-path",
                    format!("{container} mounts two volumes at `{}`; Docker refuses a duplicate mount point, so the container cannot start", shown(path)),
                )
                .at(container.path().key("mountPoints").index(index).key("containerPath"))
                .help("mount each volume at its own path"),
            );
        } else {
            seen.push(path);
        }
    }
}

/// IAM authorization and access points need transit encryption (`EFSAuthorizationConfig`: "If
/// it is turned on, transit encryption must be turned on", "If an access point is used, transit
/// encryption must be on"), and an access point fixes the root directory ("the root directory
/// value ... must either be omitted or set to /").
fn check_efs(label: &str, efs: &Map<String, Value>, at: &JsonPath, findings: &mut Vec<Finding>) {
    let authorization = efs.get("authorizationConfig");
    let iam = authorization
        .and_then(|config| config.get("iam"))
        .and_then(Value::as_str)
        == Some("ENABLED");
    let access_point = authorization
        .and_then(|config| config.get("accessPointId"))
        .and_then(Value::as_str)
        .is_some_and(|id| !id.is_empty());
    let encrypted = efs.get("transitEncryption").and_then(Value::as_str) == Some("ENABLED");
    if (iam || access_point) && !encrypted {
        let why = match (iam, access_point) {
            (true, true) => "IAM authorization and an access point",
            (true, false) => "IAM authorization",
            _ => "an access point",
        };
        let here = if has(efs, "transitEncryption") {
            at.key("transitEncryption")
        } else {
            at.clone()
        };
        findings.push(
            Finding::error(
                "efs-transit-encryption",
                format!("{label} uses {why} without transit encryption, which they require"),
            )
            .at(here)
            .help("set `\"transitEncryption\": \"ENABLED\"`"),
        );
    }
    check_efs_port(label, efs, encrypted, at, findings);
    if access_point
        && let Some(root) = efs.get("rootDirectory").and_then(Value::as_str)
        && root != "/"
    {
        findings.push(
            Finding::error(
                "efs-root-directory",
                format!("{label} sets `rootDirectory` `{}` with an access point; the access point's path is the root", shown(root)),
            )
            .at(at.key("rootDirectory"))
            .help("remove `rootDirectory` (or set it to `/`) and set the path on the access point"),
        );
    }
}

/// `transitEncryptionPort` is "The port to use when sending encrypted data between the Amazon
/// ECS host and the Amazon EFS server" (`EFSVolumeConfiguration`), so without transit
/// encryption nothing uses it; "The value must be between 0 and 65,535" is written on AWS
/// Batch's page for the same member, which ECS's mount helper reads the same way
/// (<https://docs.aws.amazon.com/batch/latest/APIReference/API_EFSVolumeConfiguration.html>).
fn check_efs_port(
    label: &str,
    efs: &Map<String, Value>,
    encrypted: bool,
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    let Some(port) = efs.get("transitEncryptionPort").and_then(Value::as_i64) else {
        return;
    };
    let at = at.key("transitEncryptionPort");
    if !(0..=65_535).contains(&port) {
        findings.push(
            Finding::error(
                "efs-transit-encryption-port",
                format!("{label} has `transitEncryptionPort` {port}; the port is 0 to 65535"),
            )
            .at(at)
            .help("use a port from 0 to 65535, or leave it out to let the EFS mount helper choose"),
        );
    } else if !encrypted {
        findings.push(
            Finding::warning(
                "efs-transit-encryption-port",
                format!("{label} sets `transitEncryptionPort` without transit encryption, so nothing uses the port"),
            )
            .at(at)
            .help("set `\"transitEncryption\": \"ENABLED\"`, or remove `transitEncryptionPort`"),
        );
    }
}
