//! Where a program's data goes: a file written atomically, or stdout.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::codebuild;
use crate::error::CliError;

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

    /// How to name this destination in messages.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Stdout => "standard output".to_owned(),
            Self::File(path) => path.display().to_string(),
        }
    }
}

pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        // A reader such as `head` that stops early is not an error of ours.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(CliError::new(format!(
            "cannot write to standard output: {error}"
        ))),
        Ok(()) => Ok(()),
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    write_file_with(path, |file| {
        file.write_all(bytes)
            .map_err(|error| CliError::new(format!("cannot write `{}`: {error}", path.display())))
    })
}

/// Writes the file at `path` atomically through `fill`, for content too large to hold in
/// memory (a zip): `fill` writes into a temporary file next to `path`, which is renamed over
/// `path` only when `fill` succeeds; on error it is removed and `path` is left as it was.
pub fn write_file_with<T>(
    path: &Path,
    fill: impl FnOnce(&mut fs::File) -> Result<T, CliError>,
) -> Result<T, CliError> {
    let (value, staged) = stage(path, fill)?;
    staged.commit()?;
    Ok(value)
}

/// A file written in full under a temporary name beside its destination, not yet renamed into
/// place. Dropped without [`Staged::commit`], the temporary file is removed and the destination
/// is left as it was.
#[derive(Debug)]
pub(crate) struct Staged {
    temporary: tempfile::NamedTempFile,
    path: PathBuf,
}

impl Staged {
    /// Renames the temporary file over the destination.
    pub(crate) fn commit(self) -> Result<(), CliError> {
        // No fsync: every reader (the next build command, CodeBuild's artifact upload) sees the
        // renamed file whole through the page cache, which is all the rename must guarantee. A
        // sync only guards against the machine going down, after which CodeBuild throws the
        // build environment away; it cost a journal commit per file (0.2 ms on this machine's
        // disk, milliseconds on EBS), the largest part of a small program's run.
        let path = self.path;
        self.temporary.persist(&path).map_err(|error| {
            CliError::new(format!(
                "cannot write `{}`: {}",
                path.display(),
                error.error
            ))
        })?;
        Ok(())
    }
}

/// Fills a temporary file next to `path` through `fill`, ready to be renamed over `path`.
pub(crate) fn stage<T>(
    path: &Path,
    fill: impl FnOnce(&mut fs::File) -> Result<T, CliError>,
) -> Result<(T, Staged), CliError> {
    let shown = path.display();
    if path.is_dir() {
        return Err(
            CliError::new(format!("`{shown}` is a directory")).help(format!(
                "give a file name, such as `{}`",
                path.join("imagedefinitions.json").display()
            )),
        );
    }
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
    remove_stale_temporaries(parent, &file_name);
    // The writer's PID is in the name so that a later run can tell a temporary file left by a
    // killed writer from one another writer is still filling.
    let mut temporary = tempfile::Builder::new()
        .prefix(&format!(".{file_name}.{}.", std::process::id()))
        .suffix(".tmp")
        .tempfile_in(parent)
        .map_err(|error| {
            CliError::new(format!("cannot write in `{}`: {error}", parent.display()))
        })?;
    // On error the temporary file is removed when `temporary` drops.
    let value = fill(temporary.as_file_mut())?;
    set_readable(temporary.as_file()).map_err(|error| {
        CliError::new(format!("cannot set the permissions of `{shown}`: {error}"))
    })?;
    Ok((
        value,
        Staged {
            temporary,
            path: path.to_owned(),
        },
    ))
}

/// Removes the temporary files of `file_name` in `parent` whose writer is gone: a run killed
/// (SIGKILL, the CodeBuild timeout, the OOM killer) cannot remove its own, and each would
/// otherwise stay beside the destination for good. Best effort: a file that cannot be read or
/// removed is left as it is, since the run's own output does not depend on it.
fn remove_stale_temporaries(parent: &Path, file_name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|name| writer_pid(name, file_name)) else {
            continue;
        };
        if !process_exists(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The writer's PID when `name` is a temporary file of `file_name`: `.<file_name>.<pid>.<random>.tmp`
/// with `<random>` letters and digits only, so that the temporary files of `app.1.json` are
/// never taken for those of `app`.
fn writer_pid(name: &str, file_name: &str) -> Option<u32> {
    let middle = name
        .strip_prefix('.')?
        .strip_prefix(file_name)?
        .strip_prefix('.')?
        .strip_suffix(".tmp")?;
    let (pid, random) = middle.split_once('.')?;
    let is_random = !random.is_empty() && random.bytes().all(|b| b.is_ascii_alphanumeric());
    let is_pid = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    if is_random && is_pid {
        pid.parse().ok()
    } else {
        None
    }
}

/// Whether a process `pid` may still be running. Only `/proc` can say it is not; without a
/// `/proc` that shows this very process (another system, or none mounted) every writer is
/// taken to be alive, so that no live writer's file is ever removed. A PID reused by another
/// process keeps a stale file until that process ends, which is harmless.
fn process_exists(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join(std::process::id().to_string()).exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

/// Temporary files are created `0600`; artifacts are ordinary `0644` files.
#[cfg(unix)]
fn set_readable(file: &fs::File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_readable(_file: &fs::File) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_creates_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out/imagedefinitions.json");
        Output::File(path.clone()).write(b"[]\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"[]\n");
        Output::File(path.clone()).write(b"[1]\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"[1]\n");
        let names: Vec<_> = fs::read_dir(dir.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            ["imagedefinitions.json"],
            "no temporary file is left behind"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o644
            );
        }
    }

    #[test]
    fn removes_the_temporary_files_of_dead_writers_only() {
        let dir = tempfile::tempdir().unwrap();
        // PIDs above the kernel's limit (2^22) never belong to a running process.
        let dead = ".app.json.4294967295.AbC123.tmp";
        let alive = format!(".app.json.{}.XyZ789.tmp", std::process::id());
        let others = [
            ".app.json.1.json.4294967295.AbC123.tmp",
            ".app.json.x.Ab.tmp",
        ];
        for name in [dead, &alive].into_iter().chain(others) {
            fs::write(dir.path().join(name), b"partial").unwrap();
        }
        Output::File(dir.path().join("app.json"))
            .write(b"{}")
            .unwrap();
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let mut expected = vec![
            alive,
            others[0].to_owned(),
            others[1].to_owned(),
            "app.json".to_owned(),
        ];
        if !Path::new("/proc/self").exists() {
            expected.push(dead.to_owned());
        }
        expected.sort();
        assert_eq!(names, expected);
    }

    #[test]
    fn refuses_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        let error = Output::File(dir.path().to_owned()).write(b"x").unwrap_err();
        assert!(error.to_string().contains("is a directory"), "{error}");
    }

    #[test]
    fn dash_is_stdout() {
        assert_eq!(Output::from_arg(Path::new("-")), Output::Stdout);
    }
}
