//! What Windows containers do not support: a task whose `runtimePlatform.operatingSystemFamily`
//! is one of the `WINDOWS_*` families.
//!
//! Source unless a rule says otherwise: the ECS API Reference, whose member descriptions say
//! "This parameter is not supported for Windows containers"
//! (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html>,
//! <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html>).
//! The Windows-on-Fargate CPU sizes and architecture are `rules::fargate`'s.

use serde_json::{Map, Value};

use super::{Container, Task, Unsupported, Used, check_table};
use crate::finding::Finding;
use crate::location::JsonPath;

/// The container parameters the API Reference marks as not supported for Windows containers.
const CONTAINER: &[Unsupported] = &[
    Unsupported {
        rule: "windows-links",
        keys: &["links"],
        used: Used::List,
        help: "remove it: Windows containers reach each other through mapped ports or `awsvpc`",
    },
    Unsupported {
        rule: "windows-linux-parameters",
        keys: &["linuxParameters"],
        used: Used::Object,
        help: "remove `linuxParameters`: they apply to Linux containers only",
    },
    Unsupported {
        rule: "windows-disable-networking",
        keys: &["disableNetworking"],
        used: Used::True,
        help: "remove `disableNetworking`",
    },
    Unsupported {
        rule: "windows-privileged",
        keys: &["privileged"],
        used: Used::True,
        help: "remove `privileged`: Windows containers cannot run privileged",
    },
    Unsupported {
        rule: "windows-readonly-root-filesystem",
        keys: &["readonlyRootFilesystem"],
        used: Used::True,
        help: "remove `readonlyRootFilesystem`",
    },
    Unsupported {
        rule: "windows-dns-servers",
        keys: &["dnsServers"],
        used: Used::List,
        help: "remove it and set DNS servers on the VPC or the instance",
    },
    Unsupported {
        rule: "windows-dns-search-domains",
        keys: &["dnsSearchDomains"],
        used: Used::List,
        help: "remove it and set search domains on the VPC or the instance",
    },
    Unsupported {
        rule: "windows-extra-hosts",
        keys: &["extraHosts"],
        used: Used::List,
        help: "remove it and resolve those names through DNS",
    },
    Unsupported {
        rule: "windows-ulimits",
        keys: &["ulimits"],
        used: Used::List,
        help: "remove `ulimits`: they are Linux resource limits",
    },
    // Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_SystemControl.html>.
    Unsupported {
        rule: "windows-system-controls",
        keys: &["systemControls"],
        used: Used::List,
        help: "remove `systemControls`: they are Linux kernel parameters",
    },
    // "Windows containers don't support FireLens."
    // (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html>).
    Unsupported {
        rule: "windows-firelens",
        keys: &["firelensConfiguration"],
        used: Used::Object,
        help: "remove the FireLens log router and send logs with `awslogs`, or run Fluent Bit as an ordinary container",
    },
];

/// Whether Windows containers refuse the container member `key`, so that a Windows task on
/// Fargate gets one finding for it.
pub(super) fn refuses(key: &str) -> bool {
    CONTAINER.iter().any(|entry| entry.keys[0] == key)
}

pub(super) fn check_container(container: &Container<'_>, findings: &mut Vec<Finding>) {
    check_table(
        CONTAINER,
        "Windows containers do",
        container,
        |_| false,
        findings,
    );
}

pub(super) fn check_task(
    fields: &Map<String, Value>,
    task: &Task<'_>,
    findings: &mut Vec<Finding>,
) {
    // Source: API_RegisterTaskDefinition, `pidMode` and `ipcMode`: "This parameter is not
    // supported for Windows containers."
    for key in ["pidMode", "ipcMode"] {
        if let Some(Value::String(mode)) = fields.get(key) {
            findings.push(
                Finding::error(
                    if key == "pidMode" {
                        "windows-pid-mode"
                    } else {
                        "windows-ipc-mode"
                    },
                    format!(
                        "the task sets `{key}` `{mode}`; Windows containers do not support `{key}`"
                    ),
                )
                .at(JsonPath::root().key(key))
                .help(format!("remove `{key}`")),
            );
        }
    }
    if task.fargate {
        return;
    }
    // Source: API_RegisterTaskDefinition, `networkMode`: "For Amazon ECS tasks on Amazon EC2
    // Windows instances, <default> or awsvpc can be used." The Developer Guide's Windows page
    // (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/windows_task_definitions.html>)
    // adds that Docker for Windows has other network modes than Linux. On Fargate,
    // `rules::fargate` already asks for `awsvpc`.
    if let Some(mode @ ("bridge" | "host" | "none")) = task.network_mode {
        findings.push(
            Finding::error(
                "windows-network-mode",
                format!(
                    "Windows containers on EC2 use the default network mode or `awsvpc`, not `{mode}`"
                ),
            )
            .at(JsonPath::root().key("networkMode"))
            .help("remove `networkMode` for the default (NAT) mode, or set it to `awsvpc`"),
        );
    }
    // Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html>
    // (`cpuArchitecture`): ARM64 is "available for tasks that run on Linux Amazon EC2 instance,
    // Amazon ECS Managed Instances, or Linux containers on Fargate".
    if task.architecture == Some("ARM64") {
        findings.push(
            Finding::error(
                "windows-architecture",
                "Windows containers run only on `X86_64`, not `ARM64`",
            )
            .at(JsonPath::root()
                .key("runtimePlatform")
                .key("cpuArchitecture"))
            .help("set `cpuArchitecture` to `X86_64`, or run the task on Linux for ARM64"),
        );
    }
    // Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Volume.html>
    // (`dockerVolumeConfiguration`): "Windows containers only support the use of the local
    // driver." On Fargate no Docker volume is supported (`fargate-docker-volume`).
    let Some(Value::Array(volumes)) = fields.get("volumes") else {
        return;
    };
    for (index, volume) in volumes.iter().enumerate() {
        if let Some(Value::String(driver)) = volume
            .get("dockerVolumeConfiguration")
            .and_then(|docker| docker.get("driver"))
            && driver != "local"
        {
            findings.push(
                Finding::error(
                    "windows-docker-volume-driver",
                    format!(
                        "volume {index} uses the `{driver}` Docker volume driver; Windows containers only support `local`"
                    ),
                )
                .at(JsonPath::root()
                    .key("volumes")
                    .index(index)
                    .key("dockerVolumeConfiguration")
                    .key("driver"))
                .help("set `driver` to `local` or leave it out; for shared storage use `fsxWindowsFileServerVolumeConfiguration`"),
            );
        }
    }
}
