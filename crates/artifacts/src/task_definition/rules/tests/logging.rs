//! The rules of `logging.rs`: for each, a definition that passes and one that breaks it.

mod awslogs;

use serde_json::{Value, json};

use super::{ECR, SHA, only, run, set, with};
use crate::task_definition::shape::check_structure;

const LOG: &str = "$.containerDefinitions[1].logConfiguration";

/// The Fargate fixture with the log router's own log configuration set.
fn logged(log: &Value) -> Value {
    with("/containerDefinitions/1/logConfiguration", log.clone())
}

/// A one-container EC2 task with `log` as its log configuration.
fn on_ec2(log: &Value) -> Value {
    json!({
        "family": "worker",
        "requiresCompatibilities": ["EC2"],
        "containerDefinitions": [{
            "name": "worker",
            "image": format!("{ECR}/worker@{SHA}"),
            "memory": 512,
            "essential": true,
            "logConfiguration": log
        }]
    })
}

fn awslogs(extra: &Value) -> Value {
    let mut options = json!({
        "awslogs-group": "/ecs/web",
        "awslogs-region": "eu-west-1",
        "awslogs-stream-prefix": "router"
    });
    for (key, value) in extra.as_object().expect("an object") {
        options[key] = value.clone();
    }
    json!({"logDriver": "awslogs", "options": options})
}

#[test]
fn fargate_log_drivers() {
    for driver in ["json-file", "syslog", "journald", "gelf", "fluentd"] {
        // The gelf driver's one required option (`gelf_address`).
        let log = if driver == "gelf" {
            json!({"logDriver": driver, "options": {"gelf-address": "udp://graylog:12201"}})
        } else {
            json!({"logDriver": driver})
        };
        assert_eq!(run(&on_ec2(&log)), [], "{driver}");
        // Fargate's own list is the platform rules' (`fargate-log-driver`).
        let finding = only(
            run(&logged(&log)),
            "fargate-log-driver",
            &format!("{LOG}.logDriver"),
        );
        assert_eq!(
            finding.message,
            format!(
                "container `log-router` logs with the `{driver}` driver; Fargate supports \
                 `awslogs`, `splunk` and `awsfirelens`"
            )
        );
    }
    assert_eq!(run(&logged(&awslogs(&json!({})))), []);
}

/// The fixture with the web container's FireLens option `name` set to `value`.
fn firelens_option(name: &str, value: &str) -> Value {
    with(
        &format!("/containerDefinitions/0/logConfiguration/options/{name}"),
        json!(value),
    )
}

#[test]
fn log_mode() {
    for mode in ["blocking", "non-blocking"] {
        assert_eq!(run(&logged(&awslogs(&json!({"mode": mode})))), []);
        assert_eq!(run(&firelens_option("mode", mode)), []);
    }
    let finding = only(
        run(&firelens_option("mode", "nonblocking")),
        "log-mode",
        "$.containerDefinitions[0].logConfiguration.options.mode",
    );
    assert_eq!(
        finding.message,
        "container `web`'s log option `mode` is `nonblocking`"
    );
}

#[test]
fn firelens_buffer_limit() {
    for limit in ["0", "2097152", "536870911"] {
        assert_eq!(
            run(&firelens_option("log-driver-buffer-limit", limit)),
            [],
            "{limit}"
        );
    }
    let at = "$.containerDefinitions[0].logConfiguration.options['log-driver-buffer-limit']";
    for limit in ["536870912", "-1", "1m"] {
        let finding = only(
            run(&firelens_option("log-driver-buffer-limit", limit)),
            "log-driver-buffer-limit",
            at,
        );
        assert_eq!(
            finding.message,
            format!(
                "container `web`'s `log-driver-buffer-limit` is `{limit}`, not a number of log lines from 0 to 536870911"
            )
        );
    }
    let log = awslogs(&json!({"log-driver-buffer-limit": "4096"}));
    let finding = only(
        run(&logged(&log)),
        "log-driver-buffer-limit",
        &format!("{LOG}.options['log-driver-buffer-limit']"),
    );
    assert_eq!(
        finding.message,
        "container `log-router` sets `log-driver-buffer-limit` with the `awslogs` log driver; it is only for `awsfirelens`"
    );
}

#[test]
fn max_buffer_size() {
    for (mode, size) in [
        (Some("non-blocking"), "25m"),
        (None, "4MiB"),
        (None, "1 GB"),
        (None, "1048576"),
    ] {
        let mut extra = json!({"max-buffer-size": size});
        if let Some(mode) = mode {
            extra["mode"] = json!(mode);
        }
        assert_eq!(run(&logged(&awslogs(&extra))), [], "{size}");
    }
    let at = format!("{LOG}.options['max-buffer-size']");
    let finding = only(
        run(&logged(&awslogs(&json!({"max-buffer-size": "lots"})))),
        "log-max-buffer-size",
        &at,
    );
    assert_eq!(
        finding.message,
        "container `log-router`'s log option `max-buffer-size` is `lots`, which is not a size"
    );
    let blocking = json!({"max-buffer-size": "25m", "mode": "blocking"});
    let finding = only(
        run(&logged(&awslogs(&blocking))),
        "log-max-buffer-size",
        &at,
    );
    assert!(
        finding
            .message
            .ends_with("the buffer is only used in non-blocking mode")
    );
}

fn splunk(options: &Value) -> Value {
    json!({
        "logDriver": "splunk",
        "options": options,
        "secretOptions": [{"name": "splunk-token", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/splunk/token"}]
    })
}

#[test]
fn splunk_url_and_token() {
    let url = json!({"splunk-url": "https://splunk.example.com:8088"});
    assert_eq!(run(&logged(&splunk(&url))), []);
    let finding = only(
        run(&logged(&json!({"logDriver": "splunk", "options": url}))),
        "splunk-required-option",
        &format!("{LOG}.options"),
    );
    assert_eq!(
        finding.message,
        "container `log-router` uses the `splunk` log driver without `splunk-token`"
    );
}

#[test]
fn gelf_address() {
    let gelf = |options: &Value| json!({"logDriver": "gelf", "options": options});
    assert_eq!(
        run(&on_ec2(&gelf(
            &json!({"gelf-address": "udp://graylog:12201"})
        ))),
        []
    );
    let finding = only(
        run(&on_ec2(&gelf(&json!({"tag": "web"})))),
        "gelf-required-option",
        "$.containerDefinitions[0].logConfiguration.options",
    );
    assert_eq!(
        finding.message,
        "container `worker` uses the `gelf` log driver without `gelf-address`"
    );
}

#[test]
fn splunk_option_names() {
    let known = json!({
        "splunk-url": "https://splunk.example.com:8088",
        "splunk-sourcetype": "web",
        "splunk-format": "json",
        "splunk-verify-connection": "false",
        "tag": "{{.Name}}"
    });
    assert_eq!(run(&logged(&splunk(&known))), []);
    let typo = json!({"splunk-url": "https://splunk.example.com:8088", "splunk-sourcetyp": "web"});
    let finding = only(
        run(&logged(&splunk(&typo))),
        "log-option-unknown",
        &format!("{LOG}.options['splunk-sourcetyp']"),
    );
    assert_eq!(
        finding.message,
        "container `log-router` passes `splunk-sourcetyp` to the `splunk` log driver, which has no such option"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("did you mean `splunk-sourcetype`?")
    );
}

fn with_files(count: usize, value: &str) -> Value {
    let files: Vec<Value> = (0..count)
        .map(|_| json!({"value": value, "type": "s3"}))
        .collect();
    with("/containerDefinitions/0/environmentFiles", json!(files))
}

#[test]
fn environment_file_count() {
    let value = "arn:aws:s3:::config-bucket/web/common.env";
    assert_eq!(run(&with_files(10, value)), []);
    let finding = only(
        run(&with_files(11, value)),
        "environment-file-count",
        "$.containerDefinitions[0].environmentFiles[10]",
    );
    assert_eq!(
        finding.message,
        "container `web` has 11 environment files; ECS allows at most 10"
    );
}

#[test]
fn environment_file_value() {
    for value in [
        "arn:aws:s3:::config-bucket/web/prod.env",
        "arn:aws-cn:s3:::b/.env",
        "arn:aws:s3:::${CONFIG_BUCKET}/web/${APP_ENV}.env",
    ] {
        assert_eq!(run(&with_files(1, value)), [], "{value}");
    }
    let at = "$.containerDefinitions[0].environmentFiles[0].value";
    let finding = only(
        run(&with_files(1, "arn:aws:s3:::config-bucket/web/prod.txt")),
        "environment-file-value",
        at,
    );
    assert_eq!(
        finding.message,
        "container `web`'s environment file 0 is `arn:aws:s3:::config-bucket/web/prod.txt`, \
         which does not have the `.env` extension ECS requires"
    );
    for value in [
        "s3://config-bucket/web/prod.env",
        "arn:aws:s3:::config-bucket",
        "arn:aws:s3:eu-west-1:123456789012:config-bucket/prod.env",
    ] {
        let finding = only(run(&with_files(1, value)), "environment-file-value", at);
        assert!(
            finding.message.ends_with("which is not an S3 object ARN"),
            "{value}"
        );
    }
}

#[test]
fn what_the_model_catches() {
    let mut document = with_files(1, "arn:aws:s3:::b/web.env");
    set(
        &mut document,
        "/containerDefinitions/0/environmentFiles/0/type",
        json!("S3"),
    );
    set(
        &mut document,
        "/containerDefinitions/0/environmentFiles/1",
        json!({"value": "arn:aws:s3:::b/extra.env"}),
    );
    set(
        &mut document,
        "/containerDefinitions/0/logConfiguration",
        json!({"options": {"Name": "stdout"}}),
    );
    set(
        &mut document,
        "/containerDefinitions/1/logConfiguration",
        json!({"logDriver": "loki"}),
    );
    let rules: Vec<_> = check_structure(&document)
        .iter()
        .map(|finding| (finding.rule, finding.shown_location().unwrap_or_default()))
        .collect();
    for expected in [
        (
            "invalid-enum",
            "$.containerDefinitions[0].environmentFiles[0].type".to_owned(),
        ),
        (
            "missing-key",
            "$.containerDefinitions[0].logConfiguration".to_owned(),
        ),
        ("invalid-enum", format!("{LOG}.logDriver")),
        (
            "missing-key",
            "$.containerDefinitions[0].environmentFiles[1]".to_owned(),
        ),
    ] {
        assert!(rules.contains(&expected), "{expected:?} in {rules:?}");
    }
    // Left to the model, not reported twice. With its sender's driver gone, the FireLens
    // router is unused: the references rules' finding, not a logging one.
    let rules: Vec<&str> = run(&document).iter().map(|finding| finding.rule).collect();
    assert_eq!(rules, ["firelens-router-unused"]);
}
