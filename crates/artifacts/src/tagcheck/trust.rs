//! Trusted registries: `--trusted-registry PREFIX` and `trusted-registries` in
//! `.ecs-tagcheck.toml`, the allow-list of hadolint's DL3026
//! (<https://github.com/hadolint/hadolint/wiki/DL3026>) for the images a Dockerfile makes the
//! build pull.
//!
//! Both sides are compared as Docker names them, after the normalisation of
//! distribution/reference (`normalize.go`,
//! <https://github.com/distribution/reference/blob/main/normalize.go>): a name without a
//! registry is on Docker Hub, `docker.io`, and a one-segment Hub name is an official image under
//! `library/`, so `nginx` is `docker.io/library/nginx`; `index.docker.io` is `docker.io`. The
//! first segment is a registry only when it holds a `.` or a `:`, is `localhost`, or has an
//! upper-case letter, so `evil.example/docker.io/x` is on `evil.example`, not on Docker Hub.
//!
//! A prefix covers a name when it is the name or the name continues it with a `/`: matching is
//! on whole path segments, so `gcr.io/distroless` covers `gcr.io/distroless/static` but not
//! `gcr.io/distroless-evil/x`, and `registry.example` covers nothing on
//! `registry.example:5000` (the port is part of the registry). A prefix with a registry keeps
//! its path as written (`docker.io/bitnami` is the `bitnami` organisation); one without a
//! registry is read as Docker reads an image name (`nginx` is `docker.io/library/nginx`).

use std::fmt;

use super::{Policy, rules};
use crate::finding::Finding;
use crate::image_reference::ImageReference;
use crate::location::Location;

/// Docker Hub, as distribution/reference names it.
const DOCKER_HUB: &str = "docker.io";
/// The legacy name of Docker Hub, which distribution/reference rewrites to [`DOCKER_HUB`].
const LEGACY_DOCKER_HUB: &str = "index.docker.io";
/// Where a one-segment Docker Hub name lives.
const OFFICIAL_PREFIX: &str = "library/";

/// One trusted registry or repository prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedPrefix {
    /// As the user wrote it, for messages.
    written: String,
    /// Normalised: `registry/path…`, the registry in lower case.
    normalised: String,
}

impl fmt::Display for TrustedPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

/// Whether the first segment of a name is a registry host, as distribution/reference decides
/// (`splitDockerDomain`).
fn is_registry(segment: &str) -> bool {
    segment.contains(['.', ':'])
        || segment == "localhost"
        || segment.chars().any(|c| c.is_ascii_uppercase())
}

/// `registry` with Docker Hub's legacy name replaced, in lower case (host names are).
fn normal_registry(registry: &str) -> String {
    let lower = registry.to_ascii_lowercase();
    if lower == LEGACY_DOCKER_HUB {
        DOCKER_HUB.to_owned()
    } else {
        lower
    }
}

impl TrustedPrefix {
    /// Reads a prefix: `REGISTRY[/PATH…]`, or a Docker Hub `PATH…`. Tags, digests, empty
    /// segments and upper-case paths are refused: they could never match anything.
    pub fn parse(text: &str) -> Result<Self, String> {
        let written = text.trim();
        let trimmed = written.strip_suffix('/').unwrap_or(written);
        if trimmed.is_empty() {
            return Err("a trusted registry prefix cannot be empty".to_owned());
        }
        if trimmed.contains('@') {
            return Err(format!(
                "`{written}` has a digest; a trusted prefix names a registry or repository"
            ));
        }
        let mut segments = trimmed.split('/');
        let first = segments.next().unwrap_or_default();
        // `host:port` is a registry; `name:tag` is an image, which no prefix should be.
        let port = first.rsplit_once(':').map(|(_, port)| port);
        if port.is_some_and(|port| {
            !port.ends_with(']') && (port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()))
        }) {
            return Err(format!(
                "`{written}` has a tag; a trusted prefix names a registry or repository"
            ));
        }
        let (registry, path): (String, Vec<&str>) = if is_registry(first) {
            (normal_registry(first), segments.collect())
        } else {
            let path: Vec<&str> = trimmed.split('/').collect();
            (DOCKER_HUB.to_owned(), path)
        };
        for segment in &path {
            let valid = !segment.is_empty()
                && segment
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
            if !valid {
                return Err(format!(
                    "`{written}` has the path segment `{segment}`; repository paths are lower-case letters, digits and `._-`, without a tag"
                ));
            }
        }
        let mut normalised = registry;
        if !is_registry(first) && path.len() == 1 {
            normalised.push('/');
            normalised.push_str(OFFICIAL_PREFIX.trim_end_matches('/'));
        }
        for segment in path {
            normalised.push('/');
            normalised.push_str(segment);
        }
        Ok(Self {
            written: written.to_owned(),
            normalised,
        })
    }

    /// The prefix after normalisation: `docker.io/library/nginx` for `nginx`.
    #[must_use]
    pub fn normalised(&self) -> &str {
        &self.normalised
    }

    /// Whether the name of `reference` is this prefix or continues it after a `/`.
    #[must_use]
    pub fn covers(&self, reference: &ImageReference) -> bool {
        let name = normalised_name(reference);
        name == self.normalised
            || name
                .strip_prefix(&self.normalised)
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

/// The name Docker pulls `reference` by, without tag or digest: `nginx:1.27` is
/// `docker.io/library/nginx`, `index.docker.io/team/web` is `docker.io/team/web`.
#[must_use]
pub fn normalised_name(reference: &ImageReference) -> String {
    let registry = reference
        .registry()
        .map_or_else(|| DOCKER_HUB.to_owned(), normal_registry);
    let repository = reference.repository();
    if registry == DOCKER_HUB && !repository.contains('/') {
        format!("{registry}/{OFFICIAL_PREFIX}{repository}")
    } else {
        format!("{registry}/{repository}")
    }
}

/// The finding for `reference` at `location` when the policy has trusted prefixes and none
/// covers it.
#[must_use]
pub fn check(reference: &ImageReference, location: &Location, policy: &Policy) -> Option<Finding> {
    if policy.trusted.is_empty() || policy.trusted.iter().any(|t| t.covers(reference)) {
        return None;
    }
    Some(
        Finding::policy(
            rules::UNTRUSTED_REGISTRY,
            format!(
                "`{reference}` is pulled from `{}`, which no trusted registry or repository prefix covers",
                normalised_name(reference)
            ),
        )
        .at(location)
        .help("pull it from a trusted registry (an ECR pull-through cache, for one), or add its registry or repository to `--trusted-registry` or `trusted-registries` in .ecs-tagcheck.toml"),
    )
}

#[cfg(test)]
mod tests;
