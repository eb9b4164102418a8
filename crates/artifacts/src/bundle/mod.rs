//! Deterministic zip artifacts, and unpacking zips that may not be ours.
//!
//! CodePipeline moves every artifact as one zip in its S3 artifact store, and the S3 source
//! action reads one zip object (`docs/aws/artifact-formats.md#artifacts-are-zips-in-s3`). The writer makes the same bytes
//! from the same files whatever the machine, the clock, the file order or the umask: entries
//! sorted by name, one fixed timestamp, modes `0644`/`0755`, Unix as the creating system, no
//! extra fields (`docs/aws/crates.md#zip`). The unpacker refuses archives that would
//! write outside their folder or exhaust the disk.
//!
//! Pure in the sense of this crate: no file system and no network. Callers hand in readers and
//! writers (a `File`, a `Cursor`), so the same code serves the program, the tests and the
//! benchmarks.

mod abandon;
mod error;
mod names;
mod probe;
mod timestamp;
pub mod unpack;
mod write;

pub use error::BundleError;
pub use names::entry_name;
pub use probe::compresses;
pub use timestamp::Timestamp;
pub use unpack::{Archive, Item, Limits, UnpackError};
pub use write::{Entry, Settings, write_zip};

#[cfg(test)]
mod tests;
