//! Thin adapters over the AWS SDK for Rust: one function per question the ecs-deploy-kit
//! programs ask AWS, each returning an [`AwsError`] that says which call failed, on what, what
//! AWS answered, and what to do about it.
//!
//! Credentials, region and endpoint come from the standard chain ([`config::load`]), so
//! `AWS_PROFILE`, `AWS_REGION`, `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>` work as in
//! every AWS tool. Nothing here holds or prints a secret.
//!
//! # Quirks this crate absorbs
//!
//! Why each one exists, in one sentence, and where it was found:
//!
//! - S3 and a `localhost` endpoint: the SDK addresses `bucket.localhost` (virtual-host style) and
//!   fails on DNS, and `AWS_S3_FORCE_PATH_STYLE` is not read by the Rust SDK, so [`s3::client`]
//!   forces path style whenever an endpoint override is set (`docs/aws/local-endpoint.md#reaching-the-endpoint`).
//! - `AWS_ENDPOINT_URL_S3` is resolved inside `aws_sdk_s3::config::Builder::from(&SdkConfig)`
//!   and is invisible in `SdkConfig::endpoint_url()`, so [`s3::client`] asks the same
//!   service-config loader with the same key (aws-sdk-s3 1.157.0, `src/config.rs`).
//! - An invalid `AWS_MAX_ATTEMPTS` (`0`, `abc`) or `AWS_RETRY_MODE` makes aws-config *panic* while
//!   loading, so [`config::try_load`] checks both first and returns an error instead (aws-config
//!   1.13.0, `default_provider/retry_config.rs`, "# Panics").
//! - Credentials that cannot be loaded (none configured, SSO session expired, broken profile)
//!   come back as a dispatch failure with the `CredentialsError` deep in the source chain, not
//!   as a service error, so [`AwsError`] walks the chain to recognise them (aws-smithy-runtime-api
//!   1.20.0, `client/orchestrator.rs`, `into_sdk_error`).
//! - `NoSuchBucket` is not a modelled error of `GetObject` or `PutObject`: only the error code
//!   carries it, so [`AwsError`] keys its help on codes, never on error variants (S3 API model).
//! - `HEAD` responses have no body, so a missing object or bucket there has no error code,
//!   only HTTP 404; [`AwsError::status`] keeps the status for it (S3 API reference, `HeadObject`).
//! - Unimplemented operations of the local endpoint answer HTTP 500, which the standard retry
//!   mode tries three times with backoff: slow but correct, so nothing is special-cased here
//!   (`docs/aws/local-endpoint.md#retries`).

mod bounded;
pub mod codedeploy;
pub mod codepipeline;
pub mod config;
pub mod ecr;
pub mod ecs;
pub mod error;
pub mod live;
mod raw;
pub mod rollback;
pub mod s3;
pub mod scaling;

pub use error::{AwsError, Cause, Resource};

/// `bytes` as lowercase hex: a digest as S3's `ETag` and OCI's `sha256:` digests write it.
pub(crate) fn lower_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(2 * bytes.len()), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

#[cfg(test)]
mod testing;
