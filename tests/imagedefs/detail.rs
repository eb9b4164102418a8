//! `ecs-imagedefs --image-detail` and `--digest`: imageDetail.json for the Blue/Green action.

use insta::assert_snapshot;

use super::generate::imagedefs;
use crate::support::fixtures::{ECR, OTHER_SHA, SHA};
use crate::support::snapshot::whole_lines;

#[test]
fn writes_image_detail_pinned_by_digest() {
    let outcome = imagedefs()
        .args([
            "--image-detail",
            &format!("{ECR}/team/web:abc123"),
            "--digest",
            SHA,
        ])
        .run("ecs-imagedefs")
        .success();
    assert_snapshot!(
        "imageDetail.json",
        whole_lines(&outcome.file("imageDetail.json"))
    );
}

#[test]
fn image_detail_from_the_environment_warns_when_not_pinned() {
    let outcome = imagedefs()
        .env("REPOSITORY_URI", &format!("{ECR}/web"))
        .env("IMAGE_TAG", "abc123")
        .args(["--image-detail", "-o", "-"])
        .run("ecs-imagedefs")
        .success()
        .stderr_has("warning[not-pinned]");
    assert!(
        outcome
            .stdout
            .contains(&format!("\"ImageURI\": \"{ECR}/web:abc123\"")),
        "{}",
        outcome.stdout
    );
}

#[test]
fn image_detail_mistakes() {
    imagedefs()
        .args([
            "--image-detail",
            &format!("web@{SHA}"),
            "--digest",
            OTHER_SHA,
        ])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("already names the digest");
    imagedefs()
        .args(["--image-detail", "web:1", "--digest", "sha256:xyz"])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("`sha256:xyz` is not a digest");
    imagedefs()
        .args(["--image-detail", "web:1", "-o", "imageDetails.json"])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("the Blue/Green action reads only `imageDetail.json`, not `imageDetails.json`");
    imagedefs()
        .args(["--image-detail", "web:latest"])
        .run("ecs-imagedefs")
        .code(1)
        .stderr_has("mutable tag");
    let pinned_latest = imagedefs()
        .args(["--image-detail", "web:latest", "--digest", SHA, "-o", "-"])
        .run("ecs-imagedefs")
        .success();
    assert!(
        pinned_latest
            .stdout
            .contains(&format!("\"ImageURI\": \"web@{SHA}\""))
    );
    imagedefs()
        .args(["--image-detail", "web:1", "web=web:1"])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("cannot be used with");
    imagedefs()
        .args(["--digest", SHA, "web=web:1", "api=api:1"])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("--digest pins one image");
}

#[test]
fn one_pair_can_be_pinned_by_digest() {
    let outcome = imagedefs()
        .args(["--digest", SHA, "-o", "-", "web=web:1"])
        .run("ecs-imagedefs")
        .success();
    assert!(
        outcome
            .stdout
            .contains(&format!("\"imageUri\": \"web@{SHA}\"")),
        "{}",
        outcome.stdout
    );
}
