//! Which image references pin what they deploy, and which can change under the deployment.

use crate::image_reference::{IMPLICIT_TAG, ImageReference};

/// What the caller allows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TagPolicy {
    /// Accept `latest` and untagged references (`--allow-mutable-tag`).
    pub allow_mutable_tags: bool,
}

/// Why `reference` deploys whatever its tag points at today, or `None` when it is pinned enough.
///
/// A digest pins the image whatever the tag says (`nginx:latest@sha256:…` is pinned). Without
/// one, `latest` and an absent tag (which Docker and ECS read as `latest`) are refused: they
/// make it impossible to tell from a task which build it runs. Mutability of other tags needs
/// the repository's ECR settings and is decided by `ecs-tagcheck`.
#[must_use]
pub fn mutable_tag_problem(reference: &ImageReference) -> Option<String> {
    if reference.digest().is_some() {
        return None;
    }
    match reference.tag() {
        None => Some(format!(
            "`{reference}` has no tag, so ECS pulls `{IMPLICIT_TAG}`, whatever that is on the day"
        )),
        Some(tag) if tag.eq_ignore_ascii_case(IMPLICIT_TAG) => Some(format!(
            "`{reference}` uses the mutable tag `{tag}`, so nobody can tell which build it deploys"
        )),
        Some(_) => None,
    }
}

/// The help line that goes with a mutable-tag finding.
pub const MUTABLE_TAG_HELP: &str = "tag the image with the commit id (`$CODEBUILD_RESOLVED_SOURCE_VERSION`) \
     or pin it by digest (`@sha256:…`); `--allow-mutable-tag` accepts it anyway";

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(input: &str) -> Option<String> {
        mutable_tag_problem(&ImageReference::parse(input).unwrap())
    }

    #[test]
    fn latest_and_untagged_are_mutable() {
        assert!(problem("nginx").unwrap().contains("has no tag"));
        assert!(
            problem("nginx:latest")
                .unwrap()
                .contains("mutable tag `latest`")
        );
        assert!(problem("nginx:LATEST").is_some());
        assert!(problem("localhost:5000/web").is_some());
    }

    #[test]
    fn digests_and_other_tags_pass() {
        let sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        assert_eq!(problem(&format!("nginx:latest@{sha}")), None);
        assert_eq!(problem(&format!("nginx@{sha}")), None);
        assert_eq!(problem("nginx:1.27"), None);
        assert_eq!(problem("nginx:latest-alpine"), None);
    }
}
