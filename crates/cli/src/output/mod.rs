//! Where a program's data goes: a file written atomically, or stdout.

use std::fs;
use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};

mod destination;
mod same_file;
mod temporary;

use crate::codebuild;
use crate::error::CliError;
pub(crate) use destination::{Destination, Existing, resolve};

/// A destination for rendered bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// `-o -`
    Stdout,
    /// A file, replaced atomically.
    File(PathBuf),
}

impl Output {
    /// Reads an `-o` argument: `-` is stdout, anything else a path resolved the CodeBuild way.
    #[must_use]
    pub fn from_arg(arg: &Path) -> Self {
        if arg == Path::new("-") {
            Self::Stdout
        } else {
            Self::File(codebuild::resolve(arg))
        }
    }

    /// Writes `bytes`. A file is written next to its destination under a temporary name and
    /// renamed over it, so readers see the old file or the new one, never half of one, and a
    /// failed run leaves nothing behind.
    pub fn write(&self, bytes: &[u8]) -> Result<(), CliError> {
        match self {
            Self::Stdout => write_stdout(bytes),
            Self::File(path) => write_atomically(path, bytes),
        }
    }

    /// Says on stderr what was written, for the build log; nothing for stdout.
    pub fn announce(&self, what: &str) {
        if let Self::File(path) = self {
            crate::say(format_args!("wrote {} {what}", path.display()));
        }
    }

    /// Refuses to write over a file the program reads (`flag` names the output in the error):
    /// `-o t.json` for the template `t.json`
    /// would replace the input with the output, or with nothing on a failed run. Compared as
    /// files (device and inode), so a link or another spelling of the same path is caught too;
    /// called before any input is read.
    pub fn refuse_inputs<'a>(
        &self,
        flag: &str,
        inputs: impl IntoIterator<Item = &'a Path>,
    ) -> Result<(), CliError> {
        let Self::File(path) = self else {
            return Ok(());
        };
        let Some(output) = same_file::Identity::of(path) else {
            return Ok(());
        };
        for input in inputs {
            if same_file::Identity::of(&codebuild::resolve(input)) == Some(output) {
                return Err(CliError::new(format!(
                    "the output `{}` is the input `{}`: writing it would destroy the input",
                    path.display(),
                    input.display()
                ))
                .at(flag)
                .help("write to another file, such as one in an `out/` folder"));
            }
        }
        Ok(())
    }

    /// How to name this destination in messages.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Stdout => "standard output".to_owned(),
            Self::File(path) => path.display().to_string(),
        }
    }
}

/// Writes `bytes` to standard output. A closed stdout (`>&-`, which std's own stdout quietly
/// ignores), a reader that went away (a closed pipe) and a full disk all mean the data went
/// nowhere, so each is an error: exit `2`, never "done".
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let error = |error: io::Error| {
        let reason = match error.raw_os_error() {
            Some(EBADF) => "it is closed".to_owned(),
            _ if error.kind() == io::ErrorKind::BrokenPipe => {
                "the reading end of the pipe is closed".to_owned()
            }
            _ => error.to_string(),
        };
        CliError::new(format!("cannot write to standard output: {reason}"))
            .help("give the program somewhere to write, or write to a file with -o PATH")
    };
    let mut stdout = stdout_file().map_err(error)?;
    stdout.write_all(bytes).map_err(error)
}

/// `EBADF`, the error of a file descriptor that is not open (Linux and the BSDs alike).
const EBADF: i32 = 9;

/// File descriptor 1 as a plain file, so that every write error is seen.
#[cfg(unix)]
fn stdout_file() -> io::Result<fs::File> {
    use std::os::fd::AsFd;
    if stdout_was_closed() {
        return Err(io::Error::from_raw_os_error(EBADF));
    }
    Ok(fs::File::from(io::stdout().as_fd().try_clone_to_owned()?))
}

/// Whether standard output was closed when the program started (`>&-`). Rust's runtime opens
/// `/dev/null` read-write on a standard descriptor that is closed at start
/// (<https://github.com/rust-lang/rust/blob/master/library/std/src/sys/pal/unix/mod.rs>,
/// `sanitize_standard_fds`), so such a run would report data written that went nowhere; a
/// shell's `> /dev/null` opens it write-only, which stays a choice of the user's.
#[cfg(target_os = "linux")]
fn stdout_was_closed() -> bool {
    use std::os::unix::fs::MetadataExt;
    /// The null device, major 1, minor 3 (Linux `Documentation/admin-guide/devices.txt`).
    const NULL_DEVICE: u64 = 0x103;
    /// `O_RDWR`, in the access-mode bits of `/proc/<pid>/fdinfo`'s octal `flags`.
    const READ_WRITE: u32 = 0o2;
    let is_null = fs::metadata("/proc/self/fd/1").is_ok_and(|meta| meta.rdev() == NULL_DEVICE);
    is_null
        && fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("flags:"))
                .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
                .is_some_and(|flags| flags & 0o3 == READ_WRITE)
        })
}

#[cfg(all(unix, not(target_os = "linux")))]
fn stdout_was_closed() -> bool {
    false
}

#[cfg(not(unix))]
fn stdout_file() -> io::Result<io::Stdout> {
    Ok(io::stdout())
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    write_file_with(path, |file| write_all(file, path, bytes))
}

pub(crate) fn write_all(file: &mut fs::File, path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    file.write_all(bytes)
        .map_err(|error| CliError::new(format!("cannot write `{}`: {error}", path.display())))
}

/// An anonymous file in the temporary folder (`TMPDIR`), where content bound for a device or a
/// FIFO is staged: it is the temporary folder, not the destination, that an error names.
pub fn staging_file() -> Result<fs::File, CliError> {
    tempfile::tempfile().map_err(|error| cannot_stage(&error))
}

fn cannot_stage(error: &io::Error) -> CliError {
    CliError::new(format!(
        "cannot create a temporary file in `{}`: {error}",
        std::env::temp_dir().display()
    ))
    .help("set TMPDIR to a folder this build may write, or leave it unset for /tmp")
}

/// Writes the file at `path` through `fill`, for content too large to hold in memory (a zip).
/// A regular file is written atomically: `fill` writes into a temporary file next to it, which
/// replaces it only when `fill` succeeds; on error it is removed and `path` is left as it was.
/// A path that is not a regular file (`/dev/null`, a FIFO) is written through.
pub fn write_file_with<T>(
    path: &Path,
    fill: impl FnOnce(&mut fs::File) -> Result<T, CliError>,
) -> Result<T, CliError> {
    match resolve(path)? {
        Destination::Through(target) => {
            // Filled first in a file of its own, which a zip writer can seek in and a FIFO or
            // a device cannot; then copied through whole.
            let cannot = |error: io::Error| {
                CliError::new(format!("cannot write `{}`: {error}", target.display()))
            };
            let mut staged = staging_file()?;
            let value = fill(&mut staged)?;
            staged.seek(io::SeekFrom::Start(0)).map_err(cannot)?;
            io::copy(&mut staged, &mut open_through(&target)?).map_err(cannot)?;
            Ok(value)
        }
        Destination::Replace {
            path: real,
            existing,
        } => {
            let (value, staged) = stage(&real, existing, fill)?;
            staged.commit()?;
            Ok(value)
        }
    }
}

/// Writes the file at `path` through `fill` as [`write_file_with`] does, then hands the complete
/// file's path to `then` (an upload) before it is put in place: the destination gets the new
/// contents only when both succeed, so a failed `then` leaves it as it was and writes nothing.
pub fn write_file_then<T>(
    path: &Path,
    fill: impl FnOnce(&mut fs::File) -> Result<T, CliError>,
    then: impl FnOnce(&Path) -> Result<(), CliError>,
) -> Result<T, CliError> {
    match resolve(path)? {
        Destination::Through(target) => {
            let cannot = |error: io::Error| {
                CliError::new(format!("cannot write `{}`: {error}", target.display()))
            };
            let mut staged = temporary::create_in(&std::env::temp_dir(), "upload")
                .map_err(|error| cannot_stage(&error))?;
            let value = fill(staged.as_file_mut())?;
            then(staged.path())?;
            let written = staged.as_file_mut();
            written.seek(io::SeekFrom::Start(0)).map_err(cannot)?;
            io::copy(written, &mut open_through(&target)?).map_err(cannot)?;
            Ok(value)
        }
        Destination::Replace {
            path: real,
            existing,
        } => {
            let (value, staged) = stage(&real, existing, fill)?;
            then(staged.temporary.path())?;
            staged.commit()?;
            Ok(value)
        }
    }
}

/// Opens what is not a regular file for writing, as a shell's `>` would; an open descriptor
/// (`/dev/stdout`) is appended to instead, so that reopening it does not truncate the file a
/// `>>` redirection pointed it at.
pub(crate) fn open_through(target: &Path) -> Result<fs::File, CliError> {
    let descriptor = destination::names_a_descriptor(target);
    fs::OpenOptions::new()
        .write(true)
        .truncate(!descriptor)
        .append(descriptor)
        .open(target)
        .map_err(|error| CliError::new(format!("cannot write `{}`: {error}", target.display())))
}

/// A file written in full under a temporary name beside its destination, not yet in place.
/// Dropped without [`Staged::commit`], the temporary file is removed and the destination is
/// left as it was.
#[derive(Debug)]
pub(crate) struct Staged {
    temporary: temporary::Temporary,
    path: PathBuf,
    existing: Option<Existing>,
}

impl Staged {
    /// Puts the new contents in place: the temporary file is renamed over the destination, or,
    /// for a file with other names (hard links), copied into it so that every name sees them.
    pub(crate) fn commit(mut self) -> Result<(), CliError> {
        // No fsync: every reader (the next build command, CodeBuild's artifact upload) sees the
        // renamed file whole through the page cache, which is all the rename must guarantee. A
        // sync only guards against the machine going down, after which CodeBuild throws the
        // build environment away; it cost a journal commit per file (0.2 ms on this machine's
        // disk, milliseconds on EBS), the largest part of a small program's run.
        let path = self.path;
        let cannot = |error: &dyn std::fmt::Display| {
            CliError::new(format!("cannot write `{}`: {error}", path.display()))
        };
        if self.existing.is_some_and(|existing| existing.linked) {
            let temporary = self.temporary.as_file_mut();
            temporary
                .seek(io::SeekFrom::Start(0))
                .map_err(|error| cannot(&error))?;
            let mut file = fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&path)
                .map_err(|error| cannot(&error))?;
            io::copy(temporary, &mut file).map_err(|error| cannot(&error))?;
            // The temporary file is removed when it drops.
            return Ok(());
        }
        self.temporary
            .persist(&path)
            .map_err(|error| cannot(&error))?;
        Ok(())
    }
}

/// Fills a temporary file next to `path`, a regular file or none, through `fill`, ready to
/// replace it. A new file gets the permissions the umask allows, as `>` would give it; a
/// replaced one keeps its own.
pub(crate) fn stage<T>(
    path: &Path,
    existing: Option<Existing>,
    fill: impl FnOnce(&mut fs::File) -> Result<T, CliError>,
) -> Result<(T, Staged), CliError> {
    let shown = path.display();
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    fs::create_dir_all(parent).map_err(|error| {
        CliError::new(format!(
            "cannot create the directory `{}`: {error}",
            parent.display()
        ))
    })?;
    let file_name = path
        .file_name()
        .map_or_else(|| "output".into(), |name| name.to_string_lossy());
    temporary::remove_stale(parent, &file_name);
    // The writer's PID is in the name so that a later run can tell a temporary file left by a
    // killed writer from one another writer is still filling.
    let mut temporary = temporary::create_in(parent, &file_name).map_err(|error| {
        CliError::new(format!("cannot write in `{}`: {error}", parent.display()))
    })?;
    // On error the temporary file is removed when `temporary` drops.
    let value = fill(temporary.as_file_mut())?;
    if let Some(existing) = existing {
        temporary::set_mode(temporary.as_file(), existing.mode).map_err(|error| {
            CliError::new(format!("cannot set the permissions of `{shown}`: {error}"))
        })?;
    }
    Ok((
        value,
        Staged {
            temporary,
            path: path.to_owned(),
            existing,
        },
    ))
}

#[cfg(test)]
mod tests;
