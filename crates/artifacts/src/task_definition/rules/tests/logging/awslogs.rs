//! The awslogs driver's rules: required options, conflicting options, values and names.

use serde_json::json;

use super::{LOG, awslogs, logged, on_ec2};
use crate::finding::Severity;
use crate::task_definition::rules::tests::{only, rules, run, set};

#[test]
fn awslogs_required_options() {
    let mut log = awslogs(&json!({}));
    log["options"]
        .as_object_mut()
        .unwrap()
        .remove("awslogs-stream-prefix");
    // The prefix is optional on EC2 only.
    assert_eq!(run(&on_ec2(&log)), []);
    let finding = only(
        run(&logged(&log)),
        "awslogs-required-option",
        &format!("{LOG}.options"),
    );
    assert_eq!(
        finding.message,
        "container `log-router` uses the `awslogs` log driver without `awslogs-stream-prefix`, which it requires on Fargate"
    );
    // On an EC2 instance the driver falls back to the instance's Region: the missing
    // `awslogs-region` is a warning there, and an error where no instance metadata exists.
    let no_group = json!({"logDriver": "awslogs", "options": {"awslogs-group": ""}});
    let findings = run(&on_ec2(&no_group));
    let at = "$.containerDefinitions[0].logConfiguration.options";
    assert_eq!(
        rules(&findings),
        [
            ("awslogs-required-option", at.to_owned()),
            ("awslogs-required-option", at.to_owned())
        ]
    );
    assert_eq!(
        findings[0].message,
        "container `worker` uses the `awslogs` log driver without `awslogs-group`, which it requires"
    );
    assert_eq!(findings[1].severity, Severity::Warning);
    assert_eq!(
        findings[1].message,
        "container `worker` uses the `awslogs` log driver without `awslogs-region`; ECS documents it as required, and only on an EC2 instance does the driver fall back to the instance's Region"
    );
    let mut external = on_ec2(&no_group);
    set(
        &mut external,
        "/requiresCompatibilities",
        json!(["EXTERNAL"]),
    );
    set(
        &mut external,
        "/executionRoleArn",
        json!("arn:aws:iam::123456789012:role/worker-execution"),
    );
    let finding = only(run(&external), "awslogs-required-option", at);
    assert_eq!(
        finding.message,
        "container `worker` uses the `awslogs` log driver without `awslogs-group` and `awslogs-region`, which it requires"
    );
    let only_group = json!({"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/worker"}});
    let finding = only(run(&on_ec2(&only_group)), "awslogs-required-option", at);
    assert_eq!(finding.severity, Severity::Warning);
    let findings = run(&on_ec2(&json!({"logDriver": "awslogs"})));
    assert_eq!(findings.len(), 2, "{findings:#?}");
    assert_eq!(
        findings[0].shown_location().as_deref(),
        Some("$.containerDefinitions[0].logConfiguration")
    );
    // A variable `render` fills in is a value.
    assert_eq!(
        run(&logged(&awslogs(
            &json!({"awslogs-region": "${AWS_REGION}"})
        ))),
        []
    );
}

#[test]
fn awslogs_datetime_format_and_multiline_pattern() {
    for one in [
        json!({"awslogs-datetime-format": "%Y-%m-%d"}),
        json!({"awslogs-multiline-pattern": "^\\["}),
    ] {
        assert_eq!(run(&logged(&awslogs(&one))), []);
    }
    let both = json!({"awslogs-datetime-format": "%Y-%m-%d", "awslogs-multiline-pattern": "^\\["});
    let finding = only(
        run(&logged(&awslogs(&both))),
        "awslogs-multiline-conflict",
        &format!("{LOG}.options['awslogs-multiline-pattern']"),
    );
    assert_eq!(
        finding.message,
        "container `log-router` sets both `awslogs-datetime-format` and `awslogs-multiline-pattern`"
    );
}

#[test]
fn awslogs_create_group_is_a_boolean() {
    for value in ["true", "false", "TRUE", "1"] {
        let log = awslogs(&json!({"awslogs-create-group": value}));
        assert_eq!(run(&logged(&log)), [], "{value}");
    }
    let finding = only(
        run(&logged(&awslogs(&json!({"awslogs-create-group": "yes"})))),
        "awslogs-create-group",
        &format!("{LOG}.options['awslogs-create-group']"),
    );
    assert_eq!(
        finding.message,
        "container `log-router`'s log option `awslogs-create-group` is `yes`, not `true` or `false`"
    );
}

#[test]
fn awslogs_option_names() {
    let known = json!({
        "awslogs-endpoint": "https://logs.eu-west-1.amazonaws.com",
        "awslogs-create-group": "true",
        "awslogs-max-buffered-events": "8192",
        "tag": "web",
        "mode": "non-blocking"
    });
    assert_eq!(run(&logged(&awslogs(&known))), []);
    let finding = only(
        run(&logged(&awslogs(&json!({"awslogs-stream_prefix": "web"})))),
        "log-option-unknown",
        &format!("{LOG}.options['awslogs-stream_prefix']"),
    );
    assert_eq!(
        finding.message,
        "container `log-router` passes `awslogs-stream_prefix` to the `awslogs` log driver, which has no such option"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("did you mean `awslogs-stream-prefix`?")
    );
    let mut log = awslogs(&json!({}));
    log["secretOptions"] = json!([{"name": "apikey", "valueFrom": "/logs/key"}]);
    only(
        run(&logged(&log)),
        "log-option-unknown",
        &format!("{LOG}.secretOptions[0].name"),
    );
}
