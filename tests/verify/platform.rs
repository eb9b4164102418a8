//! `ecs-verify --live`: the platform of a single image, named only in its config blob, which
//! the program downloads through the URL `ecr:GetDownloadUrlForLayer` gives and checks against
//! its digest before reading it (`docs/aws/build-role.md#images`). The local endpoint has no
//! `GetDownloadUrlForLayer`: the test ECR endpoint serves it and the blob, and passes every other
//! ECR request to moto.

use serde_json::{Value, json};

use super::account::{run, verify_with};
use super::registry::{repository, running, uri};
use crate::support::ecr_endpoint::{self, Endpoint};
use crate::support::fixtures::MANIFEST;
use crate::support::resources::put_image;

/// An image whose manifest names `config` as its config blob, pushed to a repository of its
/// own, in a task for `cpu_architecture`: the task definition.
fn task_for(config: &str, cpu_architecture: &str) -> Value {
    let name = repository("IMMUTABLE");
    let fixture = MANIFEST
        .split(r#""digest":""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the fixture names its config digest");
    put_image(&name, "4f2a9c1", &MANIFEST.replace(fixture, config));
    let mut definition = running(&uri(&name, ":4f2a9c1"));
    definition["runtimePlatform"] =
        json!({"cpuArchitecture": cpu_architecture, "operatingSystemFamily": "LINUX"});
    definition
}

fn config(architecture: &str) -> Vec<u8> {
    json!({"architecture": architecture, "os": "linux", "rootfs": {"type": "layers", "diff_ids": []},
        "config": {}})
    .to_string()
    .into_bytes()
}

fn image(definition: &Value) -> String {
    definition["containerDefinitions"][0]["image"]
        .as_str()
        .expect("an image")
        .to_owned()
}

#[test]
fn a_single_image_for_the_task_platform_passes() {
    let ecr = Endpoint::start();
    let definition = task_for(&ecr.blob(&config("amd64")), "X86_64");
    let outcome = run(verify_with(&definition).env("AWS_ENDPOINT_URL_ECR", &ecr.url)).success();
    assert!(
        !outcome.stderr.contains("not decided"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn an_arm64_image_for_an_x86_64_task_fails() {
    let ecr = Endpoint::start();
    let definition = task_for(&ecr.blob(&config("arm64")), "X86_64");
    run(verify_with(&definition).env("AWS_ENDPOINT_URL_ECR", &ecr.url))
        .code(1)
        .stderr_has(&format!(
            "error[image-platform]: image `{}` of container `web` has no `linux/amd64` image \
             (the task's runtimePlatform); it has `linux/arm64`",
            image(&definition)
        ));
}

#[test]
fn a_blob_that_is_not_its_digest_is_an_error() {
    let ecr = Endpoint::start();
    let digest = ecr_endpoint::digest(&config("amd64"));
    ecr.serve_as(&digest, &config("arm64"));
    run(verify_with(&task_for(&digest, "ARM64")).env("AWS_ENDPOINT_URL_ECR", &ecr.url))
        .code(2)
        .stderr_has("ecr:GetDownloadUrlForLayer")
        .stderr_has(&format!(
            "the config blob downloaded for `{digest}` has digest"
        ));
}

#[test]
fn an_oversized_blob_is_refused() {
    let ecr = Endpoint::start();
    let mut large = config("amd64");
    large.resize(1024 * 1024 + 1, b' ');
    let definition = task_for(&ecr.blob(&large), "X86_64");
    run(verify_with(&definition).env("AWS_ENDPOINT_URL_ECR", &ecr.url))
        .code(2)
        .stderr_has("larger than 1048576 bytes, refused");
}

/// A config blob the repository does not have: the run says it could not decide.
#[test]
fn a_config_blob_not_in_the_repository_is_not_decided() {
    let ecr = Endpoint::start();
    let definition = task_for(&ecr_endpoint::digest(&config("arm64")), "ARM64");
    run(verify_with(&definition).env("AWS_ENDPOINT_URL_ECR", &ecr.url))
        .success()
        .stderr_has(&format!(
            "not decided, as their config blob is not in the repository: the platform of `{}`",
            image(&definition)
        ));
}
