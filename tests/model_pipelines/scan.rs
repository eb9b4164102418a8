//! Images in the local ECR as the pipelines leave them: pushed by manifest (no Docker engine
//! here), and scanned as scan on push would. moto scans only on `StartImageScan` and reports one
//! `HIGH` finding unless the test tells it the result (its
//! `/moto-api/static/ecr/scan-finding-results`).

use std::process::Command;

use serde_json::{Value, json};

use super::workspace::{ecr_digest, region};
use crate::support::local_aws::{aws, endpoint};

/// Puts one small image into `repository` under each of `tags`; returns its digest.
pub(crate) fn put_image(repository: &str, tags: &[&str]) -> String {
    let manifest = json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": format!("sha256:{}", "c".repeat(64)), "size": 2},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": format!("sha256:{}", "d".repeat(64)), "size": 3}]});
    for tag in tags {
        aws(&[
            "ecr",
            "put-image",
            "--repository-name",
            repository,
            "--image-tag",
            tag,
            "--image-manifest",
            &manifest.to_string(),
            "--image-manifest-media-type",
            "application/vnd.oci.image.manifest.v1+json",
        ]);
    }
    ecr_digest(repository, tags[0])
}

/// Scans the image `digest` of `repository` (moto: once a day); until [`scan_result`] says
/// otherwise, the scan has moto's one `HIGH` finding.
pub(crate) fn scan(repository: &str, digest: &str) {
    aws(&[
        "ecr",
        "start-image-scan",
        "--repository-name",
        repository,
        "--image-id",
        &format!("imageDigest={digest}"),
    ]);
}

/// The scan of `digest` finds `counts` findings of each severity (`{}`: none).
pub(crate) fn scan_result(repository: &str, digest: &str, counts: &Value) {
    let result = json!({
        "results": [{
            "repositoryName": repository,
            "imageId": {"imageDigest": digest},
            "imageScanStatus": {"status": "COMPLETE", "description": "The scan was completed successfully."},
            "imageScanFindings": {"findings": [], "findingSeverityCounts": counts},
        }],
        "region": region(),
    });
    let status = Command::new("python3")
        .arg("-c")
        .arg("import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], sys.argv[2].encode(), {'Content-Type': 'application/json'}))")
        .arg(format!("{}/moto-api/static/ecr/scan-finding-results", endpoint()))
        .arg(result.to_string())
        .status()
        .expect("python3 from the test environment");
    assert!(status.success(), "moto did not take the scan result");
}
