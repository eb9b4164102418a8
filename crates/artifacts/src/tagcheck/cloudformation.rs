//! CloudFormation templates (YAML with short-form tags, or JSON): ECR repositories without
//! immutable tags, container images of task definitions, and CodePipeline ECR source actions.
//!
//! serde-saphyr does not construct objects from tags (its README, "Safer by construction"), so
//! `!Ref Tag`, `!Sub '…'` and `!GetAtt A.B` read as their plain scalar or sequence. A value that
//! equals the name of a template parameter is read as a `Ref` to it and takes the parameter's
//! `Default`; the long form `{"Ref": "Name"}` does the same.

use serde_json::Value;

use super::text::locate;
use super::{Policy, Scan, check_reference, rules};
use crate::finding::Finding;
use crate::image_reference::ImageReference;
use crate::location::{JsonPath, Location};

/// The finding for a repository whose mutability setting is `mode` (`None`: not set, which
/// ECR reads as `MUTABLE`), named `what`, with `fix` as the setting to write.
///
/// `IMMUTABLE_WITH_EXCLUSION` passes: only the excluded tags are mutable, and whether a
/// deployed tag is among them is decided by `--ecr` (`docs/aws/image-references.md#latest-untagged-and-pinned`).
#[must_use]
pub fn repository_mode_finding(mode: Option<&str>, what: &str, fix: &str) -> Option<Finding> {
    let help = format!("set `{fix}`; ECR then refuses to overwrite a pushed tag");
    match mode.map(str::to_ascii_uppercase).as_deref() {
        Some("IMMUTABLE" | "IMMUTABLE_WITH_EXCLUSION") => None,
        Some("MUTABLE_WITH_EXCLUSION") => Some(
            Finding::warning(
                rules::MUTABLE_REPOSITORY,
                format!("{what} keeps tags mutable except those matching its exclusion filters"),
            )
            .help(help),
        ),
        Some(mode @ "MUTABLE") => Some(
            Finding::error(rules::MUTABLE_REPOSITORY, format!("{what} has `{mode}` tags")).help(help),
        ),
        None => Some(
            Finding::error(
                rules::MUTABLE_REPOSITORY,
                format!("{what} does not set tag mutability, and ECR's default is `MUTABLE`"),
            )
            .help(help),
        ),
        Some(other) => Some(
            Finding::warning(
                rules::UNRESOLVED_VARIABLE,
                format!("{what} sets tag mutability to `{other}`, which is not a value ECR knows or cannot be resolved here"),
            )
            .help(help),
        ),
    }
}

/// Reads a template as YAML (JSON is YAML).
fn parse(text: &str) -> Result<Value, Finding> {
    serde_saphyr::from_str_with_options::<Value>(text, crate::syntax::yaml_options())
        .map_err(|error| crate::syntax::yaml_error(&error).into_rule(rules::INVALID_FILE))
}

/// Checks a CloudFormation template.
#[must_use]
pub fn check(bytes: &[u8], policy: &Policy) -> Scan {
    let mut scan = Scan::default();
    let parsed = crate::syntax::utf8(bytes).and_then(|text| Ok((text, parse(text)?)));
    let (text, template) = match parsed {
        Ok(parsed) => parsed,
        Err(finding) => {
            scan.findings.push(finding.into_rule(rules::INVALID_FILE));
            return scan;
        }
    };
    let parameters = template.get("Parameters").and_then(Value::as_object);
    let resolve = |value: &Value| -> Option<String> {
        let name = match value {
            Value::String(s) => s.as_str(),
            Value::Object(map) => map.get("Ref")?.as_str()?,
            _ => return None,
        };
        let default = parameters
            .and_then(|p| p.get(name))
            .and_then(|p| p.get("Default"))
            .and_then(Value::as_str);
        Some(default.unwrap_or(name).to_owned())
    };
    let Some(resources) = template.get("Resources").and_then(Value::as_object) else {
        return scan;
    };
    for (id, resource) in resources {
        let kind = resource
            .get("Type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let properties = resource.get("Properties").unwrap_or(&Value::Null);
        let base = JsonPath::root()
            .key("Resources")
            .key(id.as_str())
            .key("Properties");
        match kind {
            "AWS::ECR::Repository" => {
                let mode = properties.get("ImageTagMutability");
                let resolved = mode.map(|mode| resolve(mode).unwrap_or_default());
                if let Some(finding) = repository_mode_finding(
                    resolved.as_deref(),
                    &format!("repository `{id}`"),
                    "ImageTagMutability: IMMUTABLE",
                ) {
                    let keys: &[&str] = if mode.is_some() {
                        &[id, "ImageTagMutability"]
                    } else {
                        &[id]
                    };
                    scan.findings.push(finding.at(locate(
                        text,
                        keys,
                        &base.key("ImageTagMutability"),
                    )));
                }
            }
            "AWS::ECS::TaskDefinition" => {
                let containers = properties
                    .get("ContainerDefinitions")
                    .and_then(Value::as_array);
                for (index, container) in containers.into_iter().flatten().enumerate() {
                    let Some(image) = container.get("Image") else {
                        continue;
                    };
                    let path = base.key("ContainerDefinitions").index(index).key("Image");
                    let shown = resolve(image);
                    let needle = image.as_str().unwrap_or("Image");
                    let location = locate(text, &[id, "ContainerDefinitions", needle], &path);
                    check_image(shown.as_deref(), image, &location, policy, &mut scan);
                }
            }
            "AWS::CodePipeline::Pipeline" => {
                super::pipeline::check_stages(
                    text,
                    properties,
                    &super::pipeline::CFN_KEYS,
                    &base,
                    &[id],
                    &mut scan,
                );
            }
            _ => {}
        }
    }
    // The resources come back sorted by logical id; the file's order reads better.
    scan.findings.sort_by_key(|finding| {
        finding
            .location
            .as_ref()
            .and_then(Location::position)
            .map(|at| at.line)
    });
    scan
}

fn check_image(
    resolved: Option<&str>,
    raw: &Value,
    location: &Location,
    policy: &Policy,
    scan: &mut Scan,
) {
    let shown = resolved.map_or_else(|| raw.to_string(), str::to_owned);
    match resolved.map(ImageReference::parse) {
        Some(Ok(reference)) if !shown.contains("${") => {
            scan.findings
                .extend(check_reference(&reference, location, policy));
            scan.images.push(super::ImageUse {
                reference,
                location: location.clone(),
                pinnable: false,
            });
        }
        // `!Join`, `!Sub` with variables, a `Ref` to something that is not a parameter.
        _ => {
            let names = super::variable_names(&shown);
            scan.findings
                .extend(super::unresolved_or_tag(&shown, &names, location, policy));
        }
    }
}

#[cfg(test)]
mod tests;
