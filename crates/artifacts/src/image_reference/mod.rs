//! Container image references, parsed the way Docker and ECS read them.
//!
//! The grammar is distribution/reference's (`reference.go`, `regexp.go`):
//!
//! ```text
//! reference        := name [ ":" tag ] [ "@" digest ]
//! name             := [ domain "/" ] path-component ( "/" path-component )*
//! domain           := host [ ":" port ]      host := domain-name | IPv4 | "[" IPv6 "]"
//! path-component   := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//! tag              := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//! digest           := algorithm ":" [0-9a-fA-F]{32,}
//! ```
//!
//! Unlike the general-purpose parsers (`oci-spec`, `docker-image-reference`), this one keeps the
//! user's string exactly as written: `nginx` stays `nginx` and is never rewritten to
//! `docker.io/library/nginx:latest`, because whatever we write into `imageUri` is what ECS pulls.
//! It also says which part of a bad reference is wrong, which the task-definition and
//! image-file checks need for their messages, and it knows ECR's registry hosts and ECS's own
//! limits on the `image` field.

mod ecr;
mod error;
mod grammar;

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

pub use ecr::{EcrRegistry, EcrRegistryKind};
pub use error::{ImageReferenceError, ReferencePart};

/// The tag Docker assumes when a reference names neither a tag nor a digest.
pub const IMPLICIT_TAG: &str = "latest";

/// ECS stores at most 255 characters of `image` before the `@` of a digest.
/// Source: `ContainerDefinition.image` in the ECS API model.
pub const ECS_IMAGE_MAX_LEN: usize = 255;

/// A parsed container image reference that remembers the exact text it came from.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ImageReference {
    original: String,
    domain: Option<Range<usize>>,
    path: Range<usize>,
    tag: Option<Range<usize>>,
    digest: Option<Range<usize>>,
}

impl ImageReference {
    /// Parses `input` under the distribution grammar.
    pub fn parse(input: &str) -> Result<Self, ImageReferenceError> {
        grammar::parse(input)
    }

    /// The reference exactly as the user wrote it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.original
    }

    /// The registry host (with its port), when the reference names one.
    #[must_use]
    pub fn registry(&self) -> Option<&str> {
        self.domain.clone().map(|range| &self.original[range])
    }

    /// The repository path within the registry, such as `team/web`.
    #[must_use]
    pub fn repository(&self) -> &str {
        &self.original[self.path.clone()]
    }

    /// Registry and repository, without tag or digest: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/web`.
    #[must_use]
    pub fn name(&self) -> &str {
        let start = self
            .domain
            .as_ref()
            .map_or(self.path.start, |domain| domain.start);
        &self.original[start..self.path.end]
    }

    /// The tag as written, if any.
    #[must_use]
    pub fn tag(&self) -> Option<&str> {
        self.tag.clone().map(|range| &self.original[range])
    }

    /// The digest as written, if any.
    #[must_use]
    pub fn digest(&self) -> Option<Digest<'_>> {
        self.digest
            .clone()
            .map(|range| Digest::split(&self.original[range]))
    }

    /// True when the reference has neither tag nor digest, so Docker and ECS pull `latest`.
    #[must_use]
    pub fn is_implicitly_latest(&self) -> bool {
        self.tag.is_none() && self.digest.is_none()
    }

    /// The tag that will be pulled when there is no digest: the written tag or the implicit `latest`.
    #[must_use]
    pub fn effective_tag(&self) -> Option<&str> {
        match (self.tag(), self.digest.is_some()) {
            (Some(tag), _) => Some(tag),
            (None, false) => Some(IMPLICIT_TAG),
            (None, true) => None,
        }
    }

    /// The ECR registry this reference points at, when it is an ECR host.
    #[must_use]
    pub fn ecr(&self) -> Option<EcrRegistry<'_>> {
        ecr::recognise(self.registry()?, self.repository())
    }

    /// The same image pinned by `digest`: `name@digest`, the form ECR's own `imageDetail.json` uses.
    ///
    /// The tag is dropped because a digest already names exactly one manifest, and ECS documents
    /// only the `repository@digest` form.
    #[must_use]
    pub fn pinned(&self, digest: &Digest<'_>) -> String {
        format!("{}@{}", self.name(), digest)
    }

    /// What ECS would refuse in this reference even though the grammar allows it.
    ///
    /// Source: `ContainerDefinition.image` in the ECS API model: up to 255 characters from
    /// `[A-Za-z0-9-_:./#]` before the `@`, and only `sha256` digests of 64 hex characters.
    #[must_use]
    pub fn ecs_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let before_digest = self
            .digest
            .as_ref()
            .map_or(self.original.as_str(), |digest| {
                &self.original[..digest.start - 1]
            });
        if before_digest.len() > ECS_IMAGE_MAX_LEN {
            problems.push(format!(
                "ECS accepts at most {ECS_IMAGE_MAX_LEN} characters before the digest, and this \
                 reference has {}",
                before_digest.len()
            ));
        }
        if let Some(bad) = before_digest
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "-_:./#".contains(*c)))
        {
            problems.push(format!(
                "ECS does not accept the character `{bad}` in an image; it allows letters, \
                 digits and `-_:./#`"
            ));
        }
        if let Some(digest) = self.digest()
            && digest.algorithm != "sha256"
        {
            problems.push(format!(
                "ECS supports only `sha256` digests, not `{}`",
                digest.algorithm
            ));
        }
        problems
    }
}

/// Checks a tag on its own, as given in `IMAGE_TAG`.
pub fn validate_tag(tag: &str) -> Result<(), ImageReferenceError> {
    grammar::check_tag(tag, tag)
}

impl FromStr for ImageReference {
    type Err = ImageReferenceError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::parse(input)
    }
}

impl fmt::Display for ImageReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

impl fmt::Debug for ImageReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImageReference")
            .field("original", &self.original)
            .field("registry", &self.registry())
            .field("repository", &self.repository())
            .field("tag", &self.tag())
            .field("digest", &self.digest().map(|d| d.to_string()))
            .finish_non_exhaustive()
    }
}

/// A content digest, `algorithm:encoded`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Digest<'a> {
    /// The hash algorithm, such as `sha256`.
    pub algorithm: &'a str,
    /// The hex-encoded hash.
    pub encoded: &'a str,
}

impl<'a> Digest<'a> {
    /// Parses a digest on its own, as given to `--digest`.
    pub fn parse(input: &'a str) -> Result<Self, ImageReferenceError> {
        grammar::check_digest(input, input)?;
        Ok(Self::split(input))
    }

    fn split(text: &'a str) -> Self {
        let (algorithm, encoded) = text.split_once(':').unwrap_or((text, ""));
        Self { algorithm, encoded }
    }
}

impl fmt::Display for Digest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm, self.encoded)
    }
}

#[cfg(test)]
mod tests;
