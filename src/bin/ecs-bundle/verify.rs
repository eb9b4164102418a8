//! The checks run on the files of a zip before it is written.
//!
//! This is the hook for `ecs-verify` (issue 6): until its artifact-set check exists, the zip's
//! deploy files go through the same per-file checks as `ecs-imagedefs check`,
//! `ecs-taskdef check` and `ecs-appspec check`, and the zip is refused on any error. Replace
//! the body of [`before_writing`] with the `ecs-verify` call when it lands; the callers stay.

use std::fs;

use deploykit_artifacts::appspec::{self, TaskContainers};
use deploykit_artifacts::image_files::{definitions, detail};
use deploykit_artifacts::task_definition::source::{self, SourceFormat};
use deploykit_artifacts::task_definition::{rules, shape};
use deploykit_artifacts::{Finding, TagPolicy};
use deploykit_cli::{CliError, report};

use crate::Target;
use crate::collect::Collected;

/// The Blue/Green action reads input artifacts of at most 3 MB; a larger one fails as
/// "Exception while trying to read the task definition artifact file" (`reference/formats.md`
/// §3, CP-LIMITS).
pub(crate) const BLUE_GREEN_LIMIT: u64 = 3 * 1024 * 1024;

/// The file names the deploy actions read by default (`reference/formats.md` §1–§4).
const IMAGE_DEFINITIONS: &str = "imagedefinitions.json";
const IMAGE_DETAIL: &str = "imageDetail.json";
const TASKDEF: &str = "taskdef.json";
const APPSPEC: &str = "appspec.yaml";

/// Checks `files` for `target`; an error when anything is wrong, after printing the findings.
pub(crate) fn before_writing(
    target: Target,
    files: &[Collected],
    policy: TagPolicy,
    destination: &str,
) -> Result<(), CliError> {
    let read = |name: &str| -> Result<Option<Vec<u8>>, CliError> {
        files
            .iter()
            .find(|file| file.entry.name == name)
            .map(|file| {
                fs::read(&file.path).map_err(|error| {
                    CliError::new(format!("cannot read `{}`: {error}", file.path.display()))
                })
            })
            .transpose()
    };
    let mut problems: Vec<(Finding, String)> = Vec::new();
    let mut add = |findings: Vec<Finding>, name: &str| {
        problems.extend(
            findings
                .into_iter()
                .map(|finding| (finding, name.to_owned())),
        );
    };
    match target {
        Target::Source => return Ok(()),
        Target::Ecs => {
            let Some(bytes) = read(IMAGE_DEFINITIONS)? else {
                return Err(missing(
                    IMAGE_DEFINITIONS,
                    "the ECS deploy action reads it from the root of its input artifact (`FileName`)",
                    files,
                ));
            };
            add(
                definitions::check(&bytes, policy).findings,
                IMAGE_DEFINITIONS,
            );
        }
        Target::BlueGreen => {
            let taskdef = read(TASKDEF)?;
            let appspec = read(APPSPEC)?;
            let image_detail = read(IMAGE_DETAIL)?;
            if taskdef.is_none() && appspec.is_none() && image_detail.is_none() {
                return Err(missing(
                    "taskdef.json` and `appspec.yaml` or `imageDetail.json",
                    "the Blue/Green action reads the templates from one artifact and each image from its own",
                    files,
                ));
            }
            if appspec.is_some() && taskdef.is_none() {
                return Err(missing(
                    TASKDEF,
                    "the AppSpec's container and port are checked against it, and the action needs it (`TaskDefinitionTemplatePath`)",
                    files,
                ));
            }
            let mut containers = None;
            if let Some(bytes) = taskdef {
                match source::parse(&bytes, SourceFormat::Json) {
                    Ok((document, mut findings)) => {
                        findings.extend(shape::check_structure(&document));
                        let options = rules::RuleOptions {
                            policy,
                            allow_placeholders: true,
                        };
                        findings.extend(rules::check(&document, &options));
                        containers = Some(TaskContainers::from_task_definition(&document));
                        add(findings, TASKDEF);
                    }
                    Err(finding) => add(vec![finding], TASKDEF),
                }
            }
            if let Some(bytes) = appspec {
                add(
                    appspec::check(&bytes, Some(APPSPEC), containers.as_ref()).findings,
                    APPSPEC,
                );
            }
            if let Some(bytes) = image_detail {
                add(
                    detail::check(&bytes, Some(IMAGE_DETAIL), policy).findings,
                    IMAGE_DETAIL,
                );
            }
        }
    }
    report::refuse_errors(&problems, destination)
}

fn missing(name: &str, why: &str, files: &[Collected]) -> CliError {
    let names: Vec<String> = files
        .iter()
        .take(8)
        .map(|file| format!("`{}`", file.entry.name))
        .collect();
    let has = if names.is_empty() {
        "nothing".to_owned()
    } else {
        names.join(", ")
    };
    CliError::new(format!(
        "the zip would have no `{name}` at its root; it has {has}"
    ))
    .help(format!(
        "{why}; add the file, or set --base-dir to the folder that holds it"
    ))
}
