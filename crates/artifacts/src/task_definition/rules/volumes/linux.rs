//! `linuxParameters`: tmpfs mount paths and options, and kernel capability names.
//!
//! Source: `Tmpfs` and `KernelCapabilities`
//! (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tmpfs.html>,
//! <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_KernelCapabilities.html>).

use serde_json::Value;

use crate::finding::Finding;
use crate::location::JsonPath;
use crate::suggest::{Reach, shown, similar};
use crate::task_definition::rules::Container;

/// `Tmpfs.mountOptions` "Valid values"; the last six take a value (`mode=1777`, `uid=1000`).
const TMPFS_OPTIONS: [&str; 39] = [
    "defaults",
    "ro",
    "rw",
    "suid",
    "nosuid",
    "dev",
    "nodev",
    "exec",
    "noexec",
    "sync",
    "async",
    "dirsync",
    "remount",
    "mand",
    "nomand",
    "atime",
    "noatime",
    "diratime",
    "nodiratime",
    "bind",
    "rbind",
    "unbindable",
    "runbindable",
    "private",
    "rprivate",
    "shared",
    "rshared",
    "slave",
    "rslave",
    "relatime",
    "norelatime",
    "strictatime",
    "nostrictatime",
    "mode",
    "uid",
    "gid",
    "nr_inodes",
    "nr_blocks",
    "mpol",
];

/// Tmpfs options that take a value.
const TMPFS_VALUED: [&str; 6] = ["mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol"];

/// `KernelCapabilities.add` and `.drop` "Valid values".
const CAPABILITIES: [&str; 38] = [
    "ALL",
    "AUDIT_CONTROL",
    "AUDIT_WRITE",
    "BLOCK_SUSPEND",
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "IPC_LOCK",
    "IPC_OWNER",
    "KILL",
    "LEASE",
    "LINUX_IMMUTABLE",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "MKNOD",
    "NET_ADMIN",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_RAW",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_CHROOT",
    "SYS_MODULE",
    "SYS_NICE",
    "SYS_PACCT",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "SYSLOG",
    "WAKE_ALARM",
];

/// `linuxParameters.tmpfs` paths and mount options, and `capabilities` names.
pub(super) fn check(container: &Container<'_>, findings: &mut Vec<Finding>) {
    let Some(Value::Object(linux)) = container.get("linuxParameters") else {
        return;
    };
    let at = container.path().key("linuxParameters");
    if let Some(Value::Array(mounts)) = linux.get("tmpfs") {
        for (index, mount) in mounts.iter().enumerate() {
            let at = at.key("tmpfs").index(index);
            // "The absolute file path where the tmpfs volume is to be mounted." (`Tmpfs`)
            if let Some(path) = mount.get("containerPath").and_then(Value::as_str)
                && !path.starts_with('/')
                && !path.contains("${")
            {
                findings.push(
                    Finding::error(
                        "tmpfs-container-path",
                        format!("{container}'s tmpfs mount {index} has `containerPath` `{}`, which is not an absolute path", shown(path)),
                    )
                    .at(at.key("containerPath"))
                    .help("start the path with `/`"),
                );
            }
            if let Some(Value::Array(options)) = mount.get("mountOptions") {
                for (position, option) in options.iter().enumerate() {
                    if let Some(option) = option.as_str() {
                        check_tmpfs_option(
                            container,
                            option,
                            &at.key("mountOptions").index(position),
                            findings,
                        );
                    }
                }
            }
        }
    }
    if let Some(Value::Object(capabilities)) = linux.get("capabilities") {
        for list in ["add", "drop"] {
            let Some(Value::Array(names)) = capabilities.get(list) else {
                continue;
            };
            for (index, name) in names.iter().enumerate() {
                let Some(name) = name.as_str() else {
                    continue;
                };
                // The Fargate page itself writes `CAP_SYS_PTRACE`, and Docker takes either
                // form (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html>).
                if CAPABILITIES.contains(&name.strip_prefix("CAP_").unwrap_or(name)) {
                    continue;
                }
                let bare = name
                    .strip_prefix("CAP_")
                    .unwrap_or(name)
                    .to_ascii_uppercase();
                let help = if CAPABILITIES.contains(&bare.as_str()) {
                    format!("write `{bare}`: ECS names capabilities in capitals")
                } else if let Some(near) = similar(&bare, CAPABILITIES, Reach::Short) {
                    format!("did you mean `{near}`?")
                } else {
                    "see the capabilities(7) names ECS lists under `KernelCapabilities`".to_owned()
                };
                findings.push(
                    Finding::error(
                        "linux-capability",
                        format!("{container}'s `capabilities.{list}` has `{}`, which is not a Linux capability ECS knows", shown(name)),
                    )
                    .at(at.key("capabilities").key(list).index(index))
                    .help(help),
                );
            }
        }
    }
}

fn check_tmpfs_option(
    container: &Container<'_>,
    option: &str,
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    let known = match option.split_once('=') {
        Some((key, value)) => TMPFS_VALUED.contains(&key) && !value.is_empty(),
        None => TMPFS_OPTIONS.contains(&option),
    };
    if known || option.contains("${") {
        return;
    }
    let key = option.split_once('=').map_or(option, |(key, _)| key);
    let help = match similar(key, TMPFS_OPTIONS, Reach::Short) {
        Some(near) if near != key => format!("did you mean `{near}`?"),
        _ => "use the mount options ECS lists for tmpfs, such as `rw`, `noexec`, `nosuid` or `mode=1777`".to_owned(),
    };
    findings.push(
        Finding::error(
            "tmpfs-mount-option",
            format!(
                "{container}'s tmpfs mount option `{}` is not one ECS accepts",
                shown(option)
            ),
        )
        .at(at.clone())
        .help(help),
    );
}
