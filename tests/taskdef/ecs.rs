//! `ecs-taskdef` against the local AWS endpoint: every rendered task definition of the corpus
//! is judged by the AWS CLI's own validation of `RegisterTaskDefinition` input (it checks
//! against AWS's API model before it sends anything) and registered; definitions are fetched
//! back from ECS by family, revision and ARN with their tags. The valid corpus of
//! `tests/corpus/taskdef/valid/` registers as it is.

use std::fs;
use std::path::Path;

use crate::support::fixtures::{ECR, EXAMPLE_SHA};
use crate::support::harness::Test;
use crate::support::local_aws::aws;

const CORPUS: &str = "tests/fixtures/taskdefs";

/// What the Blue/Green action does to a placeholder: puts the image artifact's `ImageURI` there.
fn replace_placeholders(rendered: &str) -> String {
    let mut text = rendered.to_owned();
    while let Some(start) = text.find("\"<") {
        let end = text[start..].find(">\"").expect("a closed placeholder") + start;
        text.replace_range((start + 1)..=end, &format!("{ECR}/app@{EXAMPLE_SHA}"));
    }
    text
}

#[test]
fn every_corpus_definition_renders_and_the_aws_cli_registers_it() {
    let mut files: Vec<_> = fs::read_dir(CORPUS)
        .expect("the corpus")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 12,
        "the corpus has {} definitions",
        files.len()
    );
    let variables =
        fs::read_to_string(Path::new(CORPUS).join("variables.env")).expect("variables.env");
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let outcome = Test::new()
            .file(name, fs::read(path).unwrap())
            .file("variables.env", &variables)
            .args([
                "render",
                name,
                "--vars-file",
                "variables.env",
                "--no-env-vars",
                "-o",
                "taskdef.json",
            ])
            .run("ecs-taskdef")
            .success();
        let rendered = replace_placeholders(&outcome.file("taskdef.json"));
        let registered = Test::new().file("taskdef.json", &rendered);
        let input = format!(
            "file://{}",
            registered.path().join("taskdef.json").display()
        );
        let answer = aws(&[
            "ecs",
            "register-task-definition",
            "--cli-input-json",
            &input,
        ]);
        let answer: serde_json::Value =
            serde_json::from_slice(&answer).expect("register prints JSON");
        let family =
            serde_json::from_str::<serde_json::Value>(&rendered).unwrap()["family"].clone();
        assert_eq!(answer["taskDefinition"]["family"], family, "{name}");
    }
}

/// The valid corpus of `tests/corpus/taskdef/valid/` (the boundaries of `docs/ecs-rules.md`,
/// which `ecs-taskdef check` passes) is valid for the AWS CLI's own validation and registers.
#[test]
fn every_valid_corpus_definition_registers() {
    let mut files: Vec<_> = fs::read_dir("tests/corpus/taskdef/valid")
        .expect("the valid corpus")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 13, "{} valid definitions", files.len());
    for path in &files {
        let input = format!("file://{}", fs::canonicalize(path).unwrap().display());
        let answer = aws(&[
            "ecs",
            "register-task-definition",
            "--cli-input-json",
            &input,
        ]);
        let answer: serde_json::Value =
            serde_json::from_slice(&answer).expect("register prints JSON");
        let sent: serde_json::Value =
            serde_json::from_slice(&fs::read(path).unwrap()).expect("JSON");
        assert_eq!(
            answer["taskDefinition"]["family"],
            sent["family"],
            "{}",
            path.display()
        );
    }
}

/// Registers a definition of a family of its own, with tags, through the AWS CLI.
fn register(family: &str, image: &str) -> String {
    let definition = serde_json::json!({
        "family": family,
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": [
            {"name": "web", "image": image, "essential": true, "portMappings": [{"containerPort": 8080}],
             "environment": [{"name": "EMPTY", "value": ""}]},
            {"name": "log-router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4", "essential": true}
        ],
        "tags": [{"key": "team", "value": "checkout"}]
    });
    let test = Test::new().file("register.json", definition.to_string());
    let input = format!("file://{}", test.path().join("register.json").display());
    let answer: serde_json::Value = serde_json::from_slice(&aws(&[
        "ecs",
        "register-task-definition",
        "--cli-input-json",
        &input,
    ]))
    .unwrap();
    answer["taskDefinition"]["taskDefinitionArn"]
        .as_str()
        .expect("an ARN")
        .to_owned()
}

#[test]
fn renders_from_ecs_by_family_revision_and_arn_with_tags() {
    let family = crate::support::harness::unique("from-ecs");
    register(&family, "web:1.0.0");
    let arn = register(&family, "web:1.1.0");
    for (spec, image) in [
        (family.clone(), "web:1.1.0"),
        (format!("{family}:1"), "web:1.0.0"),
        (arn.clone(), "web:1.1.0"),
    ] {
        let outcome = Test::new()
            .with_aws()
            .args(["render", "--from-ecs", &spec, "-o", "-", "--no-provenance"])
            .run("ecs-taskdef")
            .success()
            .stderr_has("warning[describe-only-key]: dropped");
        let doc: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
        assert_eq!(doc["family"], family.as_str(), "{spec}");
        assert_eq!(doc["containerDefinitions"][0]["image"], image, "{spec}");
        assert_eq!(
            doc["containerDefinitions"][0]["environment"][0]["value"], "",
            "empty values are kept"
        );
        assert_eq!(
            doc["tags"],
            serde_json::json!([{"key": "team", "value": "checkout"}]),
            "{spec}"
        );
        assert!(doc.get("taskDefinitionArn").is_none() && doc.get("revision").is_none());
    }
    // Only the image changes: the IaC-friendly "image-only" render.
    let outcome = Test::new()
        .with_aws()
        .args([
            "render",
            "--from-ecs",
            &family,
            "--image",
            "web=web:1.2.0",
            "--no-provenance",
            "-o",
            "taskdef.json",
        ])
        .run("ecs-taskdef")
        .success();
    let test = Test::new().file("taskdef.json", outcome.file("taskdef.json"));
    let diff = test
        .with_aws()
        .args(["diff", &format!("ecs:{family}"), "taskdef.json"])
        .run("ecs-taskdef")
        .code(1);
    let changed: Vec<&str> = diff
        .stdout
        .lines()
        .filter(|l| l.starts_with(['-', '+']) && !l.starts_with("---") && !l.starts_with("+++"))
        .collect();
    assert_eq!(
        changed,
        [
            "-      \"image\": \"web:1.1.0\",",
            "+      \"image\": \"web:1.2.0\","
        ],
        "{}",
        diff.stdout
    );
}

#[test]
fn a_missing_definition_is_a_clear_error() {
    let family = crate::support::harness::unique("never-registered");
    Test::new()
        .with_aws()
        .args(["render", "--from-ecs", &family])
        .run("ecs-taskdef")
        .code(2)
        .stderr_has("ecs:DescribeTaskDefinition")
        .stderr_has(&format!("task definition `{family}`"));
}
