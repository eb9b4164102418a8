//! The temporary files an output is written to before it is moved into place, and the ones
//! killed writers left behind.

use std::fs;
use std::io;
use std::path::Path;

/// A temporary file, removed when dropped and, until then, when a signal ends the program
/// (`crate::interrupt`).
#[derive(Debug)]
pub(crate) struct Temporary {
    // Dropped in this order: the file is removed before it leaves the list, so a signal in
    // between finds it listed.
    file: tempfile::NamedTempFile,
    registered: crate::interrupt::Registered,
}

impl Temporary {
    pub(crate) fn path(&self) -> &Path {
        self.file.path()
    }

    pub(crate) fn as_file(&self) -> &fs::File {
        self.file.as_file()
    }

    pub(crate) fn as_file_mut(&mut self) -> &mut fs::File {
        self.file.as_file_mut()
    }

    /// Moves the file to `path`; it is then no longer temporary.
    pub(crate) fn persist(self, path: &Path) -> io::Result<()> {
        let Self { file, registered } = self;
        file.persist(path).map_err(|error| error.error)?;
        drop(registered);
        Ok(())
    }
}

/// A new temporary file for `file_name` in `parent`, named `.<file_name>.<pid>.<random>.tmp`
/// and created with the permissions a new file gets from the umask (`0666` less the umask,
/// std's default for a new file), as `>` would.
pub(crate) fn create_in(parent: &Path, file_name: &str) -> io::Result<Temporary> {
    let prefix = format!(".{file_name}.{}.", std::process::id());
    let mut registered = None;
    let file = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .make_in(parent, |path| {
            let (file, entry) = crate::interrupt::create_registered(path, |path| {
                fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create_new(true)
                    .open(path)
            })?;
            registered = Some(entry);
            Ok(file)
        })?;
    let registered = registered.ok_or_else(|| io::Error::other("no temporary file made"))?;
    Ok(Temporary { file, registered })
}

/// Gives a file the permission bits of the one it replaces.
#[cfg(unix)]
pub(super) fn set_mode(file: &fs::File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
pub(super) fn set_mode(_file: &fs::File, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// Removes the temporary files of `file_name` in `parent` whose writer is gone: a run killed
/// (SIGKILL, the CodeBuild timeout, the OOM killer) cannot remove its own, and each would
/// otherwise stay beside the destination for good. Best effort: a file that cannot be read or
/// removed is left as it is, since the run's own output does not depend on it.
pub(super) fn remove_stale(parent: &Path, file_name: &str) {
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
pub(super) fn writer_pid(name: &str, file_name: &str) -> Option<u32> {
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
