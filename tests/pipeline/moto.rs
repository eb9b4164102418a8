//! `ecs-pipeline` against moto, for what moto implements: a pipeline created with the AWS CLI,
//! started by the program, checked by the CLI, and waited for.

use serde_json::Value;

use crate::support::harness::Test;
use crate::support::local_aws::aws;
use crate::support::resources::create_pipeline;

#[test]
fn starts_an_execution_that_the_cli_finds_and_waits_for_it() {
    let name = crate::support::harness::unique("dk-start");
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
