//! Signals sent to a running program, and what a test checks of the run they ended.

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// The signals that end a build step early: Ctrl-C, CodeBuild's stop or timeout and
/// `timeout(1)`, a closed terminal. Names as `kill -s` takes them, and numbers.
pub(crate) const ENDING: [(&str, i32); 3] = [("INT", 2), ("TERM", 15), ("HUP", 1)];

/// Sends `signal` (`TERM`) to `child` through `kill(1)`.
pub(crate) fn send(child: &Child, signal: &str) {
    let status = Command::new("kill")
        .args(["-s", signal, &child.id().to_string()])
        .status()
        .expect("kill(1)");
    assert!(status.success(), "kill -s {signal} {}", child.id());
}

/// Polls until `ready` holds, `child` has ended or `limit` passed; whether `ready` held.
pub(crate) fn wait_until(child: &mut Child, limit: Duration, ready: impl Fn() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if ready() {
            return true;
        }
        if !matches!(child.try_wait(), Ok(None)) {
            return false;
        }
        sleep(Duration::from_millis(1));
    }
    false
}

/// The signal that ended a run, as a shell would report it: `128 + n` in `$?`.
pub(crate) fn shell_status(status: ExitStatus) -> Option<i32> {
    status
        .signal()
        .map(|signal| 128 + signal)
        .or_else(|| status.code())
}

/// The temporary files of `crates/cli` (`.<name>.<pid>.<random>.tmp`) in `dir`.
pub(crate) fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("a readable directory")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| {
            name.starts_with('.') && Path::new(name).extension().is_some_and(|ext| ext == "tmp")
        })
        .collect()
}
