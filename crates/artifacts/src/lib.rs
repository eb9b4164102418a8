//! The deployment-artifact formats of CodePipeline's two ECS deploy actions.
//!
//! Everything here is pure: callers hand in bytes and strings, and get back parsed values,
//! rendered bytes and findings. No file system, no network, no global state, so the same
//! functions serve the command-line programs, the benchmarks and the tests.

pub mod actions;
pub mod appspec;
pub mod bundle;
pub mod finding;
pub mod image_files;
pub mod image_reference;
pub mod locate;
pub mod location;
pub mod pipeline;
pub mod placeholder;
#[cfg(test)]
mod rule_table;
pub mod secrets;
mod suggest;
mod syntax;
pub mod tag_policy;
pub mod tagcheck;
pub mod task_definition;
pub mod variables;
pub mod verify;

pub use finding::{Class, Finding, Severity};
pub use image_reference::{Digest, ImageReference, ImageReferenceError};
pub use location::{JsonPath, Location};
pub use suggest::shown;
pub use tag_policy::TagPolicy;
