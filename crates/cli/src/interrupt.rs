//! What SIGINT, SIGTERM and SIGHUP do once a program has something to undo: its temporary
//! files, and the files and folders of an unpacking not yet done, are removed
//! ([`create_registered`]), work that holds a [`Stop`] (a multipart upload) is told to undo itself,
//! and then the program dies of the signal, as it would have without a handler, so the shell or
//! CodeBuild sees the same `128 + signal` status and the same "Terminated".
//!
//! The signals are received by [signal-hook](https://docs.rs/signal-hook)'s iterator on a thread
//! of its own, not in a handler: removing files takes locks and allocates, which a signal
//! handler must not. tokio's `signal` would need a runtime running, which only the programs
//! calling AWS start, and only for the calls. Dying by the signal (signal-hook's
//! `emulate_default_handler` re-raises it with the default action) rather than exiting with
//! `128 + n` keeps what a parent can tell: a shell prints the signal, `wait` sees it.
//!
//! Nothing is installed until the first path is listed or the first [`Stop`] is held,
//! so a program that only reads keeps the default actions.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use tokio::sync::Notify;

/// What a signal removes: the temporary files alive now and what an unfinished run created
/// (the files and folders of an unpacking), by the order they were created in.
static TEMPORARIES: Mutex<Listed> = Mutex::new(Listed {
    next: 0,
    paths: BTreeMap::new(),
});
/// How many [`Stop`]s are held: while one is, the first signal is handed to them.
static HELD: AtomicUsize = AtomicUsize::new(0);
/// The signal handed to the [`Stop`]s, `0` before one arrives.
static RECEIVED: AtomicI32 = AtomicI32::new(0);
/// Wakes the [`Stop`]s waiting for a signal.
static WAKE: Notify = Notify::const_new();

#[derive(Debug)]
struct Listed {
    next: u64,
    paths: BTreeMap<u64, PathBuf>,
}

/// A path on the list of those removed when a signal ends the program: a temporary file, or a
/// file or folder of a run that is not done. It leaves the list when dropped, and the path
/// then stays as it is.
#[derive(Debug)]
pub struct Registered {
    id: u64,
    path: PathBuf,
}

impl Registered {
    /// The path listed.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        temporaries().paths.remove(&self.id);
    }
}

/// Creates the file or folder at `path` through `create` and puts it on the list of paths
/// removed on a signal. The list stays locked while it is created, so a signal arriving
/// meanwhile either finds it listed or ends the program before it exists.
pub fn create_registered<T>(
    path: &Path,
    create: impl FnOnce(&Path) -> io::Result<T>,
) -> io::Result<(T, Registered)> {
    install();
    let mut listed = temporaries();
    let created = create(path)?;
    let id = listed.next;
    listed.next += 1;
    listed.paths.insert(id, path.to_owned());
    Ok((
        created,
        Registered {
            id,
            path: path.to_owned(),
        },
    ))
}

/// Holds off the end of the program while work that must undo itself runs (a multipart upload,
/// which is aborted): the first SIGINT, SIGTERM or SIGHUP then resolves [`Stop::requested`]
/// instead of ending the program, and the program dies of it when the `Stop` is dropped, once
/// the work has undone itself. A second signal ends the program at once.
#[derive(Debug)]
pub struct Stop(());

impl Stop {
    /// Starts holding off signals.
    #[must_use]
    pub fn hold() -> Self {
        install();
        HELD.fetch_add(1, Ordering::SeqCst);
        Self(())
    }

    /// Resolves with the signal's number once one has arrived.
    pub async fn requested(&self) -> i32 {
        loop {
            // Registered before the check, so a signal between the two still wakes it.
            let mut notified = std::pin::pin!(WAKE.notified());
            notified.as_mut().enable();
            let signal = RECEIVED.load(Ordering::SeqCst);
            if signal != 0 {
                return signal;
            }
            notified.await;
        }
    }
}

impl Drop for Stop {
    fn drop(&mut self) {
        HELD.fetch_sub(1, Ordering::SeqCst);
        let signal = RECEIVED.load(Ordering::SeqCst);
        if signal != 0 {
            die(signal);
        }
    }
}

fn temporaries() -> MutexGuard<'static, Listed> {
    // A panic while the list was held leaves it as it was: still the right list.
    TEMPORARIES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What a signal does: handed to the [`Stop`]s held, if any and if it is the first; otherwise
/// the end of the program.
fn received(signal: i32) {
    if HELD.load(Ordering::SeqCst) > 0
        && RECEIVED
            .compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    {
        WAKE.notify_waiters();
        return;
    }
    die(signal);
}

/// Removes the listed paths and dies of `signal`. The list stays locked to the end, so no
/// file is created after it was emptied.
fn die(signal: i32) -> ! {
    let listed = temporaries();
    // The newest first, so that a folder is emptied before it is removed; a folder that is
    // not empty (it held files before) stays. Best effort: a file already gone (renamed into
    // place a moment ago) is no matter.
    for path in listed.paths.values().rev() {
        let _ = fs::remove_file(path).or_else(|_| fs::remove_dir(path));
    }
    raise(signal);
    // Only when the signal could not be raised again.
    std::process::exit(128 + signal);
}

#[cfg(unix)]
fn install() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        // The signals are registered on the thread that reads them, so that a thread that
        // cannot be started leaves the default actions rather than signals nobody reads; the
        // caller waits until they are. Without the handling a signal kills the program as
        // before, and the next run removes the temporary files of writers that are gone.
        let (registered, wait) = std::sync::mpsc::channel();
        let started = std::thread::Builder::new()
            .name("signals".to_owned())
            .spawn(move || {
                let signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]);
                let _ = registered.send(());
                if let Ok(mut signals) = signals {
                    for signal in signals.forever() {
                        received(signal);
                    }
                }
            });
        if started.is_ok() {
            let _ = wait.recv();
        }
    });
}

#[cfg(not(unix))]
fn install() {}

#[cfg(unix)]
fn raise(signal: i32) {
    let _ = signal_hook::low_level::emulate_default_handler(signal);
}

#[cfg(not(unix))]
fn raise(_signal: i32) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(path: &Path) -> bool {
        temporaries().paths.values().any(|listed| listed == path)
    }

    #[test]
    fn a_file_is_listed_from_its_creation_until_it_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("listed.tmp");
        let (file, registered) =
            create_registered(&path, |path| fs::File::create_new(path)).unwrap();
        assert!(listed(&path));
        drop((file, registered));
        assert!(!listed(&path));
        // A file that cannot be created is never listed.
        let missing = dir.path().join("no-such-folder/listed.tmp");
        assert!(create_registered(&missing, |path| fs::File::create_new(path)).is_err());
        assert!(!listed(&missing));
    }
}
