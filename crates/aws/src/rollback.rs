//! Returning a deploy stage to an earlier execution: the executions CodePipeline remembers,
//! what each action of one ran with, whether its artifacts still exist, `RollbackStage`, and
//! stopping a running ECS or CodeDeploy deployment with rollback.
//!
//! As in [`crate::codepipeline`], every function answers one question with plain owned values.
//! `AWS_ENDPOINT_URL_ECS` and `AWS_ENDPOINT_URL_CODEDEPLOY` send only those calls elsewhere,
//! which is how the tests reach their stand-in for the operations moto lacks.

use std::collections::BTreeMap;

use aws_sdk_codepipeline::types::{ActionExecutionFilter, ExecutionType};
use aws_sdk_ecs::types::{ServiceDeploymentStatus, StopServiceDeploymentStopType};
use aws_smithy_types::date_time::Format;

use crate::codepipeline::{Client, Revision, pipeline};
use crate::error::{AwsError, Resource};

/// One execution as `ListPipelineExecutions` lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecutionSummary {
    /// The execution id.
    pub id: String,
    /// `InProgress`, `Succeeded`, `Failed`, `Stopped`, `Superseded`, …
    pub status: String,
    /// When it started, RFC 3339.
    pub started: Option<String>,
    /// The source revisions it ran with; `artifact` is the source action's name here.
    pub revisions: Vec<Revision>,
    /// Whether it is a rollback execution, which cannot be rolled back to.
    pub rollback: bool,
}

/// `ListPipelineExecutions`, newest first, at most `limit` of them.
pub async fn executions(
    client: &Client,
    name: &str,
    limit: usize,
) -> Result<Vec<ExecutionSummary>, AwsError> {
    let mut found = Vec::new();
    let mut pages = client
        .list_pipeline_executions()
        .pipeline_name(name)
        .into_paginator()
        .send();
    while found.len() < limit
        && let Some(page) = pages.next().await
    {
        let page = page.map_err(|error| {
            AwsError::from_sdk(
                "codepipeline:ListPipelineExecutions",
                pipeline(name),
                &error,
            )
        })?;
        for summary in page.pipeline_execution_summaries.unwrap_or_default() {
            found.push(ExecutionSummary {
                id: summary.pipeline_execution_id.unwrap_or_default(),
                status: summary
                    .status
                    .map(|status| status.as_str().to_owned())
                    .unwrap_or_default(),
                started: summary
                    .start_time
                    .and_then(|time| time.fmt(Format::DateTime).ok()),
                revisions: summary
                    .source_revisions
                    .unwrap_or_default()
                    .into_iter()
                    .map(|revision| Revision {
                        artifact: revision.action_name,
                        id: revision.revision_id,
                        summary: revision.revision_summary,
                        url: revision.revision_url,
                    })
                    .collect(),
                rollback: summary.execution_type == Some(ExecutionType::Rollback),
            });
        }
    }
    found.truncate(limit);
    Ok(found)
}

/// An artifact an action read, where the artifact store keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredArtifact {
    /// The artifact name.
    pub name: String,
    /// The artifact store's bucket.
    pub bucket: String,
    /// The object key.
    pub key: String,
}

/// One action's run in an execution, with what it ran with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionRecord {
    /// The pipeline execution it ran in.
    pub execution: String,
    /// The stage name.
    pub stage: String,
    /// The action name.
    pub action: String,
    /// `InProgress`, `Succeeded`, `Failed`, `Abandoned`.
    pub status: String,
    /// `ECS`, `CodeDeployToECS`, `CodeBuild`, …
    pub provider: String,
    /// The action's configuration as it ran (`ClusterName`, `ServiceName`, …).
    pub configuration: BTreeMap<String, String>,
    /// The input artifacts and their objects in the artifact store.
    pub inputs: Vec<StoredArtifact>,
    /// The id of what it started elsewhere: a build id, a CodeDeploy deployment id.
    pub external_id: Option<String>,
    /// The variables it exported (`IMAGE_DIGEST`, …).
    pub variables: BTreeMap<String, String>,
}

/// `ListActionExecutions`, newest first: of one execution, or of the whole pipeline; at most
/// `limit` records.
pub async fn action_records(
    client: &Client,
    name: &str,
    execution_id: Option<&str>,
    limit: usize,
) -> Result<Vec<ActionRecord>, AwsError> {
    let filter = execution_id.map(|id| {
        ActionExecutionFilter::builder()
            .pipeline_execution_id(id)
            .build()
    });
    let mut records = Vec::new();
    let mut pages = client
        .list_action_executions()
        .pipeline_name(name)
        .set_filter(filter)
        .into_paginator()
        .send();
    while records.len() < limit
        && let Some(page) = pages.next().await
    {
        let page = page.map_err(|error| {
            AwsError::from_sdk("codepipeline:ListActionExecutions", pipeline(name), &error)
        })?;
        for detail in page.action_execution_details.unwrap_or_default() {
            let input = detail.input.unwrap_or_else(|| {
                aws_sdk_codepipeline::types::ActionExecutionInput::builder().build()
            });
            let output = detail.output;
            records.push(ActionRecord {
                execution: detail.pipeline_execution_id.unwrap_or_default(),
                stage: detail.stage_name.unwrap_or_default(),
                action: detail.action_name.unwrap_or_default(),
                status: detail
                    .status
                    .map(|status| status.as_str().to_owned())
                    .unwrap_or_default(),
                provider: input
                    .action_type_id
                    .map(|id| id.provider)
                    .unwrap_or_default(),
                configuration: input
                    .configuration
                    .unwrap_or_default()
                    .into_iter()
                    .collect(),
                inputs: input
                    .input_artifacts
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|artifact| {
                        let location = artifact.s3_location?;
                        Some(StoredArtifact {
                            name: artifact.name.unwrap_or_default(),
                            bucket: location.bucket?,
                            key: location.key?,
                        })
                    })
                    .collect(),
                external_id: output
                    .as_ref()
                    .and_then(|output| output.execution_result.as_ref())
                    .and_then(|result| result.external_execution_id.clone()),
                variables: output
                    .and_then(|output| output.output_variables)
                    .unwrap_or_default()
                    .into_iter()
                    .collect(),
            });
        }
    }
    records.truncate(limit);
    Ok(records)
}

/// `RollbackStage`: runs `stage` again with the revisions of `target`; returns the id of the
/// new (rollback) execution.
pub async fn rollback_stage(
    client: &Client,
    name: &str,
    stage: &str,
    target: &str,
) -> Result<String, AwsError> {
    let answer = client
        .rollback_stage()
        .pipeline_name(name)
        .stage_name(stage)
        .target_pipeline_execution_id(target)
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk("codepipeline:RollbackStage", pipeline(name), &error)
        })?;
    Ok(answer.pipeline_execution_id)
}

/// `HeadObject`: whether the object exists (a missing bucket counts as a missing object).
pub async fn artifact_exists(
    client: &aws_sdk_s3::Client,
    artifact: &StoredArtifact,
) -> Result<bool, AwsError> {
    let answer = client
        .head_object()
        .bucket(&artifact.bucket)
        .key(&artifact.key)
        .send()
        .await;
    match answer {
        Ok(_) => Ok(true),
        Err(error) => {
            let error = AwsError::from_sdk(
                "s3:GetObject",
                Resource::S3Object {
                    bucket: artifact.bucket.clone(),
                    key: artifact.key.clone(),
                },
                &error,
            );
            if error.is_not_found() {
                Ok(false)
            } else {
                Err(error)
            }
        }
    }
}

fn service(cluster: &str, service: &str) -> Resource {
    Resource::Service {
        cluster: cluster.to_owned(),
        service: service.to_owned(),
    }
}

/// `ListServiceDeployments`: the ARNs of the service's deployments that are still running
/// (`PENDING`, `IN_PROGRESS`).
pub async fn running_service_deployments(
    client: &aws_sdk_ecs::Client,
    cluster: &str,
    name: &str,
) -> Result<Vec<String>, AwsError> {
    let answer = client
        .list_service_deployments()
        .cluster(cluster)
        .service(name)
        .status(ServiceDeploymentStatus::Pending)
        .status(ServiceDeploymentStatus::InProgress)
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk("ecs:ListServiceDeployments", service(cluster, name), &error)
        })?;
    Ok(answer
        .service_deployments
        .unwrap_or_default()
        .into_iter()
        .filter_map(|deployment| deployment.service_deployment_arn)
        .collect())
}

/// `StopServiceDeployment` with `stopType` `ROLLBACK`: ECS returns the service to its last
/// completed deployment.
pub async fn stop_service_deployment(
    client: &aws_sdk_ecs::Client,
    arn: &str,
) -> Result<(), AwsError> {
    client
        .stop_service_deployment()
        .service_deployment_arn(arn)
        .stop_type(StopServiceDeploymentStopType::Rollback)
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk("ecs:StopServiceDeployment", service("*", arn), &error)
        })?;
    Ok(())
}

/// `StopDeployment` with `autoRollbackEnabled`: CodeDeploy shifts traffic back to the original
/// task set; returns CodeDeploy's status and message (`Pending`, `Succeeded`).
pub async fn stop_codedeploy_deployment(
    client: &aws_sdk_codedeploy::Client,
    pipeline_name: &str,
    id: &str,
) -> Result<String, AwsError> {
    let answer = client
        .stop_deployment()
        .deployment_id(id)
        .auto_rollback_enabled(true)
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk("codedeploy:StopDeployment", pipeline(pipeline_name), &error)
        })?;
    let status = answer
        .status
        .map(|status| status.as_str().to_owned())
        .unwrap_or_default();
    Ok(match answer.status_message {
        Some(message) => format!("{status}: {message}"),
        None => status,
    })
}
