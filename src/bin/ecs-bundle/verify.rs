//! The checks run on the files of a zip before it is written: `ecs-verify`'s, for the one
//! artifact the zip will be (what needs the whole set, such as pairing placeholders with image
//! artifacts, is left to `ecs-verify` over all of them).

use std::fs;
use std::path::{Path, PathBuf};

use deploykit_artifacts::verify::{self, Action, Artifact, Options};
use deploykit_artifacts::{Finding, TagPolicy};
use deploykit_cli::{CliError, report};

use crate::Target;
use crate::collect::Collected;

/// The Blue/Green action's input limit, as `ecs-verify` reads it (`reference/formats.md` §3).
pub(crate) const BLUE_GREEN_LIMIT: u64 =
    deploykit_artifacts::actions::blue_green::MAX_ARTIFACT_BYTES;

/// The file names the deploy actions read by default (`reference/formats.md` §1–§4).
const IMAGE_DEFINITIONS: &str = "imagedefinitions.json";
const IMAGE_DETAIL: &str = "imageDetail.json";
const TASKDEF: &str = "taskdef.json";
const APPSPEC: &str = "appspec.yaml";

/// Refuses a folder standing where `target`'s action reads a file (`imageDetail.json/`):
/// walking it would zip its contents, or nothing, under a name the action opens as a file.
pub(crate) fn action_files_are_files(
    target: Target,
    base: &Path,
    paths: &[PathBuf],
) -> Result<(), CliError> {
    let names: &[&str] = match target {
        Target::Source => &[],
        Target::Ecs => &[IMAGE_DEFINITIONS],
        Target::BlueGreen => &[TASKDEF, APPSPEC, IMAGE_DETAIL],
    };
    for name in names {
        let at = base.join(name);
        let given = paths.iter().any(|path| at.starts_with(base.join(path)));
        if given && at.is_dir() {
            return Err(CliError::new(format!(
                "cannot zip `{}`: it is a directory, and the action reads `{name}` as a file",
                at.display()
            ))
            .help(format!("replace the folder `{name}` with the file")));
        }
    }
    Ok(())
}

/// Checks `files` for `target`; an error when anything is wrong, after printing the findings.
pub(crate) fn before_writing(
    target: Target,
    files: &[Collected],
    policy: TagPolicy,
    destination: &str,
) -> Result<(), CliError> {
    let action = match target {
        Target::Source => return Ok(()),
        Target::Ecs => Action::Ecs {
            file_name: IMAGE_DEFINITIONS.to_owned(),
        },
        Target::BlueGreen => Action::BlueGreen {
            taskdef_artifact: None,
            taskdef_path: TASKDEF.to_owned(),
            appspec_artifact: None,
            appspec_path: APPSPEC.to_owned(),
            images: Vec::new(),
        },
    };
    let mut artifact = Artifact {
        name: destination.to_owned(),
        ..Artifact::default()
    };
    for file in files.iter().filter(|file| {
        [IMAGE_DEFINITIONS, IMAGE_DETAIL, TASKDEF, APPSPEC].contains(&file.entry.name.as_str())
    }) {
        let bytes = fs::read(&file.path).map_err(|error| {
            CliError::new(format!("cannot read `{}`: {error}", file.path.display()))
        })?;
        artifact.files.insert(file.entry.name.clone(), bytes);
    }
    if target == Target::BlueGreen && artifact.files.is_empty() {
        return Err(missing(
            "taskdef.json` and `appspec.yaml` or `imageDetail.json",
            "the Blue/Green action reads the templates from one artifact and each image from its own",
            files,
        ));
    }
    if target == Target::Ecs && !artifact.files.contains_key(IMAGE_DEFINITIONS) {
        return Err(missing(
            IMAGE_DEFINITIONS,
            "the ECS deploy action reads it from the root of its input artifact (`FileName`)",
            files,
        ));
    }
    let options = Options {
        policy,
        partial: true,
        ..Options::default()
    };
    let verification = verify::verify(std::slice::from_ref(&artifact), &action, &options);
    // The artifact is the zip being written: a file in it is named by its path alone.
    let problems: Vec<(Finding, String)> = verification
        .findings
        .into_iter()
        .map(|located| (located.finding, located.place.within(destination)))
        .collect();
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
