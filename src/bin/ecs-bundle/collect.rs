//! The files to zip: arguments resolved against the base directory, folders walked, links and
//! special files handled on purpose.

use std::fs;
use std::path::{Path, PathBuf};

use deploykit_artifacts::bundle::{Entry, entry_name};
use deploykit_cli::{CliError, codebuild};
use walkdir::WalkDir;

/// A file to zip: its entry and where to read it.
#[derive(Debug)]
pub(crate) struct Collected {
    pub(crate) entry: Entry,
    pub(crate) path: PathBuf,
}

/// The base directory: `--base-dir` or `.`, resolved the CodeBuild way, made absolute.
pub(crate) fn base_dir(arg: Option<&Path>) -> Result<PathBuf, CliError> {
    let base = codebuild::resolve(arg.unwrap_or(Path::new(".")));
    let absolute = std::path::absolute(&base)
        .map_err(|error| CliError::new(format!("cannot resolve `{}`: {error}", base.display())))?;
    if !absolute.is_dir() {
        return Err(CliError::new(format!(
            "the base directory `{}` is not a folder",
            base.display()
        ))
        .help("--base-dir names the folder whose contents become the top of the zip"));
    }
    Ok(absolute)
}

/// Every file under `paths` (relative to `base`), skipping `exclude` (the zip being written).
pub(crate) fn collect(
    base: &Path,
    paths: &[PathBuf],
    follow_symlinks: bool,
    exclude: &Path,
) -> Result<Vec<Collected>, CliError> {
    let mut found = Vec::new();
    for arg in paths {
        let full = base.join(arg);
        if let Err(error) = fs::symlink_metadata(&full) {
            return Err(CliError::new(format!("cannot read `{}`: {error}", arg.display()))
                .help(format!(
                    "paths are relative to the base directory `{}`, like buildspec `files` under `base-directory`",
                    base.display()
                )));
        }
        for item in WalkDir::new(&full)
            .follow_links(follow_symlinks)
            .follow_root_links(follow_symlinks)
            .sort_by_file_name()
        {
            let item = item.map_err(|error| {
                let at = error.path().unwrap_or(&full).display().to_string();
                if error.loop_ancestor().is_some() {
                    CliError::new(format!(
                        "`{at}` is a symbolic link that loops back to a folder above it"
                    ))
                } else {
                    CliError::new(format!("cannot read `{at}`: {error}"))
                }
            })?;
            let kind = item.file_type();
            let shown = item.path().display().to_string();
            if kind.is_dir() {
                // Empty folders are left out: CodePipeline artifacts are sets of files, and a
                // directory entry would only add a platform-dependent record.
                continue;
            }
            if kind.is_symlink() {
                return Err(CliError::new(format!("`{shown}` is a symbolic link"))
                    .help("zip the file it points to with --follow-symlinks, or leave the link out; a link in a zip is refused by careful unpackers, ours included"));
            }
            if !kind.is_file() {
                return Err(CliError::new(format!(
                    "`{shown}` is not a regular file (a socket, pipe or device)"
                )));
            }
            if same_file(item.path(), exclude) {
                continue;
            }
            let metadata = item
                .metadata()
                .map_err(|error| CliError::new(format!("cannot read `{shown}`: {error}")))?;
            let relative = item.path().strip_prefix(base).map_err(|_| {
                CliError::new(format!(
                    "`{shown}` is outside the base directory `{}`",
                    base.display()
                ))
                .help("give paths inside --base-dir, or choose a base directory that holds them")
            })?;
            let name = entry_name(relative).map_err(|error| CliError::new(error.to_string()))?;
            found.push(Collected {
                entry: Entry {
                    name,
                    size: metadata.len(),
                    executable: is_executable(&metadata),
                },
                path: item.path().to_owned(),
            });
        }
    }
    Ok(found)
}

fn same_file(path: &Path, other: &Path) -> bool {
    match (fs::canonicalize(path), fs::canonicalize(other)) {
        (Ok(one), Ok(two)) => one == two,
        _ => false,
    }
}

#[cfg(unix)]
fn is_executable(metadata: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_metadata: &fs::Metadata) -> bool {
    false
}
