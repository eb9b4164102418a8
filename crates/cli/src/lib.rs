//! Command-line plumbing shared by the ecs-deploy-kit programs.
//!
//! Every program keeps the same contract: exit `0` when done and clean, `1` when a check found
//! problems, `2` when it could not do its job; errors on stderr as `error: … (where)` and
//! `help: …`; data to files written atomically, or to stdout with `-o -`.

pub mod codebuild;
pub mod error;
pub mod input;
pub mod output;
pub mod report;

pub use error::{CliError, Exit, run};
pub use output::{Output, write_file_with};
