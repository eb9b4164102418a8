//! Uploading an artifact file: one put for a small file, a multipart upload with a few parts in
//! flight for a large one; SSE-KMS, provenance metadata and a CRC-32 checksum per request.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketVersioningStatus, ChecksumAlgorithm, CompletedMultipartUpload, CompletedPart,
    ServerSideEncryption,
};
use tokio::task::JoinSet;

use super::{PutOutcome, object};
use crate::error::{AwsError, Cause, chain};

/// 8 MiB parts, the AWS CLI's default `multipart_chunksize` and threshold.
pub const PART_SIZE: u64 = 8 * 1024 * 1024;
/// Parts uploading at once: enough to keep a connection busy while the next part is read,
/// few enough that memory stays under `PART_SIZE` times four.
pub const PARTS_IN_FLIGHT: usize = 3;
/// S3 accepts at most 10,000 parts per upload (S3 User Guide, "Multipart upload limits").
const MAX_PARTS: u64 = 10_000;

/// How to upload.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadOptions {
    /// Encrypt with SSE-KMS under this key (id, ARN or alias); `None` leaves encryption to the
    /// bucket's default, which is what CodePipeline's artifact store is set up with.
    pub kms_key_id: Option<String>,
    /// User metadata (`x-amz-meta-*`), such as the commit and the build id.
    pub metadata: Vec<(String, String)>,
    /// The size of each part of a multipart upload, and the size above which it is used.
    pub part_size: u64,
    /// Parts uploading at once.
    pub parts_in_flight: usize,
}

impl Default for UploadOptions {
    fn default() -> Self {
        Self {
            kms_key_id: None,
            metadata: Vec::new(),
            part_size: PART_SIZE,
            parts_in_flight: PARTS_IN_FLIGHT,
        }
    }
}

impl UploadOptions {
    /// Encrypts with SSE-KMS under `key_id`.
    #[must_use]
    pub fn kms_key_id(mut self, key_id: impl Into<String>) -> Self {
        self.kms_key_id = Some(key_id.into());
        self
    }

    /// Adds a metadata entry.
    #[must_use]
    pub fn metadata(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.push((name.into(), value.into()));
        self
    }

    /// Sets the part size (at least 5 MiB on S3, except for the last part).
    #[must_use]
    pub fn part_size(mut self, bytes: u64) -> Self {
        self.part_size = bytes.max(1);
        self
    }
}

/// Whether `bucket` has versioning enabled; CodePipeline's S3 source action requires it
/// (`docs/aws/artifact-formats.md#artifacts-are-zips-in-s3`). `key` only names the destination in errors.
///
/// moto 5.2.5 answers with a `GetBucketVersioningResponse` root element instead of S3's
/// `VersioningConfiguration`, which the SDK refuses as unreadable; against moto, learn it from
/// the version id of an upload ([`PutOutcome::version_id`]) instead.
pub async fn versioning_enabled(
    client: &Client,
    bucket: &str,
    key: &str,
) -> Result<bool, AwsError> {
    let output = client
        .get_bucket_versioning()
        .bucket(bucket)
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk("s3:GetBucketVersioning", object(bucket, key), &error)
        })?;
    Ok(output.status() == Some(&BucketVersioningStatus::Enabled))
}

/// The CRC-32 of `bytes` as S3 writes it: the big-endian bytes, in base64.
fn crc32(bytes: &[u8]) -> String {
    aws_smithy_types::base64::encode(crc32fast::hash(bytes).to_be_bytes())
}

fn file_error(bucket: &str, key: &str, path: &Path, error: &std::io::Error) -> AwsError {
    let cause = Cause::File {
        path: path.to_owned(),
        reason: chain(error),
    };
    AwsError::new("s3:PutObject", object(bucket, key), cause)
}

/// S3 answered with another checksum than the one computed here: the bytes it stored are not
/// the bytes read.
fn check_checksum(
    operation: &'static str,
    bucket: &str,
    key: &str,
    sent: &str,
    stored: Option<&str>,
) -> Result<(), AwsError> {
    match stored {
        Some(stored) if stored != sent => {
            let reason = format!(
                "S3 stored the content with CRC-32 `{stored}`, not the `{sent}` sent; nothing was \
                 corrupted silently, but the upload is not trustworthy"
            );
            Err(AwsError::new(
                operation,
                object(bucket, key),
                Cause::Other { reason },
            ))
        }
        _ => Ok(()),
    }
}

/// Reads up to `len` bytes: less only at the end of the file.
fn read_part(file: &mut File, len: u64) -> std::io::Result<Vec<u8>> {
    let mut part = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.by_ref().take(len).read_to_end(&mut part)?;
    Ok(part)
}

/// Uploads the file at `path` to `key` in `bucket` and returns what S3 answered, the version
/// id included. Files up to `options.part_size` go in one `PutObject`; larger ones in a
/// multipart upload that holds at most `parts_in_flight` parts in memory and is aborted on any
/// failure, so no invisible parts are left to bill for. When `stop` resolves (a signal, with
/// its number) the upload stops there, and a multipart upload is aborted as on a failure.
pub async fn upload_file(
    client: &Client,
    bucket: &str,
    key: &str,
    path: &Path,
    options: &UploadOptions,
    stop: impl Future<Output = i32>,
) -> Result<PutOutcome, AwsError> {
    let mut stop = std::pin::pin!(stop);
    let mut file = File::open(path).map_err(|error| file_error(bucket, key, path, &error))?;
    let len = file
        .metadata()
        .map_err(|error| file_error(bucket, key, path, &error))?
        .len();
    if len <= options.part_size {
        let body =
            read_part(&mut file, len).map_err(|error| file_error(bucket, key, path, &error))?;
        return tokio::select! {
            put = put_small(client, bucket, key, body, options) => put,
            signal = &mut stop => Err(stopped(bucket, key, signal)),
        };
    }
    let part_size = options.part_size.max(len.div_ceil(MAX_PARTS));
    let mut request = client
        .create_multipart_upload()
        .bucket(bucket)
        .key(key)
        .checksum_algorithm(ChecksumAlgorithm::Crc32);
    if let Some(key_id) = &options.kms_key_id {
        request = request
            .server_side_encryption(ServerSideEncryption::AwsKms)
            .ssekms_key_id(key_id);
    }
    for (name, value) in &options.metadata {
        request = request.metadata(name, value);
    }
    let created = request
        .send()
        .await
        .map_err(|error| AwsError::from_sdk("s3:PutObject", object(bucket, key), &error))?;
    let Some(upload_id) = created.upload_id else {
        let reason = "S3 started a multipart upload without an upload id".to_owned();
        return Err(AwsError::new(
            "s3:PutObject",
            object(bucket, key),
            Cause::Other { reason },
        ));
    };
    // A signal during `CreateMultipartUpload` is seen here at once, with the upload id to
    // abort.
    let parts = tokio::select! {
        parts = upload_parts(
            client, bucket, key, path, &mut file, part_size, &upload_id, options,
        ) => parts,
        signal = &mut stop => Err(stopped(bucket, key, signal)),
    };
    let completed = match parts {
        Ok(parts) => client
            .complete_multipart_upload()
            .bucket(bucket)
            .key(key)
            .upload_id(&upload_id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(parts))
                    .build(),
            )
            .send()
            .await
            .map_err(|error| AwsError::from_sdk("s3:PutObject", object(bucket, key), &error)),
        Err(error) => Err(error),
    };
    // A completed multipart upload's answer always names the object's ETag.
    let completed = completed.and_then(|output| match output.e_tag {
        Some(_) => Ok(output),
        None => Err(incomplete(bucket, key, "ETag")),
    });
    match completed {
        Ok(output) => Ok(PutOutcome {
            etag: output.e_tag,
            version_id: output.version_id,
        }),
        Err(error) => {
            // Best effort: the original error is the one to report. An upload that cannot be
            // aborted now is removed by the bucket's `AbortIncompleteMultipartUpload` rule.
            let _ = client
                .abort_multipart_upload()
                .bucket(bucket)
                .key(key)
                .upload_id(&upload_id)
                .send()
                .await;
            Err(error)
        }
    }
}

async fn put_small(
    client: &Client,
    bucket: &str,
    key: &str,
    body: Vec<u8>,
    options: &UploadOptions,
) -> Result<PutOutcome, AwsError> {
    let checksum = crc32(&body);
    let md5 = md5_hex(&body);
    let mut request = client
        .put_object()
        .bucket(bucket)
        .key(key)
        .checksum_crc32(&checksum)
        .body(ByteStream::from(body));
    if let Some(key_id) = &options.kms_key_id {
        request = request
            .server_side_encryption(ServerSideEncryption::AwsKms)
            .ssekms_key_id(key_id);
    }
    for (name, value) in &options.metadata {
        request = request.metadata(name, value);
    }
    let output = request
        .send()
        .await
        .map_err(|error| AwsError::from_sdk("s3:PutObject", object(bucket, key), &error))?;
    check_checksum(
        "s3:PutObject",
        bucket,
        key,
        &checksum,
        output.checksum_crc32(),
    )?;
    // Every PutObject answer carries the object's ETag. For an object stored unencrypted or
    // with SSE-S3 it is the MD5 of the bytes; with SSE-KMS it is not, and the CRC-32 compared
    // above, which S3 echoes for a request that sent one, is what says the bytes arrived
    // (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html>, `ETag`;
    // <https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html>).
    let etag = output
        .e_tag()
        .ok_or_else(|| incomplete(bucket, key, "ETag"))?;
    let kms = options.kms_key_id.is_some()
        || output.server_side_encryption().is_some_and(|sse| {
            matches!(
                sse,
                ServerSideEncryption::AwsKms | ServerSideEncryption::AwsKmsDsse
            )
        });
    if !kms && etag.trim_matches('"') != md5 {
        let reason = "S3 answered with an ETag that is not the MD5 of the content sent; the \
                      upload is not trustworthy"
            .to_owned();
        return Err(AwsError::new(
            "s3:PutObject",
            object(bucket, key),
            Cause::Other { reason },
        ));
    }
    Ok(PutOutcome {
        etag: output.e_tag,
        version_id: output.version_id,
    })
}

/// The MD5 of `bytes` in lowercase hex, as S3 gives a single put's `ETag`.
fn md5_hex(bytes: &[u8]) -> String {
    use md5::Digest;
    crate::lower_hex(&md5::Md5::digest(bytes))
}

/// The error of an upload stopped by `signal`.
fn stopped(bucket: &str, key: &str, signal: i32) -> AwsError {
    AwsError::new(
        "s3:PutObject",
        object(bucket, key),
        Cause::Other {
            reason: format!("stopped by signal {signal}"),
        },
    )
}

/// The error of a successful answer that lacks `field`, which S3 always sends.
fn incomplete(bucket: &str, key: &str, field: &str) -> AwsError {
    AwsError::new(
        "s3:PutObject",
        object(bucket, key),
        Cause::Other {
            reason: format!("the answer has no `{field}`"),
        },
    )
}

/// Reads and uploads every part, `parts_in_flight` at a time; on the first failure the parts
/// still running are cancelled and the error returned.
#[allow(clippy::too_many_arguments)] // One call site; a struct would only rename them.
async fn upload_parts(
    client: &Client,
    bucket: &str,
    key: &str,
    path: &Path,
    file: &mut File,
    part_size: u64,
    upload_id: &str,
    options: &UploadOptions,
) -> Result<Vec<CompletedPart>, AwsError> {
    let mut running = JoinSet::new();
    let mut done = Vec::new();
    let mut number = 0_i32;
    loop {
        let part =
            read_part(file, part_size).map_err(|error| file_error(bucket, key, path, &error))?;
        if part.is_empty() {
            break;
        }
        number += 1;
        let checksum = crc32(&part);
        let request = client
            .upload_part()
            .bucket(bucket)
            .key(key)
            .upload_id(upload_id)
            .part_number(number)
            .checksum_crc32(&checksum)
            .body(ByteStream::from(part));
        running.spawn(async move { (number, checksum, request.send().await) });
        while running.len() >= options.parts_in_flight.max(1) {
            done.push(finish_part(bucket, key, running.join_next().await)?);
        }
    }
    while let Some(joined) = running.join_next().await {
        done.push(finish_part(bucket, key, Some(joined))?);
    }
    done.sort_by_key(|part| part.part_number);
    Ok(done)
}

type PartResult = (
    i32,
    String,
    Result<
        aws_sdk_s3::operation::upload_part::UploadPartOutput,
        aws_sdk_s3::error::SdkError<
            aws_sdk_s3::operation::upload_part::UploadPartError,
            aws_smithy_runtime_api::client::orchestrator::HttpResponse,
        >,
    >,
);

fn finish_part(
    bucket: &str,
    key: &str,
    joined: Option<Result<PartResult, tokio::task::JoinError>>,
) -> Result<CompletedPart, AwsError> {
    let (number, checksum, result) = match joined {
        Some(Ok(part)) => part,
        Some(Err(error)) => {
            let reason = format!("a part upload stopped: {error}");
            return Err(AwsError::new(
                "s3:PutObject",
                object(bucket, key),
                Cause::Other { reason },
            ));
        }
        None => {
            let reason = "a part upload was lost".to_owned();
            return Err(AwsError::new(
                "s3:PutObject",
                object(bucket, key),
                Cause::Other { reason },
            ));
        }
    };
    let output =
        result.map_err(|error| AwsError::from_sdk("s3:PutObject", object(bucket, key), &error))?;
    check_checksum(
        "s3:PutObject",
        bucket,
        key,
        &checksum,
        output.checksum_crc32(),
    )?;
    Ok(CompletedPart::builder()
        .part_number(number)
        .set_e_tag(output.e_tag)
        .checksum_crc32(checksum)
        .build())
}

#[cfg(test)]
mod tests;
