//! Task definitions (register input or describe output, JSON or YAML), `imagedefinitions.json`
//! and `imageDetail.json`: the images a deploy action will actually run.
//!
//! The files are read by the same readers `ecs-taskdef` and `ecs-imagedefs` use; only a file
//! those readers cannot read at all is a finding here, the rest of their checks is theirs.

use serde_json::Value;

use super::text::locate;
use super::{FileKind, Policy, Scan, check_text, rules};
use crate::finding::Finding;
use crate::image_files::definitions::ImageDefinition;
use crate::image_files::{definitions, detail};
use crate::location::JsonPath;
use crate::tag_policy::TagPolicy;
use crate::task_definition::source::SourceFormat;
use crate::task_definition::{render, shape};

/// The readers' own tag check is off: the policy here is richer (deny list, allow list).
const READ_ONLY: TagPolicy = TagPolicy {
    allow_mutable_tags: true,
};

/// Checks one of the three files.
#[must_use]
pub fn check(kind: FileKind, file_name: &str, bytes: &[u8], policy: &Policy) -> Scan {
    let mut scan = Scan::default();
    let text = String::from_utf8_lossy(bytes);
    // A file the deploy action would refuse is reported even where its images could be read:
    // a clean tag report on a broken file would read as a clean file.
    let mut broken: Vec<Finding> = Vec::new();
    let images: Result<Vec<(String, JsonPath)>, Vec<Finding>> = match kind {
        // A file whose content is the other image file (`wrong-file`) is reported as such, and
        // its images are still judged, read as what the content is.
        FileKind::ImageDefinitions => {
            let checked = definitions::check(bytes, READ_ONLY);
            broken.extend(structural(&checked.findings));
            definition_images(checked.value)
                .or_else(|| {
                    wrong_file(&checked.findings)
                        .then(|| detail_images(bytes))
                        .flatten()
                })
                .ok_or(checked.findings)
        }
        FileKind::ImageDetail => {
            let checked = detail::check(bytes, None, READ_ONLY);
            broken.extend(structural(&checked.findings));
            detail_image(checked.value)
                .or_else(|| {
                    wrong_file(&checked.findings)
                        .then(|| definition_images(definitions::check(bytes, READ_ONLY).value))
                        .flatten()
                })
                .ok_or(checked.findings)
        }
        _ => render::read(bytes, SourceFormat::from_file_name(file_name)).map(|(document, _)| {
            broken.extend(task_definition_faults(&document));
            let containers = document
                .get("containerDefinitions")
                .and_then(Value::as_array);
            containers
                .into_iter()
                .flatten()
                .enumerate()
                .filter_map(|(index, container)| {
                    let image = container.get("image")?.as_str()?;
                    Some((
                        image.to_owned(),
                        JsonPath::root()
                            .key("containerDefinitions")
                            .index(index)
                            .key("image"),
                    ))
                })
                .collect()
        }),
    };
    let reported = !broken.is_empty();
    scan.findings
        .extend(broken.into_iter().map(|finding| Finding {
            message: format!("the {} is not valid: {}", kind.name(), finding.message),
            ..finding.into_rule(rules::INVALID_FILE)
        }));
    match images {
        Ok(images) => {
            for (image, path) in images {
                let location = locate(&text, &[&format!("\"{image}\"")], &path);
                // Placeholders (`<IMAGE1_NAME>`) are filled in by the deploy action.
                if image.starts_with('<') && image.ends_with('>') {
                    continue;
                }
                // An `ecs-taskdef` template: `${REPOSITORY_URI}:${IMAGE_TAG}` is filled in later.
                if image.contains('$') {
                    let names = super::variable_names(&image);
                    scan.findings
                        .extend(super::unresolved_or_tag(&image, &names, &location, policy));
                    continue;
                }
                check_text(&image, location, true, policy, &mut scan);
            }
        }
        // Said once: a reader's error already reported as the file's fault is not said again.
        Err(_) if reported => {}
        Err(findings) => {
            let first = findings.into_iter().find(Finding::is_error);
            let finding = first
                .unwrap_or_else(|| Finding::error(rules::INVALID_FILE, "the file cannot be read"));
            scan.findings.push(Finding {
                message: format!(
                    "cannot read the file as {}: {}",
                    kind.name(),
                    finding.message
                ),
                ..finding.into_rule(rules::INVALID_FILE)
            });
        }
    }
    scan
}

/// The images of an `imagedefinitions.json` list, with their paths.
fn definition_images(list: Option<Vec<ImageDefinition>>) -> Option<Vec<(String, JsonPath)>> {
    list.map(|list| {
        list.into_iter()
            .enumerate()
            .map(|(index, entry)| {
                (
                    entry.image_uri,
                    JsonPath::root().index(index).key("imageUri"),
                )
            })
            .collect()
    })
}

/// The image of an `imageDetail.json`, with its path.
fn detail_image(uri: Option<String>) -> Option<Vec<(String, JsonPath)>> {
    uri.map(|uri| vec![(uri, JsonPath::root().key("ImageURI"))])
}

/// [`detail_image`] of `bytes` read as an `imageDetail.json`.
fn detail_images(bytes: &[u8]) -> Option<Vec<(String, JsonPath)>> {
    detail_image(detail::check(bytes, None, READ_ONLY).value)
}

/// Whether the reader found the other image file's content.
fn wrong_file(findings: &[Finding]) -> bool {
    findings.iter().any(|finding| finding.rule == "wrong-file")
}

/// The readers' errors about the file's shape; their image findings are judged here instead.
fn structural(findings: &[Finding]) -> impl Iterator<Item = Finding> + '_ {
    const IMAGE_RULES: [&str; 4] = [
        "invalid-image",
        "ecs-image-limit",
        "mutable-tag",
        "file-name",
    ];
    findings
        .iter()
        .filter(|finding| finding.is_error() && !IMAGE_RULES.contains(&finding.rule))
        .cloned()
}

/// Values of a type `RegisterTaskDefinition` refuses (the API model), where images would have
/// been looked for, and a definition without containers, which has no image to judge. Missing
/// keys are left out (a template may leave `family` to `ecs-taskdef render` flags), and so are
/// the other rules (ports, Fargate sizes): those are `ecs-taskdef check`'s.
fn task_definition_faults(document: &Value) -> Vec<Finding> {
    let mut faults: Vec<Finding> = shape::check_structure(document)
        .into_iter()
        .filter(|finding| finding.is_error() && finding.rule == "wrong-type")
        .collect();
    let no_containers = document
        .get("containerDefinitions")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty);
    if no_containers {
        faults.push(
            Finding::error(rules::INVALID_FILE, "it has no containers")
                .at(JsonPath::root().key("containerDefinitions"))
                .help("add the service's container to `containerDefinitions`"),
        );
    }
    faults
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn found(kind: FileKind, name: &str, text: &str) -> Vec<(&'static str, String)> {
        check(kind, name, text.as_bytes(), &Policy::default())
            .findings
            .into_iter()
            .map(|f| (f.rule, f.shown_location().unwrap_or_default()))
            .collect()
    }

    /// The other image file's content under this one's name: said once, and its image is
    /// still judged, read as what the content is.
    #[test]
    fn the_other_image_file_is_read_as_its_content() {
        let detail = "{\"ImageURI\": \"web:latest\"}";
        assert_eq!(
            found(FileKind::ImageDefinitions, "imagedefinitions.json", detail),
            [
                ("invalid-file", "$".to_owned()),
                ("latest-tag", "line 1, column 14, $.ImageURI".to_owned())
            ]
        );
        let list = "[{\"name\": \"web\", \"imageUri\": \"web\"}]";
        let rules: Vec<&str> = found(FileKind::ImageDetail, "imageDetail.json", list)
            .into_iter()
            .map(|(rule, _)| rule)
            .collect();
        assert_eq!(rules, ["invalid-file", "untagged-image"]);
    }

    #[test]
    fn image_definitions_and_detail() {
        let defs = "[\n  {\"name\": \"web\", \"imageUri\": \"localhost:5000/app\"},\n  {\"name\": \"log\", \"imageUri\": \"fluent:LATEST\"}\n]\n";
        assert_eq!(
            found(FileKind::ImageDefinitions, "imagedefinitions.json", defs),
            [
                (
                    "untagged-image",
                    "line 2, column 31, $[0].imageUri".to_owned()
                ),
                ("latest-tag", "line 3, column 31, $[1].imageUri".to_owned()),
            ]
        );
        let detail = format!("{{\"ImageURI\": \"app:latest@{SHA}\"}}");
        assert!(found(FileKind::ImageDetail, "imageDetail.json", &detail).is_empty());
        assert_eq!(
            found(FileKind::ImageDetail, "imageDetail.json", "[")[0].0,
            "invalid-file"
        );
    }

    #[test]
    fn task_definitions_in_both_shapes() {
        let register = "{\"family\": \"web\", \"containerDefinitions\": [{\"name\": \"web\", \"image\": \"nginx\"}, {\"name\": \"x\", \"image\": \"<IMAGE1_NAME>\"}]}";
        assert_eq!(
            found(FileKind::TaskDefinition, "taskdef.json", register)[0].0,
            "untagged-image"
        );
        let describe = "{\"taskDefinition\": {\"family\": \"web\", \"revision\": 3, \"containerDefinitions\": [{\"name\": \"web\", \"image\": \"nginx:1.27\"}]}}";
        assert!(found(FileKind::TaskDefinition, "taskdef.json", describe).is_empty());
        let template = "{\"containerDefinitions\": [{\"image\": \"${REPO}:${TAG}-arm64\"}, {\"image\": \"${REPO}:latest\"}, {\"image\": \"$REPO:1.0\"}]}";
        let found = found(FileKind::TaskDefinition, "taskdef.template.json", template);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, "unresolved-variable");
        assert_eq!(found[1].0, "latest-tag");
    }
}
