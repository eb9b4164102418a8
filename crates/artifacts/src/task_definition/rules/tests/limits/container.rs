//! Container members: health checks, timeouts, restart policies, Linux parameters and users.

use serde_json::{Value, json};

use super::ec2_with;
use crate::finding::Severity;
use crate::task_definition::rules::tests::{only, run, with};

fn with_health(check: Value) -> Value {
    with("/containerDefinitions/0/healthCheck", check)
}

fn health(key: &str, value: i64) -> Value {
    let mut check = json!({"command": ["CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"]});
    check[key] = json!(value);
    with_health(check)
}

#[test]
fn health_check_timings_have_ranges() {
    let lowest = json!({"command": ["CMD", "/bin/check"], "interval": 5, "timeout": 2, "retries": 1, "startPeriod": 0});
    let highest = json!({"command": ["CMD", "/bin/check"], "interval": 300, "timeout": 60, "retries": 10, "startPeriod": 300});
    assert_eq!(run(&with_health(lowest)), []);
    assert_eq!(run(&with_health(highest)), []);

    let path = |key: &str| format!("$.containerDefinitions[0].healthCheck.{key}");
    let finding = only(
        run(&health("interval", 4)),
        "health-check-interval",
        &path("interval"),
    );
    assert_eq!(
        finding.message,
        "container `web` has `healthCheck.interval` 4 seconds; ECS accepts 5 to 300 seconds"
    );
    let finding = only(
        run(&health("timeout", 61)),
        "health-check-timeout",
        &path("timeout"),
    );
    assert_eq!(
        finding.message,
        "container `web` has `healthCheck.timeout` 61 seconds; ECS accepts 2 to 60 seconds"
    );
    let finding = only(
        run(&health("retries", 0)),
        "health-check-retries",
        &path("retries"),
    );
    assert_eq!(
        finding.message,
        "container `web` has `healthCheck.retries` 0; ECS accepts 1 to 10"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("set `healthCheck.retries` between 1 and 10")
    );
    only(
        run(&health("startPeriod", 301)),
        "health-check-start-period",
        &path("startPeriod"),
    );
}

#[test]
fn health_check_commands_start_with_cmd_or_cmd_shell() {
    for command in [
        json!(["CMD", "/bin/check"]),
        json!(["CMD-SHELL", "exit 0"]),
        json!(["NONE"]),
    ] {
        assert_eq!(run(&with_health(json!({"command": command}))), []);
    }
    let finding = only(
        run(&with_health(
            json!({"command": ["curl -f http://localhost/ || exit 1"]}),
        )),
        "health-check-command",
        "$.containerDefinitions[0].healthCheck.command[0]",
    );
    assert_eq!(
        finding.message,
        "container `web` has a `healthCheck.command` starting with `curl -f http://localhost/ || exit 1`; \
         ECS needs `CMD` or `CMD-SHELL` first"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some(
            "write `[\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]` to run it with the shell"
        )
    );
    // The console's one-string form.
    let finding = only(
        run(&with_health(
            json!({"command": ["CMD-SHELL curl -f http://localhost/"]}),
        )),
        "health-check-command",
        "$.containerDefinitions[0].healthCheck.command[0]",
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("write `[\"CMD-SHELL\", \"curl -f http://localhost/\"]` to run it with the shell")
    );
    let finding = only(
        run(&with_health(json!({"command": []}))),
        "health-check-command",
        "$.containerDefinitions[0].healthCheck.command[0]",
    );
    assert_eq!(
        finding.message,
        "container `web` has an empty `healthCheck.command`"
    );
}

#[test]
fn fargate_stops_containers_within_120_seconds() {
    assert_eq!(
        run(&with("/containerDefinitions/0/stopTimeout", json!(120))),
        []
    );
    // EC2 documents no maximum.
    assert_eq!(
        run(&ec2_with("/containerDefinitions/0/stopTimeout", json!(600))),
        []
    );
    let finding = only(
        run(&with("/containerDefinitions/0/stopTimeout", json!(121))),
        "stop-timeout",
        "$.containerDefinitions[0].stopTimeout",
    );
    assert_eq!(
        finding.message,
        "container `web` has `stopTimeout` 121 seconds; on Fargate the maximum is 120"
    );
}

#[test]
fn fargate_waits_2_to_120_seconds_for_dependencies() {
    for seconds in [2, 120] {
        assert_eq!(
            run(&with(
                "/containerDefinitions/1/startTimeout",
                json!(seconds)
            )),
            []
        );
    }
    // EC2 documents no range.
    assert_eq!(
        run(&ec2_with(
            "/containerDefinitions/0/startTimeout",
            json!(600)
        )),
        []
    );
    let finding = only(
        run(&with("/containerDefinitions/1/startTimeout", json!(300))),
        "start-timeout",
        "$.containerDefinitions[1].startTimeout",
    );
    assert_eq!(
        finding.message,
        "container `log-router` has `startTimeout` 300 seconds; ECS accepts 2 to 120 seconds"
    );
    only(
        run(&with("/containerDefinitions/1/startTimeout", json!(1))),
        "start-timeout",
        "$.containerDefinitions[1].startTimeout",
    );
}

fn with_restart(policy: Value) -> Value {
    with("/containerDefinitions/0/restartPolicy", policy)
}

#[test]
fn restart_attempt_period_is_60_to_1800_seconds() {
    for period in [60, 1800] {
        let policy = json!({"enabled": true, "restartAttemptPeriod": period});
        assert_eq!(run(&with_restart(policy)), []);
    }
    let finding = only(
        run(&with_restart(
            json!({"enabled": true, "restartAttemptPeriod": 59}),
        )),
        "restart-attempt-period",
        "$.containerDefinitions[0].restartPolicy.restartAttemptPeriod",
    );
    assert_eq!(
        finding.message,
        "container `web` has `restartPolicy.restartAttemptPeriod` 59 seconds; ECS accepts 60 to 1800 seconds"
    );
    only(
        run(&with_restart(
            json!({"enabled": true, "restartAttemptPeriod": 1801}),
        )),
        "restart-attempt-period",
        "$.containerDefinitions[0].restartPolicy.restartAttemptPeriod",
    );
}

#[test]
fn at_most_50_ignored_exit_codes() {
    let codes =
        |count: i64| json!({"enabled": true, "ignoredExitCodes": (0..count).collect::<Vec<_>>()});
    assert_eq!(run(&with_restart(codes(50))), []);
    let finding = only(
        run(&with_restart(codes(51))),
        "ignored-exit-codes",
        "$.containerDefinitions[0].restartPolicy.ignoredExitCodes",
    );
    assert_eq!(
        finding.message,
        "container `web` lists 51 `restartPolicy.ignoredExitCodes`; ECS allows at most 50"
    );
}

fn with_linux(parameters: Value) -> Value {
    ec2_with("/containerDefinitions/0/linuxParameters", parameters)
}

#[test]
fn max_swap_is_zero_or_more() {
    assert_eq!(run(&with_linux(json!({"maxSwap": 0}))), []);
    let finding = only(
        run(&with_linux(json!({"maxSwap": -1}))),
        "max-swap",
        "$.containerDefinitions[0].linuxParameters.maxSwap",
    );
    assert_eq!(
        finding.message,
        "container `app` has `linuxParameters.maxSwap` -1 MiB; ECS accepts 0 (no swap) or a positive number of MiB"
    );
}

#[test]
fn swappiness_is_0_to_100_and_needs_max_swap() {
    for swappiness in [0, 100] {
        let parameters = json!({"maxSwap": 1024, "swappiness": swappiness});
        assert_eq!(run(&with_linux(parameters)), []);
    }
    let finding = only(
        run(&with_linux(json!({"maxSwap": 1024, "swappiness": 101}))),
        "swappiness",
        "$.containerDefinitions[0].linuxParameters.swappiness",
    );
    assert_eq!(
        finding.message,
        "container `app` has `linuxParameters.swappiness` 101; ECS accepts 0 to 100"
    );
    let finding = only(
        run(&with_linux(json!({"swappiness": 10}))),
        "swappiness-without-max-swap",
        "$.containerDefinitions[0].linuxParameters.swappiness",
    );
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(
        finding.message,
        "container `app` sets `linuxParameters.swappiness` without `maxSwap`, so ECS ignores it"
    );
}

#[test]
fn ulimit_soft_limits_are_at_most_the_hard_limits() {
    let ulimits = json!([
        {"name": "nofile", "softLimit": 65536, "hardLimit": 65536},
        {"name": "memlock", "softLimit": -1, "hardLimit": -1},
        {"name": "core", "softLimit": 0, "hardLimit": -1}
    ]);
    assert_eq!(
        run(&ec2_with("/containerDefinitions/0/ulimits", ulimits)),
        []
    );
    for (soft, hard) in [(65537, 65536), (-1, 1024)] {
        let ulimits = json!([{"name": "nofile", "softLimit": soft, "hardLimit": hard}]);
        let finding = only(
            run(&ec2_with("/containerDefinitions/0/ulimits", ulimits)),
            "ulimit-soft-above-hard",
            "$.containerDefinitions[0].ulimits[0].softLimit",
        );
        assert_eq!(
            finding.message,
            format!(
                "container `app` sets the `nofile` soft limit {soft} above its hard limit {hard}; the container cannot start"
            )
        );
    }
}

#[test]
fn users_are_user_or_uid_with_an_optional_group() {
    for user in [
        "0",
        "1000",
        "1000:1000",
        "app",
        "app:staff",
        "app:1000",
        "1000:staff",
    ] {
        assert_eq!(
            run(&ec2_with("/containerDefinitions/0/user", json!(user))),
            []
        );
    }
    for (user, problem) in [
        ("app:staff:extra", "has more than one `:`"),
        (":1000", "has an empty user or group"),
        ("app:", "has an empty user or group"),
        ("-1", "has the negative ID `-1`"),
    ] {
        let finding = only(
            run(&ec2_with("/containerDefinitions/0/user", json!(user))),
            "user-format",
            "$.containerDefinitions[0].user",
        );
        assert_eq!(
            finding.message,
            format!("container `app` has `user` `{user}`, which {problem}")
        );
    }
}
