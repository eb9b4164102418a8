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

mod awslogs;
mod environment_files;

use serde_json::{Map, Value};

use super::{Container, Task, and_list};
use crate::finding::Finding;
use crate::location::JsonPath;
use crate::suggest::{Reach, shown, similar};

/// The drivers of botocore's `LogDriver` enum: another value is the `shape` check's finding.
pub(super) const MODEL_DRIVERS: [&str; 8] = [
    "json-file",
    "syslog",
    "journald",
    "gelf",
    "fluentd",
    "awslogs",
    "splunk",
    "awsfirelens",
];

/// Every option the splunk driver reads (Docker's splunk `ValidateLogOpt`, listed in
/// <https://docs.docker.com/engine/logging/drivers/splunk/>), with `mode` and `max-buffer-size`.
const SPLUNK_OPTIONS: [&str; 20] = [
    "splunk-url",
    "splunk-token",
    "splunk-source",
    "splunk-sourcetype",
    "splunk-index",
    "splunk-capath",
    "splunk-caname",
    "splunk-insecureskipverify",
    "splunk-format",
    "splunk-verify-connection",
    "splunk-gzip",
    "splunk-gzip-level",
    "splunk-index-acknowledgment",
    "tag",
    "labels",
    "labels-regex",
    "env",
    "env-regex",
    "mode",
    "max-buffer-size",
];

/// The FireLens option that bounds the log lines Docker buffers, and its bound (exclusive).
const BUFFER_LIMIT: &str = "log-driver-buffer-limit";
const MAX_BUFFER_LIMIT: u32 = 536_870_912;

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
    check_buffer_limit(container, driver, options, &options_at, findings);
    check_option_names(container, driver, log, options, &options_at, findings);
    check_required(
        container,
        driver,
        options,
        &secret_names,
        &options_at,
        findings,
    );
    if driver == "awslogs" {
        awslogs::check(task, container, options, &options_at, findings);
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

/// Option names, in `options` and `secretOptions`, that `driver` does not read: Docker's awslogs
/// and splunk drivers refuse them ("unknown log opt"), so the container cannot start.
fn check_option_names(
    container: &Container<'_>,
    driver: &str,
    log: &Map<String, Value>,
    options: &Map<String, Value>,
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    let (known, examples): (&[&str], &str) = match driver {
        "awslogs" => (
            &awslogs::AWSLOGS_OPTIONS,
            "`awslogs-group`, `awslogs-region`, `awslogs-stream-prefix`, `awslogs-create-group`, \
             `awslogs-datetime-format`, `awslogs-multiline-pattern`, `awslogs-endpoint`, `mode` and \
             `max-buffer-size`",
        ),
        "splunk" => (
            &SPLUNK_OPTIONS,
            "`splunk-url`, `splunk-token`, `splunk-source`, `splunk-sourcetype`, `splunk-index`, \
             `splunk-format`, `tag`, `mode` and `max-buffer-size`",
        ),
        _ => return,
    };
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
        // `log-driver-buffer-limit` has its own rule.
        if known.contains(&name) || name == BUFFER_LIMIT {
            continue;
        }
        let help = match similar(name, known.iter().copied(), Reach::Proportional) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the {driver} driver reads {examples}, among others"),
        };
        findings.push(
            Finding::error(
                "log-option-unknown",
                format!(
                    "{container} passes `{}` to the `{driver}` log driver, which has no such option",
                    shown(name)
                ),
            )
            .at(path)
            .help(help),
        );
    }
}

/// `log-driver-buffer-limit` is "only valid when logDriver is set to awsfirelens", and "must be
/// greater than or equal to 0 and less than 536870912 log lines"
/// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/firelens-docker-buffer-limit.html>).
fn check_buffer_limit(
    container: &Container<'_>,
    driver: &str,
    options: &Map<String, Value>,
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    let Some(limit) = options.get(BUFFER_LIMIT) else {
        return;
    };
    let at = at.key(BUFFER_LIMIT);
    if driver != "awsfirelens" {
        findings.push(
            Finding::error(
                "log-driver-buffer-limit",
                format!("{container} sets `{BUFFER_LIMIT}` with the `{driver}` log driver; it is only for `awsfirelens`"),
            )
            .at(at)
            .help(format!("remove `{BUFFER_LIMIT}`")),
        );
        return;
    }
    let Some(text) = literal(Some(limit)) else {
        return;
    };
    if text
        .parse::<u32>()
        .is_ok_and(|lines| lines < MAX_BUFFER_LIMIT)
    {
        return;
    }
    findings.push(
        Finding::error(
            "log-driver-buffer-limit",
            format!("{container}'s `{BUFFER_LIMIT}` is `{}`, not a number of log lines from 0 to 536870911", shown(text)),
        )
        .at(at)
        .help("write a whole number of log lines such as `\"2097152\"`; the default is 1048576"),
    );
}

/// The options a driver cannot start without, with the rule id and the fix: "To route logs
/// using the splunk log router, you need to specify a splunk-token and a splunk-url."
/// (`LogConfiguration.options`; the token may come from `secretOptions`), and Docker's gelf
/// driver refuses to start without `gelf-address`, "Required"
/// (<https://docs.docker.com/engine/logging/drivers/gelf/>).
fn required_options(driver: &str) -> Option<(&'static str, &'static [&'static str], &'static str)> {
    match driver {
        "splunk" => Some((
            "splunk-required-option",
            &["splunk-url", "splunk-token"],
            "set `splunk-url` in `options` and pass `splunk-token` in `secretOptions` from Secrets Manager or SSM",
        )),
        "gelf" => Some((
            "gelf-required-option",
            &["gelf-address"],
            "set `gelf-address` to the GELF server, such as `udp://graylog.internal:12201`",
        )),
        _ => None,
    }
}

fn check_required(
    container: &Container<'_>,
    driver: &str,
    options: &Map<String, Value>,
    secret_names: &[&str],
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    let Some((rule, required, help)) = required_options(driver) else {
        return;
    };
    let given = |name: &str| {
        options
            .get(name)
            .and_then(Value::as_str)
            .is_some_and(|value| !value.is_empty())
            || secret_names.contains(&name)
    };
    let missing: Vec<String> = required
        .iter()
        .filter(|name| !given(name))
        .map(|name| format!("`{name}`"))
        .collect();
    if missing.is_empty() {
        return;
    }
    findings.push(
        Finding::error(
            rule,
            format!(
                "{container} uses the `{driver}` log driver without {}",
                and_list(&missing)
            ),
        )
        .at(at.clone())
        .help(help),
    );
}
