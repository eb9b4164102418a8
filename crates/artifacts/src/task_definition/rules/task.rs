//! Task-wide rules: the family name, container names, count and essentials, and the size.

use std::collections::HashMap;
use std::io;

use serde_json::Value;

use super::images::Images;
use super::{Container, thousands};
use crate::finding::Finding;
use crate::image_files::container_name_problem;
use crate::image_reference::ECS_IMAGE_MAX_LEN;
use crate::location::JsonPath;

/// ECS's size limit on a registered task definition.
/// Source: `docs/aws/artifact-formats.md#names-and-limits`, awsdocs/amazon-ecs-developer-guide PR #149 (`Max allowed length is
/// '65536' bytes`).
pub(crate) const MAX_BYTES: usize = 65_536;

/// Containers per task definition, not adjustable. Source: ECS service quotas (`docs/aws/artifact-formats.md#names-and-limits`).
pub(crate) const MAX_CONTAINERS: usize = 10;

/// The longest `image` the Blue/Green action can put in place of a placeholder: ECS's 255
/// characters before the digest, then `@sha256:` and 64 hex digits (BC-ECS `image`).
const MAX_IMAGE_LEN: usize = ECS_IMAGE_MAX_LEN + "@sha256:".len() + 64;

pub(crate) fn check_family(document: &Value, findings: &mut Vec<Finding>) {
    let Some(family) = document.get("family").and_then(Value::as_str) else {
        return;
    };
    // Source: BC-ECS `family`: up to 255 letters (upper and lower case), digits, `_` and `-`.
    let problem = if family.is_empty() {
        "`family` is empty; ECS needs 1 to 255 letters, digits, `_` or `-`".to_owned()
    } else if family.len() > 255 {
        format!(
            "`family` is {} characters long; ECS allows at most 255",
            family.len()
        )
    } else if let Some(bad) = family.chars().find(|c| !is_name_char(*c)) {
        format!("family `{family}` contains `{bad}`; ECS allows letters, digits, `_` and `-`")
    } else {
        return;
    };
    let finding = Finding::error("family-name", problem).at(JsonPath::root().key("family"));
    let suggestion: String = family
        .chars()
        .map(|c| if is_name_char(c) { c } else { '-' })
        .take(255)
        .collect();
    findings.push(if suggestion.is_empty() {
        finding.help("name the family after the service, such as `web`")
    } else {
        finding.help(format!("rename the family, such as `{suggestion}`"))
    });
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Container names seen so far, to find repeats.
#[derive(Debug, Default)]
pub(crate) struct Names<'a> {
    first: HashMap<&'a str, usize>,
}

impl<'a> Names<'a> {
    pub(crate) fn check(&mut self, container: &Container<'a>, findings: &mut Vec<Finding>) {
        let name = match container.fields.get("name") {
            Some(Value::String(name)) => name.as_str(),
            // Source: ECS rejects it with `Container.name should not be null or empty.`
            // (`docs/aws/artifact-formats.md#names-and-limits`); botocore's model does not mark `name` required.
            None | Some(Value::Null) => {
                findings.push(
                    Finding::error("container-name", format!("{container} has no `name`"))
                        .at(container.path())
                        .help("name the container: 1 to 255 letters, digits, `_` or `-`"),
                );
                return;
            }
            Some(_) => return,
        };
        // Source: BC-ECS `ContainerDefinition.name`: up to 255 letters, digits, `_` and `-`.
        let problem = if name.is_empty() {
            Some(format!("{container} has an empty `name`"))
        } else {
            container_name_problem(name)
        };
        if let Some(problem) = problem {
            findings.push(
                Finding::error("container-name", problem)
                    .at(container.path().key("name"))
                    .help("use 1 to 255 letters, digits, `_` or `-`"),
            );
        }
        if name.is_empty() {
            return;
        }
        // Source: ECS error `Container names must be unique within a Task Definition.`
        if let Some(&first) = self.first.get(name) {
            findings.push(
                Finding::error(
                    "duplicate-container",
                    format!(
                        "container name `{name}` is used by containers {first} and {}; \
                         names must be unique within a task definition",
                        container.index
                    ),
                )
                .at(container.path().key("name"))
                .help("rename one of them: image files and the AppSpec find containers by name"),
            );
        } else {
            self.first.insert(name, container.index);
        }
    }
}

/// Container count and essentials.
pub(crate) fn check_containers(containers: &[Value], findings: &mut Vec<Finding>) {
    // Source: ECS service quotas: 10 containers per task definition (`docs/aws/artifact-formats.md#names-and-limits`).
    if containers.is_empty() {
        findings.push(
            Finding::error(
                "container-count",
                "the task definition has no containers; ECS needs 1 to 10",
            )
            .at(JsonPath::root().key("containerDefinitions"))
            .help("add the service's container to `containerDefinitions`"),
        );
        return;
    }
    if containers.len() > MAX_CONTAINERS {
        findings.push(
            Finding::error(
                "container-count",
                format!(
                    "the task definition has {} containers; ECS allows at most {MAX_CONTAINERS}",
                    containers.len()
                ),
            )
            .at(JsonPath::root().key("containerDefinitions"))
            .help("the quota is not adjustable: move some containers into another service"),
        );
    }
    // Source: BC-ECS `essential`: defaults to true; at least one container must be essential.
    // A non-boolean `essential` is `shape`'s finding, and does not count as false here.
    let not_essential = containers
        .iter()
        .filter(|container| container.get("essential") == Some(&Value::Bool(false)))
        .count();
    if not_essential == containers.len() {
        findings.push(
            Finding::error(
                "no-essential-container",
                format!(
                    "no container is essential: all {not_essential} set `essential` to false; \
                     ECS needs at least one"
                ),
            )
            .at(JsonPath::root().key("containerDefinitions"))
            .help("set `\"essential\": true` on the main container (an absent `essential` counts as true)"),
        );
    }
}

/// The serialized size, measured on the compact JSON without keeping it.
pub(crate) fn check_size(
    document: &Value,
    images: &Images<'_>,
    largest_environment: Option<&(String, usize)>,
    findings: &mut Vec<Finding>,
) {
    let mut counter = ByteCount(0);
    serde_json::to_writer(&mut counter, document).expect("counting never fails");
    let size = counter.0;
    let cause = match largest_environment {
        Some((container, bytes)) if *bytes > 0 => format!(
            "; {container} carries about {} bytes of `environment` and `secrets`",
            thousands(*bytes)
        ),
        _ => String::new(),
    };
    let help = format!(
        "large `environment` or `secrets` lists are the usual cause{cause}: move settings to \
         `environmentFiles` in S3, or group secrets into one JSON secret"
    );
    // Source: ECS's 64 KiB limit (`docs/aws/artifact-formats.md#names-and-limits`).
    if size > MAX_BYTES {
        findings.push(
            Finding::error(
                "too-large",
                format!(
                    "the task definition is {} bytes as compact JSON; ECS accepts at most {}",
                    thousands(size),
                    thousands(MAX_BYTES)
                ),
            )
            .at(JsonPath::root())
            .help(help),
        );
        return;
    }
    // The Blue/Green action registers the template after putting image URIs in place of the
    // placeholders (`docs/aws/artifact-formats.md#placeholders`), so the registered document is longer than this one.
    let growth: usize = images
        .placeholder_lengths()
        .map(|written| MAX_IMAGE_LEN.saturating_sub(written))
        .sum();
    if size + growth > MAX_BYTES {
        findings.push(
            Finding::warning(
                "too-large",
                format!(
                    "the task definition is {} bytes as compact JSON; with image URIs in place \
                     of its placeholders it can reach {}, over ECS's limit of {}",
                    thousands(size),
                    thousands(size + growth),
                    thousands(MAX_BYTES)
                ),
            )
            .at(JsonPath::root())
            .help(help),
        );
    }
}

/// An `io::Write` that only counts, so measuring the size allocates nothing.
struct ByteCount(usize);

impl io::Write for ByteCount {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
