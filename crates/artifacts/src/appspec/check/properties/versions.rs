//! `PlatformVersion` against what the task definition uses: Fargate runs `ephemeralStorage`,
//! container dependencies and timeouts, environment files and added capabilities only from the
//! Linux platform version each names (`task_definition::rules::platform_needs` lists them, with
//! their sources). Checked when the task definition is given; `LATEST` satisfies all.

use super::Target;
use crate::appspec::TaskContainers;
use crate::appspec::check::{at, get};
use crate::appspec::source::{Key, Node};
use crate::finding::Finding;
use crate::location::JsonPath;

/// `1.4.0` as numbers; `None` for `LATEST` or anything not three numbers.
pub(super) fn numbered(version: &str) -> Option<(u32, u32, u32)> {
    let parts: Vec<u32> = version
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match parts[..] {
        [major, minor, patch] => Some((major, minor, patch)),
        _ => None,
    }
}

/// `(1, 4, 0)` as `1.4.0`.
fn dotted((major, minor, patch): (u32, u32, u32)) -> String {
    format!("{major}.{minor}.{patch}")
}

pub(super) fn check(
    target: &Target,
    entries: &[(Key, Node)],
    path: &JsonPath,
    containers: Option<&TaskContainers>,
    findings: &mut Vec<Finding>,
) {
    let (Some(task), Some(version), Some((key, value))) = (
        containers,
        target.platform_version.as_deref(),
        get(entries, "PlatformVersion"),
    ) else {
        return;
    };
    let Some(given) = numbered(version) else {
        return;
    };
    let missing: Vec<_> = task
        .platform_needs
        .iter()
        .filter(|need| need.version > given)
        .collect();
    let Some(highest) = missing.iter().map(|need| need.version).max() else {
        return;
    };
    let uses: Vec<String> = missing
        .iter()
        .map(|need| format!("{} ({} or later)", need.what, dotted(need.version)))
        .collect();
    findings.push(
        Finding::error(
            "platform-version",
            format!(
                "`PlatformVersion` is `{version}`, but the task definition uses {}",
                crate::task_definition::rules::and_list(&uses)
            ),
        )
        .at(at(&path.key(&key.text), value.line))
        .help(format!(
            "use `LATEST` or `{}`, or remove what the platform version does not run",
            dotted(highest)
        )),
    );
}
