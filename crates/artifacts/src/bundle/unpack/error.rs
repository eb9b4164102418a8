//! Why an archive was refused or could not be read.

use std::io;

/// Why an archive was refused or could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UnpackError {
    /// Not a zip, or a damaged one.
    #[error("not a readable zip: {reason}")]
    Unreadable {
        /// What the zip library said.
        reason: String,
    },
    /// An entry would be written outside the folder.
    #[error("entry `{name}` would be written outside the folder: {reason}")]
    Escapes {
        /// The entry name as stored.
        name: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// An entry is a symbolic link.
    #[error("entry `{name}` is a symbolic link, which could point anywhere")]
    Symlink {
        /// The entry name.
        name: String,
    },
    /// Two entries have the same name, or a file is also a folder.
    #[error("entry `{name}` appears twice (or is both a file and a folder)")]
    Duplicate {
        /// The entry name.
        name: String,
    },
    /// The central directory lists a name more than once.
    #[error(
        "the zip lists entry `{name}` twice, so what one tool unpacks is not what another checks"
    )]
    DuplicateNames {
        /// The first name listed twice, in central-directory order.
        name: String,
    },
    /// Too many entries.
    #[error("the zip has {count} entries, more than the limit of {limit}")]
    TooManyEntries {
        /// Entries in the zip.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// Too large once uncompressed.
    #[error("the zip would unpack to more than {limit} bytes (at entry `{name}`)")]
    TooLarge {
        /// The entry where the total went over.
        name: String,
        /// The limit.
        limit: u64,
    },
    /// An entry compresses too well to be a real file.
    #[error(
        "entry `{name}` expands {size} bytes from {compressed}, a ratio over the limit of {limit}:1"
    )]
    Ratio {
        /// The entry name.
        name: String,
        /// Its uncompressed size.
        size: u64,
        /// Its compressed size.
        compressed: u64,
        /// The limit.
        limit: u64,
    },
    /// The entries together compress too well to be real files.
    #[error(
        "entry `{first}` and the {more} after it expand {size} bytes from {compressed} together, \
         a ratio over the limit of {limit}:1"
    )]
    TotalRatio {
        /// The first entry.
        first: String,
        /// How many entries follow it.
        more: usize,
        /// All entries' uncompressed sizes.
        size: u64,
        /// All entries' compressed sizes.
        compressed: u64,
        /// The limit.
        limit: u64,
    },
    /// Two entries share bytes of the zip.
    #[error(
        "entry `{name}` shares its bytes with `{other}`, so the zip unpacks the same data more than once"
    )]
    Overlap {
        /// The entry that starts later.
        name: String,
        /// The entry (or the central directory) it runs into.
        other: String,
    },
    /// The local header names another file than the central directory.
    #[error(
        "entry `{name}` has another name in its local header, so what one tool unpacks is not what another checks"
    )]
    Renamed {
        /// The name in the central directory.
        name: String,
    },
    /// Two names differ only in letter case or Unicode form.
    #[error(
        "entry `{}` has the name of entry `{}` but for letter case or Unicode form, so the two \
         are one file on macOS and Windows",
        shown(name),
        shown(other)
    )]
    SameFolded {
        /// The later entry.
        name: String,
        /// The earlier entry.
        other: String,
    },
    /// An entry's content is not what its header says.
    #[error("entry `{name}` is damaged: {reason}")]
    Damaged {
        /// The entry name.
        name: String,
        /// What was found.
        reason: String,
    },
    /// The content could not be written out.
    #[error("cannot write `{name}`: {source}")]
    Write {
        /// The entry name.
        name: String,
        /// The operating system's reason.
        source: io::Error,
    },
}

/// `name` as printed in an error: one not in Unicode form C has its other than ASCII characters
/// escaped, so that it can be told from its composed twin.
fn shown(name: &str) -> String {
    if unicode_normalization::is_nfc(name) {
        return name.to_owned();
    }
    name.chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                c.escape_unicode().to_string()
            }
        })
        .collect()
}
