//! `ecs-pipeline` against the CodePipeline test endpoint (`support/codepipeline_endpoint.rs`): the
//! operations moto lacks (`GetPipelineState`, `PutApprovalResult`, `ListActionExecutions`)
//! and executions that progress as each test says, through the real SDK client.

use serde_json::{Value, json};

use crate::support::codepipeline_endpoint::Endpoint;
use crate::support::harness::{Outcome, Test};

const PIPELINE: &str = "web-prod";
const TESTED: &str = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
const OTHER: &str = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
const APPROVAL: [&str; 6] = [
    "--pipeline",
    PIPELINE,
    "--stage",
    "Approve",
    "--action",
    "Manual",
];

/// Runs `ecs-pipeline` with its CodePipeline calls sent to `endpoint`, one attempt per call so
/// that expected errors come back at once.
fn run(endpoint: &Endpoint, args: &[&str]) -> Outcome {
    run_in(Test::new(), endpoint, args)
}

fn run_in(test: Test, endpoint: &Endpoint, args: &[&str]) -> Outcome {
    test.with_test_endpoint(&endpoint.url)
        .env("AWS_ENDPOINT_URL_CODEPIPELINE", &endpoint.url)
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(args)
        .run("ecs-pipeline")
}

fn waiting() -> Endpoint {
    Endpoint::start(PIPELINE)
        .execution("e-1", TESTED, &["InProgress"])
        .approval("e-1", "InProgress", None)
}

#[test]
fn approves_the_waiting_execution_of_the_tested_revision() {
    let endpoint = waiting();
    let short = &TESTED[..7];
    let args = approval("approve", &["--revision", short, "--summary", "e2e passed"]);
    run_owned(&endpoint, &args)
        .success()
        .stderr_has(&format!("approved execution `e-1` (revision `{TESTED}`)"));

    let answers = endpoint.requests("PutApprovalResult");
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0]["token"], "token-e-1");
    assert_eq!(answers[0]["stageName"], "Approve");
    assert_eq!(answers[0]["actionName"], "Manual");
    assert_eq!(answers[0]["result"]["status"], "Approved");
    assert_eq!(answers[0]["result"]["summary"], "e2e passed");
}

fn approval(verb: &str, extra: &[&str]) -> Vec<String> {
    std::iter::once(verb)
        .chain(APPROVAL)
        .chain(extra.iter().copied())
        .map(str::to_owned)
        .collect()
}

fn run_owned(endpoint: &Endpoint, args: &[String]) -> Outcome {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(endpoint, &args)
}

#[test]
fn refuses_another_revision_and_names_the_one_waiting() {
    let endpoint = waiting();
    run_owned(&endpoint, &approval("approve", &["--revision", OTHER]))
        .code(1)
        .stderr_has(&format!(
            "error: execution `e-1` waiting for approval was started from `{TESTED}`, not `{OTHER}`"
        ))
        .stderr_has("(pipeline `web-prod`, stage `Approve`, action `Manual`)");
    assert!(endpoint.requests("PutApprovalResult").is_empty());
}

#[test]
fn in_codebuild_the_build_commit_is_the_tested_one_unless_told_otherwise() {
    let endpoint = waiting();
    let in_codebuild = || Test::new().env("CODEBUILD_RESOLVED_SOURCE_VERSION", OTHER);
    let args = approval("approve", &[]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_in(in_codebuild(), &endpoint, &args)
        .code(1)
        .stderr_has(&format!("was started from `{TESTED}`, not `{OTHER}`"));
    assert!(endpoint.requests("PutApprovalResult").is_empty());

    let args = [&args[..], &["--any-revision"]].concat();
    run_in(in_codebuild(), &endpoint, &args).success();
    assert_eq!(endpoint.requests("PutApprovalResult").len(), 1);
}

#[test]
fn refuses_another_execution_id() {
    let endpoint = waiting();
    run_owned(&endpoint, &approval("approve", &["--execution-id", "e-9"]))
        .code(1)
        .stderr_has("error: execution `e-1` is waiting");
    assert!(endpoint.requests("PutApprovalResult").is_empty());
}

#[test]
fn rejects_with_a_default_summary() {
    let endpoint = waiting();
    run_owned(&endpoint, &approval("reject", &["--execution-id", "e-1"]))
        .success()
        .stderr_has("rejected execution `e-1`");
    let answers = endpoint.requests("PutApprovalResult");
    assert_eq!(answers[0]["result"]["status"], "Rejected");
    assert_eq!(
        answers[0]["result"]["summary"],
        format!("rejected with ecs-pipeline (revision {TESTED})")
    );
}

#[test]
fn says_when_nothing_is_waiting() {
    let endpoint = Endpoint::start(PIPELINE)
        .execution("e-1", TESTED, &["Succeeded"])
        .approval("e-1", "Succeeded", None);
    run_owned(&endpoint, &approval("approve", &[]))
        .code(2)
        .stderr_has(
            "error: no approval is waiting: its last run, for execution `e-1`, is `Succeeded`",
        )
        .stderr_has("help: `ecs-pipeline status`");

    let never_ran = Endpoint::start(PIPELINE).execution("e-1", TESTED, &["InProgress"]);
    run_owned(&never_ran, &approval("approve", &[]))
        .code(2)
        .stderr_has("error: no approval is waiting: the stage has not run yet");
}

#[test]
fn says_when_the_approval_expired() {
    let endpoint = Endpoint::start(PIPELINE)
        .execution("e-1", TESTED, &["Failed"])
        .approval("e-1", "Failed", Some("The approval action expired"));
    run_owned(&endpoint, &approval("approve", &["--revision", TESTED]))
        .code(2)
        .stderr_has("error: the approval of execution `e-1` expired: The approval action expired")
        .stderr_has("help: start the pipeline again");
}

#[test]
fn refuses_an_action_that_is_not_an_approval() {
    let endpoint = waiting();
    let args = [
        "approve",
        "--pipeline",
        PIPELINE,
        "--stage",
        "Deploy",
        "--action",
        "BlueGreen",
    ];
    run(&endpoint, &args)
        .code(2)
        .stderr_has(
            "error: action `BlueGreen` is a `Deploy` action (provider `CodeDeployToECS`), not a \
             manual approval",
        )
        .stderr_has("help: the approval actions are `Manual` in stage `Approve`");

    let args = [
        "approve",
        "--pipeline",
        PIPELINE,
        "--stage",
        "Prod",
        "--action",
        "Manual",
    ];
    run(&endpoint, &args).code(2).stderr_is(
        "error: there is no stage `Prod` (pipeline `web-prod`)\n\
             help: the stages are `Source`, `Approve`, `Deploy`\n",
    );
}

#[test]
fn a_missing_pipeline_is_the_service_error() {
    let endpoint = waiting();
    let args = ["status", "--pipeline", "nope"];
    run(&endpoint, &args)
        .code(2)
        .stderr_has(
            "error: `codepipeline:GetPipelineState` failed with `PipelineNotFoundException`",
        )
        .stderr_has("(pipeline `nope`)");
}

#[test]
fn start_sends_variables_and_source_revisions() {
    let endpoint = Endpoint::start(PIPELINE);
    let outcome = run(
        &endpoint,
        &[
            "start",
            "--pipeline",
            PIPELINE,
            "--variable",
            "IMAGE_TAG=1.4.2",
            "--variable",
            "NOTE=a=b",
            "--source-revision",
            &format!("Source={TESTED}"),
            "--source-revision",
            "Image=sha256:abc",
            "--source-revision",
            "Bundle=S3_OBJECT_VERSION_ID:v7",
        ],
    )
    .success();
    assert_eq!(outcome.stdout, "started-1\n");
    let sent = &endpoint.requests("StartPipelineExecution")[0];
    let expected: Value = serde_json::json!({
        "name": PIPELINE,
        "variables": [{"name": "IMAGE_TAG", "value": "1.4.2"}, {"name": "NOTE", "value": "a=b"}],
        "sourceRevisions": [
            {"actionName": "Source", "revisionType": "COMMIT_ID", "revisionValue": TESTED},
            {"actionName": "Image", "revisionType": "IMAGE_DIGEST", "revisionValue": "sha256:abc"},
            {"actionName": "Bundle", "revisionType": "S3_OBJECT_VERSION_ID", "revisionValue": "v7"},
        ],
    });
    assert_eq!(sent["variables"], expected["variables"]);
    assert_eq!(sent["sourceRevisions"], expected["sourceRevisions"]);

    run(
        &endpoint,
        &["start", "--pipeline", PIPELINE, "--variable", "NOVALUE"],
    )
    .code(2)
    .stderr_is(
        "error: `--variable NOVALUE` is not `NAME=VALUE`\nhelp: write `--variable NAME=VALUE`\n",
    );
}

fn wait(endpoint: &Endpoint, extra: &[&str]) -> Outcome {
    let args = [
        &[
            "wait",
            "--pipeline",
            PIPELINE,
            "--execution-id",
            "e-1",
            "--interval",
            "10ms",
        ][..],
        extra,
    ]
    .concat();
    run(endpoint, &args)
}

#[test]
fn wait_follows_an_execution_to_success_with_progress_lines() {
    let endpoint = Endpoint::start(PIPELINE).execution(
        "e-1",
        TESTED,
        &["InProgress", "InProgress", "Succeeded"],
    );
    let outcome = wait(&endpoint, &[]).success();
    assert!(outcome.stderr.contains(
        "waiting for execution `e-1` for up to 1h: https://us-east-1.console.aws.amazon.com/codesuite/\
         codepipeline/pipelines/web-prod/executions/e-1/timeline?region=us-east-1"
    ));
    let lines: Vec<&str> = outcome.stderr.lines().skip(1).collect();
    assert_eq!(
        lines,
        [
            "Source/Source: Succeeded",
            "Deploy/BlueGreen: InProgress: deployment d-1 <https://example.com/d-1>",
            "Deploy/BlueGreen: Succeeded: deployment d-1 <https://example.com/d-1>",
            "execution `e-1` succeeded",
        ]
    );
    assert_eq!(endpoint.requests("GetPipelineExecution").len(), 3);
}

#[test]
fn wait_exits_1_for_each_way_of_not_deploying() {
    for status in ["Failed", "Stopped", "Superseded", "Cancelled"] {
        let endpoint = Endpoint::start(PIPELINE).execution("e-1", TESTED, &["InProgress", status]);
        wait(&endpoint, &[]).code(1).stderr_has(&format!(
            "error: execution `e-1` ended `{status}`: execution {} (pipeline `web-prod`)",
            status.to_lowercase()
        ));
    }
}

#[test]
fn wait_backs_off_when_throttled_and_carries_on() {
    let endpoint = Endpoint::start(PIPELINE)
        .execution("e-1", TESTED, &["InProgress", "Succeeded"])
        .throttle(3);
    let outcome = wait(&endpoint, &[]).success();
    let pauses: Vec<&str> = outcome
        .stderr
        .lines()
        .filter(|line| line.contains("ThrottlingException"))
        .map(|line| line.rsplit(' ').next().unwrap_or_default())
        .collect();
    assert_eq!(pauses, ["20ms", "40ms", "80ms"], "{}", outcome.stderr);
    assert!(outcome.stderr.contains(
        "`codepipeline:GetPipelineExecution` failed with `ThrottlingException`: rate exceeded; \
         polling again in 20ms"
    ));
}

#[test]
fn wait_stops_at_the_timeout_with_the_last_known_state() {
    let endpoint = Endpoint::start(PIPELINE).execution("e-1", TESTED, &["InProgress"]);
    wait(&endpoint, &["--timeout", "100ms"])
        .code(2)
        .stderr_has(
            "error: execution `e-1` did not end within 100ms: it was last `InProgress` \
             (pipeline `web-prod`)",
        )
        .stderr_has("help: wait again with a longer `--timeout`");
}

#[test]
fn wait_fails_at_once_on_an_unknown_execution() {
    let endpoint = Endpoint::start(PIPELINE);
    wait(&endpoint, &[])
        .code(2)
        .stderr_has("failed with `PipelineExecutionNotFoundException`");
}

#[test]
fn status_refuses_an_answer_without_stages() {
    for body in [
        json!({}),
        json!({ "stageStates": [] }),
        json!({ "stageStates": [{}] }),
    ] {
        let endpoint = Endpoint::start(PIPELINE).state_answer(body.clone());
        let field = if body["stageStates"]
            .as_array()
            .is_some_and(|s| !s.is_empty())
        {
            "stageStates[].stageName"
        } else {
            "stageStates"
        };
        run(&endpoint, &["status", "--pipeline", PIPELINE])
            .code(2)
            .stdout_is("")
            .stderr_has(&format!(
                "error: `codepipeline:GetPipelineState` failed: the answer has no `{field}` (pipeline `web-prod`)"
            ));
    }
}

#[test]
fn status_shows_each_stage_with_its_revision() {
    let endpoint = Endpoint::start(PIPELINE)
        .execution("e-1", OTHER, &["Succeeded"])
        .execution("e-2", TESTED, &["InProgress"])
        .approval("e-1", "Succeeded", None);
    run(&endpoint, &["status", "--pipeline", PIPELINE])
        .success()
        .stdout_is(
            "STAGE    STATUS     EXECUTION  REVISION\n\
             Source   Succeeded  e-2        1a2b3c4d5e6f \"Commit 1a2b3c4\"\n\
             Approve  Succeeded  e-1        9f8e7d6c5b4a \"Commit 9f8e7d6\"\n\
             Deploy   -          -          -\n",
        );

    let outcome = run(
        &endpoint,
        &["status", "--pipeline", PIPELINE, "--format", "json"],
    )
    .success();
    let document: Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    assert_eq!(document["pipelineName"], PIPELINE);
    let source = &document["stages"][0];
    assert_eq!(source["stageName"], "Source");
    assert_eq!(source["pipelineExecutionId"], "e-2");
    assert_eq!(source["sourceRevisions"][0]["revisionId"], TESTED);
    assert_eq!(source["actions"][0]["status"], "Succeeded");
    assert_eq!(document["stages"][2]["status"], Value::Null);
}

#[test]
fn help_shows_examples_and_exit_codes() {
    let outcome = Test::new().args(["--help"]).run("ecs-pipeline").success();
    assert!(outcome.stdout.contains("Examples:"), "{}", outcome.stdout);
    assert!(
        outcome.stdout.contains("Exit codes: 0 done"),
        "{}",
        outcome.stdout
    );
    let outcome = Test::new().args(["--help"]).run("ecs-scaling").success();
    assert!(
        outcome
            .stdout
            .contains("ecs-scaling suspend --cluster prod --service web"),
        "{}",
        outcome.stdout
    );
}
