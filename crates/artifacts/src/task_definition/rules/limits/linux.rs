//! A container's Linux parameters, ulimits and user.

use serde_json::Value;

use super::Range;
use super::container::object;
use crate::finding::Finding;
use crate::task_definition::rules::{Container, Task};

pub(super) fn check(task: &Task<'_>, container: &Container<'_>, findings: &mut Vec<Finding>) {
    check_linux_parameters(task, container, &container.to_string(), findings);
    check_ulimits(container, findings);
    check_user(container, findings);
}

/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LinuxParameters.html>:
/// `maxSwap` "Accepted values are 0 or any positive integer"; `swappiness` "Accepted values are
/// whole numbers between 0 and 100 ... If a value is not specified for maxSwap then this
/// parameter is ignored".
fn check_linux_parameters(
    task: &Task<'_>,
    container: &Container<'_>,
    owner: &str,
    findings: &mut Vec<Finding>,
) {
    let Some(linux) = object(container, "linuxParameters") else {
        return;
    };
    let path = container.path().key("linuxParameters");
    let max_swap = linux.get("maxSwap").filter(|value| !value.is_null());
    if let Some(mib) = max_swap.and_then(Value::as_i64)
        && mib < 0
    {
        findings.push(
            Finding::error(
                "max-swap",
                format!(
                    "{container} has `linuxParameters.maxSwap` {mib} MiB; ECS accepts 0 (no \
                     swap) or a positive number of MiB"
                ),
            )
            .at(path.key("maxSwap"))
            .help("set `maxSwap` to 0 to turn swap off, or leave it out to use the instance's setting"),
        );
    }
    let swappiness = linux.get("swappiness").and_then(Value::as_i64);
    Range {
        rule: "swappiness",
        owner,
        member: "linuxParameters.swappiness",
        min: 0,
        max: 100,
        unit: "",
    }
    .check(swappiness, path.key("swappiness"), findings);
    // Fargate refuses swap settings outright: that is the platform rules' finding.
    if swappiness.is_some() && max_swap.is_none() && !task.fargate {
        findings.push(
            Finding::warning(
                "swappiness-without-max-swap",
                format!(
                    "{container} sets `linuxParameters.swappiness` without `maxSwap`, so ECS \
                     ignores it"
                ),
            )
            .at(path.key("swappiness"))
            .help("set `maxSwap` too, or drop `swappiness`"),
        );
    }
}

/// A soft limit above its hard limit makes `setrlimit` fail, so the container cannot start;
/// `-1` is unlimited. ECS passes `ulimits` to Docker's `--ulimit`.
/// Sources: <https://man7.org/linux/man-pages/man2/setrlimit.2.html> ("EINVAL ... `rlim_cur` was
/// greater than `rlim_max`"); <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Ulimit.html>.
fn check_ulimits(container: &Container<'_>, findings: &mut Vec<Finding>) {
    let limit = |value: Option<&Value>| {
        value.and_then(Value::as_i64).map(|number| {
            if number == -1 {
                i128::MAX
            } else {
                i128::from(number)
            }
        })
    };
    for (index, ulimit) in container.list("ulimits").iter().enumerate() {
        let (Some(soft), Some(hard)) = (
            limit(ulimit.get("softLimit")),
            limit(ulimit.get("hardLimit")),
        ) else {
            continue;
        };
        if soft <= hard {
            continue;
        }
        let name = ulimit
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("ulimit");
        let shown = |key: &str| ulimit.get(key).map(ToString::to_string).unwrap_or_default();
        findings.push(
            Finding::error(
                "ulimit-soft-above-hard",
                format!(
                    "{container} sets the `{name}` soft limit {} above its hard limit {}; the \
                     container cannot start",
                    shown("softLimit"),
                    shown("hardLimit")
                ),
            )
            .at(container
                .path()
                .key("ulimits")
                .index(index)
                .key("softLimit"))
            .help("lower `softLimit` to `hardLimit` or less (`-1` is unlimited)"),
        );
    }
}

/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html>, `user`: "You can specify the user using the following
/// formats. If specifying a UID or GID, you must specify it as a positive integer": `user`,
/// `user:group`, `uid`, `uid:gid`, `user:gid`, `uid:group`.
fn check_user(container: &Container<'_>, findings: &mut Vec<Finding>) {
    let Some(user) = container.get("user").and_then(Value::as_str) else {
        return;
    };
    let parts: Vec<&str> = user.split(':').collect();
    let problem = if parts.len() > 2 {
        Some("has more than one `:`".to_owned())
    } else if parts.iter().any(|part| part.is_empty()) {
        Some("has an empty user or group".to_owned())
    } else {
        parts
            .iter()
            .find(|part| part.parse::<i64>().is_ok_and(|id| id < 0))
            .map(|id| format!("has the negative ID `{id}`"))
    };
    if let Some(problem) = problem {
        findings.push(
            Finding::error(
                "user-format",
                format!("{container} has `user` `{user}`, which {problem}"),
            )
            .at(container.path().key("user"))
            .help("write `user`, `uid`, `user:group` or `uid:gid`, with IDs as positive integers"),
        );
    }
}
