//! What a service runs: its deployments and the containers of its running tasks, as plain
//! data for `ecs-pipeline status --service`.

use aws_sdk_ecs::Client;
use aws_sdk_ecs::types::Deployment as SdkDeployment;
use aws_smithy_types::date_time::Format;

use super::{active_service, service_resource};
use crate::error::AwsError;

/// One deployment of a service, as `DescribeServices` lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deployment {
    /// `PRIMARY` (the newest, what the service runs or rolls out), `ACTIVE` (still running
    /// tasks, being replaced) or `INACTIVE`.
    pub status: String,
    /// The task definition's ARN.
    pub task_definition: String,
    /// When ECS created it, RFC 3339 in UTC.
    pub created_at: Option<String>,
    /// `COMPLETED`, `IN_PROGRESS` or `FAILED`, for services with the circuit breaker or the
    /// ECS deployment controller.
    pub rollout_state: Option<String>,
}

/// A container of a running task.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskContainer {
    /// The container name of the task definition.
    pub name: String,
    /// The image reference the task definition gave.
    pub image: Option<String>,
    /// The digest the container agent resolved the image to, once it pulled it.
    pub image_digest: Option<String>,
}

/// A task the service keeps running.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunningTask {
    /// The task definition's ARN.
    pub task_definition: String,
    /// Its containers.
    pub containers: Vec<TaskContainer>,
}

/// The deployments of one service, newest (PRIMARY) first as ECS lists them.
pub async fn deployments(
    client: &Client,
    cluster: &str,
    service: &str,
) -> Result<Vec<Deployment>, AwsError> {
    let answer = client
        .describe_services()
        .cluster(cluster)
        .services(service)
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk(
                "ecs:DescribeServices",
                service_resource(cluster, service),
                &error,
            )
        })?;
    let found = active_service(&answer, cluster, service)?;
    Ok(found.deployments().iter().map(deployment).collect())
}

fn deployment(sdk: &SdkDeployment) -> Deployment {
    Deployment {
        status: sdk.status().unwrap_or_default().to_owned(),
        task_definition: sdk.task_definition().unwrap_or_default().to_owned(),
        created_at: sdk
            .created_at()
            .and_then(|time| time.fmt(Format::DateTime).ok()),
        rollout_state: sdk.rollout_state().map(|state| state.as_str().to_owned()),
    }
}

/// The service's RUNNING tasks (`ListTasks` by service, then `DescribeTasks`, 100 at a time,
/// its limit per call: ECS API reference, `DescribeTasks`).
pub async fn running_tasks(
    client: &Client,
    cluster: &str,
    service: &str,
) -> Result<Vec<RunningTask>, AwsError> {
    let resource = || service_resource(cluster, service);
    let mut arns = Vec::new();
    let mut pages = client
        .list_tasks()
        .cluster(cluster)
        .service_name(service)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        arns.extend(
            page.map_err(|error| AwsError::from_sdk("ecs:ListTasks", resource(), &error))?
                .task_arns()
                .to_vec(),
        );
    }
    let mut tasks = Vec::new();
    for chunk in arns.chunks(100) {
        let answer = client
            .describe_tasks()
            .cluster(cluster)
            .set_tasks(Some(chunk.to_vec()))
            .send()
            .await
            .map_err(|error| AwsError::from_sdk("ecs:DescribeTasks", resource(), &error))?;
        tasks.extend(answer.tasks().iter().map(|task| {
            RunningTask {
                task_definition: task.task_definition_arn().unwrap_or_default().to_owned(),
                containers: task
                    .containers()
                    .iter()
                    .map(|container| TaskContainer {
                        name: container.name().unwrap_or_default().to_owned(),
                        image: container.image().map(str::to_owned),
                        image_digest: container.image_digest().map(str::to_owned),
                    })
                    .collect(),
            }
        }));
    }
    Ok(tasks)
}
