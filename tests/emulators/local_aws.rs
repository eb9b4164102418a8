//! The local AWS endpoint, proven through the real SDK: what `deploykit_aws` writes, the AWS CLI
//! reads back byte for byte, and the other way round.
//!
//! `tests/run.sh` starts moto on `127.0.0.1`, exports `AWS_ENDPOINT_URL` and dummy credentials,
//! and puts the pinned AWS CLI on `PATH`. Without it these tests fail loudly; they never skip.
//! Every test makes its own bucket, so they run in parallel and nothing resets moto.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use aws_sdk_s3::Client;
use aws_sdk_s3::types::{BucketVersioningStatus, VersioningConfiguration};
use deploykit_aws::{Cause, config, s3};

use crate::support::harness::noise;
use crate::support::local_aws::{aws, endpoint};

/// An S3 client for the local endpoint, from the standard chain as the programs build it.
async fn s3_client() -> Client {
    endpoint();
    let config = config::try_load()
        .await
        .expect("the AWS configuration loads");
    s3::client(&config)
}

/// A bucket name of its own for `test`: unique per test, per process and per call.
fn bucket_name(test: &str) -> String {
    static CALLS: AtomicU32 = AtomicU32::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let slug: String = test
        .chars()
        .take(32)
        .map(|c| if c == '_' { '-' } else { c })
        .collect();
    format!("dk-{slug}-{}-{call}", std::process::id())
}

/// Creates a bucket of its own for `test` and returns its name.
async fn new_bucket(client: &Client, test: &str) -> String {
    let bucket = bucket_name(test);
    client
        .create_bucket()
        .bucket(&bucket)
        .send()
        .await
        .unwrap_or_else(|error| panic!("create bucket `{bucket}`: {error:?}"));
    bucket
}

fn head_object(bucket: &str, key: &str) -> serde_json::Value {
    let head = aws(&["s3api", "head-object", "--bucket", bucket, "--key", key]);
    serde_json::from_slice(&head).expect("head-object prints JSON")
}

#[tokio::test]
async fn an_object_put_with_the_sdk_is_read_back_by_the_cli() {
    let client = s3_client().await;
    let bucket = new_bucket(&client, "sdk-put-cli-get").await;
    let content = noise(300 * 1024);

    let key = "app/imagedefinitions.zip";
    let outcome = s3::put_object(&client, &bucket, key, content.clone())
        .await
        .unwrap();

    let read = aws(&["s3", "cp", &format!("s3://{bucket}/{key}"), "-"]);
    assert!(
        read == content,
        "the CLI read {} bytes, not the {} put",
        read.len(),
        content.len()
    );
    let head = head_object(&bucket, key);
    assert_eq!(head["ContentLength"], content.len());
    assert_eq!(outcome.etag.as_deref(), head["ETag"].as_str());
    assert_eq!(outcome.version_id, None, "the bucket is not versioned");
}

#[tokio::test]
async fn an_object_copied_up_by_the_cli_is_read_back_by_the_sdk() {
    let client = s3_client().await;
    let bucket = new_bucket(&client, "cli-put-sdk-get").await;
    let folder = tempfile::tempdir().unwrap();
    // 12 MiB: above the CLI's 8 MiB threshold, so it arrives as a multipart upload.
    let content = noise(12 * 1024 * 1024);
    let file = folder.path().join("source.zip");
    std::fs::write(&file, &content).unwrap();

    let key = "source/source.zip";
    aws(&[
        "s3",
        "cp",
        file.to_str().unwrap(),
        &format!("s3://{bucket}/{key}"),
    ]);

    let read = s3::get_object(&client, &bucket, key).await.unwrap();
    assert!(
        read == content,
        "the SDK read {} bytes, not the {} put",
        read.len(),
        content.len()
    );
}

/// Writes `content` to `path`, then puts that file with [`s3::put_file`].
async fn put_file(
    client: &Client,
    bucket: &str,
    key: &str,
    path: &Path,
    content: &[u8],
) -> s3::PutOutcome {
    std::fs::write(path, content).unwrap();
    s3::put_file(client, bucket, key, path).await.unwrap()
}

#[tokio::test]
async fn a_file_streams_up_and_each_version_reads_back() {
    let client = s3_client().await;
    let bucket = new_bucket(&client, "put-file-versions").await;
    let versioning = VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled);
    let request = client.put_bucket_versioning().bucket(&bucket);
    request
        .versioning_configuration(versioning.build())
        .send()
        .await
        .unwrap();
    let folder = tempfile::tempdir().unwrap();
    let (first, second) = (noise(5 * 1024 * 1024 + 7), b"second\n".to_vec());

    let key = "source.zip";
    let first_put = put_file(&client, &bucket, key, &folder.path().join("1.zip"), &first).await;
    let second_put = put_file(&client, &bucket, key, &folder.path().join("2.zip"), &second).await;

    let (Some(first_version), Some(second_version)) =
        (&first_put.version_id, &second_put.version_id)
    else {
        panic!("a versioned bucket gives version ids: {first_put:?}, {second_put:?}");
    };
    assert_ne!(first_version, second_version);
    let old = folder.path().join("old.zip");
    let args = [
        "s3api",
        "get-object",
        "--bucket",
        &bucket,
        "--key",
        key,
        "--version-id",
    ];
    aws(&[&args[..], &[first_version.as_str(), old.to_str().unwrap()]].concat());
    assert!(
        std::fs::read(&old).unwrap() == first,
        "the first version reads back"
    );

    let mut latest = Vec::new();
    let written = s3::get_object_into(&client, &bucket, key, &mut latest)
        .await
        .unwrap();
    assert_eq!((written, latest), (second.len() as u64, second));
}

#[tokio::test]
async fn a_localhost_endpoint_works_because_of_path_style() {
    let localhost = endpoint().replacen("127.0.0.1", "localhost", 1);
    assert!(
        localhost.contains("localhost"),
        "the endpoint is {localhost}"
    );
    let client = s3::client(&config::load_with_endpoint(&localhost).await);
    let bucket = new_bucket(&client, "localhost-path-style").await;

    s3::put_object(&client, &bucket, "k", b"over localhost".to_vec())
        .await
        .unwrap();
    assert_eq!(
        s3::get_object(&client, &bucket, "k").await.unwrap(),
        b"over localhost"
    );
}

#[tokio::test]
async fn a_missing_bucket_is_named_and_the_help_says_what_to_do() {
    let client = s3_client().await;
    let bucket = bucket_name("never-created");

    let error = s3::get_object(&client, &bucket, "app/source.zip")
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some("NoSuchBucket"), "{error:?}");
    assert!(error.is_not_found());
    let message = error.to_string();
    assert!(
        message.starts_with("`s3:GetObject` failed with `NoSuchBucket`"),
        "{message}"
    );
    assert!(
        message.ends_with(&format!("(bucket `{bucket}`, key `app/source.zip`)")),
        "{message}"
    );
    assert!(!message.ends_with('.'), "{message}");
    let help = error.help().expect("help for a missing bucket");
    assert!(
        help.contains(&format!("`aws s3 mb s3://{bucket}`")),
        "{help}"
    );
}

#[tokio::test]
async fn a_missing_key_is_not_found() {
    let client = s3_client().await;
    let bucket = new_bucket(&client, "missing-key").await;

    let error = s3::get_object(&client, &bucket, "nothing/here.zip")
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some("NoSuchKey"), "{error:?}");
    assert!(
        matches!(
            error.cause(),
            Cause::Service {
                status: Some(404),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error
            .help()
            .unwrap()
            .contains(&format!("`aws s3 ls s3://{bucket}/`"))
    );
}
