//! `PlatformVersion` against the parameters of the task definition that need a later Fargate
//! platform version.

use serde_json::{Value, json};

use super::*;
use crate::Severity;

/// A Linux Fargate task with `web` on port 8080 and `extra` in its container, plus `task`
/// members at the top.
fn fargate_task(container: &Value, task: &Value) -> TaskContainers {
    let mut web = json!({"name": "web", "portMappings": [{"containerPort": 8080}]});
    for (key, value) in container.as_object().expect("an object") {
        web[key] = value.clone();
    }
    let mut document = json!({
        "requiresCompatibilities": ["FARGATE"],
        "runtimePlatform": {"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"},
        "containerDefinitions": [web]
    });
    for (key, value) in task.as_object().expect("an object") {
        document[key] = value.clone();
    }
    TaskContainers::from_task_definition(&document)
}

fn on_version(version: &str, task: &TaskContainers) -> Vec<Finding> {
    let text = valid_with(
        "PlatformVersion: LATEST",
        &format!("PlatformVersion: {version}"),
    );
    check(text.as_bytes(), None, Some(task)).findings
}

#[test]
fn dependencies_and_timeouts_need_1_3_0() {
    let task = fargate_task(
        &json!({"dependsOn": [{"containerName": "web", "condition": "START"}], "startTimeout": 60, "stopTimeout": 120}),
        &json!({}),
    );
    assert_eq!(on_version("1.3.0", &task), []);
    assert_eq!(on_version("LATEST", &task), []);
    // `FARGATE_SPOT` itself needs 1.3.0: without it, 1.2.0 is only this rule's finding.
    let text = valid_with("PlatformVersion: LATEST", "PlatformVersion: 1.2.0").replacen(
        "CapacityProvider: FARGATE_SPOT",
        "CapacityProvider: FARGATE",
        1,
    );
    let found = check(text.as_bytes(), None, Some(&task)).findings;
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].rule, found[0].severity, found[0].message.as_str()),
        (
            "platform-version",
            Severity::Error,
            "`PlatformVersion` is `1.2.0`, but the task definition uses container `web`'s `dependsOn` (1.3.0 or later), container `web`'s `startTimeout` (1.3.0 or later) and container `web`'s `stopTimeout` (1.3.0 or later)"
        )
    );
    assert_eq!(
        found[0].location_str(),
        Some("line 10, $.Resources[0].TargetService.Properties.PlatformVersion")
    );
    assert_eq!(
        found[0].help.as_deref(),
        Some("use `LATEST` or `1.3.0`, or remove what the platform version does not run")
    );
}

#[test]
fn ephemeral_storage_environment_files_and_added_capabilities_need_1_4_0() {
    let task = fargate_task(
        &json!({
            "environmentFiles": [{"type": "s3", "value": "arn:aws:s3:::config/web.env"}],
            "linuxParameters": {"capabilities": {"add": ["SYS_PTRACE"], "drop": ["NET_RAW"]}}
        }),
        &json!({"ephemeralStorage": {"sizeInGiB": 21}}),
    );
    assert_eq!(on_version("1.4.0", &task), []);
    let found = on_version("1.3.0", &task);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        "`PlatformVersion` is `1.3.0`, but the task definition uses `ephemeralStorage` (1.4.0 or later), container `web`'s `environmentFiles` (1.4.0 or later) and container `web`'s `linuxParameters.capabilities.add` (1.4.0 or later)"
    );
    // Dropping capabilities runs on every platform version.
    let task = fargate_task(
        &json!({"linuxParameters": {"capabilities": {"drop": ["NET_RAW"]}}}),
        &json!({}),
    );
    assert_eq!(on_version("1.3.0", &task), []);
}

#[test]
fn windows_ec2_and_unknown_tasks_need_no_version() {
    let uses = json!({"dependsOn": [{"containerName": "web", "condition": "START"}], "environmentFiles": [{"type": "s3", "value": "arn:aws:s3:::config/web.env"}]});
    let windows = fargate_task(
        &uses,
        &json!({"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}}),
    );
    assert_eq!(windows.platform_needs, []);
    let ec2 = fargate_task(&uses, &json!({"requiresCompatibilities": ["EC2"]}));
    assert_eq!(ec2.platform_needs, []);
    assert_eq!(
        findings(&valid_with(
            "PlatformVersion: LATEST",
            "PlatformVersion: 1.3.0"
        )),
        []
    );
}

#[test]
fn pid_mode_and_kernel_parameters_need_1_4_0() {
    let task = fargate_task(
        &json!({"systemControls": [{"namespace": "net.core.somaxconn", "value": "1024"}]}),
        &json!({"pidMode": "task"}),
    );
    assert_eq!(on_version("1.4.0", &task), []);
    let found = on_version("1.3.0", &task);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        "`PlatformVersion` is `1.3.0`, but the task definition uses `pidMode` (1.4.0 or later) and container `web`'s `systemControls` (1.4.0 or later)"
    );
}
