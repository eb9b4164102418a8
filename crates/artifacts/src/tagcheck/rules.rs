//! The rules of `ecs-tagcheck`: stable ids, default severities and what each one means.
//!
//! The ids are part of the interface (waivers, `[severity]` in the config file, SARIF rule ids
//! and JUnit test names name them), so they never change meaning once released.

use crate::finding::Severity;

/// One rule: its id, its default severity and a one-line summary for reports and `--help`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The stable id, such as `latest-tag`.
    pub id: &'static str,
    /// The severity unless the config file overrides it.
    pub severity: Severity,
    /// What the rule refuses.
    pub summary: &'static str,
}

/// A reference uses `latest` (any case) without a digest.
pub const LATEST_TAG: &str = "latest-tag";
/// A reference uses another tag on the deny list without a digest.
pub const DENIED_TAG: &str = "denied-tag";
/// A reference has neither tag nor digest, so `latest` is pulled.
pub const UNTAGGED_IMAGE: &str = "untagged-image";
/// `--ecr`: the tag is mutable under its repository's settings.
pub const MUTABLE_TAG_IN_ECR: &str = "mutable-tag-in-ecr";
/// `--ecr`: the tag or digest does not exist in its repository.
pub const IMAGE_NOT_FOUND: &str = "image-not-found";
/// `--require-digest`: a reference is not pinned by digest.
pub const MISSING_DIGEST: &str = "missing-digest";
/// `--trusted-registry`: a Dockerfile pulls an image no trusted prefix covers.
pub const UNTRUSTED_REGISTRY: &str = "untrusted-registry";
/// A script falls back to `latest` when a variable is unset.
pub const LATEST_FALLBACK: &str = "latest-fallback";
/// A CodePipeline ECR source action without `ImageTag` or with `latest`.
pub const ECR_SOURCE_TRACKS_LATEST: &str = "ecr-source-tracks-latest";
/// An ECR repository defined without immutable tags.
pub const MUTABLE_REPOSITORY: &str = "mutable-repository";
/// A reference built from variables that cannot be resolved here.
pub const UNRESOLVED_VARIABLE: &str = "unresolved-variable";
/// A waiver that matches no finding.
pub const STALE_WAIVER: &str = "stale-waiver";
/// A waiver without a reason, or naming no known rule.
pub const INVALID_WAIVER: &str = "invalid-waiver";
/// A file that cannot be read as its kind.
pub const INVALID_FILE: &str = "invalid-file";

/// Every rule, in the order docs/programs/ecs-tagcheck.md documents them.
pub const RULES: &[Rule] = &[
    rule(
        LATEST_TAG,
        Severity::Error,
        "an image uses the mutable tag `latest` without a digest",
    ),
    rule(
        DENIED_TAG,
        Severity::Error,
        "an image uses a tag on the deny list without a digest",
    ),
    rule(
        UNTAGGED_IMAGE,
        Severity::Error,
        "an image has no tag and no digest, so `latest` is pulled",
    ),
    rule(
        MUTABLE_TAG_IN_ECR,
        Severity::Error,
        "the tag can be overwritten in its ECR repository",
    ),
    rule(
        IMAGE_NOT_FOUND,
        Severity::Error,
        "the tag or digest does not exist in its ECR repository",
    ),
    rule(
        MISSING_DIGEST,
        Severity::Error,
        "an image is not pinned by digest (with `--require-digest`)",
    ),
    rule(
        UNTRUSTED_REGISTRY,
        Severity::Error,
        "a Dockerfile pulls an image from outside the trusted registries (with `--trusted-registry`)",
    ),
    rule(
        LATEST_FALLBACK,
        Severity::Error,
        "a script falls back to `latest` when a variable is unset",
    ),
    rule(
        ECR_SOURCE_TRACKS_LATEST,
        Severity::Error,
        "a CodePipeline ECR source action tracks `latest`",
    ),
    rule(
        MUTABLE_REPOSITORY,
        Severity::Error,
        "an ECR repository is defined without immutable tags",
    ),
    rule(
        UNRESOLVED_VARIABLE,
        Severity::Warning,
        "an image is built from variables that cannot be resolved",
    ),
    rule(
        STALE_WAIVER,
        Severity::Warning,
        "a waiver matches no finding",
    ),
    rule(
        INVALID_WAIVER,
        Severity::Error,
        "a waiver has no reason or names no known rule",
    ),
    rule(
        INVALID_FILE,
        Severity::Error,
        "a file cannot be read as what its name says it is",
    ),
];

const fn rule(id: &'static str, severity: Severity, summary: &'static str) -> Rule {
    Rule {
        id,
        severity,
        summary,
    }
}

/// The rule with this id.
#[must_use]
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.id == id)
}

/// The default severity of `id`; unknown ids are errors, so a typo never hides a finding.
#[must_use]
pub fn default_severity(id: &str) -> Severity {
    find(id).map_or(Severity::Error, |rule| rule.severity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case() {
        for (index, rule) in RULES.iter().enumerate() {
            assert!(rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            assert!(RULES[..index].iter().all(|other| other.id != rule.id));
        }
        assert_eq!(default_severity(STALE_WAIVER), Severity::Warning);
        assert_eq!(default_severity("no-such-rule"), Severity::Error);
    }
}
