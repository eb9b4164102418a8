mod arbitrary;
mod environment;
mod fargate;
mod images;
mod limits;
mod logging;
mod platform;
mod ports;
mod references;
mod resources;
mod roles;
mod table;
mod task;
mod volumes;

use serde_json::{Value, json};

use super::{RuleOptions, check};
use crate::finding::{Finding, Severity};

pub(super) const SHA: &str =
    "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
pub(super) const ECR: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

/// A realistic Fargate service: a web container behind Service Connect and a FireLens
/// log-router sidecar. It passes every rule.
pub(super) fn web_and_sidecar() -> Value {
    json!({
        "family": "web-api",
        "taskRoleArn": "arn:aws:iam::123456789012:role/web-task",
        "executionRoleArn": "arn:aws:iam::123456789012:role/web-execution",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "512",
        "memory": "1024",
        "runtimePlatform": {"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"},
        "containerDefinitions": [
            {
                "name": "web",
                "image": format!("{ECR}/web@{SHA}"),
                "essential": true,
                "cpu": 384,
                "memory": 768,
                "memoryReservation": 512,
                "portMappings": [
                    {"name": "http", "containerPort": 8080, "hostPort": 8080, "protocol": "tcp", "appProtocol": "http"},
                    {"name": "debug-range", "containerPortRange": "9000-9009"}
                ],
                "environment": [
                    {"name": "LOG_LEVEL", "value": "info"},
                    {"name": "GIT_COMMIT", "value": "0123456789abcdef0123456789abcdef01234567"},
                    {"name": "DB_PASSWORD_SECRET_ARN", "value": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:web/db-AbCdEf"}
                ],
                "secrets": [
                    {"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:web/db-AbCdEf:password::"},
                    {"name": "API_TOKEN", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/web/api-token"},
                    {"name": "FEATURE_FLAGS", "valueFrom": "/web/feature-flags"}
                ],
                "logConfiguration": {
                    "logDriver": "awsfirelens",
                    "options": {"Name": "cloudwatch_logs", "region": "eu-west-1"},
                    "secretOptions": [{"name": "apikey", "valueFrom": "arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/logs/key"}]
                },
                "dependsOn": [{"containerName": "log-router", "condition": "START"}]
            },
            {
                "name": "log-router",
                "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4",
                "essential": false,
                "cpu": 128,
                "memoryReservation": 128,
                "firelensConfiguration": {"type": "fluentbit"},
                "portMappings": [{"name": "metrics", "containerPort": 2020}]
            }
        ]
    })
}

/// Turns the fixture's FireLens log routing into `awslogs`, for the Windows variants of it:
/// "Windows containers don't support FireLens"
/// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html>).
pub(super) fn without_firelens(document: &mut Value) {
    set(
        document,
        "/containerDefinitions/0/logConfiguration",
        json!({
            "logDriver": "awslogs",
            "options": {"awslogs-group": "/ecs/web", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "web"}
        }),
    );
    remove(document, "/containerDefinitions/1/firelensConfiguration");
}

/// The same service as a CodeDeployToECS template.
pub(super) fn template() -> Value {
    let mut document = web_and_sidecar();
    set(
        &mut document,
        "/containerDefinitions/0/image",
        json!("<IMAGE1_NAME>"),
    );
    set(
        &mut document,
        "/containerDefinitions/1/image",
        json!("<IMAGE2_NAME>"),
    );
    document
}

pub(super) fn run(document: &Value) -> Vec<Finding> {
    check(document, &RuleOptions::default())
}

pub(super) fn run_template(document: &Value) -> Vec<Finding> {
    let options = RuleOptions {
        allow_placeholders: true,
        ..RuleOptions::default()
    };
    check(document, &options)
}

/// `(rule, location)` of each finding, in order.
pub(super) fn rules(findings: &[Finding]) -> Vec<(&'static str, String)> {
    findings
        .iter()
        .map(|finding| (finding.rule, finding.shown_location().unwrap_or_default()))
        .collect()
}

/// The one finding, with its rule and location checked.
#[track_caller]
pub(super) fn only(findings: Vec<Finding>, rule: &str, location: &str) -> Finding {
    assert_eq!(
        rules(&findings),
        [(rule, location.to_owned())],
        "{findings:#?}"
    );
    findings.into_iter().next().expect("one finding")
}

/// Sets the value at a JSON pointer, adding the last key when it is new.
#[track_caller]
pub(super) fn set(document: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    match document.pointer_mut(parent).expect("the parent exists") {
        Value::Object(object) => {
            object.insert(key.to_owned(), value);
        }
        Value::Array(array) => {
            let index: usize = key.parse().expect("an index");
            if index == array.len() {
                array.push(value);
            } else {
                array[index] = value;
            }
        }
        other => panic!("cannot set {pointer} in {other}"),
    }
}

/// Removes the value at a JSON pointer.
#[track_caller]
pub(super) fn remove(document: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    match document.pointer_mut(parent).expect("the parent exists") {
        Value::Object(object) => {
            object.remove(key).expect("the key exists");
        }
        Value::Array(array) => {
            array.remove(key.parse().expect("an index"));
        }
        other => panic!("cannot remove {pointer} from {other}"),
    }
}

/// The fixture with one change.
pub(super) fn with(pointer: &str, value: Value) -> Value {
    let mut document = web_and_sidecar();
    set(&mut document, pointer, value);
    document
}

#[test]
fn the_realistic_service_is_clean() {
    assert_eq!(run(&web_and_sidecar()), []);
    assert_eq!(run_template(&template()), []);
    // Placeholders are also allowed where they are not used.
    assert_eq!(run_template(&web_and_sidecar()), []);
}

#[test]
fn wrong_types_are_left_to_the_shape_check() {
    let document = json!({
        "family": 7,
        "networkMode": ["awsvpc"],
        "requiresCompatibilities": ["FARGATE"],
        "cpu": 256,
        "memory": 512,
        "runtimePlatform": "LINUX",
        "containerDefinitions": [{
            "name": 1,
            "image": {"uri": "nginx"},
            "essential": "false",
            "memory": "512",
            "cpu": "x",
            "portMappings": {"containerPort": 0},
            "environment": [{"name": "DB_PASSWORD", "value": 3}, "x"],
            "secrets": [{"name": "S", "valueFrom": 5}]
        }, "not an object"]
    });
    assert_eq!(run(&document), []);
    assert_eq!(run(&json!("a string")), []);
    assert_eq!(run(&json!({"containerDefinitions": {}})), []);
}

#[test]
fn findings_say_errors_and_warnings() {
    let findings = run(&with(
        "/containerDefinitions/0/environment/0",
        json!({"name": "GITHUB_TOKEN", "value": "ghp_abc"}),
    ));
    assert_eq!(findings[0].severity, Severity::Warning);
    let findings = run(&with("/family", json!("")));
    assert_eq!(findings[0].severity, Severity::Error);
}

#[test]
fn message_helpers() {
    assert_eq!(super::or_list(&[1]), "1");
    assert_eq!(super::or_list(&[1, 2]), "1 or 2");
    assert_eq!(super::and_list(&["a", "b", "c"]), "a, b and c");
    assert_eq!(super::thousands(0), "0");
    assert_eq!(super::thousands(999), "999");
    assert_eq!(super::thousands(65_536), "65,536");
    assert_eq!(super::thousands(1_234_567), "1,234,567");
}
