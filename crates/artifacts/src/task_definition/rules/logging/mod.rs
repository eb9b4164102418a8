//! Log configurations per driver: the drivers each launch type supports, required and conflicting options, modes, and environment files.
//!
//! Sources: the ECS API Reference's `LogConfiguration`
//! (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html>), the
//! awslogs page of the Developer Guide
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html>), Docker's
//! awslogs driver (<https://docs.docker.com/engine/logging/drivers/awslogs/>) and
//! `ContainerDefinition.environmentFiles`
//! (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html>).
//! Values holding a `${VARIABLE}` are left alone: they are read once `render` has filled them.

mod environment_files;

use serde_json::{Map, Value};

use super::{Container, Task, and_list};
use crate::finding::Finding;
use crate::location::JsonPath;
use crate::suggest::{Reach, shown, similar};

/// The drivers Fargate supports; EC2 also has fluentd, gelf, json-file, journald and syslog.
/// Source: `LogConfiguration.logDriver` ("For tasks on Fargate, the supported log drivers are
/// awslogs, splunk, and awsfirelens").
const FARGATE_DRIVERS: [&str; 3] = ["awslogs", "splunk", "awsfirelens"];

/// The drivers of botocore's `LogDriver` enum: another value is the `shape` check's finding.
const MODEL_DRIVERS: [&str; 8] = [
    "json-file",
    "syslog",
    "journald",
    "gelf",
    "fluentd",
    "awslogs",
    "splunk",
    "awsfirelens",
];

/// Every option the awslogs driver reads: Docker's awslogs `ValidateLogOpt` refuses any other
/// ("unknown log opt"), so the container cannot start. `awslogs-stream-prefix` is the ECS
/// agent's, which turns it into `awslogs-stream`; `mode` and `max-buffer-size` apply to every
/// driver (`LogConfiguration.options`).
const AWSLOGS_OPTIONS: [&str; 18] = [
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

/// Every rule of this family that `document` breaks.
pub(super) fn check(document: &Value, task: &Task<'_>, findings: &mut Vec<Finding>) {
    let Some(Value::Array(containers)) = document.get("containerDefinitions") else {
        return;
    };
    for (index, value) in containers.iter().enumerate() {
        let Value::Object(fields) = value else {
            continue;
        };
        let container = Container::new(index, fields);
        if let Some(Value::Object(log)) = container.get("logConfiguration") {
            check_log(task, &container, log, findings);
        }
        environment_files::check(&container, findings);
    }
}

/// A string value that is final: not a `${VARIABLE}` that `render` fills in later.
fn literal(value: Option<&Value>) -> Option<&str> {
    value
        .and_then(Value::as_str)
        .filter(|text| !text.contains("${"))
}

fn check_log(
    task: &Task<'_>,
    container: &Container<'_>,
    log: &Map<String, Value>,
    findings: &mut Vec<Finding>,
) {
    let at = container.path().key("logConfiguration");
    let Some(driver) = log.get("logDriver").and_then(Value::as_str) else {
        return;
    };
    if !MODEL_DRIVERS.contains(&driver) {
        return;
    }
    if task.fargate && !FARGATE_DRIVERS.contains(&driver) {
        findings.push(
            Finding::error(
                "log-driver-fargate",
                format!("{container} uses the `{driver}` log driver, which Fargate does not support"),
            )
            .at(at.key("logDriver"))
            .help("on Fargate use `awslogs`, `splunk` or `awsfirelens` (a FireLens sidecar can forward to fluentd or gelf)"),
        );
    }
    let empty = Map::new();
    // A wrong type is the `shape` check's finding.
    let options = match log.get("options") {
        Some(Value::Object(options)) => options,
        None | Some(Value::Null) => &empty,
        Some(_) => return,
    };
    let secret_names: Vec<&str> = match log.get("secretOptions") {
        Some(Value::Array(secrets)) => secrets
            .iter()
            .filter_map(|secret| secret.get("name").and_then(Value::as_str))
            .collect(),
        _ => Vec::new(),
    };
    let options_at = if log.contains_key("options") {
        at.key("options")
    } else {
        at.clone()
    };
    check_mode(container, options, &options_at, findings);
    match driver {
        "awslogs" => check_awslogs(task, container, log, options, &options_at, findings),
        "splunk" => check_splunk(container, options, &secret_names, &options_at, findings),
        _ => {}
    }
}

/// `mode` and `max-buffer-size`, which apply to every driver (`LogConfiguration.options`).
fn check_mode(
    container: &Container<'_>,
    options: &Map<String, Value>,
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    let mode = literal(options.get("mode"));
    if let Some(mode) = mode
        && mode != "blocking"
        && mode != "non-blocking"
    {
        findings.push(
            Finding::error(
                "log-mode",
                format!("{container}'s log option `mode` is `{}`", shown(mode)),
            )
            .at(at.key("mode"))
            .help("use `non-blocking` or `blocking`"),
        );
    }
    let Some(size) = literal(options.get("max-buffer-size")) else {
        return;
    };
    // Docker refuses `max-buffer-size` outside non-blocking mode; without `mode`, ECS's default
    // is `non-blocking` (`LogConfiguration.options`, `mode`).
    if mode == Some("blocking") {
        findings.push(
            Finding::error(
                "log-max-buffer-size",
                format!("{container} sets the log option `max-buffer-size` with `mode` `blocking`; the buffer is only used in non-blocking mode"),
            )
            .at(at.key("max-buffer-size"))
            .help("remove `max-buffer-size`, or set `mode` to `non-blocking`"),
        );
    } else if !is_size(size) {
        findings.push(
            Finding::error(
                "log-max-buffer-size",
                format!(
                    "{container}'s log option `max-buffer-size` is `{}`, which is not a size",
                    shown(size)
                ),
            )
            .at(at.key("max-buffer-size"))
            .help("write a number of bytes with an optional unit, such as `10m` or `25m`"),
        );
    }
}

/// A size as Docker reads `max-buffer-size` (`units.RAMInBytes`): a decimal number, an optional
/// space, then an optional `k`, `m`, `g`, `t` or `p`, `i` and `b` in any case (`4m`, `1.5 GiB`).
fn is_size(text: &str) -> bool {
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, rest) = text.split_at(digits_end);
    if number.is_empty() || number.split('.').any(str::is_empty) {
        return false;
    }
    let mut rest = rest.strip_prefix(' ').unwrap_or(rest).chars().peekable();
    rest.next_if(|c| "kmgtp".contains(c.to_ascii_lowercase()));
    rest.next_if(|c| c.eq_ignore_ascii_case(&'i'));
    rest.next_if(|c| c.eq_ignore_ascii_case(&'b'));
    rest.next().is_none()
}

fn check_awslogs(
    task: &Task<'_>,
    container: &Container<'_>,
    log: &Map<String, Value>,
    options: &Map<String, Value>,
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    // `awslogs-group` and `awslogs-region` are "Required: Yes", `awslogs-stream-prefix` "Yes,
    // when using Fargate" (`LogConfiguration.options`); an empty value counts as none, as in
    // Docker's "must specify a value for log opt 'awslogs-group'".
    let mut required = vec!["awslogs-group", "awslogs-region"];
    if task.fargate {
        required.push("awslogs-stream-prefix");
    }
    let missing: Vec<String> = required
        .into_iter()
        .filter(|name| {
            options
                .get(*name)
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        })
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
        && !matches!(
            create,
            "true"
                | "false"
                | "True"
                | "False"
                | "TRUE"
                | "FALSE"
                | "t"
                | "f"
                | "T"
                | "F"
                | "1"
                | "0"
        )
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
    let secrets_at = container
        .path()
        .key("logConfiguration")
        .key("secretOptions");
    let secrets = match log.get("secretOptions") {
        Some(Value::Array(secrets)) => secrets.as_slice(),
        _ => &[],
    };
    let names = options
        .keys()
        .map(|name| (name.as_str(), at.key(name.as_str())))
        .chain(secrets.iter().enumerate().filter_map(|(index, secret)| {
            let name = secret.get("name").and_then(Value::as_str)?;
            Some((name, secrets_at.index(index).key("name")))
        }));
    for (name, path) in names {
        if AWSLOGS_OPTIONS.contains(&name) {
            continue;
        }
        let help = match similar(name, AWSLOGS_OPTIONS, Reach::Proportional) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "the awslogs driver reads `awslogs-group`, `awslogs-region`, `awslogs-stream-prefix`, \
                     `awslogs-create-group`, `awslogs-datetime-format`, `awslogs-multiline-pattern`, \
                     `awslogs-endpoint`, `mode` and `max-buffer-size`, among others"
                .to_owned(),
        };
        findings.push(
            Finding::error(
                "log-option-unknown",
                format!(
                    "{container} passes `{}` to the `awslogs` log driver, which has no such option",
                    shown(name)
                ),
            )
            .at(path)
            .help(help),
        );
    }
}

/// "To route logs using the splunk log router, you need to specify a splunk-token and a
/// splunk-url." (`LogConfiguration.options`) The token may come from `secretOptions`.
fn check_splunk(
    container: &Container<'_>,
    options: &Map<String, Value>,
    secret_names: &[&str],
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    let given = |name: &str| {
        options
            .get(name)
            .and_then(Value::as_str)
            .is_some_and(|value| !value.is_empty())
            || secret_names.contains(&name)
    };
    let missing: Vec<String> = ["splunk-url", "splunk-token"]
        .into_iter()
        .filter(|name| !given(name))
        .map(|name| format!("`{name}`"))
        .collect();
    if missing.is_empty() {
        return;
    }
    findings.push(
        Finding::error(
            "splunk-required-option",
            format!("{container} uses the `splunk` log driver without {}", and_list(&missing)),
        )
        .at(at.clone())
        .help("set `splunk-url` in `options` and pass `splunk-token` in `secretOptions` from Secrets Manager or SSM"),
    );
}
