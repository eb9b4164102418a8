//! `ecs-tagcheck --ecr` and `--pin` against the local endpoint: repositories in each of ECR's
//! four tag-mutability modes, created and filled with the AWS CLI (moto 5.2.5 and awscli
//! 1.46.3 both know the `*_WITH_EXCLUSION` modes and their filters).

use std::sync::atomic::{AtomicU32, Ordering};

use crate::support::fixtures::{ECR, MANIFEST};
use crate::support::harness::Test;
use crate::support::local_aws::aws;

/// A repository of its own in eu-west-1, in `mode` with `filters`, holding the image `tags`.
fn repository(mode: &str, filters: &[&str], tags: &[&str]) -> String {
    repository_in("eu-west-1", mode, filters, tags)
}

/// [`repository`] in `region`.
fn repository_in(region: &str, mode: &str, filters: &[&str], tags: &[&str]) -> String {
    static CALLS: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "tagcheck/{}-{}-{}",
        mode.to_ascii_lowercase().replace('_', "-"),
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    );
    let filters: Vec<String> = filters
        .iter()
        .map(|f| format!("filterType=WILDCARD,filter={f}"))
        .collect();
    let mut args = vec![
        "ecr",
        "create-repository",
        "--region",
        region,
        "--repository-name",
        &name,
        "--image-tag-mutability",
        mode,
    ];
    if !filters.is_empty() {
        args.push("--image-tag-mutability-exclusion-filters");
        args.extend(filters.iter().map(String::as_str));
    }
    aws(&args);
    for tag in tags {
        aws(&[
            "ecr",
            "put-image",
            "--region",
            region,
            "--repository-name",
            &name,
            "--image-tag",
            tag,
            "--image-manifest",
            MANIFEST,
        ]);
    }
    name
}

/// The digest ECR holds for `tag`.
fn digest(name: &str, tag: &str) -> String {
    let out = aws(&[
        "ecr",
        "describe-images",
        "--region",
        "eu-west-1",
        "--repository-name",
        name,
        "--image-ids",
        &format!("imageTag={tag}"),
        "--query",
        "imageDetails[0].imageDigest",
        "--output",
        "text",
    ]);
    String::from_utf8(out).unwrap().trim().to_owned()
}

fn definitions(images: &[&str]) -> String {
    let entries: Vec<String> = images
        .iter()
        .enumerate()
        .map(|(i, image)| format!("  {{\"name\": \"c{i}\", \"imageUri\": \"{image}\"}}"))
        .collect();
    format!("[\n{}\n]\n", entries.join(",\n"))
}

#[test]
fn each_mutability_mode_decides_per_tag() {
    let mutable = repository("MUTABLE", &[], &["v1"]);
    let immutable = repository("IMMUTABLE", &[], &["v1"]);
    let immutable_ex = repository("IMMUTABLE_WITH_EXCLUSION", &["dev-*"], &["v1", "dev-7"]);
    let mutable_ex = repository(
        "MUTABLE_WITH_EXCLUSION",
        &["release-*"],
        &["v1", "release-2"],
    );
    let images = [
        format!("{ECR}/{mutable}:v1"),
        format!("{ECR}/{immutable}:v1"),
        format!("{ECR}/{immutable_ex}:v1"),
        format!("{ECR}/{immutable_ex}:dev-7"),
        format!("{ECR}/{mutable_ex}:v1"),
        format!("{ECR}/{mutable_ex}:release-2"),
    ];
    let refs: Vec<&str> = images.iter().map(String::as_str).collect();
    let outcome = Test::new()
        .file("imagedefinitions.json", definitions(&refs))
        .args(["--ecr", "imagedefinitions.json"])
        .with_aws()
        .run("ecs-tagcheck")
        .code(1)
        .stderr_has(&format!("error[mutable-tag-in-ecr]: the tag `v1` of `{}` can be overwritten: the repository's tags are `MUTABLE`", images[0]))
        .stderr_has(&format!("the tag `dev-7` of `{}` can be overwritten: it matches an exclusion filter (`dev-*`)", images[3]))
        .stderr_has(&format!("the tag `v1` of `{}` can be overwritten: the repository is `MUTABLE_WITH_EXCLUSION` and it matches none of its filters (`release-*`)", images[4]))
        .stderr_has("checked 1 file: 3 errors, 0 warnings");
    assert!(
        outcome.stderr.matches("mutable-tag-in-ecr").count() == 3,
        "{}",
        outcome.stderr
    );
}

#[test]
fn missing_tags_and_digests_are_reported() {
    let name = repository("IMMUTABLE", &[], &["v1"]);
    let absent = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
    Test::new()
        .file("imageDetail.json", format!("{{\"ImageURI\": \"{ECR}/{name}@{absent}\"}}"))
        .file("taskdef.json", format!("{{\"family\": \"f\", \"containerDefinitions\": [{{\"name\": \"web\", \"image\": \"{ECR}/{name}:v2\"}}]}}"))
        .args(["--ecr", "imageDetail.json", "taskdef.json"])
        .with_aws()
        .run("ecs-tagcheck")
        .code(1)
        .stderr_has(&format!("error[image-not-found]: `{absent}` is not in ECR repository `{name}`"))
        .stderr_has(&format!("error[image-not-found]: `v2` is not in ECR repository `{name}`"));
}

#[test]
fn a_missing_repository_is_an_error_of_the_run() {
    Test::new()
        .file(
            "imageDetail.json",
            format!("{{\"ImageURI\": \"{ECR}/tagcheck/never-created:v1\"}}"),
        )
        .args(["--ecr", "imageDetail.json"])
        .with_aws()
        .run("ecs-tagcheck")
        .code(2)
        .stderr_has("error: `ecr:DescribeRepositories` failed with `RepositoryNotFoundException`")
        .stderr_has("help: the image names repository `tagcheck/never-created` in registry `123456789012`, `eu-west-1`, which does not exist there");
}

#[test]
fn pin_rewrites_image_files_and_task_definitions_to_digests() {
    let name = repository("MUTABLE", &[], &["v1"]);
    let sha = digest(&name, "v1");
    let image = format!("{ECR}/{name}:v1");
    let taskdef = format!(
        "{{\n  \"family\": \"web\",\n  \"containerDefinitions\": [\n    {{\"name\": \"web\", \"image\": \"{image}\"}},\n    {{\"name\": \"log\", \"image\": \"public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0\"}}\n  ]\n}}\n"
    );
    let outcome = Test::new()
        .file("out/imagedefinitions.json", definitions(&[&image]))
        .file("out/imageDetail.json", format!("{{\"ImageURI\": \"{image}\"}}\n"))
        .file("out/taskdef.json", &taskdef)
        .file("Dockerfile", format!("FROM {image}\n"))
        .args(["--pin", "."])
        .with_aws()
        .run("ecs-tagcheck")
        .code(1)
        .stderr_has(&format!("pinned `{image}` to `{ECR}/{name}@{sha}` (out/imageDetail.json: line 1, column 14, $.ImageURI)"))
        // The Dockerfile is not rewritten, and its mutable tag is still reported.
        .stderr_has("error[mutable-tag-in-ecr]")
        .stderr_has("checked 4 files: 1 error, 0 warnings");
    let pinned = format!("{ECR}/{name}@{sha}");
    assert_eq!(
        outcome.file("out/imagedefinitions.json"),
        definitions(&[&pinned])
    );
    assert_eq!(
        outcome.file("out/imageDetail.json"),
        format!("{{\"ImageURI\": \"{pinned}\"}}\n")
    );
    assert_eq!(
        outcome.file("out/taskdef.json"),
        taskdef.replace(&image, &pinned)
    );
    assert_eq!(outcome.file("Dockerfile"), format!("FROM {image}\n"));
}

#[test]
fn keep_tag_keeps_the_tag_before_the_digest() {
    let name = repository("IMMUTABLE_WITH_EXCLUSION", &["dev-*"], &["dev-1"]);
    let sha = digest(&name, "dev-1");
    let image = format!("{ECR}/{name}:dev-1");
    let outcome = Test::new()
        .file("imageDetail.json", format!("{{\"ImageURI\": \"{image}\"}}"))
        .args(["--pin", "--keep-tag", "imageDetail.json"])
        .with_aws()
        .run("ecs-tagcheck")
        .success();
    assert_eq!(
        outcome.file("imageDetail.json"),
        format!("{{\"ImageURI\": \"{image}@{sha}\"}}")
    );
}

/// The region comes from the reference, not from `AWS_REGION` (eu-west-1 in the tests).
#[test]
fn cross_region_references_are_looked_up_in_their_region() {
    let name = repository_in("us-east-2", "IMMUTABLE", &[], &["v1"]);
    let image = format!("123456789012.dkr.ecr.us-east-2.amazonaws.com/{name}:v1");
    Test::new()
        .file("imageDetail.json", format!("{{\"ImageURI\": \"{image}\"}}"))
        .args(["--ecr", "imageDetail.json"])
        .with_aws()
        .run("ecs-tagcheck")
        .success();
}
