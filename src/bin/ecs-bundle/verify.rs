//! The checks run on the files of a zip before it is written: `ecs-verify`'s, for the one
//! artifact the zip will be (what needs the whole set, such as pairing placeholders with image
//! artifacts, is left to `ecs-verify` over all of them).

use std::path::{Path, PathBuf};

use deploykit_artifacts::verify::{self, Action, Artifact, Options};
use deploykit_artifacts::{Finding, TagPolicy};
use deploykit_cli::input::{self, Limit};
use deploykit_cli::{CliError, report};

use crate::collect::Collected;
use crate::config::{APPSPEC, DEPLOY_FILES, Deploy, IMAGE_DETAIL, TASK_DEFINITION};

/// Refuses a folder standing where the action reads a file (`imageDetail.json/`): walking it
/// would zip its contents, or nothing, under a name the action opens as a file.
pub(crate) fn action_files_are_files(
    deploy: &Deploy,
    base: &Path,
    paths: &[PathBuf],
) -> Result<(), CliError> {
    for name in deploy.files {
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

/// Checks `files` for the action; an error when anything is wrong, after printing the
/// findings.
pub(crate) fn before_writing(
    deploy: &Deploy,
    files: &[Collected],
    policy: TagPolicy,
    destination: &str,
) -> Result<(), CliError> {
    let Some(action) = &deploy.action else {
        return Ok(());
    };
    let mut artifact = Artifact {
        name: destination.to_owned(),
        ..Artifact::default()
    };
    for file in files
        .iter()
        .filter(|file| DEPLOY_FILES.contains(&file.entry.name.as_str()))
    {
        let bytes = input::read(&file.path, Limit::DEPLOY_FILE)?;
        artifact.files.insert(file.entry.name.clone(), bytes);
    }
    match action {
        Action::BlueGreen { .. } if artifact.files.is_empty() => {
            return Err(missing(
                &format!("{TASK_DEFINITION}` and `{APPSPEC}` or `{IMAGE_DETAIL}"),
                "the Blue/Green action reads the templates from one artifact and each image from its own",
                files,
            ));
        }
        Action::Ecs { file_name } if !artifact.files.contains_key(file_name) => {
            return Err(missing(
                file_name,
                "the ECS deploy action reads it from the root of its input artifact (`FileName`)",
                files,
            ));
        }
        _ => {}
    }
    let options = Options {
        policy,
        partial: true,
        ..Options::default()
    };
    let verification = verify::verify(std::slice::from_ref(&artifact), action, &options);
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
