//! What an output path really names, decided before anything is written.
//!
//! A program is told `-o PATH`; what it must do depends on what is there. A regular file (or
//! nothing) is replaced atomically. A symbolic link is followed, and its target replaced, so
//! the link stays a link. Something that is not a regular file (`/dev/null`, `/dev/stdout`, a
//! terminal, a FIFO) is written through and never replaced: CodeBuild runs as root, and
//! renaming a file over `/dev/null` would break every later command of the build. An open
//! descriptor (`/dev/stdout`) is written through whatever it points at, and appended to, as
//! the program's own writes to it would be.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::CliError;

/// How many links are followed before giving up, as the kernel's `ELOOP` limit (40).
const MAX_LINKS: usize = 40;

/// Where an output's bytes go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Destination {
    /// A regular file, or none yet: written beside it under a temporary name, then moved into
    /// place.
    Replace {
        /// The file itself, any symbolic link followed.
        path: PathBuf,
        /// What the file that is there now keeps, when there is one.
        existing: Option<Existing>,
    },
    /// Not a regular file: opened and written through.
    Through(PathBuf),
}

/// What a replaced file keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Existing {
    /// Its permission bits: a `0600` file stays `0600`.
    pub(crate) mode: u32,
    /// Whether it has other names (hard links), which a rename would leave with the old
    /// contents: such a file is rewritten in place, once the new contents are complete.
    pub(crate) linked: bool,
}

/// What `path` names.
pub(crate) fn resolve(path: &Path) -> Result<Destination, CliError> {
    let shown = path.display();
    if names_a_descriptor(path) {
        // `/dev/stdout` is the shell's redirection, whatever file it points at: replacing
        // that file would throw away what `>>` appended to it before.
        return Ok(Destination::Through(path.to_owned()));
    }
    match fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => Err(CliError::new(format!(
            "`{shown}` is a directory"
        ))
        .help(format!(
            "give a file name, such as `{}`",
            path.join("imagedefinitions.json").display()
        ))),
        Ok(metadata) if metadata.is_file() => {
            // Through every link, to the file a rename must replace; `/proc/self/fd/1` when
            // stdout is redirected to a file ends here too.
            let real = fs::canonicalize(path).map_err(|error| cannot(path, &error))?;
            Ok(Destination::Replace {
                path: real,
                existing: Some(existing(&metadata)),
            })
        }
        // A device, a FIFO, a socket, a terminal: only writing through makes sense.
        Ok(_) => Ok(Destination::Through(path.to_owned())),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Destination::Replace {
            path: dangling_target(path)?,
            existing: None,
        }),
        Err(error) => Err(cannot(path, &error)),
    }
}

/// Whether `path` is, or leads through symbolic links to, an open file descriptor of a
/// process (`/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`): an entry of a `/proc/<pid>/fd`
/// folder, as `proc(5)` lists them.
pub(crate) fn names_a_descriptor(path: &Path) -> bool {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        let in_fd_folder = current
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .and_then(|parent| fs::canonicalize(parent).ok())
            .is_some_and(|parent| {
                parent.file_name().is_some_and(|name| name == "fd")
                    && parent
                        .parent()
                        .and_then(Path::parent)
                        .is_some_and(|proc| proc == Path::new("/proc"))
            });
        if in_fd_folder {
            return true;
        }
        match fs::read_link(&current) {
            Ok(target) => {
                current = match current.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            Err(_) => return false,
        }
    }
    false
}

/// The file a path names when nothing exists there yet: the path itself, or the end of a chain
/// of links that points nowhere (the file is then created where the link points).
fn dangling_target(path: &Path) -> Result<PathBuf, CliError> {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let target = fs::read_link(&current).map_err(|error| cannot(path, &error))?;
                current = match current.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(CliError::new(format!(
        "cannot write `{}`: more than {MAX_LINKS} symbolic links in a row",
        path.display()
    )))
}

fn cannot(path: &Path, error: &io::Error) -> CliError {
    CliError::new(format!("cannot write `{}`: {error}", path.display()))
}

#[cfg(unix)]
fn existing(metadata: &fs::Metadata) -> Existing {
    use std::os::unix::fs::MetadataExt;
    Existing {
        mode: metadata.mode() & 0o7777,
        linked: metadata.nlink() > 1,
    }
}

#[cfg(not(unix))]
fn existing(_metadata: &fs::Metadata) -> Existing {
    Existing {
        mode: 0o644,
        linked: false,
    }
}
