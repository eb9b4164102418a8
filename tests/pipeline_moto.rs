//! `ecs-pipeline` against moto, for what moto implements: a pipeline created with the AWS CLI,
//! started by the program, checked by the CLI, and waited for.

use serde_json::{Value, json};

use crate::harness::Test;
use crate::local_aws::aws;

/// Creates a two-stage pipeline (moto wants at least two) and the role it needs; moto accepts
/// the role only when its trust policy names the service as a string, not a list
/// (`docs/aws/local-endpoint.md#what-moto-lacks-or-accepts-wrongly`).
pub(crate) fn create_pipeline(name: &str) {
    let trust = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "codepipeline.amazonaws.com" },
            "Action": "sts:AssumeRole",
        }],
    });
    let role: Value = serde_json::from_slice(&aws(&[
        "iam",
        "create-role",
        "--role-name",
        name,
        "--assume-role-policy-document",
        &trust.to_string(),
    ]))
    .expect("create-role prints JSON");
    let action = |name: &str, category: &str, provider: &str, configuration: Value| {
        json!({
            "name": name,
            "actionTypeId": { "category": category, "owner": "AWS", "provider": provider, "version": "1" },
            "configuration": configuration,
        })
    };
    let mut source = action(
        "Source",
        "Source",
        "S3",
        json!({ "S3Bucket": "artifacts", "S3ObjectKey": "source.zip" }),
    );
    source["outputArtifacts"] = json!([{ "name": "SourceArtifact" }]);
    let mut deploy = action(
        "Deploy",
        "Deploy",
        "ECS",
        json!({ "ClusterName": "prod", "ServiceName": "web" }),
    );
    deploy["inputArtifacts"] = json!([{ "name": "SourceArtifact" }]);
    let pipeline = json!({
        "name": name,
        "roleArn": role["Role"]["Arn"],
        "artifactStore": { "type": "S3", "location": "artifacts" },
        "stages": [
            { "name": "Source", "actions": [source] },
            { "name": "Deploy", "actions": [deploy] },
        ],
    });
    aws(&[
        "codepipeline",
        "create-pipeline",
        "--pipeline",
        &pipeline.to_string(),
    ]);
}

#[test]
fn starts_an_execution_that_the_cli_finds_and_waits_for_it() {
    let name = crate::harness::unique("dk-start");
    create_pipeline(&name);

    let outcome = Test::new()
        .with_aws()
        .args([
            "start",
            "--pipeline",
            &name,
            "--variable",
            "IMAGE_TAG=1.4.2",
        ])
        .run("ecs-pipeline")
        .success();
    let id = outcome.stdout.trim().to_owned();
    assert!(
        !id.is_empty() && !id.contains(char::is_whitespace),
        "{id:?}"
    );

    let execution: Value = serde_json::from_slice(&aws(&[
        "codepipeline",
        "get-pipeline-execution",
        "--pipeline-name",
        &name,
        "--pipeline-execution-id",
        &id,
    ]))
    .expect("get-pipeline-execution prints JSON");
    assert_eq!(execution["pipelineExecution"]["pipelineExecutionId"], id);

    // moto's executions succeed at once; progress lines are optional there, so one attempt
    // per call keeps an unimplemented `ListActionExecutions` from slowing the test.
    Test::new()
        .with_aws()
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(["wait", "--pipeline", &name, "--execution-id", &id])
        .run("ecs-pipeline")
        .success()
        .stderr_has(&format!("execution `{id}` succeeded"));
}

#[test]
fn starting_a_missing_pipeline_names_it() {
    Test::new()
        .with_aws()
        .args(["start", "--pipeline", "dk-never-created"])
        .run("ecs-pipeline")
        .code(2)
        .stderr_has(
            "error: `codepipeline:StartPipelineExecution` failed with `PipelineNotFoundException`",
        )
        .stderr_has("(pipeline `dk-never-created`)");
}
