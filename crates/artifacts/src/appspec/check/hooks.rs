//! `Hooks`: a list of single-key maps, event → Lambda function (CD-HOOKS).

use super::at;
use crate::appspec::arn::hook_function_name;
use crate::appspec::source::{Key, Kind, Node};
use crate::appspec::suggest::{Reach, backticked, similar};
use crate::appspec::{HOOK_PREFIX, Hook, LifecycleEvent};
use crate::finding::Finding;
use crate::location::{JsonPath, Location};

/// Lifecycle events of the other compute platforms, and the ECS events that take no hook
/// (CD-HOOKS: "The Start, Install, `TestTraffic`, `AllowTraffic`, and End events in the deployment
/// cannot be scripted").
const NOT_ECS_HOOKS: [(&str, &str); 11] = [
    ("ApplicationStop", "an EC2/On-Premises event"),
    ("DownloadBundle", "an EC2/On-Premises event"),
    ("ApplicationStart", "an EC2/On-Premises event"),
    ("ValidateService", "an EC2/On-Premises event"),
    ("BeforeBlockTraffic", "an EC2/On-Premises event"),
    ("BlockTraffic", "an EC2/On-Premises event"),
    ("AfterBlockTraffic", "an EC2/On-Premises event"),
    ("Start", "an ECS event that takes no hook"),
    ("Install", "an ECS event that takes no hook"),
    ("TestTraffic", "an ECS event that takes no hook"),
    ("AllowTraffic", "an ECS event that takes no hook"),
];

/// The hooks in lifecycle order, or `None` when an entry could not be read.
pub(super) fn check(
    node: &Node,
    path: &JsonPath,
    findings: &mut Vec<Finding>,
) -> Option<Vec<Hook>> {
    // `Hooks:` with nothing after it and `Hooks: []` are both an empty section
    // (docs/ecs-rules.md, `empty-hook`).
    if matches!(&node.kind, Kind::Null)
        || matches!(&node.kind, Kind::Seq(items) if items.is_empty())
    {
        findings.push(
            Finding::warning("empty-hook", "`Hooks` is empty")
                .at(at(path, node.line))
                .help("remove `Hooks`, or list hooks such as `- AfterAllowTestTraffic: CodeDeployHook_smoke-test`"),
        );
        return Some(Vec::new());
    }
    let entries: Vec<(JsonPath, &Key, &Node)> = match &node.kind {
        Kind::Seq(items) => {
            let mut entries = Vec::new();
            let mut readable = true;
            for (position, item) in items.iter().enumerate() {
                let item_path = path.index(position);
                match &item.kind {
                    Kind::Map(pairs) if pairs.len() == 1 => {
                        let (key, value) = &pairs[0];
                        entries.push((item_path.key(&key.text), key, value));
                    }
                    Kind::Map(pairs) => {
                        readable = false;
                        let names = backticked(pairs.iter().map(|(key, _)| key.text.as_str()));
                        let message = if pairs.is_empty() {
                            "the hook entry is empty".to_owned()
                        } else {
                            format!(
                                "one list item holds {} events ({names}); each hook is its own item",
                                pairs.len()
                            )
                        };
                        findings.push(
                            Finding::error("hook-entry", message)
                                .at(at(&item_path, item.line))
                                .help("write one event per line: `- BeforeInstall: …` then `- AfterInstall: …`"),
                        );
                    }
                    other => {
                        readable = false;
                        findings.push(
                            Finding::error(
                                "hook-entry",
                                format!(
                                    "the hook entry is {}, not `Event: function`",
                                    other.describe()
                                ),
                            )
                            .at(at(&item_path, item.line))
                            .help("write `- AfterAllowTestTraffic: CodeDeployHook_smoke-test`"),
                        );
                    }
                }
            }
            if !readable {
                // Still check the readable ones.
                check_entries(&entries, findings);
                return None;
            }
            entries
        }
        Kind::Map(pairs) => {
            // The EC2/On-Premises AppSpec writes hooks as a mapping of lists of scripts.
            findings.push(
                Finding::error("wrong-type", "`Hooks` is a mapping; for ECS it is a list of single-event items")
                    .at(at(path, node.line))
                    .help("write each hook as a list item: `- AfterAllowTestTraffic: CodeDeployHook_smoke-test`"),
            );
            let entries: Vec<(JsonPath, &Key, &Node)> = pairs
                .iter()
                .map(|(key, value)| (path.key(&key.text), key, value))
                .collect();
            check_entries(&entries, findings);
            return None;
        }
        other => {
            findings.push(
                Finding::error("wrong-type", format!("`Hooks` is {}, not a list", other.describe()))
                    .at(at(path, node.line))
                    .help("write each hook as a list item: `- AfterAllowTestTraffic: CodeDeployHook_smoke-test`"),
            );
            return None;
        }
    };
    check_entries(&entries, findings)
}

fn check_entries(
    entries: &[(JsonPath, &Key, &Node)],
    findings: &mut Vec<Finding>,
) -> Option<Vec<Hook>> {
    let mut hooks: Vec<Hook> = Vec::new();
    let mut readable = true;
    let mut latest: Option<LifecycleEvent> = None;
    for (path, key, value) in entries {
        let Some(event) = LifecycleEvent::from_name(&key.text) else {
            readable = false;
            findings.push(unknown_event(&key.text, &at(path, key.line)));
            continue;
        };
        if hooks.iter().any(|hook| hook.event == event) {
            readable = false;
            findings.push(
                Finding::error(
                    "duplicate-hook",
                    format!("`{event}` is listed twice; each event runs one function"),
                )
                .at(at(path, key.line))
                .help("keep one; a hook function can run several checks"),
            );
            continue;
        }
        // CD-HOOKS: the events run in lifecycle order, whatever the order of the list.
        if let Some(later) = latest.filter(|latest| *latest > event) {
            findings.push(
                Finding::warning(
                    "hook-order",
                    format!("`{event}` is listed after `{later}`, but runs before it"),
                )
                .at(at(path, key.line))
                .help(format!(
                    "list hooks in the order they run: {}",
                    backticked(LifecycleEvent::ALL.iter().map(|event| event.name()))
                )),
            );
        }
        latest = latest.max(Some(event));
        match function(value, key, path, findings) {
            Some(function) => hooks.push(Hook { event, function }),
            None => readable = false,
        }
    }
    hooks.sort_by_key(|hook| hook.event);
    readable.then_some(hooks)
}

fn unknown_event(name: &str, where_: &Location) -> Finding {
    let events: Vec<&str> = LifecycleEvent::ALL
        .iter()
        .map(|event| event.name())
        .collect();
    let finding = Finding::error(
        "unknown-hook",
        format!("`{name}` is not a lifecycle event of an ECS deployment"),
    )
    .at(where_.clone());
    if let Some(meant) = similar(name, events.iter().copied(), Reach::Proportional) {
        let case = if meant.eq_ignore_ascii_case(name) {
            "; event names are case-sensitive"
        } else {
            ""
        };
        return finding.help(format!("did you mean `{meant}`?{case}"));
    }
    let listed = backticked(events.iter().copied());
    match NOT_ECS_HOOKS.iter().find(|(other, _)| *other == name) {
        Some((_, what)) => finding.help(format!("`{name}` is {what}; ECS hooks are {listed}")),
        None => finding.help(format!("ECS hooks are {listed}")),
    }
}

/// Source: CD-HOOKS (one Lambda function per event, given as a string); ASSIST
/// (`EmptyEcsHookValErr`); the `AWSCodeDeployRoleForECSLimited` policy (`docs/aws/codedeploy.md#hooks`) for the
/// `CodeDeployHook_` prefix. The docs show names; ARNs are what the CodeDeploy tutorial uses
/// (`tutorial-ecs-with-hooks-create-appspec-file`), and the prefix is checked on the name part.
/// Any string comes back, whatever its findings; only other types make the hook unreadable.
fn function(
    node: &Node,
    key: &Key,
    path: &JsonPath,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let where_ = at(path, node.line.or(key.line));
    let empty = || {
        Finding::error(
            "empty-hook",
            format!("`{}` names no Lambda function", key.text),
        )
        .at(where_.clone())
        .help("give the function's name or ARN, or remove the hook")
    };
    let text = match &node.kind {
        Kind::Str(text) if !text.trim().is_empty() => text,
        Kind::Str(text) => {
            findings.push(empty());
            return Some(text.clone());
        }
        Kind::Null => {
            findings.push(empty());
            return None;
        }
        Kind::Seq(_) | Kind::Map(_) => {
            findings.push(
                Finding::error("wrong-type", format!("`{}` is {}; an ECS hook is one Lambda function", key.text, node.kind.describe()))
                    .at(where_.clone())
                    .help("EC2 hooks list scripts (`location:`); an ECS hook names one function: `AfterInstall: CodeDeployHook_check`"),
            );
            return None;
        }
        other => {
            findings.push(
                Finding::error(
                    "wrong-type",
                    format!(
                        "`{}` is {}, not a function name",
                        key.text,
                        other.describe()
                    ),
                )
                .at(where_.clone())
                .help("quote the function name"),
            );
            return None;
        }
    };
    match hook_function_name(text) {
        Err(problem) => {
            findings.push(
                Finding::error("hook-function", problem)
                    .at(where_.clone())
                    .help("give the Lambda function's name, or its ARN `arn:aws:lambda:<region>:<account>:function:<name>`"),
            );
        }
        Ok(name) if !name.starts_with(HOOK_PREFIX) => {
            let case = if name
                .to_ascii_lowercase()
                .starts_with(&HOOK_PREFIX.to_ascii_lowercase())
            {
                " (the match is case-sensitive)"
            } else {
                ""
            };
            findings.push(
                Finding::warning(
                    "hook-role",
                    format!("the function `{name}` does not start with `{HOOK_PREFIX}`{case}, so a deployment group with the managed role `AWSCodeDeployRoleForECSLimited` cannot invoke it"),
                )
                .at(where_.clone())
                .help(format!("name the function `{HOOK_PREFIX}…`, or give the CodeDeploy service role `lambda:InvokeFunction` on it")),
            );
        }
        Ok(_) => {}
    }
    Some(text.clone())
}
