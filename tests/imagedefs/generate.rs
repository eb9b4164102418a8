//! `ecs-imagedefs`: writing imagedefinitions.json and imageDetail.json.

use insta::assert_snapshot;

use crate::support::fixtures::{ECR, SHA};
use crate::support::harness::Test;
use crate::support::snapshot::whole_lines;

const TASKDEF: &str = r#"{"family":"web","containerDefinitions":[{"name":"web","image":"<IMAGE1_NAME>"},{"name":"log-router","image":"x:1"}]}"#;

pub(crate) fn imagedefs() -> Test {
    Test::new()
}

#[test]
fn writes_pairs_in_the_given_order() {
    let outcome = imagedefs()
        .args([
            format!("web={ECR}/web:abc123"),
            "log-router=public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0".into(),
        ])
        .run("ecs-imagedefs")
        .success()
        .stderr_is("wrote imagedefinitions.json for web, log-router\n");
    assert_snapshot!(
        "imagedefinitions.json",
        whole_lines(&outcome.file("imagedefinitions.json"))
    );
    assert_eq!(outcome.files(), ["imagedefinitions.json"]);
}

#[test]
fn output_is_deterministic() {
    let args = [
        format!("web={ECR}/web:abc123"),
        format!("api={ECR}/api@{SHA}"),
    ];
    let first = imagedefs()
        .args(args.clone())
        .run("ecs-imagedefs")
        .success();
    let second = imagedefs().args(args).run("ecs-imagedefs").success();
    assert_eq!(
        first.file("imagedefinitions.json"),
        second.file("imagedefinitions.json")
    );
}

#[test]
fn writes_to_stdout_and_to_new_directories() {
    let stdout = imagedefs()
        .args(["-o", "-", "web=web:1"])
        .run("ecs-imagedefs")
        .success()
        .stderr_is("")
        .stdout_is("[\n  {\n    \"name\": \"web\",\n    \"imageUri\": \"web:1\"\n  }\n]\n");
    assert!(stdout.files().is_empty());
    let nested = imagedefs()
        .args(["-o", "out/deploy/images.json", "web=web:1"])
        .run("ecs-imagedefs")
        .success();
    assert_eq!(nested.files(), ["out/deploy/images.json"]);
}

#[test]
fn reads_the_codebuild_convention() {
    let outcome = imagedefs()
        .env("CONTAINER_NAME", "web")
        .env("REPOSITORY_URI", &format!("{ECR}/web"))
        .env("IMAGE_TAG", "1a2b3c4")
        .env(
            "CODEBUILD_RESOLVED_SOURCE_VERSION",
            "ffffffffffffffffffffffffffffffffffffffff",
        )
        .args(["-o", "-"])
        .run("ecs-imagedefs")
        .success();
    assert!(
        outcome
            .stdout
            .contains(&format!("\"imageUri\": \"{ECR}/web:1a2b3c4\"")),
        "{}",
        outcome.stdout
    );
}

#[test]
fn falls_back_to_the_commit_and_never_to_latest() {
    let commit = "0f3c5d2e9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d";
    let outcome = imagedefs()
        .env("CONTAINER_NAME", "web")
        .env("REPOSITORY_URI", &format!("{ECR}/web"))
        .env("CODEBUILD_RESOLVED_SOURCE_VERSION", commit)
        .args(["-o", "-"])
        .run("ecs-imagedefs")
        .success();
    assert!(
        outcome.stdout.contains(&format!("/web:{commit}\"")),
        "{}",
        outcome.stdout
    );

    imagedefs()
        .env("CONTAINER_NAME", "web")
        .env("REPOSITORY_URI", &format!("{ECR}/web"))
        .run("ecs-imagedefs")
        .code(2)
        .stderr_is(
            "error: neither IMAGE_TAG nor CODEBUILD_RESOLVED_SOURCE_VERSION is set\nhelp: set IMAGE_TAG to the tag you pushed, such as the commit id; ecs-imagedefs never falls back to `latest`\n",
        );
}

#[test]
fn says_which_codebuild_variable_is_missing_or_wrong() {
    imagedefs()
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("no `NAME=IMAGE` pairs were given, and CONTAINER_NAME is not set");
    imagedefs()
        .env("CONTAINER_NAME", "web")
        .env("IMAGE_TAG", "1")
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("error: REPOSITORY_URI is not set");
    imagedefs()
        .env("CONTAINER_NAME", "web")
        .env("REPOSITORY_URI", &format!("{ECR}/web:v1"))
        .env("IMAGE_TAG", "v2")
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has(&format!(
            "help: set REPOSITORY_URI to `{ECR}/web` and the tag in IMAGE_TAG"
        ));
    // An S3 source's version id is no image tag.
    imagedefs()
        .env("CONTAINER_NAME", "web")
        .env("REPOSITORY_URI", &format!("{ECR}/web"))
        .env("CODEBUILD_RESOLVED_SOURCE_VERSION", "3/L4kqtJl+rmSpXd3dIbrHY")
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("error: CODEBUILD_RESOLVED_SOURCE_VERSION `3/L4kqtJl+rmSpXd3dIbrHY` is not a valid image tag");
    imagedefs()
        .env("CONTAINER_NAME", "web")
        .env("REPOSITORY_URI", &format!("{ECR}/web"))
        .env("IMAGE_TAG", "latest")
        .run("ecs-imagedefs")
        .code(1)
        .stderr_has("uses the mutable tag `latest`");
}

#[test]
fn relative_paths_follow_codebuild_src_dir() {
    let test = imagedefs();
    let src = test.path().join("src");
    let outcome = test
        .file("src/taskdef.json", TASKDEF)
        .env("CODEBUILD_SRC_DIR", src.to_str().unwrap())
        .args([
            "--taskdef",
            "taskdef.json",
            "-o",
            "out/imagedefinitions.json",
            "web=web:1",
        ])
        .run("ecs-imagedefs")
        .success();
    assert_eq!(
        outcome.files(),
        ["src/out/imagedefinitions.json", "src/taskdef.json"]
    );
}

#[test]
fn refuses_latest_and_untagged_images_and_writes_nothing() {
    let outcome = imagedefs()
        .file("imagedefinitions.json", "previous\n")
        .args(["web=nginx:latest"])
        .run("ecs-imagedefs")
        .code(1)
        .stderr_is(
            "error: `nginx:latest` uses the mutable tag `latest`, so nobody can tell which build it deploys (argument `web=nginx:latest`)\n\
             help: tag the image with the commit id (`$CODEBUILD_RESOLVED_SOURCE_VERSION`) or pin it by digest (`@sha256:…`); `--allow-mutable-tag` accepts it anyway\n",
        );
    assert_eq!(
        outcome.file("imagedefinitions.json"),
        "previous\n",
        "the old file is untouched"
    );
    assert_eq!(
        outcome.files(),
        ["imagedefinitions.json"],
        "no temporary file is left"
    );

    imagedefs()
        .args(["web=nginx", "api=api"])
        .run("ecs-imagedefs")
        .code(1)
        .stderr_has("error: 2 problems; nothing was written");
    imagedefs()
        .args(["--allow-mutable-tag", "web=nginx", "-o", "-"])
        .run("ecs-imagedefs")
        .success();
    // A digest pins the image whatever the tag says.
    imagedefs()
        .args([format!("web=nginx:latest@{SHA}")])
        .run("ecs-imagedefs")
        .success();
}

#[test]
fn bad_references_name_the_part_and_the_fix() {
    let cases = [
        (
            "web=Web:1",
            "the repository `Web` contains the upper-case letter `W`",
            "help: repository names are lower case: use `web`",
        ),
        (
            "web=web:feature/login",
            "the port `feature` of registry `web:feature` is not a number",
            "replace it with `-`",
        ),
        (
            "web=web:",
            "the `:` is followed by no tag",
            "help: add the tag after `:`, or drop the `:`",
        ),
        (
            "web=web@sha256:abc",
            "a sha256 digest has 64 hex digits; this one has 3",
            "help: copy the whole digest",
        ),
        (
            "web=https://ghcr.io/org/web:1",
            "an image reference has no URL scheme",
            "help: drop `https://`",
        ),
        (
            "web=web:1 ",
            "it contains white space",
            "help: remove the spaces",
        ),
        ("web=", "it is empty", "help: give a reference"),
    ];
    for (arg, message, help) in cases {
        imagedefs()
            .args([arg])
            .run("ecs-imagedefs")
            .code(2)
            .stderr_has(message)
            .stderr_has(help)
            .stderr_has(&format!("(argument `{arg}`)"));
    }
    imagedefs()
        .args(["web=[::1]:5000/web:1"])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("ECS does not accept the character `[` in an image");
    let blake = format!("web=web@blake3:{}", "a".repeat(64));
    imagedefs()
        .args([blake])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("ECS supports only `sha256` digests, not `blake3`");
}

#[test]
fn bad_pairs_and_names() {
    imagedefs()
        .args(["nginx:1.27"])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_is("error: `nginx:1.27` is not a `NAME=IMAGE` pair\nhelp: name the container the image is for: `web=<repository>:<tag>`\n");
    imagedefs()
        .args(["we b=web:1"])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("the container name `we b` contains ` `");
    imagedefs()
        .args(["=web:1"])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("the container name is empty");
    imagedefs()
        .args(["web=web:1", "web=web:2"])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("container `web` is listed twice (entries 0 and 1) (argument `web=web:2`)");
}

#[test]
fn checks_names_against_the_task_definition() {
    let outcome = imagedefs()
        .file("taskdef.json", TASKDEF)
        .args(["--taskdef", "taskdef.json", "api=api:1"])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_is(
            "error: container `api` is not in the task definition; it has `web`, `log-router` (argument `api=api:1`: taskdef.json)\n\
             help: the deploy action fails with `The AWS ECS container … does not exist`: use one of those names\n",
        );
    assert_eq!(outcome.files(), ["taskdef.json"]);
    let describe =
        format!(r#"{{"taskDefinition":{TASKDEF},"tags":[{{"key":"team","value":"web"}}]}}"#);
    imagedefs()
        .file("describe.json", describe)
        .args([
            "--taskdef",
            "describe.json",
            "log-router=fluent-bit:2",
            "-o",
            "-",
        ])
        .run("ecs-imagedefs")
        .success();
    imagedefs()
        .args(["--taskdef", "missing.json", "web=web:1"])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("error: cannot read `missing.json`: no such file");
    imagedefs()
        .file(
            "taskdef.json",
            "{\"family\": \"web\",\n\"containerDefinitions\": [\n",
        )
        .args(["--taskdef", "taskdef.json", "web=web:1"])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has(
            "the file is not valid JSON: EOF while parsing a list (taskdef.json: line 3, column 0)",
        );
    imagedefs()
        .file("taskdef.json", r#"{"family":"web"}"#)
        .args(["--taskdef", "taskdef.json", "web=web:1"])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_has("it has no `containerDefinitions`");
}

#[test]
fn help_shows_examples() {
    let outcome = imagedefs().args(["--help"]).run("ecs-imagedefs").success();
    assert!(outcome.stdout.contains("Examples:"), "{}", outcome.stdout);
    imagedefs()
        .args(["--no-such-flag"])
        .run("ecs-imagedefs")
        .code(2);
}
