//! Which files to check: the paths given, and the known file kinds found in folders.

use std::path::{Path, PathBuf};

use deploykit_artifacts::tagcheck::FileKind;
use deploykit_artifacts::tagcheck::glob::path_match;
use deploykit_cli::{
    CliError, codebuild,
    input::{self, Limit},
};

/// Folders never searched: version control, build output, dependencies.
const SKIPPED: &[&str] = &[
    "target",
    "node_modules",
    ".git",
    ".terraform",
    ".venv",
    "vendor",
];

/// One file to check.
#[derive(Debug)]
pub(crate) struct Found {
    /// As shown in reports.
    pub(crate) shown: String,
    /// Where it is.
    pub(crate) path: PathBuf,
    pub(crate) kind: FileKind,
    pub(crate) bytes: Vec<u8>,
}

impl Found {
    /// The file's name, which tells its kind.
    pub(crate) fn name(&self) -> String {
        file_name(&self.path)
    }
}

/// The files under `paths`, in a stable order. A file named on the command line must be of a
/// known kind; in folders, files of no known kind are passed over.
pub(crate) fn files(paths: &[PathBuf], exclude: &[String]) -> Result<Vec<Found>, CliError> {
    let mut found = Vec::new();
    for given in paths {
        let resolved = codebuild::resolve(given);
        if resolved.is_dir() {
            walk(given, &resolved, exclude, &mut found)?;
        } else {
            let bytes = input::read(given, Limit::SCANNED)?;
            let name = file_name(given);
            let kind = FileKind::detect(&name, &bytes).ok_or_else(|| {
                CliError::new(format!("cannot tell what kind of file `{}` is", given.display())).help(
                    "ecs-tagcheck reads Dockerfiles, buildspec*.yml, *.tf, CloudFormation templates, \
                     get-pipeline JSON, task definitions, imagedefinitions.json and imageDetail.json",
                )
            })?;
            found.push(Found {
                shown: given.display().to_string(),
                path: resolved,
                kind,
                bytes,
            });
        }
    }
    Ok(found)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn walk(
    given: &Path,
    root: &Path,
    exclude: &[String],
    found: &mut Vec<Found>,
) -> Result<(), CliError> {
    let entries = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            entry.depth() == 0
                || !(entry.file_type().is_dir()
                    && (SKIPPED.contains(&name.as_ref())
                        // `.github` holds the workflows that build and push images.
                        || (name.starts_with('.') && name != ".github")))
        });
    for entry in entries {
        let entry = entry.map_err(|error| {
            CliError::new(format!(
                "cannot read the folder `{}`: {error}",
                given.display()
            ))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let relative = relative.to_string_lossy().replace('\\', "/");
        if exclude.iter().any(|pattern| path_match(pattern, &relative)) {
            continue;
        }
        let name = file_name(entry.path());
        let by_name = FileKind::from_name(&name);
        if by_name.is_none() && !FileKind::may_sniff(&name) {
            continue;
        }
        let bytes = input::read(entry.path(), Limit::SCANNED)?;
        let Some(kind) = by_name.or_else(|| FileKind::sniff(&bytes)) else {
            continue;
        };
        found.push(Found {
            // `ecs-tagcheck .` shows `out/taskdef.json`, not `./out/taskdef.json`.
            shown: if given == Path::new(".") {
                relative
            } else {
                given.join(relative).display().to_string()
            },
            path: entry.path().to_path_buf(),
            kind,
            bytes,
        });
    }
    Ok(())
}
