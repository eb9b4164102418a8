//! The CodeDeployToECS (Blue/Green) action: the task-definition template, the AppSpec and one
//! artifact with `imageDetail.json` per image, as [`crate::actions::blue_green`] describes
//! them, and the errors users report (`docs/aws/codepipeline.md#errors-it-reports`).

use serde_json::Value;

use super::{Action, Artifact, Options, Place, Verification, place};
use crate::actions::blue_green::{IMAGE_DETAIL, INPUT_ARTIFACTS, MAX_ARTIFACT_BYTES};
use crate::appspec::{self, TaskContainers};
use crate::finding::Finding;
use crate::image_files::detail;
use crate::placeholder::{ImagePlaceholder, bracketed};
use crate::suggest::backticked;
use crate::tag_policy::TagPolicy;
use crate::task_definition::rules::{self, RuleOptions};
use crate::task_definition::{shape, source};

/// One `Image<N>ArtifactName` / `Image<N>ContainerName` pair of the action's configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageInput {
    /// The artifact that holds `imageDetail.json`.
    pub artifact: String,
    /// The placeholder name without brackets, as the setting takes it (`IMAGE1_NAME`).
    pub placeholder: String,
}

pub(super) fn verify(
    artifacts: &[Artifact],
    action: &Action,
    options: &Options,
    verification: &mut Verification,
) {
    let Action::BlueGreen {
        taskdef_artifact,
        taskdef_path,
        appspec_artifact,
        appspec_path,
        images,
    } = action
    else {
        return;
    };
    if !INPUT_ARTIFACTS.contains(&artifacts.len()) {
        verification.add(
            "the action",
            Finding::error(
                "input-artifacts",
                format!(
                    "the Blue/Green action reads {} to {} input artifacts, and {} were given",
                    INPUT_ARTIFACTS.start(),
                    INPUT_ARTIFACTS.end(),
                    artifacts.len()
                ),
            ),
        );
    }
    for artifact in artifacts {
        if let Some(size) = artifact.zip_size.filter(|size| *size > MAX_ARTIFACT_BYTES) {
            verification.add(
                artifact.name.clone(),
                Finding::error("artifact-too-large", format!("the zip is {size} bytes; the Blue/Green action reads at most {MAX_ARTIFACT_BYTES}"))
                    .help("the action then fails as if taskdef.json or appspec.yaml could not be read: ship them in a small build artifact, not the whole source"),
            );
        }
    }
    if options.partial {
        for artifact in artifacts {
            if let Some(bytes) = artifact.file(IMAGE_DETAIL) {
                let checked = detail::check(bytes, Some(IMAGE_DETAIL), options.policy);
                verification.extend(&place(artifact, IMAGE_DETAIL), checked.findings);
            }
        }
        let has_templates = find(artifacts, None, taskdef_path).is_some()
            || find(artifacts, None, appspec_path).is_some();
        if !has_templates {
            return;
        }
    }
    let Some((taskdef_place, template)) = read_task_definition(
        artifacts,
        taskdef_artifact.as_deref(),
        taskdef_path,
        verification,
    ) else {
        return;
    };
    let containers = TaskContainers::from_task_definition(&template);
    match find(artifacts, appspec_artifact.as_deref(), appspec_path) {
        Some((artifact, bytes)) => {
            let file_name = appspec_path.rsplit('/').next();
            verification.extend(&place(artifact, appspec_path), appspec::check(bytes, file_name, Some(&containers)).findings);
        }
        None => verification.add(
            appspec_artifact.clone().unwrap_or_else(|| "the input artifacts".to_owned()),
            Finding::error("missing-file", format!("`{appspec_path}` is not in the AppSpec artifact"))
                .help("the action fails with `Exception while trying to read the AppSpec artifact file`: list it under `artifacts.files`, or set AppSpecTemplatePath"),
        ),
    }
    // One artifact alone: its template is checked as a template; pairing needs the whole set.
    if options.partial {
        let options = RuleOptions {
            policy: options.policy,
            allow_placeholders: true,
        };
        verification.extend(&taskdef_place, shape::check_structure(&template));
        verification.extend(&taskdef_place, rules::check(&template, &options));
        return;
    }
    let placeholders = rules::placeholders(&template);
    let pairs = pair_images(
        artifacts,
        images,
        &placeholders,
        &taskdef_place,
        options.policy,
        verification,
    );
    let mut resolved = template.clone();
    let mut unresolved = placeholders.len();
    for (placeholder, image_uri) in &pairs {
        let marker = Value::String(bracketed(placeholder));
        if let Some(Value::Array(list)) = resolved.get_mut("containerDefinitions") {
            for container in list.iter_mut().filter(|c| c.get("image") == Some(&marker)) {
                container["image"] = Value::String(image_uri.clone());
                unresolved -= 1;
            }
        }
    }
    // With every placeholder replaced, judge what the action registers; otherwise the template.
    let (document, shown, allow_placeholders) = if unresolved == 0 {
        (&resolved, taskdef_place.as_registered(), false)
    } else {
        (&template, taskdef_place.clone(), true)
    };
    verification.extend(&shown, shape::check_structure(document));
    verification.extend(
        &shown,
        rules::check(
            document,
            &RuleOptions {
                policy: options.policy,
                allow_placeholders,
            },
        ),
    );
    if unresolved == 0 {
        verification.final_task_definition = Some(resolved);
    }
}

fn find<'a>(
    artifacts: &'a [Artifact],
    name: Option<&str>,
    path: &str,
) -> Option<(&'a Artifact, &'a [u8])> {
    artifacts
        .iter()
        .filter(|artifact| name.is_none_or(|name| artifact.name == name))
        .find_map(|artifact| artifact.file(path).map(|bytes| (artifact, bytes)))
}

fn read_task_definition(
    artifacts: &[Artifact],
    name: Option<&str>,
    path: &str,
    verification: &mut Verification,
) -> Option<(Place, Value)> {
    if let Some(name) = name.filter(|name| artifacts.iter().all(|a| a.name != *name)) {
        let names: Vec<&str> = artifacts.iter().map(|a| a.name.as_str()).collect();
        verification.add(
            "the action",
            Finding::error(
                "unknown-artifact",
                format!(
                    "TaskDefinitionTemplateArtifact `{name}` is not among the inputs; they are {}",
                    backticked(names)
                ),
            ),
        );
        return None;
    }
    let Some((artifact, bytes)) = find(artifacts, name, path) else {
        verification.add(
            name.unwrap_or("the input artifacts").to_owned(),
            Finding::error("missing-file", format!("`{path}` is not in the task-definition artifact"))
                .help(format!("the action fails with `Exception while trying to read the task definition artifact file from: {}`: list it under `artifacts.files`, or set TaskDefinitionTemplatePath", name.unwrap_or("<artifact>"))),
        );
        return None;
    };
    let shown = place(artifact, path);
    // The action reads the template as RegisterTaskDefinition JSON, whatever its name says.
    match source::parse(bytes, source::SourceFormat::Json) {
        Ok((document, findings)) => {
            verification.extend(&shown, findings);
            if document.get("taskDefinition").is_some()
                && document.get("containerDefinitions").is_none()
            {
                verification.add(
                    shown,
                    Finding::error("describe-output", "this is `aws ecs describe-task-definition` output, which the action cannot register")
                        .help("render it into register input: ecs-taskdef render FILE -o taskdef.json"),
                );
                return None;
            }
            Some((shown, document))
        }
        Err(finding) => {
            verification.add(shown, finding);
            None
        }
    }
}

/// `(placeholder, ImageURI)` for every image the action will substitute; findings for every
/// configuration that does not pair a placeholder with an `imageDetail.json`.
fn pair_images(
    artifacts: &[Artifact],
    configured: &[ImageInput],
    placeholders: &[(String, String)],
    taskdef_place: &Place,
    policy: TagPolicy,
    verification: &mut Verification,
) -> Vec<(String, String)> {
    let with_detail: Vec<&Artifact> = artifacts
        .iter()
        .filter(|a| a.file(IMAGE_DETAIL).is_some())
        .collect();
    let inputs: Vec<ImageInput> = if configured.is_empty() {
        match (placeholders, with_detail.as_slice()) {
            ([], _) => Vec::new(),
            ([(placeholder, _)], [artifact]) => vec![ImageInput {
                artifact: artifact.name.clone(),
                placeholder: placeholder.clone(),
            }],
            _ => {
                let names: Vec<&str> = placeholders.iter().map(|(p, _)| p.as_str()).collect();
                verification.add(
                    "the action",
                    Finding::error(
                        "image-inputs",
                        format!(
                            "{} placeholders ({}) and {} artifacts with imageDetail.json cannot be paired without the action's Image<N> settings",
                            placeholders.len(),
                            backticked(names),
                            with_detail.len()
                        ),
                    )
                    .help("give them with --image ARTIFACT=PLACEHOLDER, in Image1, Image2 … order, or read them from the pipeline with --pipeline-json"),
                );
                return Vec::new();
            }
        }
    } else {
        configured.to_vec()
    };
    if inputs.len() > usize::from(ImagePlaceholder::MAX) {
        verification.add(
            "the action",
            Finding::error(
                "image-inputs",
                format!(
                    "{} images are configured; the action has Image1 to Image{}",
                    inputs.len(),
                    ImagePlaceholder::MAX
                ),
            ),
        );
    }
    let mut pairs = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        let setting = format!("Image{}", index + 1);
        if !placeholders.iter().any(|(p, _)| *p == input.placeholder) {
            let names: Vec<String> = placeholders.iter().map(|(p, _)| bracketed(p)).collect();
            verification.add(
                taskdef_place.clone(),
                Finding::error("placeholder", format!("{setting}ContainerName `{}` is not a placeholder in the task definition; it has {}", input.placeholder, if names.is_empty() { "none".to_owned() } else { backticked(names.iter().map(String::as_str)) }))
                    .help("the setting takes the placeholder without brackets, such as `IMAGE1_NAME`, not the container name"),
            );
        }
        let Some(artifact) = artifacts.iter().find(|a| a.name == input.artifact) else {
            verification.add(
                "the action",
                Finding::error(
                    "unknown-artifact",
                    format!(
                        "{setting}ArtifactName `{}` is not among the input artifacts",
                        input.artifact
                    ),
                ),
            );
            continue;
        };
        let Some(bytes) = artifact.file(IMAGE_DETAIL) else {
            verification.add(
                artifact.name.clone(),
                Finding::error("missing-file", format!("artifact `{}` has no imageDetail.json at its root", artifact.name))
                    .help(format!("the action fails with `Exception while trying to read the image artifact file from the artifact: {}`: write it with ecs-imagedefs --image-detail IMAGE", artifact.name)),
            );
            continue;
        };
        let checked = detail::check(bytes, Some(IMAGE_DETAIL), policy);
        verification.extend(&place(artifact, IMAGE_DETAIL), checked.findings);
        if let Some(image_uri) = checked.value {
            pairs.push((input.placeholder.clone(), image_uri));
        }
    }
    for (placeholder, container) in placeholders {
        if !inputs.iter().any(|input| input.placeholder == *placeholder) {
            verification.add(
                taskdef_place.clone(),
                Finding::error("placeholder", format!("`{}` (container `{container}`) has no Image<N>ContainerName, so the action leaves it and registration fails", bracketed(placeholder)))
                    .help(format!("add an image input for `{placeholder}`, or give the container a concrete image")),
            );
        }
    }
    pairs
}
