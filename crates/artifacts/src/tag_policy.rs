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
    tag_problem(reference, &[IMPLICIT_TAG]).map(TagProblem::into_message)
}

/// Why a reference is refused by a deny list of tag names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagProblem {
    /// No tag and no digest: Docker and ECS pull `latest`.
    Untagged(String),
    /// A tag on the deny list, without a digest.
    Denied {
        /// The tag as written.
        tag: String,
        /// What is wrong, naming the reference.
        message: String,
    },
}

impl TagProblem {
    /// The message, whatever the kind.
    #[must_use]
    pub fn into_message(self) -> String {
        match self {
            Self::Untagged(message) | Self::Denied { message, .. } => message,
        }
    }
}

/// [`mutable_tag_problem`] with a deny list of tag names, compared without regard to case
/// (`LATEST` is as mutable as `latest`). An untagged reference is refused when the list holds
/// `latest`, since that is the tag it pulls.
#[must_use]
pub fn tag_problem<S: AsRef<str>>(reference: &ImageReference, deny: &[S]) -> Option<TagProblem> {
    if reference.digest().is_some() {
        return None;
    }
    let denied = |tag: &str| deny.iter().any(|d| d.as_ref().eq_ignore_ascii_case(tag));
    // Quoted without a password in front of the host and shortened past any real length.
    let text = reference.to_string();
    let quoted = crate::secrets::shown_reference(&text);
    match reference.tag() {
        None if denied(IMPLICIT_TAG) => Some(TagProblem::Untagged(format!(
            "`{quoted}` has no tag, so ECS pulls `{IMPLICIT_TAG}`, whatever that is on the day"
        ))),
        Some(tag) if denied(tag) => Some(TagProblem::Denied {
            tag: tag.to_owned(),
            message: format!(
                "`{quoted}` uses the mutable tag `{tag}`, so nobody can tell which build it deploys"
            ),
        }),
        _ => None,
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

    #[test]
    fn deny_lists_are_case_insensitive_and_untagged_needs_latest_denied() {
        let reference = ImageReference::parse("web:Stable").unwrap();
        assert!(matches!(
            tag_problem(&reference, &["latest", "stable"]),
            Some(TagProblem::Denied { tag, .. }) if tag == "Stable"
        ));
        let untagged = ImageReference::parse("web").unwrap();
        assert_eq!(tag_problem(&untagged, &["stable"]), None);
        assert!(matches!(
            tag_problem(&untagged, &["LATEST"]),
            Some(TagProblem::Untagged(_))
        ));
    }
}
