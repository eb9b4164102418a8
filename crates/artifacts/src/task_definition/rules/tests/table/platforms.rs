//! Where a generated definition runs, and the smallest valid definition there, for the
//! property of `boundaries.rs`.

use serde_json::{Value, json};

use crate::task_definition::rules::tests::{ECR, SHA};

/// Where the task runs: `requiresCompatibilities`, `networkMode` (absent: ECS's default),
/// `runtimePlatform`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Platform {
    pub(super) launch: &'static str,
    pub(super) network: Option<&'static str>,
    pub(super) windows: bool,
    pub(super) arm64: bool,
}

impl Platform {
    pub(super) fn fargate(self) -> bool {
        self.launch == "FARGATE"
    }

    /// Docker's bridge network, where a host port may differ from the container port: ECS's
    /// default for Linux on EC2 and external instances.
    pub(super) fn bridge(self) -> bool {
        !self.windows && matches!(self.network, None | Some("bridge"))
    }

    /// Port mappings are allowed: any network mode but `none`.
    pub(super) fn ports(self) -> bool {
        self.network != Some("none")
    }

    /// Linux on EC2 or an external instance: `linuxParameters` without Fargate's limits.
    pub(super) fn linux_host(self) -> bool {
        !self.windows && !self.fargate()
    }
}

/// Every combination ECS accepts: Fargate only with `awsvpc` and Windows only on `X86_64`; a
/// Windows task on EC2 with the default network mode or `awsvpc`; external instances with
/// `bridge`, `host` or `none`.
pub(super) fn platforms() -> Vec<Platform> {
    let mut all = Vec::new();
    let mut add = |launch, networks: &[Option<&'static str>], windows| {
        for &network in networks {
            for arm64 in [false, true] {
                if !(windows && arm64) {
                    all.push(Platform {
                        launch,
                        network,
                        windows,
                        arm64,
                    });
                }
            }
        }
    };
    let linux_ec2 = [
        None,
        Some("bridge"),
        Some("host"),
        Some("awsvpc"),
        Some("none"),
    ];
    add("FARGATE", &[Some("awsvpc")], false);
    add("FARGATE", &[Some("awsvpc")], true);
    add("EC2", &linux_ec2, false);
    add("EC2", &[None, Some("awsvpc")], true);
    add(
        "EXTERNAL",
        &[None, Some("bridge"), Some("host"), Some("none")],
        false,
    );
    all
}

/// The smallest valid definition for `platform`: one essential container, task size on
/// Fargate (1 vCPU, 2 GB, which Windows allows too), container memory elsewhere.
pub(super) fn document(platform: Platform) -> Value {
    let os = if platform.windows {
        "WINDOWS_SERVER_2022_CORE"
    } else {
        "LINUX"
    };
    let architecture = if platform.arm64 { "ARM64" } else { "X86_64" };
    let mut document = json!({
        "family": "boundary",
        "executionRoleArn": "arn:aws:iam::123456789012:role/boundary-execution",
        "requiresCompatibilities": [platform.launch],
        "runtimePlatform": {"operatingSystemFamily": os, "cpuArchitecture": architecture},
        "containerDefinitions": [container("app", platform)]
    });
    document["containerDefinitions"][0]["essential"] = json!(true);
    if let Some(mode) = platform.network {
        document["networkMode"] = json!(mode);
    }
    if platform.fargate() {
        document["cpu"] = json!("1024");
        document["memory"] = json!("2048");
    }
    document
}

/// A non-essential container named `name`, with memory where the task has none.
pub(super) fn container(name: &str, platform: Platform) -> Value {
    let mut container =
        json!({"name": name, "image": format!("{ECR}/{name}@{SHA}"), "essential": false});
    if !platform.fargate() {
        container["memory"] = json!(64);
    }
    container
}
