//! AWS CodePipeline: the pipeline's definition and state, its executions, and manual approvals.
//!
//! Each function answers one question and returns plain owned values, so that the programs'
//! decisions (which execution is waiting, is it the tested revision, is it over) never see SDK
//! types. `AWS_ENDPOINT_URL_CODEPIPELINE` sends only these calls elsewhere, which is how the
//! tests reach their stand-in endpoint for the operations moto lacks.

use aws_config::SdkConfig;
pub use aws_sdk_codepipeline::Client;
use aws_sdk_codepipeline::types::{
    ActionExecutionFilter, ApprovalResult, ApprovalStatus, PipelineVariable,
    SourceRevisionOverride, SourceRevisionType,
};

use crate::error::{AwsError, Cause, Resource};
use crate::raw::CaptureBody;

/// A CodePipeline client from the shared configuration (`AWS_ENDPOINT_URL_CODEPIPELINE` applies).
#[must_use]
pub fn client(config: &SdkConfig) -> Client {
    crate::bounded::client!(aws_sdk_codepipeline, config)
}

pub(crate) fn pipeline(name: &str) -> Resource {
    Resource::Pipeline {
        name: name.to_owned(),
    }
}

/// One action of the pipeline's definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionDeclaration {
    /// The stage it is in.
    pub stage: String,
    /// The action name.
    pub action: String,
    /// `Source`, `Build`, `Approval`, `Deploy`, …
    pub category: String,
    /// `CodeStarSourceConnection`, `Manual`, `CodeDeployToECS`, …
    pub provider: String,
    /// The action's configuration (`ClusterName`, `ServiceName`, `ApplicationName`, …), sorted.
    pub configuration: Vec<(String, String)>,
}

/// `GetPipeline` as the JSON document CodePipeline sent (`{"pipeline": {…}, "metadata": {…}}`),
/// the same document `aws codepipeline get-pipeline` prints.
pub async fn pipeline_json(client: &Client, name: &str) -> Result<Vec<u8>, AwsError> {
    let capture = CaptureBody::default();
    client
        .get_pipeline()
        .name(name)
        .customize()
        .interceptor(capture.clone())
        .send()
        .await
        .map_err(|error| AwsError::from_sdk("codepipeline:GetPipeline", pipeline(name), &error))?;
    capture.take().ok_or_else(|| {
        AwsError::new(
            "codepipeline:GetPipeline",
            pipeline(name),
            Cause::Other {
                reason: "the answer had no body to read".to_owned(),
            },
        )
    })
}

/// `GetPipeline`: every action of the current definition, stage by stage, in order.
pub async fn actions(client: &Client, name: &str) -> Result<Vec<ActionDeclaration>, AwsError> {
    let answer = client
        .get_pipeline()
        .name(name)
        .send()
        .await
        .map_err(|error| AwsError::from_sdk("codepipeline:GetPipeline", pipeline(name), &error))?;
    let stages = answer.pipeline.map(|p| p.stages).unwrap_or_default();
    Ok(stages
        .into_iter()
        .flat_map(|stage| {
            let stage_name = stage.name;
            stage.actions.into_iter().map(move |action| {
                let (category, provider) = action.action_type_id.map_or_else(
                    || (String::new(), String::new()),
                    |id| (id.category.as_str().to_owned(), id.provider),
                );
                let mut configuration: Vec<(String, String)> = action
                    .configuration
                    .unwrap_or_default()
                    .into_iter()
                    .collect();
                configuration.sort();
                ActionDeclaration {
                    stage: stage_name.clone(),
                    action: action.name,
                    category,
                    provider,
                    configuration,
                }
            })
        })
        .collect())
}

/// The state of one stage: its latest execution and its actions' latest runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageState {
    /// The stage name.
    pub name: String,
    /// The pipeline execution the stage last ran for.
    pub execution_id: Option<String>,
    /// `InProgress`, `Succeeded`, `Failed`, `Stopped`, …
    pub status: Option<String>,
    /// The actions, in the order of the definition.
    pub actions: Vec<ActionState>,
}

/// The latest run of one action.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionState {
    /// The action name.
    pub name: String,
    /// `InProgress`, `Succeeded`, `Failed`, `Abandoned`; `None` when it never ran.
    pub status: Option<String>,
    /// The summary: an approval's comment, a deploy's message.
    pub summary: Option<String>,
    /// A pending approval's token, which `PutApprovalResult` needs.
    pub token: Option<String>,
    /// The error message of a failed run, such as an approval that timed out.
    pub error: Option<String>,
}

/// `GetPipelineState`: every stage's latest execution and its actions' latest runs.
pub async fn stage_states(client: &Client, name: &str) -> Result<Vec<StageState>, AwsError> {
    let answer = client
        .get_pipeline_state()
        .name(name)
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk("codepipeline:GetPipelineState", pipeline(name), &error)
        })?;
    // A pipeline has at least two stages (CodePipeline user guide, "Pipeline structure
    // reference": <https://docs.aws.amazon.com/codepipeline/latest/userguide/pipeline-requirements.html>),
    // so an answer without them, or a stage without its name, is not a state to report.
    let incomplete = |field: &str| {
        AwsError::new(
            "codepipeline:GetPipelineState",
            pipeline(name),
            Cause::Other {
                reason: format!("the answer has no `{field}`"),
            },
        )
    };
    let stages = answer
        .stage_states
        .filter(|stages| !stages.is_empty())
        .ok_or_else(|| incomplete("stageStates"))?;
    if stages.iter().any(|stage| stage.stage_name.is_none()) {
        return Err(incomplete("stageStates[].stageName"));
    }
    Ok(stages
        .into_iter()
        .map(|stage| StageState {
            name: stage.stage_name.unwrap_or_default(),
            execution_id: stage
                .latest_execution
                .as_ref()
                .map(|run| run.pipeline_execution_id.clone()),
            status: stage
                .latest_execution
                .map(|run| run.status.as_str().to_owned()),
            actions: stage
                .action_states
                .unwrap_or_default()
                .into_iter()
                .map(|action| {
                    let latest = action.latest_execution;
                    ActionState {
                        name: action.action_name.unwrap_or_default(),
                        status: latest
                            .as_ref()
                            .and_then(|run| run.status.as_ref())
                            .map(|status| status.as_str().to_owned()),
                        summary: latest.as_ref().and_then(|run| run.summary.clone()),
                        token: latest.as_ref().and_then(|run| run.token.clone()),
                        error: latest
                            .and_then(|run| run.error_details)
                            .and_then(|details| details.message),
                    }
                })
                .collect(),
        })
        .collect())
}

/// One source revision an execution was started from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Revision {
    /// The artifact name (`SourceArtifact`).
    pub artifact: String,
    /// The commit id, image digest or object version.
    pub id: Option<String>,
    /// The commit message, or the image tag and digest summary.
    pub summary: Option<String>,
    /// A link to the revision.
    pub url: Option<String>,
}

/// A pipeline execution.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Execution {
    /// The execution id.
    pub id: String,
    /// `InProgress`, `Stopping`, `Stopped`, `Succeeded`, `Superseded`, `Failed`, `Cancelled`.
    pub status: String,
    /// Why it ended as it did, when CodePipeline says.
    pub summary: Option<String>,
    /// The source revisions it runs with.
    pub revisions: Vec<Revision>,
}

/// `GetPipelineExecution`: an execution's status and source revisions.
pub async fn execution(client: &Client, name: &str, id: &str) -> Result<Execution, AwsError> {
    let answer = client
        .get_pipeline_execution()
        .pipeline_name(name)
        .pipeline_execution_id(id)
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk("codepipeline:GetPipelineExecution", pipeline(name), &error)
        })?;
    let execution = answer
        .pipeline_execution
        .unwrap_or_else(|| aws_sdk_codepipeline::types::PipelineExecution::builder().build());
    Ok(Execution {
        id: execution
            .pipeline_execution_id
            .unwrap_or_else(|| id.to_owned()),
        status: execution
            .status
            .map(|status| status.as_str().to_owned())
            .unwrap_or_default(),
        summary: execution.status_summary,
        revisions: execution
            .artifact_revisions
            .unwrap_or_default()
            .into_iter()
            .map(|revision| Revision {
                artifact: revision.name.unwrap_or_default(),
                id: revision.revision_id,
                summary: revision.revision_summary,
                url: revision.revision_url,
            })
            .collect(),
    })
}

/// One action run of an execution, for progress lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionRun {
    /// The stage name.
    pub stage: String,
    /// The action name.
    pub action: String,
    /// `InProgress`, `Succeeded`, `Failed`, `Abandoned`.
    pub status: String,
    /// The external summary: a build's or deployment's message.
    pub summary: Option<String>,
    /// A link to the build or deployment.
    pub url: Option<String>,
    /// The build's or deployment's id, such as CodeDeploy's `d-…`.
    pub external_id: Option<String>,
    /// When the action started, in seconds since the epoch.
    pub started_at: Option<i64>,
}

/// `ListActionExecutions` of one execution (first page, up to 100: one pipeline's actions).
pub async fn action_runs(
    client: &Client,
    name: &str,
    execution_id: &str,
) -> Result<Vec<ActionRun>, AwsError> {
    let filter = ActionExecutionFilter::builder()
        .pipeline_execution_id(execution_id)
        .build();
    let answer = client
        .list_action_executions()
        .pipeline_name(name)
        .filter(filter)
        .max_results(100)
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk("codepipeline:ListActionExecutions", pipeline(name), &error)
        })?;
    Ok(answer
        .action_execution_details
        .unwrap_or_default()
        .into_iter()
        .map(|detail| {
            let result = detail.output.and_then(|output| output.execution_result);
            ActionRun {
                started_at: detail.start_time.map(|time| time.secs()),
                external_id: result
                    .as_ref()
                    .and_then(|r| r.external_execution_id.clone()),
                stage: detail.stage_name.unwrap_or_default(),
                action: detail.action_name.unwrap_or_default(),
                status: detail
                    .status
                    .map(|status| status.as_str().to_owned())
                    .unwrap_or_default(),
                summary: result
                    .as_ref()
                    .and_then(|r| r.external_execution_summary.clone()),
                url: result.and_then(|r| r.external_execution_url),
            }
        })
        .collect())
}

/// Where a pending approval is and the token that answers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Approval<'a> {
    /// The pipeline name.
    pub pipeline: &'a str,
    /// The stage name.
    pub stage: &'a str,
    /// The approval action's name.
    pub action: &'a str,
    /// The token from `GetPipelineState`.
    pub token: &'a str,
}

/// `PutApprovalResult`: approves (`approve`) or rejects the pending approval with `summary`.
pub async fn put_approval(
    client: &Client,
    approval: &Approval<'_>,
    approve: bool,
    summary: &str,
) -> Result<(), AwsError> {
    let status = if approve {
        ApprovalStatus::Approved
    } else {
        ApprovalStatus::Rejected
    };
    let result = ApprovalResult::builder()
        .status(status)
        .summary(summary)
        .build()
        .map_err(|error| other("codepipeline:PutApprovalResult", approval.pipeline, &error))?;
    client
        .put_approval_result()
        .pipeline_name(approval.pipeline)
        .stage_name(approval.stage)
        .action_name(approval.action)
        .token(approval.token)
        .result(result)
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk(
                "codepipeline:PutApprovalResult",
                pipeline(approval.pipeline),
                &error,
            )
        })?;
    Ok(())
}

/// A source revision override for `StartPipelineExecution`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceOverride {
    /// The source action's name.
    pub action: String,
    /// `COMMIT_ID`, `IMAGE_DIGEST`, `S3_OBJECT_VERSION_ID` or `S3_OBJECT_KEY`.
    pub kind: String,
    /// The revision.
    pub value: String,
}

/// `StartPipelineExecution` with pipeline variables (V2) and source revision overrides; returns
/// the new execution's id.
pub async fn start(
    client: &Client,
    name: &str,
    variables: &[(String, String)],
    overrides: &[SourceOverride],
) -> Result<String, AwsError> {
    const OPERATION: &str = "codepipeline:StartPipelineExecution";
    let mut request = client.start_pipeline_execution().name(name);
    for (variable, value) in variables {
        let variable = PipelineVariable::builder()
            .name(variable)
            .value(value)
            .build()
            .map_err(|error| other(OPERATION, name, &error))?;
        request = request.variables(variable);
    }
    for source in overrides {
        let revision = SourceRevisionOverride::builder()
            .action_name(&source.action)
            .revision_type(SourceRevisionType::from(source.kind.as_str()))
            .revision_value(&source.value)
            .build()
            .map_err(|error| other(OPERATION, name, &error))?;
        request = request.source_revisions(revision);
    }
    let answer = request
        .send()
        .await
        .map_err(|error| AwsError::from_sdk(OPERATION, pipeline(name), &error))?;
    answer.pipeline_execution_id.ok_or_else(|| {
        AwsError::new(
            OPERATION,
            pipeline(name),
            Cause::Other {
                reason: "the answer had no execution id".to_owned(),
            },
        )
    })
}

fn other(operation: &'static str, name: &str, error: &dyn std::error::Error) -> AwsError {
    AwsError::new(
        operation,
        pipeline(name),
        Cause::Other {
            reason: format!("the request could not be built: {error}"),
        },
    )
}

#[cfg(test)]
mod tests;
