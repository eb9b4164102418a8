//! `check_structure` findings about keys: unknown, describe-only, missing; and their order.
//! The helpers here build variants of the realistic fixture for `values.rs` too.

use serde_json::{Value, json};

use super::fargate;
use crate::finding::{Finding, Severity};
use crate::task_definition::shape::check_structure;

/// `fargate()` with the value at `pointer` replaced (or added, under an existing parent).
pub(super) fn with(pointer: &str, value: Value) -> Value {
    let mut document = fargate();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match document.pointer_mut(parent).unwrap() {
        Value::Object(object) => {
            object.insert(key.to_owned(), value);
        }
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        other => panic!("{parent} is {other}"),
    }
    document
}

pub(super) fn without(pointer: &str) -> Value {
    let mut document = fargate();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    document
        .pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(key);
    document
}

/// The single finding of a document.
pub(super) fn only(document: &Value) -> Finding {
    let mut findings = check_structure(document);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    findings.pop().unwrap()
}

pub(super) fn summary(finding: &Finding) -> (&'static str, &str, &str, Option<&str>) {
    (
        finding.rule,
        finding.location_str().unwrap(),
        finding.message.as_str(),
        finding.help.as_deref(),
    )
}

#[test]
fn unknown_keys_at_every_depth_with_suggestions() {
    let finding = only(&with("/containerDefinitions/0/imagee", json!("x")));
    assert_eq!(
        summary(&finding),
        (
            "unknown-key",
            "$.containerDefinitions[0].imagee",
            "unknown key `imagee` in `ContainerDefinition`",
            Some("did you mean `image`?")
        )
    );
    assert_eq!(finding.severity, Severity::Error);
    let finding = only(&with(
        "/containerDefinitions/0/portMappings/1/HostPort",
        json!(80),
    ));
    assert_eq!(
        finding.location_str(),
        Some("$.containerDefinitions[0].portMappings[1].HostPort")
    );
    assert_eq!(finding.help.as_deref(), Some("did you mean `hostPort`?"));
    let deep = "/volumes/0/efsVolumeConfiguration/authorizationConfig/Iam";
    let finding = only(&with(deep, json!("ENABLED")));
    assert_eq!(
        finding.location_str(),
        Some("$.volumes[0].efsVolumeConfiguration.authorizationConfig.Iam")
    );
    assert_eq!(finding.help.as_deref(), Some("did you mean `iam`?"));
    assert_eq!(
        only(&with("/memroy", json!("1024"))).help.as_deref(),
        Some("did you mean `memory`?")
    );
    // Nothing close: the help lists the members.
    let finding = only(&with("/containerDefinitions/0/healthCheck/probe", json!(1)));
    assert_eq!(finding.message, "unknown key `probe` in `HealthCheck`");
    assert_eq!(
        finding.help.as_deref(),
        Some("`HealthCheck` has `command`, `interval`, `retries`, `startPeriod`, `timeout`")
    );
    let finding = only(&with("/foo", json!(1)));
    assert!(
        finding
            .help
            .unwrap()
            .contains("`containerDefinitions`, `cpu`")
    );
}

#[test]
fn describe_only_keys_at_the_top_and_unknown_below() {
    let finding = only(&with("/revision", json!(42)));
    assert_eq!(
        summary(&finding),
        (
            "describe-only-key",
            "$.revision",
            "`revision` is DescribeTaskDefinition output, which RegisterTaskDefinition rejects",
            Some(
                "`ecs-taskdef` drops the describe-only keys when it reads describe output; or delete the key"
            )
        )
    );
    // Only the top level is a `TaskDefinition`; below, the same name is just unknown.
    let finding = only(&with("/containerDefinitions/0/status", json!("ACTIVE")));
    assert_eq!(finding.rule, "unknown-key");
    // Describe output given as is.
    let document = json!({"taskDefinition": fargate(), "tags": []});
    let findings = check_structure(&document);
    let found: Vec<_> = findings
        .iter()
        .map(|f| (f.rule, f.location_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("missing-key", "$"),
            ("missing-key", "$"),
            ("unknown-key", "$.taskDefinition")
        ]
    );
    assert!(
        findings[2]
            .help
            .as_deref()
            .unwrap()
            .contains("describe-task-definition")
    );
}

#[test]
fn missing_required_keys_as_the_model_says() {
    let findings = check_structure(&json!({}));
    let messages: Vec<_> = findings
        .iter()
        .map(|f| (f.rule, f.location_str().unwrap(), f.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "missing-key",
                "$",
                "missing required key `containerDefinitions`"
            ),
            ("missing-key", "$", "missing required key `family`"),
        ]
    );
    let finding = only(&without(
        "/containerDefinitions/1/logConfiguration/logDriver",
    ));
    assert_eq!(
        summary(&finding),
        (
            "missing-key",
            "$.containerDefinitions[1].logConfiguration",
            "missing required key `logDriver` in `logConfiguration`",
            Some("`LogConfiguration` requires `logDriver`")
        )
    );
    let finding = only(&without("/containerDefinitions/0/dependsOn/0/condition"));
    assert_eq!(
        finding.location_str(),
        Some("$.containerDefinitions[0].dependsOn[0]")
    );
    assert_eq!(
        finding.message,
        "missing required key `condition` in `dependsOn[0]`"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("`ContainerDependency` requires `condition`, `containerName`")
    );
    // The model requires neither `name` nor `image` of a container: that is ECS's rule.
    let document = json!({"family": "web", "containerDefinitions": [{}]});
    assert_eq!(check_structure(&document), []);
}

#[test]
fn findings_come_in_document_order_and_stop_at_wrong_types() {
    let mut document = fargate();
    document["containerDefinitions"][0]["imagee"] = json!(1);
    document["containerDefinitions"][1]["memoryReservation"] = json!("50");
    document["networkMode"] = json!("bogus");
    document["volumes"] = json!({"name": {"bad": 1}});
    let found: Vec<_> = check_structure(&document)
        .into_iter()
        .map(|f| (f.rule, f.shown_location().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("unknown-key", "$.containerDefinitions[0].imagee".to_owned()),
            (
                "wrong-type",
                "$.containerDefinitions[1].memoryReservation".to_owned()
            ),
            ("invalid-enum", "$.networkMode".to_owned()),
            ("wrong-type", "$.volumes".to_owned()),
        ]
    );
}
