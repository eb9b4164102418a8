//! `ecs-imagedefs`: the CodeBuild variables as the fallbacks of their flags.

use super::generate::imagedefs;
use crate::support::fixtures::ECR;
use crate::support::harness::{Test, assert_help_lists};

use crate::support::fixtures::SHA;

#[test]
fn help_names_each_variable_and_hides_its_value() {
    assert_help_lists(
        imagedefs().env("REPOSITORY_URI", "secret.example.com/hidden"),
        "ecs-imagedefs",
        &["--help"],
        &[
            "[env: CONTAINER_NAME]",
            "[env: REPOSITORY_URI]",
            "[env: IMAGE_TAG]",
            "[env: CODEBUILD_RESOLVED_SOURCE_VERSION]",
        ],
    );
}

#[test]
fn an_empty_variable_counts_as_unset() {
    let outcome = imagedefs()
        .env("CONTAINER_NAME", "web")
        .env("REPOSITORY_URI", &format!("{ECR}/web"))
        .env("IMAGE_TAG", "")
        .env("CODEBUILD_RESOLVED_SOURCE_VERSION", "0f3c5d2")
        .args(["-o", "-"])
        .run("ecs-imagedefs")
        .success();
    assert!(
        outcome.stdout.contains("/web:0f3c5d2\""),
        "{}",
        outcome.stdout
    );

    imagedefs()
        .env("CONTAINER_NAME", "")
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("error: no `NAME=IMAGE` pairs were given, and CONTAINER_NAME is not set");
}

#[test]
fn a_flag_wins_over_its_variable() {
    let outcome = imagedefs()
        .env("CONTAINER_NAME", "web")
        .env("REPOSITORY_URI", &format!("{ECR}/web"))
        .env("IMAGE_TAG", "1a2b3c4")
        .args(["--image-tag", "v2", "--container-name", "api", "-o", "-"])
        .run("ecs-imagedefs")
        .success();
    assert!(
        outcome.stdout.contains(&format!(
            "\"name\": \"api\",\n    \"imageUri\": \"{ECR}/web:v2\""
        )),
        "{}",
        outcome.stdout
    );
}

#[test]
fn the_variables_do_not_stand_in_the_way_of_check_or_pairs() {
    let test = Test::new().file(
        "imageDetail.json",
        format!("{{\"ImageURI\":\"web@{SHA}\"}}\n"),
    );
    test.env("CONTAINER_NAME", "web")
        .env("REPOSITORY_URI", &format!("{ECR}/web"))
        .env("IMAGE_TAG", "1a2b3c4")
        .args(["check", "imageDetail.json"])
        .run("ecs-imagedefs")
        .success()
        .stderr_is("checked 1 file: 0 errors, 0 warnings\n");

    let outcome = imagedefs()
        .env("CONTAINER_NAME", "web")
        .env("IMAGE_TAG", "1a2b3c4")
        .args(["-o", "-", "log=log:2"])
        .run("ecs-imagedefs")
        .success();
    assert!(outcome.stdout.contains("\"log:2\""), "{}", outcome.stdout);
}
