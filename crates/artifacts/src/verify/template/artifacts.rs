//! Artifacts between the template and the buildspecs: the blocks a CodeBuild action uploads
//! as its output artifacts, and the files the deploy actions then read from them.
//!
//! Source: CodePipeline action reference, "AWS CodeBuild", output artifacts: "When only one
//! output artifact is defined, this artifact can be defined directly under the artifacts
//! section of the build spec file. When more than one output artifact is specified, all
//! artifacts referenced must be defined as secondary artifacts in the build spec file, and the
//! names of the output artifacts in CodePipeline must match the artifact identifiers in the
//! build spec file." The ECR source action's output artifact is `imageDetail.json` alone
//! ("Amazon ECR source action", output artifacts).

use super::buildspec::ArtifactSpec;
use super::sources::primary;
use super::{ARTIFACT_FILE, BUILDSPEC_VERSION, Build, IMAGE_PLACEHOLDER, OUTPUT_ARTIFACTS, Step};
use crate::actions::blue_green::IMAGE_DETAIL;
use crate::finding::Finding;
use crate::placeholder::ImagePlaceholder;
use crate::suggest::{Reach, backticked, similar};
use crate::verify::{Action, PipelineAction};

/// `version: 0.2`; 0.1 runs every command in a shell of its own (`docs/aws/codepipeline.md#the-buildspec`).
pub(super) fn version(step: &Step, build: &Build, findings: &mut Vec<Finding>) {
    let version = build.spec.version.as_deref();
    if version == Some("0.2") {
        return;
    }
    let message = match version {
        Some(version) => format!("{} has `version: {version}`", build.shown),
        None => format!("{} has no `version`", build.shown),
    };
    findings.push(
        Finding::error(BUILDSPEC_VERSION, message)
            .at_place(format!("{}, {}", step.at("Configuration.ProjectName"), build.line(&["version"])))
            .help("write `version: 0.2`: CodeBuild refuses a buildspec without it, and 0.1 runs each command in a new shell"),
    );
}

/// The action's output artifacts against the buildspec's `artifacts` and `secondary-artifacts`.
pub(super) fn outputs(step: &Step, build: &Build, findings: &mut Vec<Finding>) {
    let spec = build.spec;
    let ids: Vec<&str> = spec.secondary.iter().map(|(id, _)| id.as_str()).collect();
    let at = |keys: &[&str]| format!("{}, {}", step.at("OutputArtifacts"), build.line(keys));
    let full = step.full();
    match step.outputs.as_slice() {
        [] => {}
        [only] => match (&spec.primary, ids.is_empty()) {
            (Some(primary), _) => {
                empty_block(primary, "artifacts", only, &at(&["artifacts", "files"]), findings);
            }
            (None, false) => findings.push(
                Finding::error(OUTPUT_ARTIFACTS, format!("{full} has one output artifact, `{only}`, which CodeBuild fills from `artifacts.files`; {} has only `secondary-artifacts` ({})", build.shown, backticked(ids.iter().copied())))
                    .at_place(at(&["artifacts", "secondary-artifacts"]))
                    .help(format!("move the block's `files` up to `artifacts.files`, or give the action an output artifact for each of {}", backticked(ids.iter().copied()))),
            ),
            (None, true) => findings.push(
                Finding::error(OUTPUT_ARTIFACTS, format!("{full} outputs `{only}`, and {} has no `artifacts.files` to put in it", build.shown))
                    .at_place(at(&["artifacts"]))
                    .help("list the files the next actions read under `artifacts.files`"),
            ),
        },
        many => {
            for output in many.iter().filter(|output| !ids.contains(output)) {
                let finding = Finding::error(
                    OUTPUT_ARTIFACTS,
                    if ids.is_empty() {
                        format!("output artifact `{output}` of {full} is not a `secondary-artifacts` identifier in {}, which has none", build.shown)
                    } else {
                        format!("output artifact `{output}` of {full} is not a `secondary-artifacts` identifier in {}; it has {}", build.shown, backticked(ids.iter().copied()))
                    },
                )
                .at_place(at(&["artifacts"]));
                let help = match similar(output, ids.iter().copied(), Reach::Proportional) {
                    Some(meant) => format!("did you mean `{meant}`? With {} output artifacts, each is the `secondary-artifacts` block of the same name", many.len()),
                    None => format!("with {} output artifacts, CodeBuild fills each from the `secondary-artifacts` block of the same name: add `{output}:` with its `files`", many.len()),
                };
                findings.push(finding.help(help));
            }
            for (id, block) in &spec.secondary {
                if many.contains(&id.as_str()) {
                    empty_block(block, &format!("secondary-artifacts.{id}"), id, &at(&["secondary-artifacts", id, "files"]), findings);
                    continue;
                }
                let finding = Finding::error(
                    OUTPUT_ARTIFACTS,
                    format!("`secondary-artifacts.{id}` in {} is not an output artifact of {full}, whose outputs are {}", build.shown, backticked(many.iter().copied())),
                )
                .at_place(at(&["secondary-artifacts", id]));
                findings.push(match similar(id, many.iter().copied(), Reach::Proportional) {
                    Some(meant) => finding.help(format!("did you mean `{meant}`? The identifier must be the pipeline's artifact name")),
                    None => finding.help(format!("add `{id}` to the action's OutputArtifacts, or remove the block")),
                });
            }
        }
    }
}

fn empty_block(
    spec: &ArtifactSpec,
    block: &str,
    artifact: &str,
    at: &str,
    findings: &mut Vec<Finding>,
) {
    if spec.files.is_empty() {
        findings.push(
            Finding::error(
                OUTPUT_ARTIFACTS,
                format!("`{block}` fills output artifact `{artifact}` and lists no `files`"),
            )
            .at_place(at.to_owned())
            .help(
                "CodeBuild needs `files` in every artifact block: list what the next actions read",
            ),
        );
    }
}

/// One file a deploy action reads: the configuration key that says so, the artifact, the path.
struct Read {
    /// ``reads `taskdef.json` ``, for messages.
    what: String,
    key: String,
    artifact: String,
    path: String,
    /// What the action reports when the file is not there.
    failure: String,
    /// The fix, when it is not to list the file in the producer's artifact block.
    fix: Option<String>,
}

/// What the deploy action reads, against what its input artifacts' producers put in them.
pub(super) fn reads(
    step: &Step,
    found: &PipelineAction,
    steps: &[Step],
    findings: &mut Vec<Finding>,
) {
    let mut reads = Vec::new();
    match &found.action {
        Action::Ecs { file_name } => {
            if let Some(artifact) = found.input_artifacts.first() {
                let key = if step.configuration.contains_key("FileName") {
                    "Configuration.FileName"
                } else {
                    "InputArtifacts"
                };
                reads.push(Read {
                    what: format!("reads `{file_name}`"),
                    key: key.to_owned(),
                    artifact: artifact.clone(),
                    path: file_name.clone(),
                    failure: format!("Did not find the image definition file {file_name} in the input artifacts ZIP file"),
                    fix: None,
                });
            }
        }
        Action::BlueGreen {
            taskdef_artifact,
            taskdef_path,
            appspec_artifact,
            appspec_path,
            images,
        } => {
            if let Some(artifact) = taskdef_artifact {
                reads.push(Read {
                    what: format!("reads `{taskdef_path}`"),
                    key: "Configuration.TaskDefinitionTemplateArtifact".to_owned(),
                    artifact: artifact.clone(),
                    path: taskdef_path.clone(),
                    failure: format!("Exception while trying to read the task definition artifact file from: {artifact}"),
                    fix: None,
                });
            }
            if let Some(artifact) = appspec_artifact {
                reads.push(Read {
                    what: format!("reads `{appspec_path}`"),
                    key: "Configuration.AppSpecTemplateArtifact".to_owned(),
                    artifact: artifact.clone(),
                    path: appspec_path.clone(),
                    failure: "Exception while trying to read the AppSpec artifact file".to_owned(),
                    fix: None,
                });
            }
            for (index, image) in images.iter().enumerate() {
                reads.push(Read {
                    what: format!("reads `{IMAGE_DETAIL}`"),
                    key: format!("Configuration.Image{}ArtifactName", index + 1),
                    artifact: image.artifact.clone(),
                    path: IMAGE_DETAIL.to_owned(),
                    failure: format!("Exception while trying to read the image artifact file from the artifact: {}", image.artifact),
                    fix: None,
                });
            }
            if let Some(artifact) = taskdef_artifact {
                placeholders(step, artifact, images, steps, findings);
            }
        }
    }
    for read in reads {
        if let Some(finding) = missing(step, &read, steps) {
            findings.push(finding);
        }
    }
}

/// CodeBuild reads a buildspec file from the action's primary source (action reference,
/// `PrimarySource`: "CodeBuild looks for the build spec file … in the directory that contains
/// the unzipped version of this artifact").
pub(super) fn buildspec_source(step: &Step, steps: &[Step], findings: &mut Vec<Finding>) {
    let (Some(path), Some(primary)) = (step.build.as_ref().and_then(|b| b.path), primary(step))
    else {
        return;
    };
    let read = Read {
        what: format!("runs buildspec `{path}`"),
        key: if step.text("PrimarySource").is_some() {
            "Configuration.PrimarySource"
        } else {
            "InputArtifacts"
        }
        .to_owned(),
        artifact: primary.to_owned(),
        path: path.to_owned(),
        failure: "YAML_FILE_ERROR".to_owned(),
        fix: Some(format!(
            "the build stops with `YAML_FILE_ERROR` before any command runs: make the source artifact that holds `{path}` an input of the action and its `PrimarySource`, or write the buildspec into the project"
        )),
    };
    if let Some(finding) = missing(step, &read, steps) {
        findings.push(finding);
    }
}

/// The finding when what `step` reads cannot be in the artifact, as far as its producer says.
fn missing(step: &Step, read: &Read, steps: &[Step]) -> Option<Finding> {
    let full = step.full();
    let producer = producer(steps, &read.artifact)?;
    let at = step.at(&read.key);
    if producer.provider == "ECR" && producer.category == "Source" {
        return (read.path != IMAGE_DETAIL).then(|| {
            Finding::error(ARTIFACT_FILE, format!("{full} {} from `{}`, the output of the ECR source action {}, which holds only {}", read.what, read.artifact, producer.full(), IMAGE_DETAIL))
                .at_place(at)
                .help(read.fix.clone().unwrap_or_else(|| format!("the action fails with `{}`: name the artifact of the build that writes `{}`", read.failure, read.path)))
        });
    }
    let build = producer.build.as_ref()?;
    let (block, spec) = if producer.outputs.len() == 1 {
        ("artifacts".to_owned(), build.spec.primary.as_ref())
    } else {
        (
            format!("secondary-artifacts.{}", read.artifact),
            build.spec.secondary(&read.artifact),
        )
    };
    // A block that is missing is reported with the producer's outputs.
    let spec = spec.filter(|spec| !spec.files.is_empty())?;
    if spec.could_hold(&read.path) {
        return None;
    }
    let keys: Vec<&str> = block.split('.').chain(["files"]).collect();
    Some(
        Finding::error(ARTIFACT_FILE, format!("{full} {} from `{}`, and {} does not put it there: `{block}` has {}", read.what, read.artifact, build.shown, spec.describe()))
            .at_place(format!("{at}, {}", build.line(&keys)))
            .help(read.fix.clone().unwrap_or_else(|| format!("the action fails with `{}`: list `{}` under `{block}.files` (relative to base-directory), or set `discard-paths: yes` to put files at the artifact root", read.failure, read.path))),
    )
}

/// The action that outputs `artifact`.
fn producer<'s, 'a>(steps: &'s [Step<'a>], artifact: &str) -> Option<&'s Step<'a>> {
    steps.iter().find(|step| step.outputs.contains(&artifact))
}

/// Each `Image<N>ContainerName` should be in the buildspec that writes the task definition,
/// or come from `ecs-taskdef render --placeholder`, which numbers its [`ImagePlaceholder`]s from 1.
fn placeholders(
    step: &Step,
    artifact: &str,
    images: &[crate::verify::ImageInput],
    steps: &[Step],
    findings: &mut Vec<Finding>,
) {
    let Some(build) = producer(steps, artifact).and_then(|p| p.build.as_ref()) else {
        return;
    };
    for (index, image) in images.iter().enumerate() {
        let placeholder = image.placeholder.as_str();
        let numbered = ImagePlaceholder::from_setting(placeholder);
        if build.spec.mentions(placeholder)
            || numbered.is_some_and(|n| usize::from(n.number()) <= build.spec.placeholder_flags())
        {
            continue;
        }
        let setting = format!("Image{}ContainerName", index + 1);
        findings.push(
            Finding::warning(IMAGE_PLACEHOLDER, format!("{setting} `{placeholder}` is not in {}, which writes the task definition into `{artifact}`: unless the template it renders already holds `<{placeholder}>`, the action has no placeholder to replace", build.shown))
                .at_place(format!("{}, {}", step.at(&format!("Configuration.{setting}")), build.shown))
                .help(format!("render it with `ecs-taskdef render TEMPLATE --placeholder CONTAINER`, which prints the {setting} to set, or check that the template has `<{placeholder}>`")),
        );
    }
}
