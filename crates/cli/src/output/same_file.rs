//! Whether two paths name one file.
//!
//! Not the `same-file` crate (in the tree through walkdir): its `Handle` opens each path, and
//! opening a FIFO for reading blocks until a writer comes; a `stat` never does.

use std::fs;
use std::path::Path;

/// A file's identity: its device and inode, links followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Identity {
    device: u64,
    inode: u64,
}

impl Identity {
    /// The identity of the file at `path`; `None` when nothing is there (or it cannot be seen,
    /// in which case it cannot be read either).
    #[cfg(unix)]
    pub(super) fn of(path: &Path) -> Option<Self> {
        use std::os::unix::fs::MetadataExt;
        let metadata = fs::metadata(path).ok()?;
        Some(Self {
            device: metadata.dev(),
            inode: metadata.ino(),
        })
    }

    #[cfg(not(unix))]
    pub(super) fn of(path: &Path) -> Option<Self> {
        // Without inodes, the canonical path stands for the file.
        let canonical = fs::canonicalize(path).ok()?;
        let mut hasher = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&canonical, &mut hasher);
        Some(Self {
            device: 0,
            inode: std::hash::Hasher::finish(&hasher),
        })
    }
}
