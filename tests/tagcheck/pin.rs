//! `ecs-tagcheck`'s flags as the configuration reads them, and `--pin` writing every input or
//! none: the rewrites are planned whole, every ECR lookup done, before the first file is written.

use crate::hardening::faults::{moto_proxy, through};
use crate::support::fault_proxy::{Fault, Plan};
use crate::support::harness::Test;
use crate::support::local_aws::aws;

const REGISTRY: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
/// A manifest for `put-image`; moto stores it and answers with its digest.
const MANIFEST: &str = r#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7023,"digest":"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},"layers":[]}"#;

/// A MUTABLE repository of its own in eu-west-1 holding `v1`; returns the image reference.
fn mutable_image() -> String {
    let name = crate::support::harness::unique("tagcheck-config/mutable");
    let region = ["--region", "eu-west-1", "--repository-name", &name];
    aws(&[&["ecr", "create-repository"][..], &region].concat());
    aws(&[
        &["ecr", "put-image"][..],
        &region,
        &["--image-tag", "v1", "--image-manifest", MANIFEST],
    ]
    .concat());
    format!("{REGISTRY}/{name}:v1")
}

fn definitions(image: &str) -> String {
    format!("[\n  {{\"name\": \"web\", \"imageUri\": \"{image}\"}}\n]\n")
}

/// `DescribeImages` is asked for each tag, then for each pinned reference: with two files
/// in two repositories, the fourth call is the lookup of the second file's pinned image, made
/// after the first file's new text is known. It fails, and neither file may have changed.
#[test]
fn pin_writes_nothing_when_a_later_lookup_fails() {
    let (first, second) = (mutable_image(), mutable_image());
    let files = [
        ("one/imagedefinitions.json", definitions(&first)),
        ("two/imagedefinitions.json", definitions(&second)),
    ];
    let test = files
        .iter()
        .fold(Test::new(), |test, (path, text)| test.file(path, text));
    let proxy = moto_proxy(Plan::after(3, Fault::Status500).matching("DescribeImages"));
    let outcome = through(test, &proxy)
        .args(["--pin", files[0].0, files[1].0])
        .run("ecs-tagcheck")
        .code(2)
        .stderr_has("error: `ecr:DescribeImages`");
    for (path, text) in &files {
        assert_eq!(outcome.file(path), *text, "{path} is as it was");
    }
    assert!(!outcome.stderr.contains("pinned"), "{}", outcome.stderr);
    assert_eq!(outcome.files().len(), 2, "no temporary file is left");

    // Without the fault, the same run rewrites both.
    let test = files
        .iter()
        .fold(Test::new(), |test, (path, text)| test.file(path, text));
    let outcome = test
        .args(["--pin", files[0].0, files[1].0])
        .with_aws()
        .run("ecs-tagcheck")
        .success();
    for (path, text) in &files {
        assert_ne!(outcome.file(path), *text, "{path} is pinned");
        assert!(outcome.file(path).contains("@sha256:"));
    }
}

#[test]
fn a_region_that_is_not_a_region_code_is_refused_before_any_file_is_read() {
    Test::new()
        .args(["--ecr", "--region", "Ireland", "no-such-file.json"])
        .run("ecs-tagcheck")
        .code(2)
        .stderr_is(
            "error: invalid Region `Ireland` (--region)\n\
             help: give a Region code such as `us-east-1` or `eu-west-1`\n",
        );
}

#[test]
fn a_build_arg_without_a_value_is_refused_before_any_file_is_read() {
    Test::new()
        .args(["--build-arg", "GO_VERSION", "no-such-file.json"])
        .run("ecs-tagcheck")
        .code(2)
        .stderr_is(
            "error: `GO_VERSION` is not a `NAME=VALUE` pair (--build-arg)\n\
             help: write `--build-arg GO_VERSION=1.22`\n",
        );
}
