//! `check_structure` findings about values: types, enum values, lengths, deprecations.

use serde_json::{Value, json};

use super::fargate;
use super::keys::{only, summary, with};
use crate::finding::Severity;
use crate::task_definition::shape::check_structure;

#[test]
fn wrong_types_name_the_value_and_the_fix() {
    let finding = only(&with("/cpu", json!(256)));
    assert_eq!(
        summary(&finding),
        (
            "wrong-type",
            "$.cpu",
            "`cpu` must be a string, not the number `256`",
            Some("quote it: `\"256\"`")
        )
    );
    let finding = only(&with(
        "/containerDefinitions/0/portMappings/0/containerPort",
        json!("80"),
    ));
    assert_eq!(
        summary(&finding),
        (
            "wrong-type",
            "$.containerDefinitions[0].portMappings[0].containerPort",
            "`containerPort` must be an integer, not the string `\"80\"`",
            Some("remove the quotes: `80`")
        )
    );
    let finding = only(&with(
        "/containerDefinitions/0/portMappings/1/hostPort",
        json!(80.0),
    ));
    assert_eq!(
        finding.location_str(),
        Some("$.containerDefinitions[0].portMappings[1].hostPort")
    );
    assert_eq!(
        finding.message,
        "`hostPort` must be an integer, not the number `80.0`"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("write it without a fraction: `80`")
    );
    let finding = only(&with("/containerDefinitions/0/essential", json!("true")));
    assert_eq!(
        finding.message,
        "`essential` must be `true` or `false`, not the string `\"true\"`"
    );
    assert_eq!(finding.help.as_deref(), Some("remove the quotes: `true`"));
    assert_eq!(
        only(&with("/containerDefinitions/0/cpu", json!(true))).rule,
        "wrong-type"
    );
    let finding = only(&with(
        "/containerDefinitions/0/portMappings",
        json!({"containerPort": 80}),
    ));
    assert_eq!(
        finding.message,
        "`portMappings` must be an array, not an object"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("`portMappings` takes an array: wrap the value in `[` and `]`")
    );
    let finding = only(&with("/containerDefinitions/1", json!("log-router")));
    assert_eq!(finding.location_str(), Some("$.containerDefinitions[1]"));
    assert_eq!(
        finding.message,
        "`containerDefinitions[1]` must be an object, not the string `\"log-router\"`"
    );
    let finding = only(&with("/family", Value::Null));
    assert_eq!(finding.message, "`family` must be a string, not null");
    assert_eq!(
        finding.help.as_deref(),
        Some("remove the key, or give a string; the AWS CLI rejects null")
    );
    let finding = only(&with(
        "/containerDefinitions/0/healthCheck/command",
        json!("curl -f localhost"),
    ));
    assert_eq!(
        finding.location_str(),
        Some("$.containerDefinitions[0].healthCheck.command")
    );
    let finding = only(&json!([fargate()]));
    assert_eq!(
        summary(&finding),
        (
            "wrong-type",
            "$",
            "the task definition must be an object, not an array",
            None
        )
    );
}

#[test]
fn map_values_are_checked_and_their_keys_bracketed() {
    let finding = only(&with(
        "/containerDefinitions/1/logConfiguration/options/awslogs-group",
        json!(5),
    ));
    assert_eq!(
        finding.location_str(),
        Some("$.containerDefinitions[1].logConfiguration.options['awslogs-group']")
    );
    assert_eq!(
        finding.message,
        "`awslogs-group` must be a string, not the number `5`"
    );
    let finding = only(&with(
        "/containerDefinitions/0/dockerLabels/com.example.port",
        json!(8080),
    ));
    assert_eq!(
        finding.location_str(),
        Some("$.containerDefinitions[0].dockerLabels['com.example.port']")
    );
    // Any key is fine in a map.
    assert_eq!(
        check_structure(&with(
            "/containerDefinitions/0/dockerLabels/Anything Goes",
            json!("")
        )),
        []
    );
}

#[test]
fn sensitive_values_are_not_repeated() {
    let finding = only(&with(
        "/containerDefinitions/0/environment/0/value",
        json!(5432),
    ));
    assert_eq!(
        finding.location_str(),
        Some("$.containerDefinitions[0].environment[0].value")
    );
    assert_eq!(finding.message, "`value` must be a string, not a number");
    assert_eq!(finding.help.as_deref(), Some("quote it"));
}

#[test]
fn enum_values_are_checked_with_the_valid_ones_named() {
    let finding = only(&with("/networkMode", json!("bogus")));
    assert_eq!(
        summary(&finding),
        (
            "invalid-enum",
            "$.networkMode",
            "`networkMode` is `bogus`, which is not one of `bridge`, `host`, `awsvpc`, `none`",
            None
        )
    );
    let finding = only(&with(
        "/requiresCompatibilities",
        json!(["FARGATE", "MOON"]),
    ));
    assert_eq!(finding.location_str(), Some("$.requiresCompatibilities[1]"));
    assert_eq!(
        finding.message,
        "`requiresCompatibilities[1]` is `MOON`, which is not one of `EC2`, `FARGATE`, `EXTERNAL`, `MANAGED_INSTANCES`"
    );
    let finding = only(&with("/requiresCompatibilities", json!(["fargate"])));
    assert_eq!(
        finding.help.as_deref(),
        Some("did you mean `FARGATE`? values are case-sensitive")
    );
    let finding = only(&with(
        "/containerDefinitions/1/logConfiguration/logDriver",
        json!("awslog"),
    ));
    assert_eq!(
        finding.location_str(),
        Some("$.containerDefinitions[1].logConfiguration.logDriver")
    );
    assert_eq!(finding.help.as_deref(), Some("did you mean `awslogs`?"));
    let finding = only(&with(
        "/containerDefinitions/0/ulimits/0/name",
        json!("NOFILE"),
    ));
    assert_eq!(
        finding.location_str(),
        Some("$.containerDefinitions[0].ulimits[0].name")
    );
    // The placeholder CodeDeployToECS substitutes is any string to the model.
    assert_eq!(
        check_structure(&with(
            "/containerDefinitions/1/image",
            json!("<IMAGE2_NAME>")
        )),
        []
    );
}

#[test]
fn lengths_counts_and_integer_widths() {
    let finding = only(&with("/tags/0/key", json!("")));
    assert_eq!(
        summary(&finding),
        (
            "out-of-range",
            "$.tags[0].key",
            "`key` has 0 characters; the minimum is 1",
            None
        )
    );
    let finding = only(&with("/tags/1/value", json!("é".repeat(257))));
    assert_eq!(
        finding.message,
        "`value` has 257 characters; the maximum is 256"
    );
    let tags: Vec<_> = (0..51)
        .map(|n| json!({"key": format!("k{n}"), "value": "v"}))
        .collect();
    let finding = only(&with("/tags", json!(tags)));
    assert_eq!(
        summary(&finding),
        (
            "out-of-range",
            "$.tags",
            "`tags` has 51 entries; the maximum is 50",
            None
        )
    );
    let finding = only(&with(
        "/containerDefinitions/0/portMappings/0/containerPort",
        json!(4_294_967_296_u64),
    ));
    assert_eq!(
        finding.message,
        "`containerPort` is 4294967296, which does not fit in a signed 32-bit integer"
    );
    assert_eq!(
        check_structure(&with("/containerDefinitions/0/stopTimeout", json!(-1))),
        []
    );
}

#[test]
fn deprecated_members_warn_when_used() {
    let used = json!([{"deviceName": "eia", "deviceType": "eia2.medium"}]);
    let finding = only(&with("/inferenceAccelerators", used));
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(finding.rule, "deprecated-key");
    assert_eq!(finding.location_str(), Some("$.inferenceAccelerators"));
    assert!(
        finding
            .message
            .starts_with("`inferenceAccelerators` is deprecated: ")
    );
    // Describe output carries the empty list; that is not a use.
    assert_eq!(
        check_structure(&with("/inferenceAccelerators", json!([]))),
        []
    );
}
