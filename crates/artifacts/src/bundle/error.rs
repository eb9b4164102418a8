//! Why a zip could not be written.

use std::io;

/// Why a zip could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// A path cannot be an entry name.
    #[error("`{path}` cannot be put in the zip: {reason}")]
    Name {
        /// The path as given.
        path: String,
        /// Why.
        reason: String,
    },
    /// Two files would get the same name.
    #[error("two files would both be `{name}` in the zip")]
    Duplicate {
        /// The entry name.
        name: String,
    },
    /// A name is a file and also a folder of other entries.
    #[error("`{file}` would be both a file and the folder of `{inner}` in the zip")]
    Conflict {
        /// The file.
        file: String,
        /// An entry inside it.
        inner: String,
    },
    /// A file changed size while it was being read.
    #[error(
        "`{name}` changed while it was being zipped: it had {listed} bytes, then {}",
        if read > listed { "more".to_owned() } else { read.to_string() }
    )]
    Changed {
        /// The entry name.
        name: String,
        /// The size when listed.
        listed: u64,
        /// The bytes read: one more than `listed` when the file grew, since reading stops there.
        read: u64,
    },
    /// A file could not be read.
    #[error("cannot read `{name}`: {source}")]
    Read {
        /// The entry name.
        name: String,
        /// The operating system's reason.
        source: io::Error,
    },
    /// The zip could not be written.
    #[error("cannot write the zip: {reason}")]
    Write {
        /// What the zip library or the output said.
        reason: String,
    },
    /// `SOURCE_DATE_EPOCH` is beyond what a zip can hold (2107).
    #[error("the time `{value}` is after 2107, the last year a zip can hold")]
    Timestamp {
        /// The seconds since the epoch, as given.
        value: String,
    },
}

pub(super) fn write_error(error: impl std::fmt::Display) -> BundleError {
    BundleError::Write {
        reason: error.to_string(),
    }
}

/// A zip library error in the project's words: for a failed read or write, the operating
/// system's reason alone, without the library's `i/o error:` in front.
pub(super) fn zip_reason(error: &zip::result::ZipError) -> String {
    match error {
        zip::result::ZipError::Io(error) => error.to_string(),
        other => other.to_string(),
    }
}

/// [`zip_reason`] as the error of a zip that could not be written.
pub(super) fn zip_error(error: zip::result::ZipError) -> BundleError {
    match error {
        zip::result::ZipError::Io(error) => write_error(error),
        other => write_error(other),
    }
}
