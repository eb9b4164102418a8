//! What one poll of `ecs-pipeline wait` sees of the service a deploy action updates: its
//! deployments and events, and the tasks that stopped, as plain data for
//! `deploykit_artifacts::pipeline::deploy` to judge.

use aws_sdk_ecs::Client;
use aws_sdk_ecs::types::{CreatedAt, DesiredStatus, Task};
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use deploykit_artifacts::pipeline::deploy::{
    EcsDeployment, EcsSnapshot, SLACK_SECONDS, ServiceEvent, ServiceRollout, StoppedContainer,
    StoppedTask,
};

use super::{active_service, service_resource};
use crate::error::AwsError;

/// The service's deployments and its last events (`DescribeServices`), and those of its
/// STOPPED tasks not in `known` (`ListTasks`, then `DescribeTasks` for the new ones only). A
/// task that went from PENDING to STOPPED between two polls is among them: ECS lists stopped
/// tasks for at least an hour (ECS API reference, `ListTasks`, `desiredStatus`).
pub async fn service_snapshot(
    client: &Client,
    cluster: &str,
    service: &str,
    known: &[String],
) -> Result<EcsSnapshot, AwsError> {
    let resource = || service_resource(cluster, service);
    let answer = client
        .describe_services()
        .cluster(cluster)
        .services(service)
        .send()
        .await
        .map_err(|error| AwsError::from_sdk("ecs:DescribeServices", resource(), &error))?;
    let found = active_service(&answer, cluster, service)?;
    let deployments = found
        .deployments()
        .iter()
        .map(|deployment| EcsDeployment {
            id: deployment.id().unwrap_or_default().to_owned(),
            status: deployment.status().unwrap_or_default().to_owned(),
            task_definition: deployment.task_definition().unwrap_or_default().to_owned(),
            created_at: deployment
                .created_at()
                .map(aws_smithy_types::DateTime::secs),
            rollout_state: deployment.rollout_state().map(|s| s.as_str().to_owned()),
            rollout_reason: deployment.rollout_state_reason().map(str::to_owned),
            desired: deployment.desired_count(),
            running: deployment.running_count(),
            pending: deployment.pending_count(),
            failed: deployment.failed_tasks(),
        })
        .collect();
    let events = found
        .events()
        .iter()
        .map(|event| ServiceEvent {
            at: event
                .created_at()
                .and_then(|at| at.fmt(Format::DateTime).ok())
                .unwrap_or_default(),
            message: event.message().unwrap_or_default().to_owned(),
        })
        .collect();
    // One page: the newest 100 stopped tasks are enough to see a deployment's failures.
    let listed = client
        .list_tasks()
        .cluster(cluster)
        .service_name(service)
        .desired_status(DesiredStatus::Stopped)
        .send()
        .await
        .map_err(|error| AwsError::from_sdk("ecs:ListTasks", resource(), &error))?;
    let new: Vec<String> = listed
        .task_arns()
        .iter()
        .filter(|arn| !known.contains(arn))
        .cloned()
        .collect();
    let mut stopped = Vec::new();
    if !new.is_empty() {
        let described = client
            .describe_tasks()
            .cluster(cluster)
            .set_tasks(Some(new))
            .send()
            .await
            .map_err(|error| AwsError::from_sdk("ecs:DescribeTasks", resource(), &error))?;
        stopped.extend(described.tasks().iter().map(stopped_task));
    }
    Ok(EcsSnapshot {
        service: format!("{cluster}/{service}"),
        deployments,
        events,
        stopped,
        rollout: None,
    })
}

/// The newest service deployment created since `since` (seconds since the epoch, less
/// [`SLACK_SECONDS`]): `ListServiceDeployments`, which ECS answers for services of the ECS
/// deployment controller.
pub async fn service_deployment_arn(
    client: &Client,
    cluster: &str,
    service: &str,
    since: i64,
) -> Result<Option<String>, AwsError> {
    let answer = client
        .list_service_deployments()
        .cluster(cluster)
        .service(service)
        .created_at(
            CreatedAt::builder()
                .after(DateTime::from_secs(since - SLACK_SECONDS))
                .build(),
        )
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk(
                "ecs:ListServiceDeployments",
                service_resource(cluster, service),
                &error,
            )
        })?;
    Ok(answer
        .service_deployments()
        .iter()
        .max_by_key(|brief| brief.created_at().map(DateTime::secs))
        .and_then(|brief| brief.service_deployment_arn())
        .map(str::to_owned))
}

/// The state of the service deployment `arn` (`DescribeServiceDeployments`): status, lifecycle
/// stage, why, and the alarms that went into `ALARM`.
pub async fn service_rollout(
    client: &Client,
    cluster: &str,
    service: &str,
    arn: &str,
) -> Result<Option<ServiceRollout>, AwsError> {
    let answer = client
        .describe_service_deployments()
        .service_deployment_arns(arn)
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk(
                "ecs:DescribeServiceDeployments",
                service_resource(cluster, service),
                &error,
            )
        })?;
    Ok(answer.service_deployments().first().map(|found| {
        let rollback = found.rollback().and_then(|rollback| rollback.reason());
        ServiceRollout {
            status: found
                .status()
                .map(|status| status.as_str().to_owned())
                .unwrap_or_default(),
            stage: found
                .lifecycle_stage()
                .map(|stage| stage.as_str().to_owned()),
            reason: rollback.or(found.status_reason()).map(str::to_owned),
            triggered_alarms: found
                .alarms()
                .map(|alarms| alarms.triggered_alarm_names().to_vec())
                .unwrap_or_default(),
            hooks: found
                .lifecycle_hook_details()
                .iter()
                .map(|hook| {
                    let target = hook
                        .target_arn()
                        .map(str::to_owned)
                        .or_else(|| hook.target_type().map(|kind| kind.as_str().to_owned()));
                    let status = hook.status().map(|status| status.as_str().to_owned());
                    (target.unwrap_or_default(), status.unwrap_or_default())
                })
                .collect(),
        }
    }))
}

fn stopped_task(task: &Task) -> StoppedTask {
    StoppedTask {
        arn: task.task_arn().unwrap_or_default().to_owned(),
        task_definition: task.task_definition_arn().unwrap_or_default().to_owned(),
        started_by: task.started_by().map(str::to_owned),
        stop_code: task.stop_code().map(|code| code.as_str().to_owned()),
        stopped_reason: task.stopped_reason().map(str::to_owned),
        containers: task
            .containers()
            .iter()
            .map(|container| StoppedContainer {
                name: container.name().unwrap_or_default().to_owned(),
                reason: container.reason().map(str::to_owned),
                exit_code: container.exit_code(),
            })
            .collect(),
    }
}
