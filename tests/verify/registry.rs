//! `ecs-verify --live`: what ECR says of each image's repository: its tag mutability, the
//! image's scan findings, the digest a pinned tag points at; and the figure of a ten-container,
//! twenty-secret definition (`docs/programs/ecs-verify.md#the-account---live`).

use serde_json::{Value, json};

use super::account::{log_group, role, run, secret, taskdef, verify_with};
use crate::support::fixtures::{ACCOUNT, MANIFEST};
use crate::support::harness::unique;
use crate::support::local_aws::{aws, aws_at};
use crate::support::relay;
use crate::support::resources::{put_image, scan_findings};

/// A repository of its own, made on the local endpoint; its name.
pub(super) fn repository(mutability: &str) -> String {
    let name = unique("verify-registry");
    aws(&[
        "ecr",
        "create-repository",
        "--repository-name",
        &name,
        "--image-tag-mutability",
        mutability,
    ]);
    name
}

/// A passing task definition running `image`.
pub(super) fn running(image: &str) -> Value {
    let trusting = role("ecs-tasks.amazonaws.com");
    let mut definition = taskdef(&trusting, &trusting, &log_group(), false);
    definition["containerDefinitions"][0]["image"] = json!(image);
    definition
}

pub(super) fn uri(repository: &str, reference: &str) -> String {
    format!("{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{repository}{reference}")
}

#[test]
fn tag_mutability_is_reported() {
    let mutable = repository("MUTABLE");
    put_image(&mutable, "4f2a9c1", MANIFEST);
    run(verify_with(&running(&uri(&mutable, ":4f2a9c1"))))
        .success()
        .stderr_has(&format!(
            "warning[image-tag-mutable]: repository `{mutable}` of image `{}` leaves tag \
             `4f2a9c1` mutable (`MUTABLE`)",
            uri(&mutable, ":4f2a9c1")
        ));
    let immutable = repository("IMMUTABLE");
    put_image(&immutable, "4f2a9c1", MANIFEST);
    let outcome = run(verify_with(&running(&uri(&immutable, ":4f2a9c1")))).success();
    assert!(
        !outcome.stderr.contains("image-tag-mutable"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn critical_scan_findings_above_the_threshold_fail() {
    let name = repository("IMMUTABLE");
    put_image(&name, "4f2a9c1", MANIFEST);
    scan_findings(&name, "4f2a9c1", &json!({"CRITICAL": 2, "HIGH": 3}));
    let image = uri(&name, ":4f2a9c1");
    run(verify_with(&running(&image)))
        .code(1)
        .stderr_has(&format!(
            "error[image-scan-critical]: image `{image}` has 2 critical scan findings, more \
             than 0 (--max-critical)"
        ));
    run(verify_with(&running(&image)).args(["--max-critical", "2"])).success();
}

#[test]
fn a_pinned_tag_that_moved() {
    let name = repository("MUTABLE");
    let built = put_image(&name, "4f2a9c1", MANIFEST);
    run(verify_with(&running(&uri(
        &name,
        &format!(":4f2a9c1@{built}"),
    ))))
    .success();
    // The local endpoint's digest hashes the layers' digests
    // (`docs/aws/local-endpoint.md#what-moto-lacks-or-accepts-wrongly`): another layer, another
    // image.
    let layer = format!(
        r#""layers":[{{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":1,"digest":"sha256:{}"}}]"#,
        "c".repeat(64)
    );
    let other = MANIFEST.replace(r#""layers":[]"#, &layer);
    let moved = put_image(&name, "4f2a9c1", &other);
    run(verify_with(&running(&uri(
        &name,
        &format!(":4f2a9c1@{built}"),
    ))))
    .code(1)
    .stderr_has(&format!(
        "error[image-tag-moved]: tag `4f2a9c1` of image `{}` points at `{moved}`, not at \
             `{built}`, the digest the build pushed",
        uri(&name, &format!(":4f2a9c1@{built}"))
    ));
}

/// Another account, whose repositories the local endpoint keeps apart
/// (`tests/support/relay.rs`).
const OTHER: &str = "210987654321";

/// An image in a repository of [`OTHER`] with `policy`, made through a relay that the program
/// reaches ECR through as well; the relay's URL and the image's URI.
fn image_of_another_account(policy: Option<&Value>) -> (String, String) {
    let relay = relay::as_account(OTHER);
    let name = unique("verify-shared");
    let ecr = |args: &[&str]| {
        let mut all = vec![
            "ecr",
            args[0],
            "--registry-id",
            OTHER,
            "--repository-name",
            &name,
        ];
        all.extend_from_slice(&args[1..]);
        aws_at(&relay, &all)
    };
    ecr(&["create-repository"]);
    ecr(&[
        "put-image",
        "--image-tag",
        "4f2a9c1",
        "--image-manifest",
        MANIFEST,
    ]);
    if let Some(policy) = policy {
        ecr(&[
            "set-repository-policy",
            "--policy-text",
            &policy.to_string(),
        ]);
    }
    let image = format!("{OTHER}.dkr.ecr.us-east-1.amazonaws.com/{name}:4f2a9c1");
    (relay, image)
}

#[test]
fn an_image_of_another_account_needs_its_repository_policy() {
    let pull = json!({"Version": "2012-10-17", "Statement": [{"Sid": "pull", "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")},
        "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]});
    let (relay, image) = image_of_another_account(Some(&pull));
    run(verify_with(&running(&image)).env("AWS_ENDPOINT_URL_ECR", &relay)).success();
    let (relay, image) = image_of_another_account(None);
    let definition = running(&image);
    let execution = definition["executionRoleArn"].as_str().unwrap().to_owned();
    run(verify_with(&definition).env("AWS_ENDPOINT_URL_ECR", &relay))
        .code(1)
        .stderr_has("error[image-repository-policy]: repository `verify-shared-")
        .stderr_has(&format!(
            "of account `{OTHER}` does not let the execution role `{execution}` pull"
        ));
}

/// The figure the benchmarks print: every call of a ten-container definition injecting twenty
/// secrets, against the local endpoint.
#[test]
fn ten_containers_and_twenty_secrets() {
    let name = repository("IMMUTABLE");
    let trusting = role("ecs-tasks.amazonaws.com");
    let mut definition = taskdef(&trusting, &trusting, &log_group(), false);
    let template = definition["containerDefinitions"][0].clone();
    let secrets: Vec<String> = (0..20).map(|_| secret()).collect();
    let containers: Vec<Value> = (0..10)
        .map(|index| {
            let tag = format!("c{index}");
            put_image(
                &name,
                &tag,
                &MANIFEST.replace("7023", &format!("{}", 7000 + index)),
            );
            let mut container = template.clone();
            container["name"] = json!(format!("web{index}"));
            container["image"] = json!(uri(&name, &format!(":{tag}")));
            container["logConfiguration"]["options"]["awslogs-group"] = json!(log_group());
            container["secrets"] = json!([
                {"name": "A", "valueFrom": secrets[2 * index]},
                {"name": "B", "valueFrom": secrets[2 * index + 1]},
            ]);
            container
        })
        .collect();
    definition["containerDefinitions"] = json!(containers);
    let images: Vec<Value> = containers
        .iter()
        .map(|c| json!({"name": c["name"], "imageUri": c["image"]}))
        .collect();
    let test = verify_with(&definition).file(
        "build/imagedefinitions.json",
        Value::Array(images).to_string(),
    );
    run(test)
        .success()
        .stderr_has("about 2 roles, 10 log groups, 20 secrets and 10 images (--live)")
        .stderr_has("note: 58 calls; IAM simulated 32 permissions of the execution role");
}
