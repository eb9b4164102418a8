//! `ecs-bundle --upload`, `fetch` and `unpack s3://` against the local AWS endpoint, with the
//! AWS CLI as the independent judge of what landed in S3.
//!
//! Every test makes its own bucket, so they run in parallel and nothing resets moto. moto does
//! not check that a KMS key exists (`docs/aws/local-endpoint.md#what-moto-lacks-or-accepts-wrongly`), so a wrong key id cannot
//! be tested here; the key used is a real one, made with `aws kms create-key`.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::support::harness::Test;
use crate::support::local_aws::aws;

fn bucket(test: &str, versioned: bool) -> String {
    static CALLS: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "dk-bundle-{test}-{}-{}",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    );
    aws(&["s3api", "create-bucket", "--bucket", &name]);
    if versioned {
        aws(&[
            "s3api",
            "put-bucket-versioning",
            "--bucket",
            &name,
            "--versioning-configuration",
            "Status=Enabled",
        ]);
    }
    name
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("the AWS CLI prints JSON")
}

#[test]
fn an_upload_prints_the_version_id_and_carries_the_provenance() {
    let bucket = bucket("version", true);
    let url = format!("s3://{bucket}/web/deploy-ecs.zip");
    let outcome = Test::new()
        .with_aws()
        .file(
            "imagedefinitions.json",
            crate::support::fixtures::bundle_file("imagedefinitions.json"),
        )
        .env("CODEBUILD_RESOLVED_SOURCE_VERSION", "4f2a9c1d")
        .env("CODEBUILD_BUILD_ID", "web-service:0b1c")
        .args([
            "--for",
            "ecs",
            "imagedefinitions.json",
            "-o",
            "deploy-ecs.zip",
            "--upload",
            &url,
        ])
        .run("ecs-bundle")
        .success()
        .stderr_has(&format!("uploaded deploy-ecs.zip to {url}"));
    let version = outcome.stdout.trim().to_owned();
    assert!(!version.is_empty(), "no version id on stdout");
    let head = json(&aws(&[
        "s3api",
        "head-object",
        "--bucket",
        &bucket,
        "--key",
        "web/deploy-ecs.zip",
    ]));
    assert_eq!(head["VersionId"], version.as_str());
    assert_eq!(head["Metadata"]["commit"], "4f2a9c1d");
    assert_eq!(head["Metadata"]["codebuild-build-id"], "web-service:0b1c");
    let read = aws(&["s3", "cp", &url, "-"]);
    assert!(
        read == outcome.bytes("deploy-ecs.zip"),
        "S3 holds other bytes"
    );
}

#[test]
fn an_upload_with_a_kms_key_is_encrypted_under_it() {
    let bucket = bucket("kms", true);
    let key = json(&aws(&["kms", "create-key"]));
    let key_id = key["KeyMetadata"]["KeyId"]
        .as_str()
        .expect("a key id")
        .to_owned();
    let url = format!("s3://{bucket}/source.zip");
    Test::new()
        .with_aws()
        .file("a.txt", "a")
        .args([
            "a.txt",
            "-o",
            "source.zip",
            "--upload",
            &url,
            "--kms-key-id",
            &key_id,
        ])
        .run("ecs-bundle")
        .success();
    let head = json(&aws(&[
        "s3api",
        "head-object",
        "--bucket",
        &bucket,
        "--key",
        "source.zip",
    ]));
    assert_eq!(head["ServerSideEncryption"], "aws:kms");
    assert!(
        head["SSEKMSKeyId"]
            .as_str()
            .is_some_and(|id| id.contains(&key_id)),
        "{head}"
    );
}

#[test]
fn a_large_artifact_goes_up_in_parts_and_comes_back_whole() {
    let bucket = bucket("multipart", true);
    let url = format!("s3://{bucket}/big.zip");
    let outcome = Test::new()
        .with_aws()
        .file("big.bin", crate::support::harness::noise(20 * 1024 * 1024))
        .args(["big.bin", "-o", "big.zip", "--upload", &url])
        .run("ecs-bundle")
        .success();
    let head = json(&aws(&[
        "s3api",
        "head-object",
        "--bucket",
        &bucket,
        "--key",
        "big.zip",
    ]));
    assert!(
        head["ETag"]
            .as_str()
            .is_some_and(|etag| etag.ends_with("-3\"")),
        "three 8 MiB parts: {head}"
    );
    let fetched = Test::new()
        .with_aws()
        .args(["fetch", &url, "-o", "back.zip"])
        .run("ecs-bundle")
        .success();
    assert!(
        fetched.bytes("back.zip") == outcome.bytes("big.zip"),
        "the download differs"
    );
    let uploads = json(&aws(&[
        "s3api",
        "list-multipart-uploads",
        "--bucket",
        &bucket,
        "--output",
        "json",
    ]));
    assert!(
        uploads
            .get("Uploads")
            .is_none_or(|u| u.as_array().is_some_and(Vec::is_empty)),
        "{uploads}"
    );
}

#[test]
fn a_bucket_without_versioning_gets_a_warning_and_no_version_id() {
    let bucket = bucket("unversioned", false);
    let outcome = Test::new()
        .with_aws()
        .file("a.txt", "a")
        .args([
            "a.txt",
            "-o",
            "a.zip",
            "--upload",
            &format!("s3://{bucket}/a.zip"),
        ])
        .run("ecs-bundle")
        .success()
        .stderr_has(&format!(
            "warning: bucket `{bucket}` does not have versioning enabled"
        ))
        .stderr_has("put-bucket-versioning");
    assert_eq!(outcome.stdout, "");
}

#[test]
fn a_missing_bucket_fails_with_exit_2_and_claims_nothing() {
    let outcome = Test::new()
        .with_aws()
        .file("a.txt", "a")
        .args([
            "a.txt",
            "-o",
            "a.zip",
            "--upload",
            "s3://dk-bundle-no-such-bucket-anywhere/a.zip",
        ])
        .run("ecs-bundle")
        .code(2)
        .stderr_has("dk-bundle-no-such-bucket-anywhere");
    assert!(!outcome.stderr.contains("uploaded"), "{}", outcome.stderr);
    assert_eq!(outcome.stdout, "");
}

#[test]
fn fetch_gets_an_older_version_and_unpack_reads_from_s3() {
    let bucket = bucket("fetch", true);
    let url = format!("s3://{bucket}/app.zip");
    let first = Test::new()
        .with_aws()
        .file("app/config.json", "{\"v\": 1}")
        .args(["--base-dir", "app", ".", "-o", "app.zip", "--upload", &url])
        .run("ecs-bundle")
        .success();
    let version = first.stdout.trim().to_owned();
    Test::new()
        .with_aws()
        .file("app/config.json", "{\"v\": 2}")
        .args(["--base-dir", "app", ".", "-o", "app.zip", "--upload", &url])
        .run("ecs-bundle")
        .success();
    let fetched = Test::new()
        .with_aws()
        .args([
            "fetch",
            &format!("{url}?versionId={version}"),
            "-o",
            "old.zip",
        ])
        .run("ecs-bundle")
        .success();
    assert!(
        fetched.bytes("old.zip") == first.bytes("app.zip"),
        "not the first version"
    );
    let unpacked = Test::new()
        .with_aws()
        .args(["unpack", &url, "-d", "latest"])
        .run("ecs-bundle")
        .success();
    assert_eq!(unpacked.file("latest/config.json"), "{\"v\": 2}");
    Test::new()
        .with_aws()
        .args([
            "fetch",
            &format!("s3://{bucket}/missing.zip"),
            "-o",
            "x.zip",
        ])
        .run("ecs-bundle")
        .code(2)
        .stderr_has("missing.zip");
}
