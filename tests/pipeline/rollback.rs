//! `ecs-pipeline rollback`: the CodePipeline calls go to the test endpoint
//! (`support/codepipeline_endpoint.rs`; moto has no `ListActionExecutions`,
//! `ListPipelineExecutions` history or `RollbackStage`), the artifact store is a bucket on the
//! local endpoint (moto), and stopping a running deployment goes to `support/stop_endpoint.rs`.

use crate::support::codepipeline_endpoint::{Endpoint, Run};
use crate::support::harness::{Outcome, Test, unique};
use crate::support::local_aws::aws;
use crate::support::stop_endpoint::{self, SERVICE_DEPLOYMENT};

const PIPELINE: &str = "web-prod";
const COMMITS: [&str; 3] = [
    "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    "3333333ccccccccccccccccccccccccccccccccc",
];
const DIGESTS: [&str; 3] = [
    "sha256:1111111111111111111111111111111111111111111111111111111111111111",
    "sha256:2222222222222222222222222222222222222222222222222222222222222222",
    "sha256:3333333333333333333333333333333333333333333333333333333333333333",
];
/// The calls that change something.
const MUTATING: [&str; 3] = ["RollbackStage", "StopServiceDeployment", "StopDeployment"];

/// An artifact store bucket holding the artifacts of the executions numbered in `kept`.
fn store(kept: &[usize]) -> String {
    let bucket = unique("dk-artifacts");
    aws(&["s3api", "create-bucket", "--bucket", &bucket]);
    for n in kept {
        aws(&[
            "s3api",
            "put-object",
            "--bucket",
            &bucket,
            "--key",
            &key(*n),
        ]);
    }
    bucket
}

fn key(n: usize) -> String {
    format!("web-prod/BuildArtif/build-{n}.zip")
}

/// Executions e-1 and e-2 deployed; e-3, the newest, failed in the Deploy stage (`deploy`
/// for e-3 when given).
fn history(bucket: &str, last: &'static str, provider: &'static str) -> Endpoint {
    let mut endpoint = Endpoint::start(PIPELINE);
    for (n, id) in ["e-1", "e-2", "e-3"].into_iter().enumerate() {
        let (status, deploy) = match n {
            2 if last == "InProgress" => ("InProgress", "InProgress"),
            2 => ("Failed", last),
            _ => ("Succeeded", "Succeeded"),
        };
        endpoint = endpoint.run(Run {
            id,
            revision: COMMITS[n],
            status,
            deploy,
            provider,
            bucket: bucket.to_owned(),
            key: key(n + 1),
            digest: DIGESTS[n],
            build: "web-prod:build",
        });
    }
    endpoint
}

fn run(endpoint: &Endpoint, stops: Option<&stop_endpoint::Endpoint>, extra: &[&str]) -> Outcome {
    let mut test = Test::new()
        .with_aws()
        .env("AWS_ENDPOINT_URL_CODEPIPELINE", &endpoint.url)
        .env("AWS_MAX_ATTEMPTS", "1");
    if let Some(stops) = stops {
        test = test
            .env("AWS_ENDPOINT_URL_ECS", &stops.url)
            .env("AWS_ENDPOINT_URL_CODEDEPLOY", &stops.url);
    }
    test.args(["rollback", "--pipeline", PIPELINE, "--stage", "Deploy"])
        .args(extra)
        .run("ecs-pipeline")
}

fn mutating(endpoint: &Endpoint) -> usize {
    MUTATING
        .iter()
        .map(|operation| endpoint.requests(operation).len())
        .sum()
}

#[test]
fn rolls_back_to_the_execution_given_after_showing_its_commit_and_digest() {
    let bucket = store(&[1, 2, 3]);
    let endpoint = history(&bucket, "Failed", "CodeDeployToECS");
    let outcome = run(&endpoint, None, &["--to", "e-1"])
        .success()
        .stderr_has("rolling back from execution `e-3` to execution `e-1`:")
        .stderr_has(&format!(
            "  source   SourceArtifact {} (Commit 1111111)",
            COMMITS[0]
        ))
        .stderr_has(&format!("  image    {}", DIGESTS[0]))
        .stderr_has(&format!(
            "  artifact BuildArtifact s3://{bucket}/{}",
            key(1)
        ))
        .stderr_has("to execution `e-1`: execution `rollback-");
    let rollbacks = endpoint.requests("RollbackStage");
    assert_eq!(rollbacks.len(), 1);
    assert_eq!(rollbacks[0]["pipelineName"], PIPELINE);
    assert_eq!(rollbacks[0]["stageName"], "Deploy");
    assert_eq!(rollbacks[0]["targetPipelineExecutionId"], "e-1");
    assert!(
        outcome.stdout.starts_with("rollback-"),
        "stdout is the new execution's id"
    );
}

#[test]
fn rolls_back_to_the_last_execution_that_succeeded_in_the_stage_by_default() {
    let bucket = store(&[1, 2, 3]);
    let endpoint = history(&bucket, "Failed", "CodeDeployToECS");
    run(&endpoint, None, &[])
        .success()
        .stderr_has("rolling back from execution `e-3` to execution `e-2`:")
        .stderr_has(&format!("  image    {}", DIGESTS[1]));
    let rollbacks = endpoint.requests("RollbackStage");
    assert_eq!(rollbacks.len(), 1);
    assert_eq!(rollbacks[0]["targetPipelineExecutionId"], "e-2");
}

/// CodePipeline does not roll back to a rollback execution, so the default passes over one:
/// after e-2, `rollback-1` returned the stage to e-1, then e-3 failed.
#[test]
fn the_default_target_is_never_a_rollback_execution() {
    let bucket = store(&[1, 2, 3]);
    let mut endpoint = Endpoint::start(PIPELINE);
    for (id, n, deploy) in [
        ("e-1", 0, "Succeeded"),
        ("e-2", 1, "Succeeded"),
        ("rollback-1", 0, "Succeeded"),
        ("e-3", 2, "Failed"),
    ] {
        endpoint = endpoint.run(Run {
            id,
            revision: COMMITS[n],
            status: if deploy == "Failed" {
                "Failed"
            } else {
                "Succeeded"
            },
            deploy,
            provider: "CodeDeployToECS",
            bucket: bucket.clone(),
            key: key(n + 1),
            digest: DIGESTS[n],
            build: "web-prod:build",
        });
    }
    run(&endpoint, None, &["--dry-run"])
        .success()
        .stderr_has("rolling back from execution `e-3` to execution `e-2`:");
}

#[test]
fn refuses_a_target_whose_artifacts_expired_and_says_how_to_redeploy_it() {
    let bucket = store(&[3]);
    let endpoint = history(&bucket, "Failed", "CodeDeployToECS");
    run(&endpoint, None, &[])
        .code(1)
        .stderr_has(&format!(
            "error: the artifacts of execution `e-2` have expired: s3://{bucket}/{} no longer exists",
            key(2)
        ))
        .stderr_has(&format!(
            "`ecs-pipeline start --pipeline {PIPELINE} --source-revision Source={}`",
            COMMITS[1]
        ));
    assert_eq!(mutating(&endpoint), 0);
}

#[test]
fn refuses_a_target_that_did_not_succeed_in_the_stage() {
    let bucket = store(&[1, 2, 3]);
    let endpoint = history(&bucket, "Failed", "CodeDeployToECS");
    run(&endpoint, None, &["--to", "e-3"])
        .code(1)
        .stderr_has("error: execution `e-3` did not succeed in the stage (`BlueGreen` Failed)");
    run(&endpoint, None, &["--to", "e-9"])
        .code(1)
        .stderr_has("error: execution `e-9` never ran in the stage");
    assert_eq!(mutating(&endpoint), 0);
}

#[test]
fn dry_run_shows_the_rollback_and_sends_no_call_that_changes_anything() {
    let bucket = store(&[1, 2, 3]);
    let endpoint = history(&bucket, "Failed", "CodeDeployToECS");
    run(&endpoint, None, &["--dry-run"])
        .success()
        .stdout_is("")
        .stderr_has(&format!(
            "  source   SourceArtifact {} (Commit 2222222)",
            COMMITS[1]
        ))
        .stderr_has("would roll back pipeline `web-prod`, stage `Deploy` to execution `e-2`");
    assert_eq!(mutating(&endpoint), 0);
    run(&endpoint, None, &["--stop-deployment"])
        .code(1)
        .stderr_has("error: there is no deployment to stop: the stage is not running");
    assert_eq!(mutating(&endpoint), 0);
}

#[test]
fn stops_a_running_codedeploy_deployment_with_rollback_only_when_asked() {
    let bucket = store(&[1, 2, 3]);
    let endpoint = history(&bucket, "InProgress", "CodeDeployToECS");
    let stops = stop_endpoint::Endpoint::start();
    run(&endpoint, Some(&stops), &[])
        .code(1)
        .stderr_has("error: the stage is running execution `e-3`: CodeDeploy deployment `d-e-3`")
        .stderr_has("add --stop-deployment");
    run(&endpoint, Some(&stops), &["--stop-deployment", "--dry-run"])
        .success()
        .stderr_has("would stop CodeDeploy deployment `d-e-3` with rollback");
    assert!(stops.requests().is_empty(), "--dry-run stops nothing");
    run(&endpoint, Some(&stops), &["--stop-deployment"])
        .success()
        .stderr_has("stopped CodeDeploy deployment `d-e-3` with rollback (Pending: Stopping the deployment)");
    let requests = stops.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].0, "StopDeployment");
    assert_eq!(requests[0].1["deploymentId"], "d-e-3");
    assert_eq!(requests[0].1["autoRollbackEnabled"], true);
    assert_eq!(
        mutating(&endpoint),
        0,
        "no RollbackStage while the stage deploys"
    );
}

#[test]
fn stops_a_running_ecs_deployment_with_rollback() {
    let bucket = store(&[1, 2, 3]);
    let endpoint = history(&bucket, "InProgress", "ECS");
    let stops = stop_endpoint::Endpoint::start();
    run(&endpoint, Some(&stops), &["--stop-deployment"])
        .success()
        .stderr_has(&format!(
            "stopped ECS service deployment `{SERVICE_DEPLOYMENT}` with rollback"
        ));
    let requests = stops.requests();
    let operations: Vec<&str> = requests.iter().map(|(op, _)| op.as_str()).collect();
    assert_eq!(
        operations,
        ["ListServiceDeployments", "StopServiceDeployment"]
    );
    assert_eq!(requests[0].1["cluster"], "prod");
    assert_eq!(requests[0].1["service"], "web");
    assert_eq!(requests[1].1["serviceDeploymentArn"], SERVICE_DEPLOYMENT);
    assert_eq!(requests[1].1["stopType"], "ROLLBACK");
}
