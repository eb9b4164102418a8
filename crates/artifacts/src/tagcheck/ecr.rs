//! ECR's tag mutability, decided from a repository's settings: all four modes and their
//! exclusion filters (`docs/aws/image-references.md#ecr-tag-mutability`, ECR API `ImageTagMutability`).

use super::glob::wildcard_match;
use super::rules;
use crate::finding::Finding;
use crate::image_reference::ImageReference;

/// A repository's `imageTagMutability`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mutability {
    /// Tags can be overwritten (ECR's default).
    Mutable,
    /// No tag can be overwritten.
    Immutable,
    /// Tags are immutable except those matching a filter.
    ImmutableWithExclusion,
    /// Tags are mutable except those matching a filter.
    MutableWithExclusion,
}

impl Mutability {
    /// Reads the API's value; `None` for a value this build does not know.
    #[must_use]
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "MUTABLE" => Some(Self::Mutable),
            "IMMUTABLE" => Some(Self::Immutable),
            "IMMUTABLE_WITH_EXCLUSION" => Some(Self::ImmutableWithExclusion),
            "MUTABLE_WITH_EXCLUSION" => Some(Self::MutableWithExclusion),
            _ => None,
        }
    }
}

/// Whether `tag` can be overwritten in a repository with `mode` and the wildcard exclusion
/// `filters`, where `*` is any run of characters.
#[must_use]
pub fn is_tag_mutable(mode: Mutability, filters: &[String], tag: &str) -> bool {
    let excluded = filters.iter().any(|filter| wildcard_match(filter, tag));
    match mode {
        Mutability::Mutable => true,
        Mutability::Immutable => false,
        Mutability::ImmutableWithExclusion => excluded,
        Mutability::MutableWithExclusion => !excluded,
    }
}

/// The `mutable-tag-in-ecr` finding for `reference` in a repository with these settings, or
/// `None` when it is pinned: a digest is immutable whatever the repository says.
#[must_use]
pub fn mutable_tag_finding(
    reference: &ImageReference,
    mode: Mutability,
    filters: &[String],
) -> Option<Finding> {
    if reference.digest().is_some() {
        return None;
    }
    let tag = reference.effective_tag()?;
    if !is_tag_mutable(mode, filters, tag) {
        return None;
    }
    let why = match mode {
        Mutability::Mutable => "the repository's tags are `MUTABLE`".to_owned(),
        Mutability::ImmutableWithExclusion => {
            format!("it matches an exclusion filter ({})", shown(filters))
        }
        Mutability::MutableWithExclusion => format!(
            "the repository is `MUTABLE_WITH_EXCLUSION` and it matches none of its filters ({})",
            shown(filters)
        ),
        Mutability::Immutable => unreachable!("immutable tags are never mutable"),
    };
    Some(
        Finding::error(
            rules::MUTABLE_TAG_IN_ECR,
            format!("the tag `{tag}` of `{reference}` can be overwritten: {why}"),
        )
        .help("pin the digest (`ecs-tagcheck --ecr --pin`), or make the repository's tags immutable (`aws ecr put-image-tag-mutability --image-tag-mutability IMMUTABLE`)"),
    )
}

fn shown(filters: &[String]) -> String {
    if filters.is_empty() {
        return "none".to_owned();
    }
    filters
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(list: &[&str]) -> Vec<String> {
        list.iter().map(|f| (*f).to_owned()).collect()
    }

    #[test]
    fn all_four_modes() {
        let dev = filters(&["dev-*", "latest"]);
        assert!(is_tag_mutable(Mutability::Mutable, &[], "v1"));
        assert!(!is_tag_mutable(Mutability::Immutable, &dev, "dev-1"));
        assert!(is_tag_mutable(
            Mutability::ImmutableWithExclusion,
            &dev,
            "dev-1"
        ));
        assert!(is_tag_mutable(
            Mutability::ImmutableWithExclusion,
            &dev,
            "latest"
        ));
        assert!(!is_tag_mutable(
            Mutability::ImmutableWithExclusion,
            &dev,
            "v1.2"
        ));
        assert!(!is_tag_mutable(
            Mutability::MutableWithExclusion,
            &dev,
            "dev-"
        ));
        assert!(is_tag_mutable(
            Mutability::MutableWithExclusion,
            &dev,
            "v1.2"
        ));
        assert_eq!(
            Mutability::parse("IMMUTABLE_WITH_EXCLUSION"),
            Some(Mutability::ImmutableWithExclusion)
        );
        assert_eq!(Mutability::parse("immutable"), None);
    }

    #[test]
    fn findings_name_the_reason_and_digests_pass() {
        let reference =
            ImageReference::parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:dev-7")
                .unwrap();
        let finding = mutable_tag_finding(
            &reference,
            Mutability::ImmutableWithExclusion,
            &filters(&["dev-*"]),
        )
        .unwrap();
        assert!(
            finding
                .message
                .contains("matches an exclusion filter (`dev-*`)"),
            "{}",
            finding.message
        );
        assert!(mutable_tag_finding(&reference, Mutability::Immutable, &[]).is_none());
        let untagged =
            ImageReference::parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web").unwrap();
        assert!(
            mutable_tag_finding(&untagged, Mutability::Mutable, &[])
                .unwrap()
                .message
                .contains("`latest`")
        );
        let pinned = ImageReference::parse(
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:dev-7@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        )
        .unwrap();
        assert!(mutable_tag_finding(&pinned, Mutability::Mutable, &[]).is_none());
    }
}
