//! The endpoint's execution history, for `ecs-pipeline rollback`: `ListPipelineExecutions`,
//! `ListActionExecutions` with the deploy action's input artifact in the artifact store and the
//! build's exported variables, and `RollbackStage`, shaped as botocore's CodePipeline model
//! (`botocore/data/codepipeline/2015-07-09/service-2.json`: `PipelineExecutionSummary`,
//! `ActionExecutionDetail`, `ArtifactDetail.s3location`, `RollbackStageOutput`).

use serde_json::{Value, json};

use super::{Endpoint, Execution, State, error};

/// One execution of the history: what it ran with and how its Deploy stage ended.
#[derive(Clone, Debug)]
pub(crate) struct Run {
    pub(crate) id: &'static str,
    /// The source commit.
    pub(crate) revision: &'static str,
    /// The execution's status.
    pub(crate) status: &'static str,
    /// The Deploy action's status in it.
    pub(crate) deploy: &'static str,
    /// The deploy action's provider: `CodeDeployToECS` or `ECS`.
    pub(crate) provider: &'static str,
    /// Where the artifact store keeps the deploy action's input artifact.
    pub(crate) bucket: String,
    pub(crate) key: String,
    /// The image digest the build exported as `IMAGE_DIGEST`.
    pub(crate) digest: &'static str,
    /// The CodeBuild build id of its Build action.
    pub(crate) build: &'static str,
}

impl Endpoint {
    /// Adds `run` to the history, as the newest execution; the Deploy stage's latest execution
    /// is the newest run's.
    pub(crate) fn run(self, run: Run) -> Self {
        {
            let mut state = self.state();
            state.executions.push(Execution {
                id: run.id.to_owned(),
                revision: run.revision.to_owned(),
                statuses: std::iter::once(run.status).collect(),
            });
            state.history.push(run);
        }
        self
    }
}

/// The Deploy stage's latest execution and its action's latest run, from the newest run.
pub(super) fn deploy_state(state: &State) -> (Value, Value) {
    state
        .history
        .last()
        .map_or((Value::Null, Value::Null), |run| {
            (
                json!({ "pipelineExecutionId": run.id, "status": run.deploy }),
                json!({ "status": run.deploy, "externalExecutionId": format!("d-{}", run.id) }),
            )
        })
}

pub(super) fn list_executions(state: &State) -> (u16, Value) {
    let summaries: Vec<Value> = state
        .history
        .iter()
        .rev()
        .zip((0..).map(|n: i64| 1_764_000_000 - n * 3_600))
        .map(|(run, started)| {
            json!({
                "pipelineExecutionId": run.id,
                "status": run.status,
                "startTime": started,
                // An id the test names `rollback-…` is a rollback execution.
                "executionType": if run.id.starts_with("rollback-") { "ROLLBACK" } else { "STANDARD" },
                "sourceRevisions": [{
                    "actionName": "Source",
                    "revisionId": run.revision,
                    "revisionSummary": format!("Commit {}", &run.revision[..7]),
                }],
            })
        })
        .collect();
    (200, json!({ "pipelineExecutionSummaries": summaries }))
}

/// The action runs of a history execution, or without a filter of every history execution,
/// newest first; `None` for other executions.
pub(super) fn action_executions(state: &State, body: &Value) -> Option<(u16, Value)> {
    let details: Vec<Value> = match body["filter"]["pipelineExecutionId"].as_str() {
        Some(id) => actions(state.history.iter().find(|run| run.id == id)?),
        None if state.history.is_empty() => return None,
        None => state.history.iter().rev().flat_map(actions).collect(),
    };
    Some((200, json!({ "actionExecutionDetails": details })))
}

fn actions(run: &Run) -> Vec<Value> {
    let configuration = if run.provider == "ECS" {
        json!({ "ClusterName": "prod", "ServiceName": "web", "FileName": "imagedefinitions.json" })
    } else {
        json!({ "ApplicationName": "web", "DeploymentGroupName": "web-prod" })
    };
    vec![
        json!({ "pipelineExecutionId": run.id, "stageName": "Deploy", "actionName": "BlueGreen", "status": run.deploy,
          "input": {
              "actionTypeId": { "category": "Deploy", "owner": "AWS", "provider": run.provider, "version": "1" },
              "configuration": configuration,
              "inputArtifacts": [{ "name": "BuildArtifact", "s3location": { "bucket": run.bucket, "key": run.key } }],
          },
          "output": { "executionResult": { "externalExecutionId": format!("d-{}", run.id) } } }),
        json!({ "pipelineExecutionId": run.id, "stageName": "Build", "actionName": "Build", "status": "Succeeded",
          "output": { "executionResult": { "externalExecutionId": run.build },
                      "outputVariables": { "IMAGE_DIGEST": run.digest, "IMAGE_TAG": &run.revision[..7] } } }),
        json!({ "pipelineExecutionId": run.id, "stageName": "Source", "actionName": "Source", "status": "Succeeded" }),
    ]
}

/// `RollbackStage` to an execution whose Deploy stage succeeded, as CodePipeline requires.
pub(super) fn rollback(state: &State, body: &Value) -> (u16, Value) {
    let target = body["targetPipelineExecutionId"]
        .as_str()
        .unwrap_or_default();
    let succeeded = state
        .history
        .iter()
        .any(|run| run.id == target && run.deploy == "Succeeded");
    if body["stageName"] != "Deploy" || !succeeded {
        return error(
            "UnableToRollbackStageException",
            "The target execution did not succeed in the stage.",
        );
    }
    (
        200,
        json!({ "pipelineExecutionId": format!("rollback-{}", state.requests.len()) }),
    )
}
