//! Reading a zip that may have been made by anyone: every name, type and size is checked
//! before anything is written, and the sizes again while the content is copied.

use std::collections::BTreeMap;
use std::io::{self, Read, Seek, Write};
use std::path::PathBuf;

use unicode_normalization::UnicodeNormalization;
use zip::ZipArchive;

use super::error::zip_reason;

pub use error::UnpackError;
use layout::Span;

mod error;
mod layout;

/// What an archive may hold before it is refused as a zip bomb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Entries, folders included.
    pub max_entries: usize,
    /// Bytes once uncompressed, all entries together.
    pub max_total_size: u64,
    /// Uncompressed bytes per compressed byte, for entries over `ratio_floor` bytes.
    pub max_ratio: u64,
    /// Entries up to this size are not held to `max_ratio`: a small file of zeros or spaces
    /// compresses very well and harms no one.
    pub ratio_floor: u64,
}

impl Default for Limits {
    /// The limits of CodePipeline's S3 source action, the largest artifact the pipelines take:
    /// 100,000 files and 5 GB (`docs/aws/artifact-formats.md#size-limits`). Deflate cannot exceed a ratio of
    /// 1032:1; real files rarely pass 100:1, bombs start at several hundred (David Fifield,
    /// "A better zip bomb", 2019).
    fn default() -> Self {
        Self {
            max_entries: 100_000,
            max_total_size: 5 * 1000 * 1000 * 1000,
            max_ratio: 200,
            ratio_floor: 1024 * 1024,
        }
    }
}

/// One entry that passed every check, with the path to write it at (relative to the folder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// The name stored in the zip.
    pub name: String,
    /// Where it goes, relative to the folder, made only of normal components.
    pub path: PathBuf,
    /// A folder rather than a file.
    pub is_dir: bool,
    /// The stored mode has an executable bit.
    pub executable: bool,
    /// The declared uncompressed size.
    pub size: u64,
    index: usize,
}

/// A zip whose every entry was checked; nothing has been written yet.
#[derive(Debug)]
pub struct Archive<R> {
    zip: ZipArchive<R>,
    items: Vec<Item>,
    limits: Limits,
}

impl<R: Read + Seek> Archive<R> {
    /// Reads the central directory of `reader` and checks every entry against the rules and
    /// `limits`.
    pub fn open(reader: R, limits: Limits) -> Result<Self, UnpackError> {
        let mut zip = ZipArchive::new(reader).map_err(|error| UnpackError::Unreadable {
            reason: zip_reason(&error),
        })?;
        // The library keeps one entry per name, so a second `taskdef.json` would hide behind
        // the first unless its central directory count is compared.
        if zip.has_duplicate_names() {
            let start = zip.central_directory_start();
            let name = layout::repeated_name(&mut zip.into_inner(), start)
                .unwrap_or_else(|| "(unreadable name)".to_owned());
            return Err(UnpackError::DuplicateNames { name });
        }
        if zip.len() > limits.max_entries {
            return Err(UnpackError::TooManyEntries {
                count: zip.len(),
                limit: limits.max_entries,
            });
        }
        let mut items = Vec::with_capacity(zip.len());
        let mut spans = Vec::with_capacity(zip.len());
        let mut raw_names = Vec::with_capacity(zip.len());
        let mut seen: BTreeMap<PathBuf, bool> = BTreeMap::new();
        let mut folded: BTreeMap<String, String> = BTreeMap::new();
        let (mut total, mut total_compressed) = (0_u64, 0_u64);
        for index in 0..zip.len() {
            let file = zip
                .by_index_raw(index)
                .map_err(|error| UnpackError::Unreadable {
                    reason: zip_reason(&error),
                })?;
            let name = String::from_utf8_lossy(file.name_raw()).into_owned();
            let path = safe_path(&name)?;
            if file.is_symlink() {
                return Err(UnpackError::Symlink { name });
            }
            let is_dir = file.is_dir();
            let (size, compressed) = (file.size(), file.compressed_size());
            total = total.saturating_add(size);
            total_compressed = total_compressed.saturating_add(compressed);
            if total > limits.max_total_size {
                return Err(UnpackError::TooLarge {
                    name,
                    limit: limits.max_total_size,
                });
            }
            if size > limits.ratio_floor && size / compressed.max(1) > limits.max_ratio {
                return Err(UnpackError::Ratio {
                    name,
                    size,
                    compressed,
                    limit: limits.max_ratio,
                });
            }
            // A folder may be listed and also implied by its files; anything else twice is not.
            match seen.insert(path.clone(), is_dir) {
                Some(true) if is_dir => {}
                Some(_) => return Err(UnpackError::Duplicate { name }),
                None => {
                    // `Taskdef.json` and `taskdef.json`, or `é` composed and decomposed, are
                    // one file on the case-insensitive, normalising file systems of macOS and
                    // Windows: which one survives depends on the order of unpacking.
                    if let Some(other) = folded.insert(fold(&path), name.clone()) {
                        return Err(UnpackError::SameFolded { name, other });
                    }
                }
            }
            // `by_index_raw` has read the local header, so the data's start is known.
            spans.push(Span {
                name: name.clone(),
                header_start: file.header_start(),
                data_start: file.data_start().unwrap_or(file.header_start()),
                compressed,
            });
            raw_names.push(file.name_raw().to_vec());
            let executable = file.unix_mode().is_some_and(|mode| mode & 0o111 != 0);
            items.push(Item {
                name,
                path,
                is_dir,
                executable,
                size,
                index,
            });
        }
        layout::refuse_overlaps(&spans, zip.central_directory_start())?;
        // Entries under the floor each, but many of them: the whole zip is held to the ratio.
        if total > limits.ratio_floor && total / total_compressed.max(1) > limits.max_ratio {
            return Err(UnpackError::TotalRatio {
                first: items
                    .first()
                    .map(|item| item.name.clone())
                    .unwrap_or_default(),
                more: items.len().saturating_sub(1),
                size: total,
                compressed: total_compressed,
                limit: limits.max_ratio,
            });
        }
        // A file whose path is a folder of another entry.
        for item in &items {
            for parent in item.path.ancestors().skip(1) {
                if seen.get(parent) == Some(&false) {
                    return Err(UnpackError::Duplicate {
                        name: parent.display().to_string(),
                    });
                }
            }
        }
        // The library reads entries by the central directory only, so the local headers' names
        // are compared here, then the directory is read again.
        let mut reader = zip.into_inner();
        layout::refuse_renamed(&mut reader, &spans, &raw_names)?;
        let zip = ZipArchive::new(reader).map_err(|error| UnpackError::Unreadable {
            reason: zip_reason(&error),
        })?;
        Ok(Self { zip, items, limits })
    }

    /// The checked entries, in the order stored.
    #[must_use]
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// Writes the content of `item` into `sink`, refusing more bytes than its header declared
    /// (the header is what the limits were checked against) and a CRC-32 mismatch.
    pub fn extract(&mut self, item: &Item, sink: &mut impl Write) -> Result<u64, UnpackError> {
        let damaged = |reason: String| UnpackError::Damaged {
            name: item.name.clone(),
            reason,
        };
        let file = self
            .zip
            .by_index(item.index)
            .map_err(|error| damaged(zip_reason(&error)))?;
        // One byte past the declared size is enough to know the header lied.
        let mut limited = file.take(item.size.saturating_add(1));
        let mut buffer = vec![0; 64 * 1024];
        let mut written = 0_u64;
        loop {
            let count = match limited.read(&mut buffer) {
                Ok(0) => break,
                Ok(count) => count,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(damaged(error.to_string())),
            };
            written += count as u64;
            if written > item.size || written > self.limits.max_total_size {
                return Err(damaged(format!(
                    "it holds more than the {} bytes its header declares",
                    item.size
                )));
            }
            sink.write_all(&buffer[..count])
                .map_err(|source| UnpackError::Write {
                    name: item.name.clone(),
                    source,
                })?;
        }
        if written < item.size {
            return Err(damaged(format!(
                "it holds {written} bytes, not the {} its header declares",
                item.size
            )));
        }
        Ok(written)
    }
}

/// The relative path an entry name stands for, refusing every way out of the folder: `..`,
/// absolute paths, Windows drive letters and UNC prefixes, backslashes (separators to Windows
/// tools), NUL bytes. `zip`'s own `enclosed_name` allows `a/../b`; this refuses any `..`.
/// A path as a case-insensitive, normalising file system compares it: lower case, then
/// Unicode normalisation form C (<https://unicode.org/reports/tr15/>).
fn fold(path: &std::path::Path) -> String {
    path.to_string_lossy()
        .chars()
        .flat_map(char::to_lowercase)
        .nfc()
        .collect()
}

fn safe_path(name: &str) -> Result<PathBuf, UnpackError> {
    let escape = |reason| UnpackError::Escapes {
        name: name.to_owned(),
        reason,
    };
    if name.contains('\0') {
        return Err(escape("it contains a NUL byte"));
    }
    if name.contains('\\') {
        return Err(escape(
            "it contains a backslash, a folder separator on Windows",
        ));
    }
    if name.starts_with('/') {
        return Err(escape("it is an absolute path"));
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Err(escape("it starts with a drive letter"));
    }
    let mut path = PathBuf::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(escape("it contains `..`")),
            part => path.push(part),
        }
    }
    if path.as_os_str().is_empty() {
        return Err(escape("it has no name"));
    }
    Ok(path)
}

#[cfg(test)]
mod tests;
