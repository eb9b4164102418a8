//! Checking an `AppSpec` file: every rule of `docs/aws/codedeploy.md#the-appspec-file-for-ecs`, each finding with the key path as
//! written in the file and, where the parser knows it, the line.
//!
//! Keys are matched ignoring case, as AWS's clients look them up (aws-cli
//! `filehelpers._get_case_insensitive_key`, GHA `findAppSpecKey`); the same key twice in two
//! casings is an error, since a reader would take one of them at random. Hook event names are
//! matched exactly (ASSIST): nothing documents another spelling.

mod hooks;
mod properties;

use super::source::{self, Key, Kind, Node};
use super::suggest::{Reach, backticked, similar};
use super::{AppSpec, ECS_SERVICE_TYPE, TARGET_SERVICE, TaskContainers};
use crate::finding::Finding;
use crate::location::{JsonPath, Location};

pub use crate::image_files::Checked;

const TOP_KEYS: [&str; 3] = ["version", "Resources", "Hooks"];
const RESOURCE_KEYS: [&str; 2] = ["Type", "Properties"];

/// Checks an `AppSpec`, YAML or JSON. `file_name` (the base name) only keeps `.json` files from
/// being read as YAML; `containers`, from the task definition, checks `LoadBalancerInfo`.
/// The model comes back whenever the required members are there with the right types, even
/// when other rules fail.
#[must_use]
pub fn check(
    bytes: &[u8],
    file_name: Option<&str>,
    containers: Option<&TaskContainers>,
) -> Checked<AppSpec> {
    let (root, _, mut findings) = match source::parse(bytes, file_name) {
        Ok(parsed) => parsed,
        Err(finding) => {
            return Checked {
                value: None,
                findings: vec![finding],
            };
        }
    };
    let value = check_root(&root, containers, &mut findings);
    Checked { value, findings }
}

fn check_root(
    root: &Node,
    containers: Option<&TaskContainers>,
    findings: &mut Vec<Finding>,
) -> Option<AppSpec> {
    let Kind::Map(entries) = &root.kind else {
        let finding = match root.kind {
            Kind::Null => Finding::error("wrong-type", "the file is empty").at(JsonPath::root()),
            _ => Finding::error(
                "wrong-type",
                format!("the AppSpec is {}, not a mapping", root.kind.describe()),
            )
            .at(at(&JsonPath::root(), root.line)),
        };
        findings.push(finding.help(
            "an ECS AppSpec is `version: 0.0`, `Resources:` with one `- TargetService:`, and optional `Hooks:`",
        ));
        return None;
    };
    check_keys(entries, &TOP_KEYS, &JsonPath::root(), findings);
    check_version(entries, findings);
    let target = check_resources(entries, containers, findings);
    let hooks = match get(entries, "Hooks") {
        Some((key, node)) => hooks::check(node, &JsonPath::root().key(&key.text), findings),
        None => Some(Vec::new()),
    };
    let target = target?;
    Some(AppSpec {
        task_definition: target.task_definition?,
        load_balancer: target.load_balancer?,
        platform_version: target.platform_version,
        network: target.network,
        capacity_providers: target.capacity_providers,
        hooks: hooks?,
    })
}

/// Source: CD-STRUCT ("the only allowed value is 0.0"; "specify version with a string"), while
/// every example writes the number `0.0` (CD-EX). Both are accepted; the integer `0`, which is
/// a different YAML value, is not.
fn check_version(entries: &[(Key, Node)], findings: &mut Vec<Finding>) {
    let Some((key, node)) = get(entries, "version") else {
        findings.push(
            Finding::error("version", "the AppSpec has no `version`")
                .at(JsonPath::root())
                .help("add `version: 0.0` as the first line"),
        );
        return;
    };
    let path = JsonPath::root().key(&key.text);
    let ok = match &node.kind {
        Kind::Float(number) => *number == 0.0,
        Kind::Str(text) => text == "0.0",
        _ => false,
    };
    if !ok {
        let shown = match &node.kind {
            Kind::Str(text) => format!("`{text}`"),
            Kind::Int(number) => format!("the integer `{number}`"),
            Kind::Float(number) => format!("`{number}`"),
            other => other.describe().to_owned(),
        };
        findings.push(
            Finding::error(
                "version",
                format!("`version` is {shown}; the only version is 0.0"),
            )
            .at(at(&path, node.line.or(key.line)))
            .help("write `version: 0.0`"),
        );
    }
}

/// Source: CD-RES; ASSIST ("Only 1 ECS resource (`TargetService`) supported").
fn check_resources(
    entries: &[(Key, Node)],
    containers: Option<&TaskContainers>,
    findings: &mut Vec<Finding>,
) -> Option<properties::Target> {
    let Some((key, node)) = get(entries, "Resources") else {
        findings.push(
            Finding::error("resource-count", "the AppSpec has no `Resources`")
                .at(JsonPath::root())
                .help("add `Resources:` with one `- TargetService:` entry of `Type: AWS::ECS::Service`"),
        );
        return None;
    };
    let path = JsonPath::root().key(&key.text);
    // A mapping where the list belongs is reported, then read as a list of one, so that the
    // resource itself is still checked.
    let (items, single) = match &node.kind {
        Kind::Seq(items) => (items.iter().collect::<Vec<_>>(), false),
        Kind::Map(_) => {
            findings.push(
                Finding::error(
                    "wrong-type",
                    format!("`{}` is a mapping, not a list", key.text),
                )
                .at(at(&path, node.line))
                .help("write the resource as a list item: `- TargetService:`"),
            );
            (vec![node], true)
        }
        other => {
            findings.push(
                Finding::error(
                    "wrong-type",
                    format!("`{}` is {}, not a list", key.text, other.describe()),
                )
                .at(at(&path, node.line.or(key.line)))
                .help("write `Resources:` with one `- TargetService:` entry"),
            );
            return None;
        }
    };
    let mut resources: Vec<(JsonPath, &Key, &Node)> = Vec::new();
    for (position, item) in items.iter().enumerate() {
        let item_path = if single {
            path.clone()
        } else {
            path.index(position)
        };
        match &item.kind {
            Kind::Map(named) => {
                for (name, resource) in named {
                    resources.push((item_path.key(&name.text), name, resource));
                }
            }
            other => findings.push(
                Finding::error(
                    "wrong-type",
                    format!("the resource is {}, not a mapping", other.describe()),
                )
                .at(at(&item_path, item.line))
                .help("write `- TargetService:` with `Type` and `Properties` under it"),
            ),
        }
    }
    let [(resource_path, name, resource)] = resources.as_slice() else {
        let finding = if resources.is_empty() {
            Finding::error(
                "resource-count",
                "`Resources` is empty; an ECS AppSpec deploys one service",
            )
            .at(at(&path, key.line.or(node.line)))
            .help("add one `- TargetService:` entry of `Type: AWS::ECS::Service`")
        } else {
            let names = backticked(resources.iter().map(|(_, name, _)| name.text.as_str()));
            Finding::error(
                "resource-count",
                format!("`Resources` has {} resources ({names}); an ECS AppSpec deploys exactly one service", resources.len()),
            )
            .at(at(&path, key.line.or(node.line)))
            .help("keep one `TargetService`: a CodeDeploy ECS deployment group deploys one service")
        };
        findings.push(finding);
        for (resource_path, name, resource) in &resources {
            check_resource(resource, resource_path, name.line, containers, findings);
        }
        return None;
    };
    if name.text != TARGET_SERVICE {
        // [INFERRED] Every ECS example and ASSIST's model name it `TargetService`; nothing says
        // CodeDeploy reads another name, nor that it refuses one.
        let finding = Finding::warning(
            "resource-name",
            format!(
                "the resource is named `{}`; AWS's ECS examples name it `{TARGET_SERVICE}`",
                name.text
            ),
        )
        .at(at(resource_path, name.line));
        findings.push(if name.text.eq_ignore_ascii_case(TARGET_SERVICE) {
            finding
        } else {
            finding.help(format!("rename it to `{TARGET_SERVICE}`"))
        });
    }
    check_resource(resource, resource_path, name.line, containers, findings)
}

fn check_resource(
    resource: &Node,
    path: &JsonPath,
    line: Option<u32>,
    containers: Option<&TaskContainers>,
    findings: &mut Vec<Finding>,
) -> Option<properties::Target> {
    let Kind::Map(entries) = &resource.kind else {
        findings.push(
            Finding::error(
                "wrong-type",
                format!(
                    "the resource is {}, not a mapping",
                    resource.kind.describe()
                ),
            )
            .at(at(path, resource.line))
            .help("give it `Type: AWS::ECS::Service` and `Properties`"),
        );
        return None;
    };
    check_keys(entries, &RESOURCE_KEYS, path, findings);
    match get(entries, "Type") {
        None => findings.push(
            Finding::error("missing-key", "the resource has no `Type`")
                .at(at(path, line))
                .help(format!("add `Type: {ECS_SERVICE_TYPE}`")),
        ),
        Some((key, node)) => {
            let type_path = path.key(&key.text);
            match &node.kind {
                Kind::Str(text) if text == ECS_SERVICE_TYPE => {}
                Kind::Str(text) => {
                    let help = if text.starts_with("AWS::Lambda") {
                        "this is a Lambda AppSpec; an ECS blue/green deployment needs `Type: AWS::ECS::Service`".to_owned()
                    } else {
                        format!("write `Type: {ECS_SERVICE_TYPE}`, letter for letter")
                    };
                    findings.push(
                        Finding::error(
                            "resource-type",
                            format!("`Type` is `{text}`, not `{ECS_SERVICE_TYPE}`"),
                        )
                        .at(at(&type_path, node.line))
                        .help(help),
                    );
                }
                other => findings.push(
                    Finding::error(
                        "resource-type",
                        format!("`Type` is {}, not `{ECS_SERVICE_TYPE}`", other.describe()),
                    )
                    .at(at(&type_path, node.line.or(key.line)))
                    .help(format!("write `Type: {ECS_SERVICE_TYPE}`")),
                ),
            }
        }
    }
    let Some((key, node)) = get(entries, "Properties") else {
        findings.push(
            Finding::error("missing-key", "the resource has no `Properties`")
                .at(at(path, line))
                .help("add `Properties:` with `TaskDefinition` and `LoadBalancerInfo`"),
        );
        return None;
    };
    properties::check(node, key, &path.key(&key.text), containers, findings)
}

/// `line L, $.path`, or the path alone when the line is not known.
pub(super) fn at(path: &JsonPath, line: Option<u32>) -> Location {
    match line {
        Some(line) => Location::line(line as usize, None).with_path(path.clone()),
        None => Location::from(path.clone()),
    }
}

/// The entry whose key is `name`, ignoring case; the first when there are several.
pub(super) fn get<'a>(entries: &'a [(Key, Node)], name: &str) -> Option<(&'a Key, &'a Node)> {
    entries
        .iter()
        .find(|(key, _)| key.text.eq_ignore_ascii_case(name))
        .map(|(key, node)| (key, node))
}

/// Keys that are not among `known` (a warning: CodeDeploy's readers ignore them, and a
/// misspelt optional key silently does nothing), and keys given twice in two casings.
pub(super) fn check_keys(
    entries: &[(Key, Node)],
    known: &[&str],
    path: &JsonPath,
    findings: &mut Vec<Finding>,
) {
    for (position, (key, _)) in entries.iter().enumerate() {
        let key_path = path.key(&key.text);
        if let Some((first, _)) = entries[..position]
            .iter()
            .find(|(earlier, _)| earlier.text.eq_ignore_ascii_case(&key.text))
        {
            findings.push(
                Finding::error(
                    "duplicate-key",
                    format!(
                        "`{}` is given twice, also as `{}`; keys are read ignoring case",
                        key.text, first.text
                    ),
                )
                .at(at(&key_path, key.line))
                .help("keep one of them"),
            );
            continue;
        }
        if known
            .iter()
            .any(|name| name.eq_ignore_ascii_case(&key.text))
        {
            continue;
        }
        let finding = Finding::warning(
            "unknown-key",
            format!("`{}` is not an ECS AppSpec key and is ignored", key.text),
        )
        .at(at(&key_path, key.line));
        findings.push(
            match similar(&key.text, known.iter().copied(), Reach::Proportional) {
                Some(meant) => finding.help(format!("did you mean `{meant}`?")),
                None => finding.help(format!(
                    "the keys here are {}",
                    backticked(known.iter().copied())
                )),
            },
        );
    }
}
