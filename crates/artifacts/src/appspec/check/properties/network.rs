//! `NetworkConfiguration.AwsvpcConfiguration`.

use super::string;
use crate::appspec::check::{at, check_keys, get};
use crate::appspec::source::{Key, Kind, Node};
use crate::appspec::suggest::backticked;
use crate::appspec::{AssignPublicIp, AwsvpcConfiguration};
use crate::finding::Finding;
use crate::location::JsonPath;

const NETWORK_KEYS: [&str; 1] = ["AwsvpcConfiguration"];
const AWSVPC_KEYS: [&str; 3] = ["Subnets", "SecurityGroups", "AssignPublicIp"];

/// ECS's limits per `AwsVpcConfiguration` (BC-ECS: "There's a limit of 16 subnets", "a limit
/// of 5 security groups").
const MAX_SUBNETS: usize = 16;
const MAX_SECURITY_GROUPS: usize = 5;

/// Source: CD-RES ("All or none of the settings under `NetworkConfiguration` must be
/// specified"; `AssignPublicIp` is `ENABLED` or `DISABLED`); ASSIST (empty subnet and security
/// group strings).
pub(super) fn network(
    node: &Node,
    key: &Key,
    path: &JsonPath,
    findings: &mut Vec<Finding>,
) -> Option<AwsvpcConfiguration> {
    let Kind::Map(entries) = &node.kind else {
        findings.push(not_a_mapping(node, key, path, "network-configuration"));
        return None;
    };
    check_keys(entries, &NETWORK_KEYS, path, findings);
    let Some((awsvpc_key, awsvpc)) = get(entries, "AwsvpcConfiguration") else {
        findings.push(
            Finding::error("network-configuration", "`NetworkConfiguration` has no `AwsvpcConfiguration`")
                .at(at(path, key.line.or(node.line)))
                .help("put `Subnets`, `SecurityGroups` and `AssignPublicIp` under `AwsvpcConfiguration`, or remove `NetworkConfiguration` to keep the service's settings"),
        );
        return None;
    };
    let path = path.key(&awsvpc_key.text);
    let Kind::Map(fields) = &awsvpc.kind else {
        findings.push(not_a_mapping(
            awsvpc,
            awsvpc_key,
            &path,
            "network-configuration",
        ));
        return None;
    };
    check_keys(fields, &AWSVPC_KEYS, &path, findings);
    let given: Vec<(&str, &Key, &Node)> = AWSVPC_KEYS
        .iter()
        .filter_map(|name| {
            get(fields, name)
                .filter(|(_, value)| !is_nothing(value))
                .map(|(key, value)| (*name, key, value))
        })
        .collect();
    let where_ = at(&path, awsvpc_key.line.or(awsvpc.line));
    if given.is_empty() {
        findings.push(
            Finding::warning("network-configuration", "`AwsvpcConfiguration` sets nothing, so CodeDeploy keeps the service's network settings")
                .at(where_)
                .help("remove `NetworkConfiguration`, or give `Subnets`, `SecurityGroups` and `AssignPublicIp`"),
        );
        return None;
    }
    if given.len() < AWSVPC_KEYS.len() {
        let missing = AWSVPC_KEYS
            .iter()
            .copied()
            .filter(|name| given.iter().all(|(found, _, _)| found != name));
        findings.push(
            Finding::error(
                "network-configuration",
                format!(
                    "`AwsvpcConfiguration` gives {} but not {}; CodeDeploy needs all three or none",
                    backticked(given.iter().map(|(name, _, _)| *name)),
                    backticked(missing),
                ),
            )
            .at(where_)
            .help(
                "add the missing settings, or remove `NetworkConfiguration` to keep the service's",
            ),
        );
    }
    let mut subnets = None;
    let mut security_groups = None;
    let mut assign_public_ip = None;
    for (name, key, value) in given {
        let value_path = path.key(&key.text);
        match name {
            "Subnets" => subnets = ids(value, key, &value_path, &ID_SUBNET, findings),
            "SecurityGroups" => {
                security_groups = ids(value, key, &value_path, &ID_SECURITY_GROUP, findings);
            }
            _ => assign_public_ip = public_ip(value, key, &value_path, findings),
        }
    }
    Some(AwsvpcConfiguration {
        subnets: subnets?,
        security_groups: security_groups?,
        assign_public_ip: assign_public_ip?,
    })
}

/// An empty value or list counts as not given (ASSIST treats an empty list so).
fn is_nothing(node: &Node) -> bool {
    match &node.kind {
        Kind::Null => true,
        Kind::Seq(items) => items.is_empty(),
        _ => false,
    }
}

struct IdKind {
    rule: &'static str,
    prefix: &'static str,
    what: &'static str,
    max: usize,
    example: &'static str,
}

const ID_SUBNET: IdKind = IdKind {
    rule: "subnet",
    prefix: "subnet-",
    what: "subnet",
    max: MAX_SUBNETS,
    example: "[subnet-0123abcd, subnet-4567cdef]",
};
const ID_SECURITY_GROUP: IdKind = IdKind {
    rule: "security-group",
    prefix: "sg-",
    what: "security group",
    max: MAX_SECURITY_GROUPS,
    example: "[sg-0123abcd]",
};

/// A list of EC2 ids: the prefix and 8 or 17 lower-case hexadecimal digits (EC2 resource ids).
/// The list comes back when every item is a string, well formed or not.
fn ids(
    node: &Node,
    key: &Key,
    path: &JsonPath,
    kind: &IdKind,
    findings: &mut Vec<Finding>,
) -> Option<Vec<String>> {
    let Kind::Seq(items) = &node.kind else {
        findings.push(
            Finding::error(
                kind.rule,
                format!("`{}` is {}, not a list", key.text, node.kind.describe()),
            )
            .at(at(path, node.line.or(key.line)))
            .help(format!(
                "write a list, even of one: `{}: {}`",
                key.text, kind.example
            )),
        );
        return None;
    };
    let mut ok = true;
    if items.len() > kind.max {
        findings.push(
            Finding::error(
                kind.rule,
                format!(
                    "`{}` lists {} {}s; ECS takes at most {}",
                    key.text,
                    items.len(),
                    kind.what,
                    kind.max
                ),
            )
            .at(at(path, node.line)),
        );
    }
    let mut values = Vec::with_capacity(items.len());
    for (position, item) in items.iter().enumerate() {
        let item_path = path.index(position);
        let text = match &item.kind {
            Kind::Str(text) => text.as_str(),
            other => {
                ok = false;
                findings.push(
                    Finding::error(
                        kind.rule,
                        format!("a {} id is {}, not a string", kind.what, other.describe()),
                    )
                    .at(at(&item_path, item.line)),
                );
                continue;
            }
        };
        let digits = text.strip_prefix(kind.prefix).unwrap_or_default();
        let well_formed = matches!(digits.len(), 8 | 17)
            && digits
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !well_formed {
            let message = if text.is_empty() {
                format!("a {} id is empty", kind.what)
            } else {
                format!(
                    "`{text}` is not a {} id: `{}` and 8 or 17 hexadecimal digits",
                    kind.what, kind.prefix
                )
            };
            findings.push(Finding::error(kind.rule, message).at(at(&item_path, item.line)));
        }
        values.push(text.to_owned());
    }
    ok.then_some(values)
}

fn public_ip(
    node: &Node,
    key: &Key,
    path: &JsonPath,
    findings: &mut Vec<Finding>,
) -> Option<AssignPublicIp> {
    let text = match string(node, key, "assign-public-ip", path) {
        Ok(text) => text,
        Err(finding) => {
            findings.push(finding.help("write `ENABLED` or `DISABLED`"));
            return None;
        }
    };
    let parsed = AssignPublicIp::parse(text);
    if parsed.is_none() {
        let help = if AssignPublicIp::parse(&text.to_ascii_uppercase()).is_some() {
            format!("write `{}`, in capitals", text.to_ascii_uppercase())
        } else {
            "write `ENABLED` or `DISABLED`".to_owned()
        };
        findings.push(
            Finding::error(
                "assign-public-ip",
                format!("`{}` is `{text}`, not `ENABLED` or `DISABLED`", key.text),
            )
            .at(at(path, node.line))
            .help(help),
        );
    }
    parsed
}

fn not_a_mapping(node: &Node, key: &Key, path: &JsonPath, rule: &'static str) -> Finding {
    Finding::error(
        rule,
        format!("`{}` is {}, not a mapping", key.text, node.kind.describe()),
    )
    .at(at(path, node.line.or(key.line)))
}
