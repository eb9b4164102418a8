//! Names of entries inside a zip: relative, forward slashes, nothing that escapes.

use std::path::{Component, Path};

use super::error::BundleError;

/// The entry name of `relative`, a path relative to the base directory (buildspec's
/// `base-directory`: the base itself is not part of the names).
///
/// Separators become `/` whatever the platform (APPNOTE 4.4.17: "all slashes must be forward
/// slashes"); `.` components are dropped; `..`, roots, drive prefixes and names that are not
/// UTF-8 are refused, since a name that escapes would be refused again by our own unpacker.
pub fn entry_name(relative: &Path) -> Result<String, BundleError> {
    let mut parts = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => {
                let part = part.to_str().ok_or_else(|| BundleError::Name {
                    path: relative.display().to_string(),
                    reason: "it is not valid UTF-8".to_owned(),
                })?;
                if part.contains('\\') {
                    return Err(BundleError::Name {
                        path: relative.display().to_string(),
                        reason: "it contains a backslash, which Windows tools read as a folder separator".to_owned(),
                    });
                }
                parts.push(part);
            }
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(BundleError::Name {
                    path: relative.display().to_string(),
                    reason: "it is outside the base directory".to_owned(),
                });
            }
        }
    }
    if parts.is_empty() {
        return Err(BundleError::Name {
            path: relative.display().to_string(),
            reason: "it names the base directory itself, not a file in it".to_owned(),
        });
    }
    Ok(parts.join("/"))
}
