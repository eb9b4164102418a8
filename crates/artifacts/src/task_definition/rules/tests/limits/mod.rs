//! The rules of `limits/`: for each, a definition that passes at the boundary and one that
//! breaks it. Task-level members here; container members in `container.rs`.

mod container;
mod network;
mod specs;

use serde_json::{Value, json};

use super::{ECR, SHA, only, run, set, web_and_sidecar, with};
use crate::finding::Finding;
use crate::task_definition::shape::check_structure;

/// A clean EC2 task on the host network, where the EC2-only members are allowed.
pub(super) fn ec2_host() -> Value {
    json!({
        "family": "batch",
        "requiresCompatibilities": ["EC2"],
        "networkMode": "host",
        "containerDefinitions": [{
            "name": "app",
            "image": format!("{ECR}/app@{SHA}"),
            "essential": true,
            "memory": 512
        }]
    })
}

/// `ec2_host()` with one change.
pub(super) fn ec2_with(pointer: &str, value: Value) -> Value {
    let mut document = ec2_host();
    set(&mut document, pointer, value);
    document
}

#[test]
fn the_ec2_fixture_is_clean() {
    assert_eq!(run(&ec2_host()), []);
    assert_eq!(check_structure(&ec2_host()), []);
}

#[test]
fn ephemeral_storage_is_21_to_200_gib() {
    for size in [21, 200] {
        assert_eq!(
            run(&with("/ephemeralStorage", json!({"sizeInGiB": size}))),
            []
        );
    }
    let finding = only(
        run(&with("/ephemeralStorage", json!({"sizeInGiB": 20}))),
        "ephemeral-storage",
        "$.ephemeralStorage.sizeInGiB",
    );
    assert_eq!(
        finding.message,
        "the task has `ephemeralStorage.sizeInGiB` 20 GiB; ECS accepts 21 to 200 GiB"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("set `ephemeralStorage.sizeInGiB` between 21 and 200")
    );
    only(
        run(&with("/ephemeralStorage", json!({"sizeInGiB": 201}))),
        "ephemeral-storage",
        "$.ephemeralStorage.sizeInGiB",
    );
}

#[test]
fn at_most_ten_placement_constraints() {
    let constraint = json!({"type": "memberOf", "expression": "attribute:ecs.os-type == linux"});
    let document = ec2_with("/placementConstraints", json!(vec![constraint.clone(); 10]));
    assert_eq!(run(&document), []);
    let finding = only(
        run(&ec2_with(
            "/placementConstraints",
            json!(vec![constraint; 11]),
        )),
        "placement-constraint-count",
        "$.placementConstraints",
    );
    assert_eq!(
        finding.message,
        "the task definition has 11 placement constraints; ECS allows at most 10 for a task, \
         counting those given at run time"
    );
}

#[test]
fn tags_do_not_start_with_aws() {
    let tags = json!([
        {"key": "aws-team", "value": "web"},
        {"key": "team", "value": "uses aws: inside"},
        {"key": "a", "value": ""}
    ]);
    assert_eq!(run(&with("/tags", tags)), []);

    let finding = only(
        run(&with("/tags", json!([{"key": "AWS:team", "value": "web"}]))),
        "tag-reserved-prefix",
        "$.tags[0].key",
    );
    assert_eq!(
        finding.message,
        "tag 0 has the key `AWS:team`; the `aws:` prefix, in any case, is reserved for AWS"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("drop the `AWS:` prefix or use another one")
    );
    only(
        run(&with("/tags", json!([{"key": "team", "value": "aWs:web"}]))),
        "tag-reserved-prefix",
        "$.tags[0].value",
    );
}

#[test]
fn tags_use_letters_digits_spaces_and_seven_symbols() {
    let tags = json!([
        {"key": "Équipe 2", "value": "web_api.v1:blue/green=+1@eu-west-1"},
        {"key": "チーム", "value": "ウェブ"}
    ]);
    assert_eq!(run(&with("/tags", tags)), []);
    let finding = only(
        run(&with(
            "/tags",
            json!([{"key": "cost#center", "value": "42"}]),
        )),
        "tag-characters",
        "$.tags[0].key",
    );
    assert_eq!(
        finding.message,
        "tag 0 has the key `cost#center`, which contains `#`; ECS allows letters, digits, \
         spaces and `_ . : / = + - @`"
    );
    only(
        run(&with("/tags", json!([{"key": "owner", "value": "a,b"}]))),
        "tag-characters",
        "$.tags[0].value",
    );
}

#[test]
fn tag_keys_are_unique() {
    // Keys are case-sensitive, so these are two tags.
    let tags = json!([{"key": "team", "value": "a"}, {"key": "Team", "value": "a"}]);
    assert_eq!(run(&with("/tags", tags)), []);
    let tags = json!([
        {"key": "team", "value": "a"},
        {"key": "env", "value": "prod"},
        {"key": "team", "value": "b"}
    ]);
    let finding = only(
        run(&with("/tags", tags)),
        "duplicate-tag-key",
        "$.tags[2].key",
    );
    assert_eq!(
        finding.message,
        "tags 0 and 2 both have the key `team`; each tag key must be unique"
    );
}

/// The one finding of botocore's model, with its rule and location checked.
#[track_caller]
fn model_only(document: &Value, rule: &str, location: &str) -> Finding {
    only(check_structure(document), rule, location)
}

#[test]
fn the_model_limits_tags() {
    let tag = |key: String, value: String| json!({"key": key, "value": value});
    let fifty: Vec<Value> = (0..50)
        .map(|n| tag(format!("k{n}"), String::new()))
        .collect();
    let longest = vec![tag("k".repeat(128), "v".repeat(256))];
    for tags in [fifty.clone(), longest] {
        let document = with("/tags", json!(tags));
        assert_eq!(check_structure(&document), []);
        assert_eq!(run(&document), []);
    }
    let mut fifty_one = fifty;
    fifty_one.push(tag("k50".to_owned(), String::new()));
    model_only(&with("/tags", json!(fifty_one)), "out-of-range", "$.tags");
    model_only(
        &with("/tags", json!([tag("k".repeat(129), String::new())])),
        "out-of-range",
        "$.tags[0].key",
    );
    model_only(
        &with("/tags", json!([tag("k".to_owned(), "v".repeat(257))])),
        "out-of-range",
        "$.tags[0].value",
    );
}

#[test]
fn the_model_knows_pid_ipc_modes_and_ulimit_names() {
    for (key, value) in [("pidMode", "task"), ("ipcMode", "none")] {
        assert_eq!(
            check_structure(&ec2_with(&format!("/{key}"), json!(value))),
            []
        );
    }
    model_only(
        &ec2_with("/pidMode", json!("container")),
        "invalid-enum",
        "$.pidMode",
    );
    model_only(
        &ec2_with("/ipcMode", json!("shareable")),
        "invalid-enum",
        "$.ipcMode",
    );
    let ulimit = |name: &str| json!([{"name": name, "softLimit": 1024, "hardLimit": 4096}]);
    let document = ec2_with("/containerDefinitions/0/ulimits", ulimit("nofile"));
    assert_eq!(check_structure(&document), []);
    assert_eq!(run(&document), []);
    model_only(
        &ec2_with("/containerDefinitions/0/ulimits", ulimit("openfiles")),
        "invalid-enum",
        "$.containerDefinitions[0].ulimits[0].name",
    );
}

/// The fixture with an App Mesh proxy; `properties` as `(name, value)` pairs.
fn with_proxy(properties: &[(&str, &str)]) -> Value {
    let properties: Vec<Value> = properties
        .iter()
        .map(|(name, value)| json!({"name": name, "value": value}))
        .collect();
    with(
        "/proxyConfiguration",
        json!({"type": "APPMESH", "containerName": "log-router", "properties": properties}),
    )
}

const APP_MESH: [(&str, &str); 6] = [
    ("IgnoredUID", "1337"),
    ("ProxyIngressPort", "15000"),
    ("ProxyEgressPort", "15001"),
    ("AppPorts", "8080"),
    ("EgressIgnoredIPs", "169.254.170.2,169.254.169.254"),
    ("EgressIgnoredPorts", ""),
];

#[test]
fn app_mesh_proxies_name_their_ports_and_user() {
    assert_eq!(run(&with_proxy(&APP_MESH)), []);
    // `IgnoredGID` alone is enough.
    let mut by_group = APP_MESH.to_vec();
    by_group[0] = ("IgnoredGID", "1337");
    assert_eq!(run(&with_proxy(&by_group)), []);

    let without_ports: Vec<_> = APP_MESH
        .iter()
        .copied()
        .filter(|(name, _)| !name.starts_with("Proxy"))
        .collect();
    let finding = only(
        run(&with_proxy(&without_ports)),
        "proxy-configuration-property",
        "$.proxyConfiguration.properties",
    );
    assert_eq!(
        finding.message,
        "the App Mesh `proxyConfiguration` has no `ProxyIngressPort` and `ProxyEgressPort`"
    );

    let mut empty_user = APP_MESH.to_vec();
    empty_user[0] = ("IgnoredUID", "");
    let finding = only(
        run(&with_proxy(&empty_user)),
        "proxy-configuration-property",
        "$.proxyConfiguration.properties",
    );
    assert_eq!(
        finding.message,
        "the App Mesh `proxyConfiguration` has neither `IgnoredUID` nor `IgnoredGID`"
    );
}

#[test]
fn app_mesh_properties_are_ports_and_ids() {
    let mut values = APP_MESH.to_vec();
    values[3] = ("AppPorts", "8080,9090, 65535");
    values[5] = ("EgressIgnoredPorts", "22");
    assert_eq!(run(&with_proxy(&values)), []);
    for (position, property, expected) in [
        (
            1,
            ("ProxyIngressPort", "envoy"),
            "a port number from 1 to 65535",
        ),
        (
            3,
            ("AppPorts", "8080;9090"),
            "comma-separated port numbers from 1 to 65535",
        ),
        (
            5,
            ("EgressIgnoredPorts", "0"),
            "comma-separated port numbers from 1 to 65535",
        ),
        (0, ("IgnoredUID", "envoy"), "a numeric ID, such as 1337"),
    ] {
        let mut values = APP_MESH.to_vec();
        values[position] = property;
        let finding = only(
            run(&with_proxy(&values)),
            "proxy-configuration-value",
            &format!("$.proxyConfiguration.properties[{position}].value"),
        );
        let (name, value) = property;
        assert_eq!(
            finding.message,
            format!("the App Mesh property `{name}` is `{value}`; it takes {expected}")
        );
    }
}

#[test]
fn an_app_mesh_proxy_without_properties_lacks_them_all() {
    let document = with(
        "/proxyConfiguration",
        json!({"type": "APPMESH", "containerName": "log-router"}),
    );
    let findings = run(&document);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    assert!(
        findings
            .iter()
            .all(|finding| finding.rule == "proxy-configuration-property")
    );
}

#[test]
fn the_model_marks_inference_accelerators_gone() {
    let document = ec2_with(
        "/inferenceAccelerators",
        json!([{"deviceName": "device1", "deviceType": "eia2.medium"}]),
    );
    let finding = model_only(&document, "deprecated-key", "$.inferenceAccelerators");
    assert_eq!(finding.severity, crate::finding::Severity::Warning);
}

#[test]
fn wrong_types_are_the_shape_checks() {
    let mut document = web_and_sidecar();
    set(
        &mut document,
        "/ephemeralStorage",
        json!({"sizeInGiB": "500"}),
    );
    set(&mut document, "/tags", json!({"team": "web"}));
    set(&mut document, "/placementConstraints", json!("x"));
    set(
        &mut document,
        "/proxyConfiguration",
        json!({"properties": "x"}),
    );
    set(
        &mut document,
        "/containerDefinitions/0/healthCheck",
        json!({"command": "curl", "interval": "1"}),
    );
    set(&mut document, "/containerDefinitions/0/user", json!(1000));
    set(
        &mut document,
        "/containerDefinitions/0/linuxParameters",
        json!({"swappiness": "x", "maxSwap": 1}),
    );
    set(
        &mut document,
        "/containerDefinitions/1/systemControls",
        json!([{"namespace": 5}]),
    );
    // Only the platform rules speak, of what Fargate does not support at all.
    let rules: Vec<&str> = run(&document).iter().map(|finding| finding.rule).collect();
    assert_eq!(rules, ["fargate-max-swap"]);
}
