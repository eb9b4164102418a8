//! Reading input artifacts from folders and zips: only the files the action reads.

use std::fs;
use std::io::BufReader;
use std::path::Path;

use deploykit_artifacts::bundle::{Archive, Limits};
use deploykit_artifacts::verify::Artifact;
use deploykit_cli::input::{self, Limit};
use deploykit_cli::{CliError, codebuild};

use crate::config::ArtifactSpec;

/// The artifact `spec` names, read for the files in `wanted` (paths inside the artifact).
pub(crate) fn read(spec: &ArtifactSpec, wanted: &[&str]) -> Result<Artifact, CliError> {
    let (name, path) = (spec.name.clone(), &spec.path);
    let resolved = codebuild::resolve(path);
    let shown = path.display().to_string();
    let metadata = fs::metadata(&resolved).map_err(|error| {
        CliError::new(format!("cannot read artifact `{shown}`: {error}"))
            .help("give a folder or a zip")
    })?;
    let mut artifact = Artifact {
        name,
        ..Artifact::default()
    };
    if metadata.is_dir() && has_zip_extension(path) {
        // A folder where a zip was named is a mistake in the path, not an artifact that lacks
        // the action's files.
        return Err(
            CliError::new(format!("artifact `{shown}` is a directory, not a zip")).help(
                "give the zip file that ecs-bundle wrote, or the folder without the `.zip` name",
            ),
        );
    }
    if metadata.is_dir() {
        for wanted_path in wanted {
            let file = resolved.join(wanted_path);
            if file.is_dir() {
                return Err(CliError::new(format!(
                    "cannot read `{}` in artifact `{shown}`: it is a directory",
                    file.display()
                ))
                .help(format!(
                    "the action reads `{wanted_path}` as a file: replace the folder with the file"
                )));
            }
            // What is there but no file (a FIFO, a link to a device) is refused by the reader,
            // not taken for a missing file.
            if file.exists() {
                let bytes = input::read(&file, Limit::DEPLOY_FILE)?;
                artifact.files.insert((*wanted_path).to_owned(), bytes);
            }
        }
        return Ok(artifact);
    }
    artifact.zip_size = Some(metadata.len());
    let file = input::open_regular(path)?;
    let mut archive = Archive::open(BufReader::new(file), Limits::default()).map_err(|error| {
        CliError::new(format!("artifact `{shown}`: {error}"))
            .help("CodePipeline artifacts are zip files; rebuild it with ecs-bundle")
    })?;
    let items: Vec<_> = archive
        .items()
        .iter()
        .filter(|item| !item.is_dir)
        .cloned()
        .collect();
    // The action unzips the whole artifact, so a damaged entry it does not read still fails
    // the deployment: every entry is checked, only the wanted ones are kept.
    for item in items {
        let keep = wanted.contains(&item.name.as_str());
        let mut bytes = Vec::new();
        let extracted = if keep {
            archive.extract(&item, &mut bytes)
        } else {
            archive.extract(&item, &mut std::io::sink())
        };
        extracted.map_err(|error| {
            CliError::new(format!("artifact `{shown}`: {error}"))
                .at(format!("{shown}: entry `{}`", item.name))
                .help("the zip is damaged: rebuild it with ecs-bundle")
        })?;
        if keep {
            artifact.files.insert(item.name.clone(), bytes);
        }
    }
    Ok(artifact)
}

fn has_zip_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("zip"))
}

/// Whether `path` is a file that can be read, for `--taskdef`.
pub(crate) fn is_file(path: &Path) -> bool {
    codebuild::resolve(path).is_file()
}
