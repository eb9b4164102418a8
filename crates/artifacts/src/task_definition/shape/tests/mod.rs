//! Tests of the embedded model, the conversion from describe output and the path accessors.
//! The findings of `check_structure` are tested in `keys.rs` and `values.rs`; paths, near
//! misses and the shape types ECS does not use yet in `paths.rs`.

mod keys;
mod paths;
mod values;

use serde_json::{Value, json};

use super::*;

/// A realistic Fargate definition as a CodeDeployToECS `taskdef.json`: placeholder image,
/// FireLens log router, EFS volume, secrets, health check, tags.
pub(super) fn fargate() -> Value {
    json!({
        "family": "web",
        "taskRoleArn": "arn:aws:iam::123456789012:role/web-task",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "512",
        "memory": "1024",
        "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        "ephemeralStorage": {"sizeInGiB": 30},
        "containerDefinitions": [
            {
                "name": "web",
                "image": "<IMAGE1_NAME>",
                "essential": true,
                "cpu": 0,
                "portMappings": [
                    {"name": "http", "containerPort": 8080, "hostPort": 8080, "protocol": "tcp", "appProtocol": "http"},
                    {"containerPort": 9090, "protocol": "tcp"}
                ],
                "environment": [{"name": "PORT", "value": "8080"}],
                "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"}],
                "logConfiguration": {
                    "logDriver": "awsfirelens",
                    "options": {"Name": "cloudwatch_logs", "region": "us-east-1", "log_group_name": "/ecs/web"}
                },
                "healthCheck": {
                    "command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
                    "interval": 30, "timeout": 5, "retries": 3, "startPeriod": 10
                },
                "dependsOn": [{"containerName": "log-router", "condition": "START"}],
                "mountPoints": [{"sourceVolume": "data", "containerPath": "/data", "readOnly": false}],
                "volumesFrom": [],
                "ulimits": [{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}],
                "linuxParameters": {"initProcessEnabled": true},
                "readonlyRootFilesystem": true,
                "stopTimeout": 30,
                "dockerLabels": {"com.example.team": "web"}
            },
            {
                "name": "log-router",
                "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4",
                "essential": true,
                "memoryReservation": 50,
                "user": "0",
                "firelensConfiguration": {"type": "fluentbit", "options": {"enable-ecs-log-metadata": "true"}},
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "firelens"}
                }
            }
        ],
        "volumes": [{
            "name": "data",
            "efsVolumeConfiguration": {
                "fileSystemId": "fs-12345678",
                "transitEncryption": "ENABLED",
                "authorizationConfig": {"accessPointId": "fsap-1234567890abcdef0", "iam": "ENABLED"}
            }
        }],
        "placementConstraints": [],
        "tags": [{"key": "team", "value": "web"}, {"key": "cost-center", "value": ""}]
    })
}

/// `aws ecs describe-task-definition --task-definition web:42 --include TAGS`, as the CLI
/// prints it (empty lists included, timestamps as ISO strings).
fn describe_output() -> Value {
    json!({
        "taskDefinition": {
            "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:42",
            "containerDefinitions": [{
                "name": "web",
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "cpu": 0,
                "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp", "name": "http", "appProtocol": "http"}],
                "essential": true,
                "environment": [],
                "environmentFiles": [],
                "mountPoints": [],
                "volumesFrom": [],
                "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/web/db"}],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web"},
                    "secretOptions": []
                },
                "systemControls": []
            }],
            "family": "web",
            "taskRoleArn": "arn:aws:iam::123456789012:role/web-task",
            "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
            "networkMode": "awsvpc",
            "revision": 42,
            "volumes": [],
            "status": "ACTIVE",
            "requiresAttributes": [
                {"name": "com.amazonaws.ecs.capability.logging-driver.awslogs"},
                {"name": "ecs.capability.execution-role-awslogs"},
                {"name": "ecs.capability.secrets.ssm.environment-variables"},
                {"name": "com.amazonaws.ecs.capability.task-iam-role"},
                {"name": "ecs.capability.task-eni"}
            ],
            "placementConstraints": [],
            "compatibilities": ["EC2", "FARGATE"],
            "requiresCompatibilities": ["FARGATE"],
            "cpu": "256",
            "memory": "512",
            "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
            "registeredAt": "2025-03-14T09:26:53.123000+00:00",
            "registeredBy": "arn:aws:sts::123456789012:assumed-role/codebuild-web/AWSCodeBuild-1f2e",
            "enableFaultInjection": false
        },
        "tags": [{"key": "team", "value": "web"}]
    })
}

const DROPPED: [&str; 7] = [
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "requiresAttributes",
    "revision",
    "status",
    "taskDefinitionArn",
];

#[test]
fn the_embedded_model_parses_and_has_the_register_input_tree() {
    let model = Model::get();
    assert_eq!(model.root().name, "RegisterTaskDefinitionRequest");
    assert!(!botocore_version().is_empty());
    let names: Vec<_> = input_member_names().collect();
    for expected in [
        "family",
        "containerDefinitions",
        "cpu",
        "memory",
        "networkMode",
        "tags",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let Kind::Structure { required, .. } = &model.root().kind else {
        panic!("the root is a structure");
    };
    assert_eq!(required, &["containerDefinitions", "family"]);
    // The model requires nothing of a container: `name` and `image` are ECS's own rules.
    let container = model.shape(model.root().member("containerDefinitions").unwrap().shape);
    let Kind::List(container) = container.kind else {
        panic!("a list")
    };
    let container = model.shape(container);
    assert_eq!(container.name, "ContainerDefinition");
    assert!(matches!(&container.kind, Kind::Structure { required, .. } if required.is_empty()));
    assert!(container.member("image").is_some());
}

#[test]
fn describe_only_members_come_from_the_model() {
    let describe_only: Vec<_> = describe_only_members().collect();
    for expected in DROPPED
        .iter()
        .chain(&["deregisteredAt", "deleteRequestedAt"])
    {
        assert!(
            describe_only.contains(expected),
            "{expected} in {describe_only:?}"
        );
    }
    for name in &describe_only {
        assert!(input_member_names().all(|member| member != *name));
    }
}

#[test]
fn a_realistic_fargate_definition_has_no_findings() {
    assert_eq!(check_structure(&fargate()), []);
}

#[test]
fn describe_output_converts_and_then_passes() {
    let (converted, dropped) = to_register_input(describe_output());
    assert_eq!(dropped, DROPPED);
    assert_eq!(check_structure(&converted), []);
    assert_eq!(converted["tags"], json!([{"key": "team", "value": "web"}]));
    // What the user had stays, empty or not.
    assert_eq!(converted["volumes"], json!([]));
    assert_eq!(
        converted["containerDefinitions"][0]["environment"],
        json!([])
    );
    assert_eq!(converted["enableFaultInjection"], json!(false));
    assert!(converted.get("taskDefinition").is_none());
}

#[test]
fn a_bare_task_definition_converts() {
    let mut bare = describe_output()["taskDefinition"].take();
    bare["deregisteredAt"] = json!("2025-04-01T00:00:00+00:00");
    bare["deleteRequestedAt"] = json!(1_743_465_600.5);
    bare["status"] = json!("DELETE_IN_PROGRESS");
    let (converted, dropped) = to_register_input(bare);
    assert!(dropped.contains(&"deregisteredAt".to_owned()));
    assert!(dropped.contains(&"deleteRequestedAt".to_owned()));
    assert_eq!(dropped.len(), 9);
    assert_eq!(check_structure(&converted), []);
    assert!(converted.get("tags").is_none());
}

#[test]
fn register_input_is_left_alone() {
    let (converted, dropped) = to_register_input(fargate());
    assert_eq!(converted, fargate());
    assert!(dropped.is_empty());
}

#[test]
fn conversion_never_drops_what_the_user_wrote() {
    let document = json!({
        "taskDefinition": {
            "family": "web", "taskRoleArn": "", "volumes": [], "pidMode": null,
            "containerDefinitions": [{"name": "web", "image": "", "command": []}],
            "colour": "blue", "revision": 3
        },
        "tags": [],
        "ResponseMetadata": {"HTTPStatusCode": 200}
    });
    let (converted, dropped) = to_register_input(document);
    assert_eq!(dropped, ["revision"]);
    assert_eq!(
        converted,
        json!({
            "family": "web", "taskRoleArn": "", "volumes": [], "pidMode": null,
            "containerDefinitions": [{"name": "web", "image": "", "command": []}],
            "colour": "blue",
            "ResponseMetadata": {"HTTPStatusCode": 200}
        })
    );
    let rules: Vec<_> = check_structure(&converted)
        .into_iter()
        .map(|finding| (finding.rule, finding.shown_location().unwrap()))
        .collect();
    assert_eq!(
        rules,
        [
            ("unknown-key", "$.ResponseMetadata".to_owned()),
            ("unknown-key", "$.colour".to_owned()),
            ("wrong-type", "$.pidMode".to_owned()),
        ]
    );
}

#[test]
fn conversion_edge_cases() {
    // Tags inside and beside: the definition's own copy wins, the other is named.
    let (converted, dropped) = to_register_input(json!({
        "taskDefinition": {"family": "a", "containerDefinitions": [], "tags": [{"key": "in"}]},
        "tags": [{"key": "out"}]
    }));
    assert_eq!(dropped, ["tags"]);
    assert_eq!(converted["tags"], json!([{"key": "in"}]));
    // `taskDefinition` that is not an object, or beside register members: not describe output.
    let odd = json!({"taskDefinition": "web:3", "tags": []});
    assert_eq!(to_register_input(odd.clone()), (odd, vec![]));
    let mixed = json!({"family": "a", "containerDefinitions": [], "taskDefinition": {}});
    assert_eq!(to_register_input(mixed.clone()), (mixed, vec![]));
    // Not an object at all.
    assert_eq!(to_register_input(json!([1])), (json!([1]), vec![]));
}
