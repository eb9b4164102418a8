//! `CapacityProviderStrategy`.

use super::string;
use crate::appspec::check::{at, check_keys, get};
use crate::appspec::source::{Key, Kind, Node};
use crate::appspec::{CapacityProviderItem, MAX_BASE, MAX_WEIGHT};
use crate::finding::Finding;
use crate::location::JsonPath;

const CAPACITY_KEYS: [&str; 3] = ["CapacityProvider", "Base", "Weight"];

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
                        if name.is_empty() || name.len() > 255 {
                            findings.push(
                                Finding::error(
                                    RULE,
                                    "`CapacityProvider` must be 1 to 255 characters",
                                )
                                .at(at(&item_path.key(&name_key.text), value.line)),
                            );
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
