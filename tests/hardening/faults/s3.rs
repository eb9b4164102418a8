//! S3 under faults: `ecs-bundle --upload` (one `PutObject` up to the 8 MiB part size,
//! `deploykit_aws::s3::PART_SIZE`; a multipart upload above it), `ecs-bundle fetch` and
//! `ecs-bundle unpack s3://…`.

use std::sync::atomic::{AtomicU32, Ordering};

use super::{figure, gave_up, leftovers, moto_proxy, recovered, through};
use crate::support::fault_proxy::{Fault, Plan};
use crate::support::harness::{Outcome, Test};
use crate::support::local_aws::aws;

/// A versioned bucket of its own, made on moto directly.
fn bucket(test: &str) -> String {
    static CALLS: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "dk-faults-{test}-{}-{}",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    );
    aws(&["s3api", "create-bucket", "--bucket", &name]);
    aws(&[
        "s3api",
        "put-bucket-versioning",
        "--bucket",
        &name,
        "--versioning-configuration",
        "Status=Enabled",
    ]);
    name
}

/// The multipart uploads moto still holds open for `bucket`, asked directly.
fn open_uploads(bucket: &str) -> usize {
    let answer = aws(&["s3api", "list-multipart-uploads", "--bucket", bucket]);
    if answer.iter().all(u8::is_ascii_whitespace) {
        return 0;
    }
    let answer: serde_json::Value = serde_json::from_slice(&answer).expect("JSON");
    answer["Uploads"].as_array().map_or(0, Vec::len)
}

/// The object's version ids, newest first.
fn versions(bucket: &str, key: &str) -> Vec<String> {
    let answer = aws(&[
        "s3api",
        "list-object-versions",
        "--bucket",
        bucket,
        "--prefix",
        key,
    ]);
    let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap_or_default();
    answer["Versions"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|v| v["VersionId"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// 20 MiB: three parts of 8 MiB, above `PART_SIZE`, so a multipart upload.
const LARGE: usize = 20 * 1024 * 1024;

fn upload(proxy: &crate::support::fault_proxy::Proxy, bucket: &str, size: usize) -> Outcome {
    let url = format!("s3://{bucket}/app.zip");
    through(
        Test::new().file("app.bin", crate::support::harness::noise(size)),
        proxy,
    )
    .args(["app.bin", "-o", "app.zip", "--upload", &url])
    .run("ecs-bundle")
}

#[test]
fn a_small_upload_is_retried_through_transient_faults() {
    for fault in [
        Fault::Status500,
        Fault::Status503,
        Fault::SlowDown,
        Fault::ResetRequest,
    ] {
        let bucket = bucket("put-transient");
        let proxy = moto_proxy(Plan::first(2, fault).matching("PutObject"));
        let outcome = figure("s3-upload", fault, &proxy, upload(&proxy, &bucket, 4096));
        recovered(&outcome, &proxy, 2);
        let version = outcome.stdout.trim();
        assert_eq!(
            versions(&bucket, "app.zip"),
            [version],
            "one version, the one printed"
        );
    }
}

#[test]
fn a_small_upload_under_persistent_faults_gives_up_and_claims_nothing() {
    for fault in [Fault::Status503, Fault::SlowDown, Fault::ResetRequest] {
        let bucket = bucket("put-persistent");
        let proxy = moto_proxy(Plan::always(fault).matching("PutObject"));
        let outcome = figure("s3-upload", fault, &proxy, upload(&proxy, &bucket, 4096));
        gave_up(
            &outcome,
            &proxy,
            "s3:PutObject",
            &["uploaded", "version id"],
        );
        assert_eq!(outcome.stdout, "", "no version id");
        assert!(versions(&bucket, "app.zip").is_empty(), "nothing landed");
        assert_eq!(
            leftovers(&outcome, &["app.bin", "app.zip"]),
            Vec::<String>::new()
        );
    }
}

#[test]
fn a_multipart_upload_is_retried_part_by_part() {
    for (fault, needle) in [
        (Fault::Status503, "partNumber="),
        (Fault::ResetRequest, "partNumber="),
        (Fault::SlowDown, "?uploads"),
        (Fault::Status500, "POST /dk-faults-put-parts"),
    ] {
        let bucket = bucket("put-parts");
        let proxy = moto_proxy(Plan::first(2, fault).matching(needle));
        let outcome = figure(
            "s3-multipart",
            fault,
            &proxy,
            upload(&proxy, &bucket, LARGE),
        );
        recovered(&outcome, &proxy, 2);
        assert_eq!(versions(&bucket, "app.zip"), [outcome.stdout.trim()]);
        assert_eq!(open_uploads(&bucket), 0, "no upload left open");
        let back = aws(&["s3", "cp", &format!("s3://{bucket}/app.zip"), "-"]);
        assert!(back == outcome.bytes("app.zip"), "S3 holds other bytes");
    }
}

#[test]
fn a_multipart_upload_under_persistent_faults_is_aborted() {
    // Each step of the upload in turn: a part, the completion, the creation.
    for (fault, needle) in [
        (Fault::Status503, "partNumber="),
        (Fault::ResetRequest, "partNumber="),
        (Fault::Status500, "POST /dk-faults-put-abort"),
        (Fault::SlowDown, "?uploads"),
    ] {
        let bucket = bucket("put-abort");
        // One part in flight would make the attempts exact; with three, the parts already
        // running when the first one gives up may each have been tried up to the limit.
        let proxy = moto_proxy(Plan::always(fault).matching(needle));
        let outcome = figure(
            "s3-multipart",
            fault,
            &proxy,
            upload(&proxy, &bucket, LARGE),
        );
        assert_eq!(outcome.code, 2, "{}", outcome.stderr);
        assert!(
            outcome.stderr.contains("error: `s3:PutObject`"),
            "{}",
            outcome.stderr
        );
        assert!(!outcome.stderr.contains("uploaded"), "{}", outcome.stderr);
        assert_eq!(outcome.stdout, "");
        let limit = super::ATTEMPTS * 3;
        assert!(
            (super::ATTEMPTS..=limit).contains(&proxy.matched()),
            "{} attempts; at most {limit} (3 parts in flight, {} attempts each)",
            proxy.matched(),
            super::ATTEMPTS
        );
        assert_eq!(open_uploads(&bucket), 0, "the upload was aborted");
        assert!(versions(&bucket, "app.zip").is_empty(), "nothing landed");
    }
}

/// Uploads `size` bytes of noise straight to moto and returns its URL and the zip's bytes.
fn stored(bucket: &str, size: usize) -> (String, Vec<u8>) {
    let url = format!("s3://{bucket}/app.zip");
    let outcome = Test::new()
        .with_aws()
        .file("app.bin", crate::support::harness::noise(size))
        .args(["app.bin", "-o", "app.zip", "--upload", &url])
        .run("ecs-bundle")
        .success();
    (url, outcome.bytes("app.zip"))
}

#[test]
fn a_download_is_retried_through_transient_faults() {
    let bucket = bucket("get-transient");
    let (url, content) = stored(&bucket, 3 * 1024 * 1024);
    for fault in [
        Fault::Status500,
        Fault::SlowDown,
        Fault::ResetRequest,
        Fault::CutResponse,
        Fault::Delay(std::time::Duration::from_millis(300)),
        Fault::Bandwidth(4 * 1024 * 1024),
    ] {
        let proxy = moto_proxy(Plan::first(2, fault).matching("GET /"));
        let fetched = through(Test::new(), &proxy)
            .args(["fetch", &url, "-o", "back.zip"])
            .run("ecs-bundle");
        let fetched = figure("s3-download", fault, &proxy, fetched);
        assert_eq!(fetched.code, 0, "{fault:?}: {}", fetched.stderr);
        // A delay or a slow link fails nothing, so the one request is all there is.
        let slow = matches!(fault, Fault::Delay(_) | Fault::Bandwidth(_));
        assert_eq!(proxy.faults(), if slow { 1 } else { 2 }, "{fault:?}");
        assert!(
            fetched.bytes("back.zip") == content,
            "{fault:?}: other bytes"
        );
        assert_eq!(leftovers(&fetched, &["back.zip"]), Vec::<String>::new());
    }
}

#[test]
fn a_download_under_persistent_faults_leaves_no_file() {
    let bucket = bucket("get-persistent");
    let (url, _) = stored(&bucket, 64 * 1024);
    for fault in [Fault::Status503, Fault::CutResponse, Fault::ResetRequest] {
        let proxy = moto_proxy(Plan::always(fault).matching("GET /"));
        let fetched = through(Test::new(), &proxy)
            .args(["fetch", &url, "-o", "back.zip"])
            .run("ecs-bundle");
        let fetched = figure("s3-download", fault, &proxy, fetched);
        gave_up(&fetched, &proxy, "s3:GetObject", &["wrote"]);
        assert_eq!(
            fetched.files(),
            Vec::<String>::new(),
            "no file, not even a temporary one"
        );

        let proxy = moto_proxy(Plan::always(fault).matching("GET /"));
        let unpacked = through(Test::new(), &proxy)
            .args(["unpack", &url, "-d", "out"])
            .run("ecs-bundle");
        let unpacked = figure("s3-unpack", fault, &proxy, unpacked);
        gave_up(&unpacked, &proxy, "s3:GetObject", &["unpacked"]);
        assert_eq!(unpacked.files(), Vec::<String>::new(), "nothing unpacked");
    }
}

#[test]
fn unpack_from_s3_is_retried_through_transient_faults() {
    let bucket = bucket("unpack-transient");
    let (url, _) = stored(&bucket, 1024);
    let fault = Fault::Status503;
    let proxy = moto_proxy(Plan::first(2, fault).matching("GET /"));
    let unpacked = through(Test::new(), &proxy)
        .args(["unpack", &url, "-d", "out"])
        .run("ecs-bundle");
    let unpacked = figure("s3-unpack", fault, &proxy, unpacked);
    recovered(&unpacked, &proxy, 2);
    assert_eq!(
        unpacked.bytes("out/app.bin"),
        crate::support::harness::noise(1024)
    );
}

#[test]
fn a_signal_during_a_multipart_upload_aborts_it() {
    use crate::support::signals::{ENDING, send, shell_status, wait_until};
    use std::time::Duration;
    for (name, number) in ENDING {
        let bucket = bucket("put-signal");
        // Every part hangs, so the upload is open and in the middle of its parts when the
        // signal comes; the abort is another request, let through.
        let proxy = moto_proxy(Plan::always(Fault::Hang).matching("partNumber="));
        let url = format!("s3://{bucket}/app.zip");
        let test = through(
            Test::new().file("app.bin", crate::support::harness::noise(LARGE)),
            &proxy,
        )
        .args(["app.bin", "-o", "app.zip", "--upload", &url]);
        let mut child = test
            .command("ecs-bundle")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("ecs-bundle started");
        let uploading = wait_until(&mut child, Duration::from_mins(1), || proxy.matched() > 0);
        assert!(uploading, "SIG{name}: no part was sent");
        assert_eq!(open_uploads(&bucket), 1, "SIG{name}: the upload is open");
        send(&child, name);
        let ended = !wait_until(&mut child, Duration::from_secs(30), || false);
        let _ = child.kill();
        let status = child.wait().expect("a reaped child");
        assert!(ended, "SIG{name}: still running 30 s after the signal");
        assert_eq!(
            shell_status(status),
            Some(128 + number),
            "SIG{name}: {status}"
        );
        assert_eq!(
            open_uploads(&bucket),
            0,
            "SIG{name}: the upload was aborted"
        );
        assert!(versions(&bucket, "app.zip").is_empty(), "nothing landed");
        let left: Vec<String> = std::fs::read_dir(test.path())
            .expect("the scratch folder")
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|file| file != "app.bin")
            .collect();
        assert_eq!(
            left,
            Vec::<String>::new(),
            "SIG{name}: no zip, no temporary file"
        );
    }
    crate::support::harness::figure(&format!(
        "signals: {} during a multipart upload (SIGINT, SIGTERM, SIGHUP), all aborted, 0 open uploads",
        ENDING.len()
    ));
}
