//! Command-line plumbing shared by the ecs-deploy-kit programs.
//!
//! Every program keeps the same contract: exit `0` when done and clean, `1` when a check found
//! problems, `2` when it could not do its job; errors on stderr as `error: … (where)` and
//! `help: …`; data to files written atomically, or to stdout with `-o -`.

pub mod aws;
pub mod codebuild;
pub mod error;
pub mod input;
pub mod interrupt;
pub mod output;
pub mod plan;
pub mod report;

pub use error::{CliError, Exit, run};
pub use output::{Output, write_file_then, write_file_with};
pub use plan::Plan;

use std::io::Write;

/// Prints `line` on stderr in one write: lines from programs running side by side in a build
/// log never interleave, and a message costs one system call, not one per formatted piece
/// (stderr is unbuffered).
pub fn say(line: std::fmt::Arguments<'_>) {
    let mut text = line.to_string();
    text.push('\n');
    // Nothing useful can be done if stderr itself is gone.
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
