//! Container images: required, valid references under ECS's limits and the tag policy, or the
//! CodeDeployToECS placeholders.
//!
//! Placeholders are read as [`crate::placeholder`] reads them: the whole `image` value, one
//! name in angle brackets. Anything else between `<` and `>` is reported, since the action's
//! substitution of other text is undocumented and an image URI put next to other text could
//! not be a valid reference anyway.

use serde_json::Value;

use super::Container;
use super::RuleOptions;
use crate::finding::Finding;
use crate::image_files::check_image;
use crate::placeholder::{ImagePlaceholder, name_in_image};

/// The placeholders of a CodeDeployToECS template and the container each one is in, in
/// container order: `("IMAGE1_NAME", "web")`. The name is given without its angle brackets,
/// as `Image<N>ContainerName` takes it. A container without a string name is listed with `""`.
#[must_use]
pub fn placeholders(document: &Value) -> Vec<(String, String)> {
    let Some(Value::Array(containers)) = document.get("containerDefinitions") else {
        return Vec::new();
    };
    containers
        .iter()
        .filter_map(|container| {
            let name = name_in_image(container.get("image")?.as_str()?)?;
            let container = container.get("name").and_then(Value::as_str).unwrap_or("");
            Some((name.to_owned(), container.to_owned()))
        })
        .collect()
}

/// True when `image` holds `<…>`, a placeholder left in place or a malformed one.
fn has_angle_brackets(image: &str) -> bool {
    image
        .find('<')
        .is_some_and(|open| image[open..].contains('>'))
}

/// The placeholders seen so far.
#[derive(Debug, Default)]
pub(crate) struct Images<'a> {
    /// `(placeholder name, container)` of each distinct placeholder, in order.
    placeholders: Vec<(&'a str, String)>,
}

impl<'a> Images<'a> {
    /// The written length of each placeholder found, `<` and `>` included.
    pub(crate) fn placeholder_lengths(&self) -> impl Iterator<Item = usize> + '_ {
        self.placeholders.iter().map(|(name, _)| name.len() + 2)
    }

    pub(crate) fn check_container(
        &mut self,
        container: &Container<'a>,
        options: RuleOptions,
        findings: &mut Vec<Finding>,
    ) {
        let image = match container.fields.get("image") {
            Some(Value::String(image)) if !image.trim().is_empty() => image.as_str(),
            // Source: ECS error `The container.image should not be null or empty` (see
            // `docs/aws/artifact-formats.md#names-and-limits`); botocore's model does not mark `image` required.
            None | Some(Value::Null | Value::String(_)) => {
                let what = if container.get("image").is_some() {
                    "an empty"
                } else {
                    "no"
                };
                findings.push(
                    Finding::error("missing-image", format!("{container} has {what} `image`"))
                        .at(container.path().key("image"))
                        .help(
                            "set `image` to the image to run, such as \
                             `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`",
                        ),
                );
                return;
            }
            Some(_) => return,
        };
        let path = || container.path().key("image");
        if has_angle_brackets(image) {
            self.check_placeholder(container, image, options, findings);
            return;
        }
        // Source: DIST-REF grammar, BC-ECS `image` limits and the tag policy (`docs/aws/image-references.md#ecs-limits-on-the-image-field`),
        // through the same check the image files use.
        let (_, image_findings) = check_image(image, options.policy);
        findings.extend(image_findings.into_iter().map(|mut finding| {
            finding.message = format!("{container}: {}", finding.message);
            finding.at(path())
        }));
    }

    fn check_placeholder(
        &mut self,
        container: &Container<'a>,
        image: &'a str,
        options: RuleOptions,
        findings: &mut Vec<Finding>,
    ) {
        let path = container.path().key("image");
        if !options.allow_placeholders {
            findings.push(
                Finding::error(
                    "placeholder",
                    format!("{container} has the placeholder `{image}` as its image; nothing replaced it"),
                )
                .at(path)
                .help("only a CodeDeployToECS template keeps placeholders, which the Blue/Green action fills; \
                       give the real image, or check the file as a template"),
            );
            return;
        }
        let Some(name) = name_in_image(image) else {
            findings.push(
                Finding::error(
                    "placeholder",
                    format!(
                        "{container} has the image `{image}`; a placeholder must be the whole \
                         `image`, `<` then letters, digits, `_` or `-`, then `>`"
                    ),
                )
                .at(path)
                .help(
                    "write `\"image\": \"<IMAGE1_NAME>\"` and set `Image1ContainerName` to \
                     `IMAGE1_NAME`: the action puts the whole image URI there",
                ),
            );
            return;
        };
        // Each placeholder names one image slot, and each slot one container [INFERRED from
        // CP-ECSBG: `Image<N>ContainerName` takes one placeholder per image artifact].
        if let Some((_, first)) = self.placeholders.iter().find(|(seen, _)| *seen == name) {
            findings.push(
                Finding::error(
                    "duplicate-placeholder",
                    format!("the placeholder `{image}` is the image of both {first} and {container}"),
                )
                .at(path)
                .help("give each container its own placeholder, such as `<IMAGE2_NAME>`, and its own image artifact"),
            );
            return;
        }
        self.placeholders.push((name, container.to_string()));
        let max = ImagePlaceholder::MAX;
        if self.placeholders.len() > usize::from(max) {
            findings.push(
                Finding::error(
                    "placeholder-count",
                    format!(
                        "{container} has the placeholder `{image}`, the task definition's {}th; \
                         the Blue/Green action fills at most {max} \
                         (`Image1ContainerName` to `Image4ContainerName`)",
                        self.placeholders.len()
                    ),
                )
                .at(path)
                .help("give the other containers fixed image references, pinned by digest"),
            );
        }
    }
}
