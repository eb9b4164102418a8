//! `CapacityProviderStrategy`.

use super::Target;
use super::string;
use crate::appspec::check::{at, check_keys, get};
use crate::appspec::source::{Key, Kind, Node};
use crate::appspec::suggest::backticked;
use crate::appspec::{CapacityProviderItem, MAX_BASE, MAX_WEIGHT, TaskContainers};
use crate::finding::Finding;
use crate::location::JsonPath;

const CAPACITY_KEYS: [&str; 3] = ["CapacityProvider", "Base", "Weight"];

/// The two providers every account has (`CapacityProviderStrategyItem`:
/// <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html>).
const FARGATE_PROVIDERS: [&str; 2] = ["FARGATE", "FARGATE_SPOT"];

/// "A capacity provider strategy can contain a maximum of 20 capacity providers"
/// (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html>).
const MAX_PROVIDERS: usize = 20;

/// Prefixes no created provider's name can start with: "The name can't be prefixed with
/// `aws`, `ecs`, or `fargate`"
/// (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html>).
const RESERVED_PREFIXES: [&str; 3] = ["aws", "ecs", "fargate"];

/// Source: BC-ECS `CapacityProviderStrategyItem` (`capacityProvider` required, 1 to 255
/// characters; `base` 0 to 100,000 and "only one capacity provider in a capacity provider
/// strategy can have a base defined"; `weight` 0 to 1,000 and "at least one of the capacity
/// providers must have a weight value greater than zero"). AWS's own `AppSpec` example writes
/// `Base: 0` on its second provider (CD-EX), so a base of 0, the default, does not count as
/// defined.
pub(super) fn capacity_providers(
    node: &Node,
    key: &Key,
    path: &JsonPath,
    findings: &mut Vec<Finding>,
) -> Vec<CapacityProviderItem> {
    const RULE: &str = "capacity-provider-strategy";
    let Kind::Seq(items) = &node.kind else {
        findings.push(
            Finding::error(
                RULE,
                format!("`{}` is {}, not a list", key.text, node.kind.describe()),
            )
            .at(at(path, node.line.or(key.line)))
            .help(
                "write one list item per provider: `- CapacityProvider: FARGATE` with `Weight: 1`",
            ),
        );
        return Vec::new();
    };
    let mut strategy = Vec::with_capacity(items.len());
    let mut with_base = Vec::new();
    for (position, item) in items.iter().enumerate() {
        let item_path = path.index(position);
        let Kind::Map(fields) = &item.kind else {
            findings.push(
                Finding::error(
                    RULE,
                    format!("a provider is {}, not a mapping", item.kind.describe()),
                )
                .at(at(&item_path, item.line)),
            );
            continue;
        };
        check_keys(fields, &CAPACITY_KEYS, &item_path, findings);
        let provider = match get(fields, "CapacityProvider") {
            None => {
                findings.push(
                    Finding::error(RULE, "the entry has no `CapacityProvider`")
                        .at(at(&item_path, item.line))
                        .help("name the provider, such as `CapacityProvider: FARGATE_SPOT`"),
                );
                None
            }
            Some((name_key, value)) => {
                match string(value, name_key, RULE, &item_path.key(&name_key.text)) {
                    Ok(name) => {
                        if let Some(finding) = name_problem(name) {
                            findings
                                .push(finding.at(at(&item_path.key(&name_key.text), value.line)));
                        }
                        Some(name.to_owned())
                    }
                    Err(finding) => {
                        findings.push(finding);
                        None
                    }
                }
            }
        };
        let base = count(fields, "Base", MAX_BASE, &item_path, findings);
        let weight = count(fields, "Weight", MAX_WEIGHT, &item_path, findings);
        if base.is_ok_and(|base| base.is_some_and(|n| n > 0)) {
            with_base.push((item_path.clone(), item.line));
        }
        if let (Some(capacity_provider), Ok(base), Ok(weight)) = (provider, base, weight) {
            strategy.push(CapacityProviderItem {
                capacity_provider,
                base,
                weight,
            });
        }
    }
    if let [_, (second, line), ..] = with_base.as_slice() {
        findings.push(
            Finding::error(RULE, format!("{} providers set a `Base`; only one provider of a strategy may", with_base.len()))
                .at(at(second, *line))
                .help("keep `Base` on the provider that must always run that many tasks; leave it out (or 0) on the others"),
        );
    }
    if items.len() > MAX_PROVIDERS {
        findings.push(
            Finding::error(
                RULE,
                format!(
                    "`{}` lists {} providers; ECS takes at most {MAX_PROVIDERS}",
                    key.text,
                    items.len()
                ),
            )
            .at(at(path, node.line.or(key.line)))
            .help("keep the providers the service needs"),
        );
    }
    check_one_kind(&strategy, path, node, findings);
    if !items.is_empty()
        && strategy.len() == items.len()
        && strategy.iter().all(|item| item.weight.unwrap_or(0) == 0)
    {
        findings.push(
            Finding::error(
                RULE,
                "no provider has a `Weight` above 0, so ECS can place no task beyond the base",
            )
            .at(at(path, node.line))
            .help("give at least one provider `Weight: 1` or more"),
        );
    }
    strategy
}

/// What is wrong with a provider's name: 1 to 255 characters, and either one of
/// [`FARGATE_PROVIDERS`] or a name `CreateCapacityProvider` accepts (letters, digits, `_` and
/// `-`, no reserved prefix), since a strategy can only name a provider that exists.
fn name_problem(name: &str) -> Option<Finding> {
    const RULE: &str = "capacity-provider-strategy";
    if name.is_empty() || name.len() > 255 {
        return Some(Finding::error(
            RULE,
            "`CapacityProvider` must be 1 to 255 characters",
        ));
    }
    if FARGATE_PROVIDERS.contains(&name) {
        return None;
    }
    let upper = name.to_ascii_uppercase();
    let help = if FARGATE_PROVIDERS.contains(&upper.as_str()) {
        format!("write `{upper}`, in capitals")
    } else {
        "use `FARGATE`, `FARGATE_SPOT`, or the name of a capacity provider of the cluster"
            .to_owned()
    };
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Some(
            Finding::error(
                RULE,
                format!("`CapacityProvider` `{name}` contains `{bad}`; provider names are letters, digits, `_` and `-`"),
            )
            .help(help),
        );
    }
    let prefix = RESERVED_PREFIXES
        .iter()
        .find(|prefix| name.starts_with(*prefix))?;
    Some(
        Finding::error(
            RULE,
            format!("`CapacityProvider` `{name}` starts with `{prefix}`, which no capacity provider's name can; the Fargate providers are `FARGATE` and `FARGATE_SPOT`"),
        )
        .help(help),
    )
}

/// "A capacity provider strategy can only contain Auto Scaling group capacity providers or
/// Fargate capacity providers"
/// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-capacity-providers.html>).
/// Any name other than the two Fargate providers is a provider the account created.
fn check_one_kind(
    strategy: &[CapacityProviderItem],
    path: &JsonPath,
    node: &Node,
    findings: &mut Vec<Finding>,
) {
    let is_fargate =
        |item: &&CapacityProviderItem| FARGATE_PROVIDERS.contains(&item.capacity_provider.as_str());
    let fargate: Vec<&str> = strategy
        .iter()
        .filter(is_fargate)
        .map(|item| item.capacity_provider.as_str())
        .collect();
    let others: Vec<&str> = strategy
        .iter()
        .filter(|item| !is_fargate(item) && name_problem(&item.capacity_provider).is_none())
        .map(|item| item.capacity_provider.as_str())
        .collect();
    if fargate.is_empty() || others.is_empty() {
        return;
    }
    findings.push(
        Finding::error(
            "capacity-provider-strategy",
            format!(
                "the strategy mixes the Fargate providers {} with {}; a strategy holds Fargate providers or the cluster's own providers, not both",
                backticked(fargate.iter().copied()),
                backticked(others.iter().copied())
            ),
        )
        .at(at(path, node.line))
        .help("keep one kind: `FARGATE` and `FARGATE_SPOT`, or the Auto Scaling group providers"),
    );
}

/// `Ok(None)` when absent, `Ok(Some(n))` for a valid count, `Err(())` after a finding.
fn count(
    fields: &[(Key, Node)],
    name: &str,
    max: u32,
    path: &JsonPath,
    findings: &mut Vec<Finding>,
) -> Result<Option<u32>, ()> {
    let Some((key, value)) = get(fields, name) else {
        return Ok(None);
    };
    let where_ = at(&path.key(&key.text), value.line.or(key.line));
    let message = match &value.kind {
        Kind::Int(number) if *number < 0 => {
            format!("`{}` is {number}; it cannot be negative", key.text)
        }
        Kind::Int(number) => {
            if let Some(n) = u32::try_from(*number).ok().filter(|n| *n <= max) {
                return Ok(Some(n));
            }
            format!("`{}` is {number}; ECS allows 0 to {max}", key.text)
        }
        Kind::Str(text) if text.trim().parse::<i64>().is_ok() => {
            findings.push(
                Finding::error(
                    "capacity-provider-strategy",
                    format!("`{}` is the string `\"{text}\"`, not a number", key.text),
                )
                .at(where_)
                .help(format!(
                    "write it without quotes: `{}: {}`",
                    key.text,
                    text.trim()
                )),
            );
            return Err(());
        }
        other => format!("`{}` is {}, not a whole number", key.text, other.describe()),
    };
    findings.push(Finding::error("capacity-provider-strategy", message).at(where_));
    Err(())
}

/// "`FARGATE_SPOT` supports Linux tasks with the `X86_64` architecture on platform version
/// 1.3.0 or later"
/// (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html>):
/// checked against `PlatformVersion` and, when it is given, the task definition's
/// `runtimePlatform`.
pub(super) fn check_spot(
    target: &Target,
    entries: &[(Key, Node)],
    path: &JsonPath,
    containers: Option<&TaskContainers>,
    findings: &mut Vec<Finding>,
) {
    let Some(position) = target
        .capacity_providers
        .iter()
        .position(|item| item.capacity_provider == "FARGATE_SPOT")
    else {
        return;
    };
    if let (Some(version), Some((key, value))) = (
        target.platform_version.as_deref(),
        get(entries, "PlatformVersion"),
    ) && let Some(numbered) = super::versions::numbered(version)
        && numbered < (1, 3, 0)
    {
        findings.push(
            Finding::error(
                "platform-version",
                format!("`PlatformVersion` is `{version}`, but `FARGATE_SPOT` runs tasks only on platform version 1.3.0 or later"),
            )
            .at(at(&path.key(&key.text), value.line))
            .help("use `LATEST` or `1.4.0`, or leave `FARGATE_SPOT` out of the strategy"),
        );
    }
    let Some(task) = containers else {
        return;
    };
    let windows = task
        .operating_system_family
        .as_deref()
        .filter(|family| family.starts_with("WINDOWS"));
    let arm = task
        .cpu_architecture
        .as_deref()
        .filter(|architecture| *architecture == "ARM64");
    let Some(platform) = windows.or(arm) else {
        return;
    };
    let where_ = get(entries, "CapacityProviderStrategy").map(|(key, node)| {
        let item = match &node.kind {
            Kind::Seq(items) => items.get(position).and_then(|item| item.line),
            _ => None,
        };
        at(&path.key(&key.text).index(position), item.or(key.line))
    });
    let finding = Finding::error(
        "capacity-provider-strategy",
        format!("the task definition runs on `{platform}`, but `FARGATE_SPOT` runs only Linux tasks on `X86_64`"),
    )
    .help("use `FARGATE` for this task, or build the task for Linux on `X86_64`");
    findings.push(match where_ {
        Some(where_) => finding.at(where_),
        None => finding,
    });
}
