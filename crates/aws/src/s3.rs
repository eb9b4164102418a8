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
    let mut builder = aws_sdk_s3::config::Builder::from(config);
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
pub async fn get_object_version_into(
    client: &Client,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
    writer: &mut impl Write,
) -> Result<u64, AwsError> {
    let output = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .set_version_id(version_id.map(str::to_owned))
        .checksum_mode(aws_sdk_s3::types::ChecksumMode::Enabled)
        .send()
        .await
        .map_err(|error| AwsError::from_sdk("s3:GetObject", object(bucket, key), &error))?;
    let mut body = output.body;
    let mut written = 0_u64;
    loop {
        let chunk = body.try_next().await.map_err(|error| {
            let reason = format!("the object's content was cut off: {}", chain(&error));
            AwsError::new("s3:GetObject", object(bucket, key), Cause::Other { reason })
        })?;
        let Some(chunk) = chunk else { break };
        writer.write_all(&chunk).map_err(|error| {
            let reason = format!("cannot write the object's content: {}", chain(&error));
            AwsError::new("s3:GetObject", object(bucket, key), Cause::Other { reason })
        })?;
        written += chunk.len() as u64;
    }
    Ok(written)
}

#[cfg(test)]
mod tests;
