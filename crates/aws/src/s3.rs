//! Amazon S3: the artifact store and the source bucket of the pipelines.
//!
//! One function per question: put an object (from memory or streamed from a file), get an
//! object (into memory or streamed into a writer). Every failure is an [`AwsError`] naming the
//! IAM action, the bucket and the key.

use std::io::Write;
use std::path::Path;

use aws_config::SdkConfig;
use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use aws_types::service_config::ServiceConfigKey;

use crate::error::{AwsError, Cause, Resource, chain};

mod upload;

pub use upload::{PART_SIZE, PARTS_IN_FLIGHT, UploadOptions, upload_file, versioning_enabled};

/// The service id, environment variable stem and profile key the SDK resolves S3's endpoint
/// with: `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`, then `endpoint_url` in the profile's
/// `services` section and the profile (aws-sdk-s3 1.157.0, `config.rs`).
const ENDPOINT_KEY: (&str, &str, &str) = ("S3", "AWS_ENDPOINT_URL", "endpoint_url");

/// An S3 client from the shared configuration, with path-style addressing when the endpoint is
/// overridden.
///
/// With an override such as `http://localhost:4566`, the SDK would otherwise address
/// `bucket.localhost` and fail on DNS, and it does not read `AWS_S3_FORCE_PATH_STYLE`. S3
/// itself still serves path-style requests, so pointing the tools at a regional or VPC endpoint
/// of S3 keeps working. (Access point ARNs and directory buckets refuse path style; the tools
/// use neither.)
#[must_use]
pub fn client(config: &SdkConfig) -> Client {
    // Its answers read through the bound, but for `GetObject`'s (crate::bounded::STREAMED).
    let mut builder =
        aws_sdk_s3::config::Builder::from(config).interceptor(crate::bounded::BoundedAnswer);
    if needs_path_style(endpoint_override(config).as_deref()) {
        builder = builder.force_path_style(true);
    }
    Client::from_conf(builder.build())
}

/// The endpoint URL the S3 client will use instead of AWS's, resolved as the SDK resolves it:
/// an endpoint set in code wins; otherwise the service-specific settings, then the shared one.
fn endpoint_override(config: &SdkConfig) -> Option<String> {
    if !config.get_origin("endpoint_url").is_client_config() {
        let (service_id, env, profile) = ENDPOINT_KEY;
        let key = ServiceConfigKey::builder()
            .service_id(service_id)
            .env(env)
            .profile(profile)
            .build();
        if let Some(url) = key
            .ok()
            .and_then(|key| config.service_config()?.load_config(key))
        {
            return Some(url);
        }
    }
    config.endpoint_url().map(str::to_owned)
}

/// Whether to address buckets in the path (`http://host/bucket/key`) rather than in the host
/// name (`http://bucket.host/key`): whenever the endpoint is overridden.
fn needs_path_style(endpoint: Option<&str>) -> bool {
    endpoint.is_some_and(|url| !url.trim().is_empty())
}

/// What S3 answered to a successful put.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PutOutcome {
    /// The entity tag, quoted as S3 returns it (`"9b2cf535f27731c974343645a3985328"`). For a
    /// single-part upload without SSE-KMS it is the MD5 of the content.
    pub etag: Option<String>,
    /// The version id, when the bucket has versioning enabled (CodePipeline's S3 source action
    /// requires it).
    pub version_id: Option<String>,
}

fn object(bucket: &str, key: &str) -> Resource {
    Resource::S3Object {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
    }
}

/// Puts `body` at `key` in `bucket`. Anything that converts into a [`ByteStream`] will do: a
/// `Vec<u8>`, `bytes::Bytes`, or a stream from [`ByteStream::from_path`].
pub async fn put_object(
    client: &Client,
    bucket: &str,
    key: &str,
    body: impl Into<ByteStream>,
) -> Result<PutOutcome, AwsError> {
    let output = client
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(body.into())
        .send()
        .await
        .map_err(|error| AwsError::from_sdk("s3:PutObject", object(bucket, key), &error))?;
    Ok(PutOutcome {
        etag: output.e_tag,
        version_id: output.version_id,
    })
}

/// Puts the file at `path` at `key` in `bucket`, streaming it from disk so that memory does not
/// grow with the artifact's size.
pub async fn put_file(
    client: &Client,
    bucket: &str,
    key: &str,
    path: &Path,
) -> Result<PutOutcome, AwsError> {
    let body = ByteStream::from_path(path).await.map_err(|error| {
        let cause = Cause::File {
            path: path.to_owned(),
            reason: chain(&error),
        };
        AwsError::new("s3:PutObject", object(bucket, key), cause)
    })?;
    put_object(client, bucket, key, body).await
}

/// Gets the object at `key` in `bucket`, whole, into memory.
pub async fn get_object(client: &Client, bucket: &str, key: &str) -> Result<Vec<u8>, AwsError> {
    let mut content = Vec::new();
    get_object_into(client, bucket, key, &mut content).await?;
    Ok(content)
}

/// Gets the object at `key` in `bucket` and writes it to `writer` as it arrives, so that memory
/// does not grow with the object's size; returns the number of bytes written.
///
/// The writes are blocking `std::io` writes, which is what the command-line programs want (a
/// file, stdout); wrap the writer in a `BufWriter` for a file.
pub async fn get_object_into(
    client: &Client,
    bucket: &str,
    key: &str,
    writer: &mut impl Write,
) -> Result<u64, AwsError> {
    get_object_version_into(client, bucket, key, None, writer).await
}

/// Like [`get_object_into`], for one version of the object (`None`: the latest). The SDK
/// checks the content against the checksum S3 stored with it, when there is one.
///
/// The SDK retries a call only until the answer's head arrives; a body cut off after that is
/// the caller's to retry (aws-smithy-runtime 1.16.2, the orchestrator hands streaming bodies
/// over unread). So a cut-off download resumes where it stopped, with `Range` and `If-Match`
/// on the first answer's `ETag` so that the pieces are of one object, as many times as the
/// configured attempts allow; the whole content is then checked against the stored CRC-32.
pub async fn get_object_version_into(
    client: &Client,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
    writer: &mut impl Write,
) -> Result<u64, AwsError> {
    let attempts = client
        .config()
        .retry_config()
        .map_or(1, aws_sdk_s3::config::retry::RetryConfig::max_attempts);
    let mut download = Download::default();
    let mut attempt = 1;
    loop {
        let request = client
            .get_object()
            .bucket(bucket)
            .key(key)
            .set_version_id(version_id.map(str::to_owned));
        let request = if download.written == 0 {
            request.checksum_mode(aws_sdk_s3::types::ChecksumMode::Enabled)
        } else {
            request
                .range(format!("bytes={}-", download.written))
                .set_if_match(download.etag.clone())
        };
        let output = request
            .send()
            .await
            .map_err(|error| AwsError::from_sdk("s3:GetObject", object(bucket, key), &error))?;
        if download.written == 0 {
            download.etag.clone_from(&output.e_tag);
            download.stored_crc32 = output.checksum_crc32.clone();
        }
        match download.copy(output.body, writer).await {
            Ok(()) => break,
            Err(Copy::Write(error)) => {
                let reason = format!("cannot write the object's content: {}", chain(&error));
                return Err(AwsError::new(
                    "s3:GetObject",
                    object(bucket, key),
                    Cause::Other { reason },
                ));
            }
            Err(Copy::Cut(reason)) if attempt >= attempts => {
                let reason = format!("the object's content was cut off: {reason}");
                return Err(AwsError::new(
                    "s3:GetObject",
                    object(bucket, key),
                    Cause::Other { reason },
                ));
            }
            Err(Copy::Cut(_)) => attempt += 1,
        }
    }
    if attempt > 1 {
        download.check(bucket, key)?;
    }
    Ok(download.written)
}

/// A download in progress: what was written, and what it must add up to.
#[derive(Default)]
struct Download {
    written: u64,
    etag: Option<String>,
    stored_crc32: Option<String>,
    crc32: crc32fast::Hasher,
}

enum Copy {
    Cut(String),
    Write(std::io::Error),
}

impl Download {
    async fn copy(&mut self, mut body: ByteStream, writer: &mut impl Write) -> Result<(), Copy> {
        while let Some(chunk) = body
            .try_next()
            .await
            .map_err(|error| Copy::Cut(chain(&error)))?
        {
            writer.write_all(&chunk).map_err(Copy::Write)?;
            self.crc32.update(&chunk);
            self.written += chunk.len() as u64;
        }
        Ok(())
    }

    /// Checks a resumed download against the object's full CRC-32; a multipart object's
    /// checksum of checksums (`…-3`) cannot be checked from the bytes, so it is skipped.
    fn check(&self, bucket: &str, key: &str) -> Result<(), AwsError> {
        let Some(stored) = self.stored_crc32.as_deref().filter(|c| !c.contains('-')) else {
            return Ok(());
        };
        let read = aws_smithy_types::base64::encode(self.crc32.clone().finalize().to_be_bytes());
        if read == stored {
            return Ok(());
        }
        let reason = format!(
            "the resumed download has CRC-32 `{read}`, not the `{stored}` S3 stored; the content is not trustworthy"
        );
        Err(AwsError::new(
            "s3:GetObject",
            object(bucket, key),
            Cause::Other { reason },
        ))
    }
}

#[cfg(test)]
mod tests;
