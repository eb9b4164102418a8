//! The awslogs driver: the options ECS requires, the options Docker's driver knows, and the
//! values it reads.
//!
//! Sources: `LogConfiguration.options`
//! (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html>), the
//! awslogs page (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html>)
//! and Docker's awslogs driver (<https://docs.docker.com/engine/logging/drivers/awslogs/>).

use serde_json::{Map, Value};

use super::literal;
use crate::finding::Finding;
use crate::location::JsonPath;
use crate::suggest::shown;
use crate::task_definition::rules::{Container, Task, and_list};

/// Every option the awslogs driver reads: Docker's awslogs `ValidateLogOpt` refuses any other
/// ("unknown log opt"), so the container cannot start. `awslogs-stream-prefix` is the ECS
/// agent's, which turns it into `awslogs-stream`; `mode` and `max-buffer-size` apply to every
/// driver (`LogConfiguration.options`).
pub(super) const AWSLOGS_OPTIONS: [&str; 18] = [
    "awslogs-group",
    "awslogs-region",
    "awslogs-stream-prefix",
    "awslogs-create-group",
    "awslogs-datetime-format",
    "awslogs-multiline-pattern",
    "awslogs-endpoint",
    "awslogs-stream",
    "awslogs-create-stream",
    "awslogs-datetime-as-event-time",
    "awslogs-datetime-timezone",
    "awslogs-credentials-endpoint",
    "awslogs-force-flush-interval-seconds",
    "awslogs-max-buffered-events",
    "awslogs-format",
    "tag",
    "mode",
    "max-buffer-size",
];

/// The values Go's `strconv.ParseBool`, and so Docker, reads as a boolean.
const BOOLEANS: [&str; 12] = [
    "true", "false", "True", "False", "TRUE", "FALSE", "t", "f", "T", "F", "1", "0",
];

/// The awslogs rules for one container's `options` (at `at`).
pub(super) fn check(
    task: &Task<'_>,
    container: &Container<'_>,
    options: &Map<String, Value>,
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    // `awslogs-group` and `awslogs-region` are "Required: Yes", `awslogs-stream-prefix` "Yes,
    // when using Fargate" (`LogConfiguration.options`); an empty value counts as none, as in
    // Docker's "must specify a value for log opt 'awslogs-group'". But Docker's driver reads the
    // Region from the instance when none is set ("By default, if your Docker daemon is running
    // on an EC2 instance and no region is set, the driver uses the instance's region"), so a
    // task that can run on an EC2 instance works without it: a warning there. Fargate and
    // external instances have no EC2 instance metadata to fall back on.
    let unset = |name: &&str| {
        options
            .get(*name)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
    };
    let instance_region = !task.fargate && !task.external;
    let mut required = vec!["awslogs-group"];
    if !instance_region {
        required.push("awslogs-region");
    }
    if task.fargate {
        required.push("awslogs-stream-prefix");
    }
    let missing: Vec<String> = required
        .into_iter()
        .filter(unset)
        .map(|name| format!("`{name}`"))
        .collect();
    if !missing.is_empty() {
        let launch = if missing.iter().any(|name| name.contains("prefix")) {
            " on Fargate"
        } else {
            ""
        };
        findings.push(
            Finding::error(
                "awslogs-required-option",
                format!("{container} uses the `awslogs` log driver without {}, which it requires{launch}", and_list(&missing)),
            )
            .at(at.clone())
            .help("set the log group, its region and a stream prefix, e.g. `\"awslogs-group\": \"/ecs/web\"`, \
                   `\"awslogs-region\": \"eu-west-1\"`, `\"awslogs-stream-prefix\": \"web\"`"),
        );
    }
    if instance_region && unset(&"awslogs-region") {
        findings.push(
            Finding::warning(
                "awslogs-required-option",
                format!("{container} uses the `awslogs` log driver without `awslogs-region`; ECS documents it as required, and only on an EC2 instance does the driver fall back to the instance's Region"),
            )
            .at(at.clone())
            .help("set `\"awslogs-region\"` to the log group's Region, e.g. `\"eu-west-1\"`"),
        );
    }
    // "You cannot configure both the awslogs-datetime-format and awslogs-multiline-pattern
    // options." (`LogConfiguration.options`)
    if options.contains_key("awslogs-datetime-format")
        && options.contains_key("awslogs-multiline-pattern")
    {
        findings.push(
            Finding::error(
                "awslogs-multiline-conflict",
                format!("{container} sets both `awslogs-datetime-format` and `awslogs-multiline-pattern`"),
            )
            .at(at.key("awslogs-multiline-pattern"))
            .help("keep one of them: both define where a multiline log message starts"),
        );
    }
    // Docker reads it with Go's `strconv.ParseBool` and refuses anything else.
    if let Some(create) = literal(options.get("awslogs-create-group"))
        && !BOOLEANS.contains(&create)
    {
        findings.push(
            Finding::error(
                "awslogs-create-group",
                format!("{container}'s log option `awslogs-create-group` is `{}`, not `true` or `false`", shown(create)),
            )
            .at(at.key("awslogs-create-group"))
            .help("write `\"awslogs-create-group\": \"true\"` (a string), with `logs:CreateLogGroup` allowed to the execution role"),
        );
    }
}
