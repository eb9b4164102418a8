//! The account, registry, digests and image manifest the tests write into their inputs, defined
//! once. The files under `tests/fixtures/` and `examples/` carry the same values.

use std::fs;

/// The AWS account of every ARN and registry in the tests.
pub(crate) const ACCOUNT: &str = "123456789012";

/// The private ECR registry of [`ACCOUNT`] in `eu-west-1`, as a literal for `concat!` in
/// constant tables; [`ECR`] everywhere else.
macro_rules! ecr_registry {
    () => {
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
    };
}
#[allow(
    unused_imports,
    reason = "only the `offline` target builds constant tables with it"
)]
pub(crate) use ecr_registry;

/// The private ECR registry of [`ACCOUNT`] in `eu-west-1`.
pub(crate) const ECR: &str = ecr_registry!();

/// The repository of the sample service (`examples/web-service`).
pub(crate) const REPOSITORY: &str = "web-service";

/// A digest to pin images by.
pub(crate) const SHA: &str =
    "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// A second digest, for a second image or for a change of digest.
pub(crate) const OTHER_SHA: &str =
    "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

/// The digest of the sample service's image, as `examples/web-service/build.env` and the files
/// under `tests/fixtures/` (services, bundle) carry it.
pub(crate) const EXAMPLE_SHA: &str =
    "sha256:7d2a1f0c9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29";

/// A Docker image manifest (schema 2) with no layers, for `ecr put-image`; moto stores it and
/// answers with its digest.
pub(crate) const MANIFEST: &str = r#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7023,"digest":"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},"layers":[]}"#;

/// A file of `tests/fixtures/bundle/`: the artifact files `ecs-bundle` zips.
pub(crate) fn bundle_file(name: &str) -> Vec<u8> {
    fs::read(format!("tests/fixtures/bundle/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}
