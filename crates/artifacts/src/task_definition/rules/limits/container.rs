//! A container's health check, start and stop timeouts and restart policy.

use serde_json::{Map, Value};

use super::Range;
use crate::finding::Finding;
use crate::task_definition::rules::{Container, Task};

/// Health check timings: `(member, rule, min, max, unit)`.
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html>:
/// interval "between 5 and 300 seconds", timeout "between 2 and 60 seconds", retries "between 1
/// and 10", startPeriod "between 0 and 300 seconds".
const HEALTH_CHECK_RANGES: [(&str, &str, i64, i64, &str); 4] = [
    ("interval", "health-check-interval", 5, 300, "seconds"),
    ("timeout", "health-check-timeout", 2, 60, "seconds"),
    ("retries", "health-check-retries", 1, 10, ""),
    (
        "startPeriod",
        "health-check-start-period",
        0,
        300,
        "seconds",
    ),
];

/// How a health check command starts: run directly, through the shell, or Docker's form that
/// turns the image's check off.
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html> ("The string array must start with CMD to run the command arguments
/// directly, or CMD-SHELL to run the command with the container's default shell"); `NONE` is
/// Docker's: <https://docs.docker.com/reference/dockerfile/#healthcheck>.
const HEALTH_CHECK_FORMS: [&str; 3] = ["CMD", "CMD-SHELL", "NONE"];

/// Fargate stops a container at most 120 seconds after SIGTERM; EC2 documents no maximum.
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html>
/// (`stopTimeout`: "For tasks that use the Fargate launch type, the max stop timeout value is
/// 120 seconds").
const FARGATE_MAX_STOP_TIMEOUT: i64 = 120;

/// On Fargate a container waits 2 to 120 seconds for its dependencies; EC2 documents no range.
/// Source: <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-taskdefinition-containerdefinition.html>
/// (`StartTimeout`: "The valid values for Fargate are 2-120 seconds").
const FARGATE_START_TIMEOUT: (i64, i64) = (2, 120);

/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerRestartPolicy.html>:
/// "a minimum restartAttemptPeriod of 60 seconds and a maximum restartAttemptPeriod of 1800
/// seconds"; "You can specify a maximum of 50 container exit codes".
const RESTART_ATTEMPT_PERIOD: (i64, i64) = (60, 1800);
const MAX_IGNORED_EXIT_CODES: usize = 50;

pub(super) fn check(task: &Task<'_>, container: &Container<'_>, findings: &mut Vec<Finding>) {
    let owner = container.to_string();
    check_health_check(container, &owner, findings);
    check_stop_timeout(task, container, findings);
    check_restart_policy(container, &owner, findings);
    check_start_timeout(task, container, &owner, findings);
}

pub(super) fn object<'a>(container: &Container<'a>, key: &str) -> Option<&'a Map<String, Value>> {
    container.get(key).and_then(Value::as_object)
}

fn check_health_check(container: &Container<'_>, owner: &str, findings: &mut Vec<Finding>) {
    let Some(health) = object(container, "healthCheck") else {
        return;
    };
    let path = container.path().key("healthCheck");
    for (key, rule, min, max, unit) in HEALTH_CHECK_RANGES {
        Range {
            rule,
            owner,
            member: &format!("healthCheck.{key}"),
            min,
            max,
            unit,
        }
        .check(
            health.get(key).and_then(Value::as_i64),
            path.key(key),
            findings,
        );
    }
    let Some(Value::Array(command)) = health.get("command") else {
        return;
    };
    let first = command.first().and_then(Value::as_str);
    if first.is_some_and(|form| HEALTH_CHECK_FORMS.contains(&form)) {
        return;
    }
    if command.first().is_some_and(|value| !value.is_string()) {
        return;
    }
    let (message, help) = match first {
        None => (
            format!("{container} has an empty `healthCheck.command`"),
            "start it with `CMD-SHELL` and the command, such as \
             `[\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]`"
                .to_owned(),
        ),
        Some(text) => {
            let line = text.trim();
            let line = line
                .strip_prefix("CMD-SHELL ")
                .or_else(|| line.strip_prefix("CMD "))
                .unwrap_or(line);
            (
                format!(
                    "{container} has a `healthCheck.command` starting with `{text}`; ECS needs \
                     `CMD` or `CMD-SHELL` first"
                ),
                format!(
                    "write `[\"CMD-SHELL\", {}]` to run it with the shell",
                    Value::from(line.trim())
                ),
            )
        }
    };
    findings.push(
        Finding::error("health-check-command", message)
            .at(path.key("command").index(0))
            .help(help),
    );
}

fn check_stop_timeout(task: &Task<'_>, container: &Container<'_>, findings: &mut Vec<Finding>) {
    let Some(seconds) = container.integer("stopTimeout") else {
        return;
    };
    if task.fargate && seconds > FARGATE_MAX_STOP_TIMEOUT {
        findings.push(
            Finding::error(
                "stop-timeout",
                format!(
                    "{container} has `stopTimeout` {seconds} seconds; on Fargate the maximum is \
                     {FARGATE_MAX_STOP_TIMEOUT}"
                ),
            )
            .at(container.path().key("stopTimeout"))
            .help(format!(
                "set `stopTimeout` to {FARGATE_MAX_STOP_TIMEOUT} or less, and make the \
                 application finish its work within that time after SIGTERM"
            )),
        );
    }
}

fn check_start_timeout(
    task: &Task<'_>,
    container: &Container<'_>,
    owner: &str,
    findings: &mut Vec<Finding>,
) {
    if !task.fargate {
        return;
    }
    let (min, max) = FARGATE_START_TIMEOUT;
    Range {
        rule: "start-timeout",
        owner,
        member: "startTimeout",
        min,
        max,
        unit: "seconds",
    }
    .check(
        container.integer("startTimeout"),
        container.path().key("startTimeout"),
        findings,
    );
}

fn check_restart_policy(container: &Container<'_>, owner: &str, findings: &mut Vec<Finding>) {
    let Some(policy) = object(container, "restartPolicy") else {
        return;
    };
    let path = container.path().key("restartPolicy");
    let (min, max) = RESTART_ATTEMPT_PERIOD;
    Range {
        rule: "restart-attempt-period",
        owner,
        member: "restartPolicy.restartAttemptPeriod",
        min,
        max,
        unit: "seconds",
    }
    .check(
        policy.get("restartAttemptPeriod").and_then(Value::as_i64),
        path.key("restartAttemptPeriod"),
        findings,
    );
    if let Some(Value::Array(codes)) = policy.get("ignoredExitCodes")
        && codes.len() > MAX_IGNORED_EXIT_CODES
    {
        findings.push(
            Finding::error(
                "ignored-exit-codes",
                format!(
                    "{container} lists {} `restartPolicy.ignoredExitCodes`; ECS allows at most \
                     {MAX_IGNORED_EXIT_CODES}",
                    codes.len()
                ),
            )
            .at(path.key("ignoredExitCodes"))
            .help("keep the exit codes that mean a deliberate stop"),
        );
    }
}
