//! `TaskDefinition`, `LoadBalancerInfo` and `PlatformVersion`.

use super::*;
use crate::Severity;

const PROPERTIES: &str = "$.Resources[0].TargetService.Properties";
fn with_task_definition(value: &str) -> Vec<Finding> {
    findings(&valid_with(
        "TaskDefinition: <TASK_DEFINITION>",
        &format!("TaskDefinition: {value}"),
    ))
}

#[test]
fn task_definition_arns_of_every_partition_pass() {
    for arn in [
        "arn:aws:ecs:us-east-1:111222333444:task-definition/my-task-definition-family-name:1",
        "arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/web:12",
        "arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task-definition/web_api-2:3",
        "arn:aws-iso-b:ecs:us-isob-east-1:123456789012:task-definition/web:1",
    ] {
        assert_eq!(task_definition_problem(arn), None, "{arn}");
        assert_eq!(with_task_definition(arn), [], "{arn}");
    }
    assert_eq!(task_definition_problem(TASK_DEFINITION_PLACEHOLDER), None);
}

#[test]
fn task_definitions_codedeploy_refuses() {
    for (value, expected) in [
        (
            "web",
            "`web` is not a task-definition ARN; CodeDeploy takes only the full ARN",
        ),
        (
            "web:3",
            "`web:3` is not a task-definition ARN; CodeDeploy takes only the full ARN",
        ),
        (
            "web:*",
            "`web:*` is a wildcard; CodeDeploy deploys one registered revision",
        ),
        (
            "arn:aws:ecs:::task-definition/x:*",
            "`arn:aws:ecs:::task-definition/x:*` is a wildcard; CodeDeploy deploys one registered revision",
        ),
        (
            "<TASKDEF>",
            "`<TASKDEF>` is not the placeholder CodePipeline replaces",
        ),
        (
            "<task_definition>",
            "`<task_definition>` is not the placeholder CodePipeline replaces",
        ),
        (
            "arn:aws:ecs:us-east-1:123456789012:task-definition/web",
            "`arn:aws:ecs:us-east-1:123456789012:task-definition/web` names no revision; CodeDeploy deploys one registered revision",
        ),
        (
            "arn:aws:ecs:us-east-1:123456789012:task-definition/web:0",
            "`arn:aws:ecs:us-east-1:123456789012:task-definition/web:0`: the revision `0` is not a number from 1 up",
        ),
        (
            "arn:aws:ecs:us-east-1:123456789012:task-definition/web:latest",
            "`arn:aws:ecs:us-east-1:123456789012:task-definition/web:latest`: the revision `latest` is not a number from 1 up",
        ),
        (
            "arn:aws:ecs:us-east-1:12345:task-definition/web:1",
            "`arn:aws:ecs:us-east-1:12345:task-definition/web:1`: the account id `12345` is not 12 digits",
        ),
        (
            "arn:aws:ecs:US-EAST-1:123456789012:task-definition/web:1",
            "`arn:aws:ecs:US-EAST-1:123456789012:task-definition/web:1`: the region `US-EAST-1` is not a region such as `us-east-1`",
        ),
        (
            "arn:aws:ecs::123456789012:task-definition/web:1",
            "`arn:aws:ecs::123456789012:task-definition/web:1`: the region is missing",
        ),
        (
            "arn:amazon:ecs:us-east-1:123456789012:task-definition/web:1",
            "`arn:amazon:ecs:us-east-1:123456789012:task-definition/web:1`: the partition `amazon` is not `aws` or `aws-…`",
        ),
        (
            "arn:aws:ecs:us-east-1:123456789012:service/cluster/web",
            "`arn:aws:ecs:us-east-1:123456789012:service/cluster/web` is not an ECS task-definition ARN",
        ),
        (
            "arn:aws:ecs:us-east-1:123456789012:task-definition/web.app:1",
            "`arn:aws:ecs:us-east-1:123456789012:task-definition/web.app:1`: the family `web.app` contains `.`",
        ),
        (
            "arn:aws:ecs:us-east-1",
            "`arn:aws:ecs:us-east-1` is not a complete ARN",
        ),
        (
            "\" web:1\"",
            "`TaskDefinition` ` web:1` has white space around it",
        ),
        ("\"\"", "`TaskDefinition` is empty"),
    ] {
        let found = with_task_definition(value);
        assert_eq!(found.len(), 1, "{value}: {found:#?}");
        assert_eq!(
            (found[0].rule, found[0].message.as_str()),
            ("task-definition", expected),
            "{value}"
        );
        assert_eq!(
            found[0].location_str(),
            Some(format!("line 6, {PROPERTIES}.TaskDefinition").as_str())
        );
    }
    let quoted = only(&valid_with(
        "TaskDefinition: <TASK_DEFINITION>",
        "TaskDefinition: 12",
    ));
    assert_eq!(
        quoted.message,
        "`TaskDefinition` is an integer, not a string"
    );
    let missing = only(&valid_with(
        "        TaskDefinition: <TASK_DEFINITION>\n",
        "",
    ));
    assert_eq!(
        (missing.rule, missing.message.as_str()),
        ("task-definition", "`Properties` has no `TaskDefinition`")
    );
}

#[test]
fn load_balancer_info_is_required() {
    let without = valid_with(
        "        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 8080\n",
        "",
    );
    assert_eq!(only(&without).rule, "load-balancer-info");
    let scalar = valid_with(
        "        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 8080\n",
        "        LoadBalancerInfo: web\n",
    );
    assert_eq!(
        only(&scalar).message,
        "`LoadBalancerInfo` is a string, not a mapping"
    );
    let no_name = only(&valid_with("          ContainerName: web\n", ""));
    assert_eq!(
        (no_name.rule, no_name.message.as_str()),
        (
            "container-name",
            "`LoadBalancerInfo` has no `ContainerName`"
        )
    );
    let no_port = only(&valid_with("          ContainerPort: 8080\n", ""));
    assert_eq!(
        (no_port.rule, no_port.message.as_str()),
        (
            "container-port",
            "`LoadBalancerInfo` has no `ContainerPort`"
        )
    );
}

#[test]
fn container_names_are_strings_ecs_accepts() {
    let number = only(&valid_with("ContainerName: web", "ContainerName: 8080"));
    assert_eq!(
        number.message,
        "`ContainerName` is an integer, not a string"
    );
    assert!(number.help.unwrap().starts_with("quote the value"));
    assert_eq!(
        findings(&valid_with("ContainerName: web", "ContainerName: \"8080\"")),
        []
    );
    let dotted = only(&valid_with("ContainerName: web", "ContainerName: web.app"));
    assert_eq!(dotted.rule, "container-name");
    assert_eq!(
        dotted.location_str(),
        Some(format!("line 8, {PROPERTIES}.LoadBalancerInfo.ContainerName").as_str())
    );
    assert_eq!(
        only(&valid_with("ContainerName: web", "ContainerName: ''")).message,
        "the container name is empty"
    );
}

#[test]
fn container_ports_are_numbers_from_1_to_65535() {
    for (port, message) in [
        (
            "\"8080\"",
            "`ContainerPort` is the string `\"8080\"`; CodeDeploy wants a number",
        ),
        ("0", "`ContainerPort` is 0; a port is from 1 to 65535"),
        (
            "70000",
            "`ContainerPort` is 70000; a port is from 1 to 65535",
        ),
        ("-1", "`ContainerPort` is -1; a port is from 1 to 65535"),
        ("80.5", "`ContainerPort` is 80.5, not a whole number"),
        ("http", "`ContainerPort` is a string, not a port number"),
        ("", "`ContainerPort` is empty, not a port number"),
    ] {
        let finding = only(&valid_with(
            "ContainerPort: 8080",
            &format!("ContainerPort: {port}"),
        ));
        assert_eq!(
            (finding.rule, finding.message.as_str()),
            ("container-port", message),
            "{port}"
        );
        assert_eq!(
            finding.location_str(),
            Some(format!("line 9, {PROPERTIES}.LoadBalancerInfo.ContainerPort").as_str())
        );
    }
    for edge in ["1", "65535"] {
        let port = valid_with("ContainerPort: 8080", &format!("ContainerPort: {edge}"));
        assert_eq!(findings(&port), [], "{edge}");
    }
    let quoted = only(&valid_with("ContainerPort: 8080", "ContainerPort: '8080'"));
    assert_eq!(
        quoted.help.as_deref(),
        Some("write it without quotes: `ContainerPort: 8080`")
    );
}

#[test]
fn container_and_port_must_be_in_the_task_definition() {
    let containers = TaskContainers {
        family: Some("web-service".to_owned()),
        operating_system_family: None,
        cpu_architecture: None,
        platform_needs: Vec::new(),
        containers: vec![
            ContainerPorts {
                name: "web".to_owned(),
                ports: vec![8080, 9090],
            },
            ContainerPorts {
                name: "log-router".to_owned(),
                ports: vec![],
            },
        ],
    };
    let check_with = |text: &str| check(text.as_bytes(), None, Some(&containers)).findings;
    assert_eq!(check_with(VALID), []);
    let unknown = check_with(&valid_with("ContainerName: web", "ContainerName: api"));
    assert_eq!(unknown.len(), 1);
    assert_eq!(
        unknown[0].message,
        "container `api` is not in the task definition; it has `web` (8080, 9090), `log-router` (no ports)"
    );
    assert_eq!(
        unknown[0].location_str(),
        Some(format!("line 8, {PROPERTIES}.LoadBalancerInfo.ContainerName").as_str())
    );
    assert_eq!(
        unknown[0].help.as_deref(),
        Some("name the container the load balancer routes to: `web`")
    );
    let port = check_with(&valid_with("ContainerPort: 8080", "ContainerPort: 80"));
    assert_eq!(port[0].rule, "unknown-port");
    assert_eq!(
        port[0].message,
        "container `web` has no port mapping for port 80; it exposes 8080, 9090"
    );
    assert_eq!(
        port[0].location_str(),
        Some(format!("line 9, {PROPERTIES}.LoadBalancerInfo.ContainerPort").as_str())
    );
    let sidecar = check_with(&valid_with(
        "ContainerName: web",
        "ContainerName: log-router",
    ));
    assert!(
        sidecar[0]
            .message
            .starts_with("container `log-router` has no `portMappings`"),
        "{sidecar:?}"
    );
    let other_family = check_with(&valid_with(
        "TaskDefinition: <TASK_DEFINITION>",
        "TaskDefinition: arn:aws:ecs:us-east-1:123456789012:task-definition/api:4",
    ));
    assert_eq!(
        (other_family[0].rule, other_family[0].severity),
        ("task-definition-family", Severity::Warning)
    );
}

#[test]
fn platform_versions() {
    assert_eq!(
        findings(&valid_with(
            "PlatformVersion: LATEST",
            "PlatformVersion: 1.4.0"
        )),
        []
    );
    let lower = only(&valid_with(
        "PlatformVersion: LATEST",
        "PlatformVersion: latest",
    ));
    assert_eq!(
        (lower.rule, lower.severity),
        ("platform-version", Severity::Warning)
    );
    let number = only(&valid_with(
        "PlatformVersion: LATEST",
        "PlatformVersion: 1.4",
    ));
    assert_eq!(
        (number.rule, number.message.as_str()),
        (
            "platform-version",
            "`PlatformVersion` is a decimal number, not a string"
        )
    );
}

#[test]
fn fargate_spot_needs_platform_version_1_3_0() {
    assert_eq!(
        findings(&valid_with(
            "PlatformVersion: LATEST",
            "PlatformVersion: 1.3.0"
        )),
        []
    );
    let old = only(&valid_with(
        "PlatformVersion: LATEST",
        "PlatformVersion: 1.2.0",
    ));
    assert_eq!(
        (old.rule, old.severity, old.message.as_str()),
        (
            "platform-version",
            Severity::Error,
            "`PlatformVersion` is `1.2.0`, but `FARGATE_SPOT` runs tasks only on platform version 1.3.0 or later"
        )
    );
    assert_eq!(
        old.location_str(),
        Some(format!("line 10, {PROPERTIES}.PlatformVersion").as_str())
    );
    let without_spot = valid_with("PlatformVersion: LATEST", "PlatformVersion: 1.2.0").replacen(
        "CapacityProvider: FARGATE_SPOT",
        "CapacityProvider: FARGATE",
        1,
    );
    assert_eq!(findings(&without_spot), []);
}

#[test]
fn fargate_spot_runs_linux_on_x86_64_only() {
    let task = |platform: serde_json::Value| {
        TaskContainers::from_task_definition(&serde_json::json!({
            "runtimePlatform": platform,
            "containerDefinitions": [{"name": "web", "portMappings": [{"containerPort": 8080}]}]
        }))
    };
    let check_on = |platform: serde_json::Value, text: &str| {
        check(text.as_bytes(), None, Some(&task(platform))).findings
    };
    let linux = serde_json::json!({"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"});
    assert_eq!(check_on(linux, VALID), []);
    let arm = serde_json::json!({"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"});
    let without_spot = VALID.replacen(
        "CapacityProvider: FARGATE_SPOT",
        "CapacityProvider: FARGATE",
        1,
    );
    assert_eq!(check_on(arm.clone(), &without_spot), []);
    for (platform, shown) in [
        (arm, "ARM64"),
        (
            serde_json::json!({"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}),
            "WINDOWS_SERVER_2022_CORE",
        ),
    ] {
        let found = check_on(platform, VALID);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            (found[0].rule, found[0].message.clone()),
            (
                "capacity-provider-strategy",
                format!(
                    "the task definition runs on `{shown}`, but `FARGATE_SPOT` runs only Linux tasks on `X86_64`"
                )
            )
        );
        assert_eq!(
            found[0].location_str(),
            Some(format!("line 17, {PROPERTIES}.CapacityProviderStrategy[0]").as_str())
        );
    }
}
