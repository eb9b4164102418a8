//! What Fargate does not support.
//!
//! Source unless a rule says otherwise: the ECS Developer Guide, "Amazon ECS task definition
//! differences for Fargate"
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html>):
//! "The following task definition parameters are not valid in Fargate tasks", then the
//! parameters that are valid with limits (`linuxParameters`, `volumes`). The network mode and
//! the task size are `rules::fargate`'s.

use serde_json::{Map, Value};

use super::{Container, Task, Unsupported, Used, check_table, windows};
use crate::finding::Finding;
use crate::location::JsonPath;
use crate::task_definition::rules::logging::MODEL_DRIVERS;

/// The container parameters the Fargate page lists as not valid or not supported.
const CONTAINER: &[Unsupported] = &[
    Unsupported {
        rule: "fargate-disable-networking",
        keys: &["disableNetworking"],
        used: Used::True,
        help: "remove `disableNetworking`, or run the task on EC2",
    },
    Unsupported {
        rule: "fargate-dns-search-domains",
        keys: &["dnsSearchDomains"],
        used: Used::List,
        help: "remove it: Fargate tasks resolve names with the VPC's DHCP options",
    },
    Unsupported {
        rule: "fargate-dns-servers",
        keys: &["dnsServers"],
        used: Used::List,
        help: "remove it: Fargate tasks resolve names with the VPC's DHCP options",
    },
    Unsupported {
        rule: "fargate-docker-security-options",
        keys: &["dockerSecurityOptions"],
        used: Used::List,
        help: "remove it; for Active Directory authentication use `credentialSpecs`",
    },
    Unsupported {
        rule: "fargate-extra-hosts",
        keys: &["extraHosts"],
        used: Used::List,
        help: "remove it and resolve those names through DNS, such as a Route 53 private hosted zone",
    },
    Unsupported {
        rule: "fargate-links",
        keys: &["links"],
        used: Used::List,
        help: "remove it: containers of an `awsvpc` task reach each other on `localhost`",
    },
    Unsupported {
        rule: "fargate-privileged",
        keys: &["privileged"],
        used: Used::True,
        help: "remove `privileged`, or run the task on EC2",
    },
    Unsupported {
        rule: "fargate-max-swap",
        keys: &["linuxParameters", "maxSwap"],
        used: Used::Number,
        help: "remove it: Fargate tasks have no swap",
    },
    Unsupported {
        rule: "fargate-swappiness",
        keys: &["linuxParameters", "swappiness"],
        used: Used::Number,
        help: "remove it: Fargate tasks have no swap",
    },
    Unsupported {
        rule: "fargate-devices",
        keys: &["linuxParameters", "devices"],
        used: Used::List,
        help: "remove it: Fargate exposes no host devices; run the task on EC2 if it needs one",
    },
    Unsupported {
        rule: "fargate-shared-memory-size",
        keys: &["linuxParameters", "sharedMemorySize"],
        used: Used::Number,
        help: "remove it, or run the task on EC2",
    },
    Unsupported {
        rule: "fargate-tmpfs",
        keys: &["linuxParameters", "tmpfs"],
        used: Used::List,
        help: "remove it; mount a task volume with no `host` (scratch space) at that path instead",
    },
];

/// The log drivers Fargate runs.
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html>
/// (`logDriver`): "For tasks on Fargate, the supported log drivers are awslogs, splunk, and
/// awsfirelens."
const LOG_DRIVERS: [&str; 3] = ["awslogs", "splunk", "awsfirelens"];

pub(super) fn check_container(
    task: &Task<'_>,
    container: &Container<'_>,
    findings: &mut Vec<Finding>,
) {
    // A Windows container gets the Windows finding for what both refuse (all of
    // `linuxParameters` among them).
    let skip = |entry: &Unsupported| task.windows && windows::refuses(entry.keys[0]);
    check_table(CONTAINER, "Fargate does", container, skip, findings);
    if !task.windows {
        check_capabilities(container, findings);
    }
    check_gpu(container, findings);
    check_logging(container, findings);
}

/// Source: the Fargate page ("for `capabilities` the only capability you can add is
/// `CAP_SYS_PTRACE`") and
/// <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_KernelCapabilities.html>
/// ("Tasks launched on Fargate only support adding the `SYS_PTRACE` kernel capability").
fn check_capabilities(container: &Container<'_>, findings: &mut Vec<Finding>) {
    let Some(Value::Array(added)) = container
        .get("linuxParameters")
        .and_then(|parameters| parameters.get("capabilities"))
        .and_then(|capabilities| capabilities.get("add"))
    else {
        return;
    };
    for (index, capability) in added.iter().enumerate() {
        let Value::String(capability) = capability else {
            continue;
        };
        if capability == "SYS_PTRACE" || capability == "CAP_SYS_PTRACE" {
            continue;
        }
        findings.push(
            Finding::error(
                "fargate-capabilities",
                format!(
                    "{container} adds the `{capability}` capability; Fargate only lets a container add `SYS_PTRACE`"
                ),
            )
            .at(container
                .path()
                .key("linuxParameters")
                .key("capabilities")
                .key("add")
                .index(index))
            .help("remove it from `capabilities.add`, or run the task on EC2"),
        );
    }
}

/// Source: the Fargate page lists `gpu` as not valid; a GPU is asked for with a
/// `resourceRequirements` entry of type `GPU`
/// (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ResourceRequirement.html>).
fn check_gpu(container: &Container<'_>, findings: &mut Vec<Finding>) {
    for (index, requirement) in container.list("resourceRequirements").iter().enumerate() {
        if requirement.get("type") == Some(&Value::from("GPU")) {
            findings.push(
                Finding::error(
                    "fargate-gpu",
                    format!("{container} asks for a GPU; Fargate has no GPUs"),
                )
                .at(container.path().key("resourceRequirements").index(index))
                .help("run the task on EC2 GPU instances, or remove the `GPU` requirement"),
            );
        }
    }
}

fn check_logging(container: &Container<'_>, findings: &mut Vec<Finding>) {
    if let Some(Value::String(driver)) = container
        .get("logConfiguration")
        .and_then(|logging| logging.get("logDriver"))
        && !LOG_DRIVERS.contains(&driver.as_str())
        // A driver outside the model's enum is the `shape` check's finding.
        && MODEL_DRIVERS.contains(&driver.as_str())
    {
        findings.push(
            Finding::error(
                "fargate-log-driver",
                format!(
                    "{container} logs with the `{driver}` driver; Fargate supports `awslogs`, `splunk` and `awsfirelens`"
                ),
            )
            .at(container.path().key("logConfiguration").key("logDriver"))
            .help("use `awslogs`, or `awsfirelens` with a Fluent Bit sidecar to send logs elsewhere"),
        );
    }
    // Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_FirelensConfiguration.html>
    // (`options`): "Tasks hosted on Fargate only support the file configuration file type."
    if let Some(Value::String(kind)) = container
        .get("firelensConfiguration")
        .and_then(|firelens| firelens.get("options"))
        .and_then(|options| options.get("config-file-type"))
        && kind == "s3"
    {
        findings.push(
            Finding::error(
                "fargate-firelens-config-file",
                format!(
                    "{container} reads its FireLens configuration from S3; on Fargate the `config-file-type` must be `file`"
                ),
            )
            .at(container
                .path()
                .key("firelensConfiguration")
                .key("options")
                .key("config-file-type"))
            .help("build the configuration file into the log router image and set `config-file-type` to `file`"),
        );
    }
}

pub(super) fn check_task(
    fields: &Map<String, Value>,
    task: &Task<'_>,
    findings: &mut Vec<Finding>,
) {
    let string = |key: &str| fields.get(key).and_then(Value::as_str);
    // Source: the Fargate page lists `ipcMode`; API_RegisterTaskDefinition (`ipcMode`): "not
    // supported for Windows containers or tasks run on Fargate".
    if !task.windows
        && let Some(mode) = string("ipcMode")
    {
        findings.push(
            Finding::error(
                "fargate-ipc-mode",
                format!("the task sets `ipcMode` `{mode}`; Fargate does not support `ipcMode`"),
            )
            .at(JsonPath::root().key("ipcMode"))
            .help("remove `ipcMode`, or run the task on EC2"),
        );
    }
    // Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html>
    // (`pidMode`): "On Fargate for Linux containers, the only valid value is task."
    if !task.windows && string("pidMode") == Some("host") {
        findings.push(
            Finding::error(
                "fargate-pid-mode",
                "the task sets `pidMode` `host`; on Fargate the only valid value is `task`",
            )
            .at(JsonPath::root().key("pidMode"))
            .help("set `\"pidMode\": \"task\"` to share one process namespace between the task's containers"),
        );
    }
    if fields
        .get("placementConstraints")
        .and_then(Value::as_array)
        .is_some_and(|constraints| !constraints.is_empty())
    {
        findings.push(
            Finding::error(
                "fargate-placement-constraints",
                "the task sets `placementConstraints`; Fargate does not support them",
            )
            .at(JsonPath::root().key("placementConstraints"))
            .help("remove them: Fargate chooses where a task runs; spread tasks with the service's subnets"),
        );
    }
    let Some(Value::Array(volumes)) = fields.get("volumes") else {
        return;
    };
    for (index, volume) in volumes.iter().enumerate() {
        let at = JsonPath::root().key("volumes").index(index);
        let name = volume.get("name").and_then(Value::as_str).map_or_else(
            || format!("volume {index}"),
            |name| format!("volume `{name}`"),
        );
        // Source: the Fargate page, `volumes`: "Fargate tasks only support bind mount host
        // volumes, so the dockerVolumeConfiguration parameter is not supported."
        if volume
            .get("dockerVolumeConfiguration")
            .is_some_and(Value::is_object)
        {
            findings.push(
                Finding::error(
                    "fargate-docker-volume",
                    format!("{name} is a Docker volume; Fargate tasks only support bind mounts"),
                )
                .at(at.key("dockerVolumeConfiguration"))
                .help("remove `dockerVolumeConfiguration` for a task-scoped bind mount, or use `efsVolumeConfiguration` for storage that outlives the task"),
            );
        }
        // Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HostVolumeProperties.html>
        // (`sourcePath`): "If you're using the Fargate launch type, the sourcePath parameter is
        // not supported."
        if let Some(Value::String(path)) =
            volume.get("host").and_then(|host| host.get("sourcePath"))
        {
            findings.push(
                Finding::error(
                    "fargate-host-source-path",
                    format!("{name} mounts the host path `{path}`; Fargate has no host paths"),
                )
                .at(at.key("host").key("sourcePath"))
                .help("remove `sourcePath` for scratch space shared by the task's containers, or use `efsVolumeConfiguration`"),
            );
        }
    }
}
