//! `ecs-pipeline`'s flags as the configuration reads them: the CodeBuild fallback of
//! `--revision` declared on the flag, and the shared `--region`. The runs that answer an
//! approval or wait go to the CodePipeline test endpoint (`tests/support/codepipeline_endpoint.rs`).

use crate::support::codepipeline_endpoint::Endpoint;
use crate::support::harness::{Outcome, Test};

const PIPELINE: &str = "web-prod";
const TESTED: &str = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
const APPROVE: [&str; 7] = [
    "approve",
    "--pipeline",
    PIPELINE,
    "--stage",
    "Approve",
    "--action",
    "Manual",
];

fn run(test: Test, endpoint: &Endpoint, args: &[&str]) -> Outcome {
    test.with_test_endpoint(&endpoint.url)
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(args)
        .run("ecs-pipeline")
}

#[test]
fn help_names_the_codebuild_fallback_without_its_value() {
    let outcome = Test::new()
        .env("CODEBUILD_RESOLVED_SOURCE_VERSION", TESTED)
        .args(["approve", "--help"])
        .run("ecs-pipeline")
        .success();
    assert!(
        outcome
            .stdout
            .contains("[env: CODEBUILD_RESOLVED_SOURCE_VERSION]"),
        "{}",
        outcome.stdout
    );
    assert!(!outcome.stdout.contains(TESTED), "{}", outcome.stdout);
}

#[test]
fn a_revision_given_conflicts_with_any_revision_even_in_codebuild() {
    Test::new()
        .env("CODEBUILD_RESOLVED_SOURCE_VERSION", TESTED)
        .args(APPROVE)
        .args(["--revision", TESTED, "--any-revision"])
        .run("ecs-pipeline")
        .code(2)
        .stderr_has(
            "error: the argument '--any-revision' cannot be used with '--revision <COMMIT>'",
        );
}

#[test]
fn an_empty_build_commit_is_no_commit() {
    let endpoint = Endpoint::start(PIPELINE)
        .execution("e-1", TESTED, &["InProgress"])
        .approval("e-1", "InProgress", None);
    let in_codebuild = Test::new().env("CODEBUILD_RESOLVED_SOURCE_VERSION", "");
    run(in_codebuild, &endpoint, &APPROVE)
        .success()
        .stderr_has("approved execution `e-1`");
    assert_eq!(endpoint.requests("PutApprovalResult").len(), 1);
}

#[test]
fn the_region_flag_reaches_the_client() {
    let endpoint = Endpoint::start(PIPELINE).execution("e-1", TESTED, &["Succeeded"]);
    let args = [
        "wait",
        "--pipeline",
        PIPELINE,
        "--execution-id",
        "e-1",
        "--region",
        "eu-west-2",
    ];
    run(Test::new(), &endpoint, &args).success().stderr_has(
        "waiting for execution `e-1` for up to 1h: https://eu-west-2.console.aws.amazon.com/codesuite/",
    );
}
