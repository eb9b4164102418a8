//! `ecs-pipeline status --service` against moto: services created with the AWS CLI from task
//! definitions stamped the way `ecs-taskdef render` stamps them. moto's tasks report no
//! `imageDigest`, so the images here are pinned by digest in the task definition, the
//! fallback the program reads when no running task reports one.

use serde_json::{Value, json};

use crate::support::codepipeline_endpoint::{Endpoint, Run};
use crate::support::fixtures::ECR;
use crate::support::harness::{Test, unique};
use crate::support::local_aws::aws;

const TESTED: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const UNTESTED: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

/// A cluster of its own with a service `web` running one revision whose `web` container runs
/// `digest`, stamped with `commit` and build `web:7`; returns `cluster/web`.
fn service(digest: &str, commit: &str) -> String {
    let cluster = unique("dk-running");
    aws(&["ecs", "create-cluster", "--cluster-name", &cluster]);
    let definition = json!({
        "family": cluster,
        "containerDefinitions": [
            {"name": "web", "image": format!("{ECR}/web@{digest}"), "memory": 256, "essential": true,
             "dockerLabels": {"org.opencontainers.image.revision": commit}},
            {"name": "log-router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4",
             "memory": 64, "essential": true}
        ],
        "tags": [
            {"key": "org.opencontainers.image.revision", "value": commit},
            {"key": "codebuild-build-id", "value": "web:7"}
        ]
    });
    aws(&[
        "ecs",
        "register-task-definition",
        "--cli-input-json",
        &definition.to_string(),
    ]);
    aws(&[
        "ecs",
        "create-service",
        "--cluster",
        &cluster,
        "--service-name",
        "web",
        "--task-definition",
        &cluster,
        "--desired-count",
        "0",
    ]);
    format!("{cluster}/web")
}

#[test]
fn shows_revision_digest_commit_and_build_of_each_service() {
    let dev = service(TESTED, "4f2a9c1");
    let prod = service(TESTED, "4f2a9c1");
    let outcome = Test::new()
        .with_aws()
        .args(["status", "--service", &dev, "--service", &prod])
        .run("ecs-pipeline")
        .success();
    let lines: Vec<&str> = outcome.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", outcome.stdout);
    assert!(lines[0].starts_with("SERVICE"), "{}", lines[0]);
    let family = dev.trim_end_matches("/web");
    for field in [
        dev.as_str(),
        &format!("{family}:1"),
        "web",
        TESTED,
        "4f2a9c1",
        "web:7",
    ] {
        assert!(lines[1].contains(field), "{field} in {}", lines[1]);
    }
    assert!(
        lines[2].contains("aws-for-fluent-bit:2.32.4"),
        "{}",
        lines[2]
    );
    assert!(lines[3].starts_with(&prod), "{}", lines[3]);
    assert!(!outcome.stderr.contains("note:"), "{}", outcome.stderr);
}

#[test]
fn a_digest_in_prod_that_never_ran_in_dev_is_pointed_out_and_json_lists_it() {
    let dev = service(TESTED, "4f2a9c1");
    let prod = service(UNTESTED, "9e8d7c6");
    Test::new()
        .with_aws()
        .args(["status", "--service", &prod, "--service", &dev])
        .run("ecs-pipeline")
        .success()
        .stderr_has(&format!(
            "note: container `web` of {prod} runs {UNTESTED}, which is in none of the \
             deployments of {dev}"
        ));
    let outcome = Test::new()
        .with_aws()
        .args([
            "status",
            "--service",
            &prod,
            "--service",
            &dev,
            "--format",
            "json",
        ])
        .run("ecs-pipeline")
        .success();
    let document: Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    let web = &document["containers"][0];
    assert_eq!(web["service"], prod.as_str());
    assert_eq!(web["image"], UNTESTED);
    assert_eq!(web["commit"], "9e8d7c6");
    assert_eq!(web["build"], "web:7");
    assert!(
        web["since"]
            .as_str()
            .is_some_and(|since| since.ends_with('Z')),
        "{web}"
    );
    assert_eq!(document["notices"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_missing_service_is_named() {
    let dev = service(TESTED, "4f2a9c1");
    let cluster = dev.trim_end_matches("/web");
    Test::new()
        .with_aws()
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(["status", "--service", &format!("{cluster}/missing")])
        .run("ecs-pipeline")
        .code(2)
        .stderr_has(&format!("service `missing` in cluster `{cluster}`"));
}

/// Labelled dev and prod: only what prod runs is compared with dev, and the EXECUTION column
/// names the execution whose action ran the build stamped on the revision (the CodePipeline
/// calls go to `support/codepipeline_endpoint.rs`: moto has no `ListActionExecutions`).
#[test]
fn labelled_environments_compare_prod_with_dev_and_name_the_deploying_execution() {
    let dev = service(TESTED, "4f2a9c1");
    let prod = service(UNTESTED, "9e8d7c6");
    let endpoint = Endpoint::start("web-prod").run(Run {
        id: "e-7",
        revision: "9e8d7c6aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        status: "Succeeded",
        deploy: "Succeeded",
        provider: "ECS",
        bucket: "artifacts".to_owned(),
        key: "web-prod/build.zip".to_owned(),
        digest: UNTESTED,
        build: "web:7",
    });
    let args = |format: &str| {
        [
            "status",
            "--service",
            &format!("dev={dev}"),
            "--service",
            &format!("prod={prod}"),
            "--pipeline",
            "web-prod",
            "--format",
            format,
        ]
        .map(str::to_owned)
    };
    let outcome = Test::new()
        .with_aws()
        .env("AWS_ENDPOINT_URL_CODEPIPELINE", &endpoint.url)
        .args(args("text"))
        .run("ecs-pipeline")
        .success()
        .stderr_has(&format!(
            "note: container `web` of {prod} runs {UNTESTED}, which is in none of the \
             deployments of {dev} (never in dev)\n"
        ));
    assert_eq!(
        outcome.stderr.matches("note:").count(),
        1,
        "{}",
        outcome.stderr
    );
    let lines: Vec<&str> = outcome.stdout.lines().collect();
    assert!(lines[0].starts_with("ENVIRONMENT  SERVICE"), "{}", lines[0]);
    assert!(lines[0].contains("EXECUTION"), "{}", lines[0]);
    assert!(lines[3].starts_with("prod"), "{}", lines[3]);
    assert!(lines[3].contains("e-7"), "{}", lines[3]);
    let outcome = Test::new()
        .with_aws()
        .env("AWS_ENDPOINT_URL_CODEPIPELINE", &endpoint.url)
        .args(args("json"))
        .run("ecs-pipeline")
        .success();
    let document: Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    assert_eq!(document["containers"][0]["environment"], "dev");
    assert_eq!(document["containers"][0]["execution"], "e-7");
    assert_eq!(document["notices"].as_array().map(Vec::len), Some(1));
}
