//! The CodeBuild environment: the variables builds set, and where relative paths point.
//!
//! CodeBuild runs each buildspec command from `CODEBUILD_SRC_DIR`, but a `cd` in one command
//! carries over to the next, and artifacts are collected relative to `CODEBUILD_SRC_DIR`. A
//! relative path is therefore resolved against it, so a file lands where `artifacts.files`
//! looks for it (the `no matching artifact paths found` failure).

use std::env;
use std::path::{Path, PathBuf};

/// The commit the build is for (CodeBuild "Environment variables in build environments").
pub const RESOLVED_SOURCE_VERSION: &str = "CODEBUILD_RESOLVED_SOURCE_VERSION";
/// The directory CodeBuild checked the primary source out into.
pub const SRC_DIR: &str = "CODEBUILD_SRC_DIR";
/// The build id, `project:uuid`.
pub const BUILD_ID: &str = "CODEBUILD_BUILD_ID";

/// An environment variable, treating an empty value as unset.
#[must_use]
pub fn var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|value| !value.is_empty())
}

/// Resolves `path` for reading or writing: absolute paths as given, relative ones against
/// `CODEBUILD_SRC_DIR` inside CodeBuild and against the working directory elsewhere.
#[must_use]
pub fn resolve(path: &Path) -> PathBuf {
    resolve_in(path, var(SRC_DIR).as_deref().map(Path::new))
}

fn resolve_in(path: &Path, source_dir: Option<&Path>) -> PathBuf {
    match source_dir {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_follow_the_source_directory() {
        let src = Path::new("/codebuild/output/src1/src");
        assert_eq!(
            resolve_in(Path::new("out/a.json"), Some(src)),
            src.join("out/a.json")
        );
        assert_eq!(
            resolve_in(Path::new("/tmp/a.json"), Some(src)),
            Path::new("/tmp/a.json")
        );
        assert_eq!(resolve_in(Path::new("a.json"), None), Path::new("a.json"));
    }
}
