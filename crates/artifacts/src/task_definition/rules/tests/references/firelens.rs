//! FireLens log routers and their users.

use serde_json::{Value, json};

use super::super::{only, remove, run, set, web_and_sidecar, with};

const OPTIONS: &str = "$.containerDefinitions[1].firelensConfiguration.options";

/// The fixture with the log router's FireLens `options`.
fn options(options: Value) -> Value {
    with(
        "/containerDefinitions/1/firelensConfiguration/options",
        options,
    )
}

#[test]
fn awsfirelens_needs_a_log_router() {
    let mut document = web_and_sidecar();
    remove(
        &mut document,
        "/containerDefinitions/1/firelensConfiguration",
    );
    let finding = only(
        run(&document),
        "firelens-router-missing",
        "$.containerDefinitions[0].logConfiguration.logDriver",
    );
    assert_eq!(
        finding.message,
        "container `web` sends its logs to FireLens (`awsfirelens`), but no container of the task has a `firelensConfiguration`"
    );
}

#[test]
fn a_log_router_needs_a_user() {
    let mut document = web_and_sidecar();
    remove(&mut document, "/containerDefinitions/0/logConfiguration");
    let finding = only(
        run(&document),
        "firelens-router-unused",
        "$.containerDefinitions[1].firelensConfiguration",
    );
    assert_eq!(
        finding.message,
        "container `log-router` is a FireLens log router, but no container of the task uses the `awsfirelens` log driver"
    );
    // The router sending its own logs to itself counts as a user.
    set(
        &mut document,
        "/containerDefinitions/1/logConfiguration",
        json!({"logDriver": "awsfirelens", "options": {"Name": "stdout"}}),
    );
    assert_eq!(run(&document), []);
}

#[test]
fn firelens_options_are_the_documented_ones() {
    let valid = json!({
        "enable-ecs-log-metadata": "false",
        "config-file-type": "file",
        "config-file-value": "/fluent-bit/etc/extra.conf"
    });
    assert_eq!(run(&options(valid)), []);
    assert_eq!(
        run(&options(json!({"enable-ecs-log-metadata": "true"}))),
        []
    );
    let finding = only(
        run(&options(json!({"Name": "cloudwatch_logs"}))),
        "firelens-option",
        &format!("{OPTIONS}.Name"),
    );
    assert_eq!(
        finding.message,
        "container `log-router`'s FireLens option `Name` is not one ECS knows"
    );
    let finding = only(
        run(&options(json!({"enable-ecs-log-metadata": "yes"}))),
        "firelens-option",
        &format!("{OPTIONS}['enable-ecs-log-metadata']"),
    );
    assert_eq!(
        finding.message,
        "container `log-router`'s FireLens option `enable-ecs-log-metadata` is `yes`; ECS accepts `true` or `false`"
    );
}

#[test]
fn a_config_file_has_a_type_and_a_value() {
    let finding = only(
        run(&options(json!({"config-file-type": "file"}))),
        "firelens-config-file",
        &format!("{OPTIONS}['config-file-type']"),
    );
    assert_eq!(
        finding.message,
        "container `log-router`'s FireLens options set `config-file-type` without `config-file-value`"
    );
    only(
        run(&options(json!({"config-file-value": "/extra.conf"}))),
        "firelens-config-file",
        &format!("{OPTIONS}['config-file-value']"),
    );
}

#[test]
fn bridge_tasks_do_not_map_the_firelens_port() {
    // Under `awsvpc` the task's security group guards the port: no finding.
    let mut document = with(
        "/containerDefinitions/1/portMappings",
        json!([{"containerPort": 24224}]),
    );
    assert_eq!(run(&document), []);
    set(&mut document, "/requiresCompatibilities", json!(["EC2"]));
    set(&mut document, "/networkMode", json!("bridge"));
    let finding = only(
        run(&document),
        "firelens-port",
        "$.containerDefinitions[1].portMappings[0].containerPort",
    );
    assert_eq!(finding.severity, crate::finding::Severity::Warning);
    assert_eq!(
        finding.message,
        "container `log-router` maps port 24224, which the FireLens log router listens on, in the `bridge` network mode"
    );
    // `bridge` is the default network mode on EC2.
    remove(&mut document, "/networkMode");
    only(
        run(&document),
        "firelens-port",
        "$.containerDefinitions[1].portMappings[0].containerPort",
    );
    set(
        &mut document,
        "/containerDefinitions/1/portMappings/0",
        json!({"containerPort": 2020, "hostPort": 24224}),
    );
    only(
        run(&document),
        "firelens-port",
        "$.containerDefinitions[1].portMappings[0].hostPort",
    );
    // One port further is fine.
    set(
        &mut document,
        "/containerDefinitions/1/portMappings/0",
        json!({"containerPort": 24225, "hostPort": 24225}),
    );
    assert_eq!(run(&document), []);
}
