//! AWS CodeDeploy: what one poll of `ecs-pipeline wait` sees of the blue/green deployment a
//! `CodeDeployToECS` action started, as plain data for `deploykit_artifacts::pipeline::deploy`.

use aws_config::SdkConfig;
pub use aws_sdk_codedeploy::Client;
use aws_sdk_codedeploy::types::TimeRange;
use aws_smithy_types::DateTime;
use deploykit_artifacts::pipeline::deploy::{
    CodeDeployment, LifecycleEvent, SLACK_SECONDS, TaskSetInfo, appspec_hooks,
};

use crate::error::{AwsError, Resource};

/// A CodeDeploy client from the shared configuration (`AWS_ENDPOINT_URL_CODEDEPLOY` applies).
#[must_use]
pub fn client(config: &SdkConfig) -> Client {
    crate::bounded::client!(aws_sdk_codedeploy, config)
}

fn resource(id: &str) -> Resource {
    Resource::Deployment { id: id.to_owned() }
}

/// The deployment of `group` created since `since` (seconds since the epoch, less
/// [`SLACK_SECONDS`]): `ListDeployments`, for an action that does not name its deployment yet.
pub async fn started_deployment(
    client: &Client,
    application: &str,
    group: &str,
    since: i64,
) -> Result<Option<String>, AwsError> {
    let answer = client
        .list_deployments()
        .application_name(application)
        .deployment_group_name(group)
        .create_time_range(
            TimeRange::builder()
                .start(DateTime::from_secs(since - SLACK_SECONDS))
                .build(),
        )
        .send()
        .await
        .map_err(|error| {
            let group = Resource::DeploymentGroup {
                application: application.to_owned(),
                group: group.to_owned(),
            };
            AwsError::from_sdk("codedeploy:ListDeployments", group, &error)
        })?;
    // CodeDeploy runs one deployment of a group at a time; the list is newest first.
    Ok(answer.deployments().first().cloned())
}

/// The deployment (`GetDeployment`) with the lifecycle events and task sets of its ECS target
/// (`BatchGetDeploymentTargets`). `targets` keeps the target ids between polls, so that
/// `ListDeploymentTargets` is asked once: an ECS deployment has one target, the service.
pub async fn deployment(
    client: &Client,
    id: &str,
    targets: &mut Vec<String>,
) -> Result<CodeDeployment, AwsError> {
    let answer = client
        .get_deployment()
        .deployment_id(id)
        .send()
        .await
        .map_err(|error| AwsError::from_sdk("codedeploy:GetDeployment", resource(id), &error))?;
    let info = answer.deployment_info;
    let status = info
        .as_ref()
        .and_then(|info| info.status())
        .map(|status| status.as_str().to_owned())
        .unwrap_or_default();
    let error = info
        .as_ref()
        .and_then(|info| info.error_information())
        .map(|error| {
            (
                error
                    .code()
                    .map(|code| code.as_str().to_owned())
                    .unwrap_or_default(),
                error.message().unwrap_or_default().to_owned(),
            )
        });
    let hooks = info
        .as_ref()
        .and_then(|info| info.revision())
        .and_then(|revision| revision.app_spec_content())
        .and_then(|content| content.content())
        .map(appspec_hooks)
        .unwrap_or_default();
    if targets.is_empty() {
        let listed = client
            .list_deployment_targets()
            .deployment_id(id)
            .send()
            .await
            .map_err(|error| {
                AwsError::from_sdk("codedeploy:ListDeploymentTargets", resource(id), &error)
            })?;
        targets.extend(listed.target_ids().iter().cloned());
    }
    let (mut events, mut task_sets, mut service) = (Vec::new(), Vec::new(), None);
    if !targets.is_empty() {
        let described = client
            .batch_get_deployment_targets()
            .deployment_id(id)
            .set_target_ids(Some(targets.clone()))
            .send()
            .await
            .map_err(|error| {
                AwsError::from_sdk("codedeploy:BatchGetDeploymentTargets", resource(id), &error)
            })?;
        for target in described
            .deployment_targets()
            .iter()
            .filter_map(|t| t.ecs_target())
        {
            // An ECS target's id is `<cluster>:<service>` (CodeDeploy API reference,
            // `ECSTarget`, `targetId`).
            service = target
                .target_id()
                .and_then(|id| id.split_once(':'))
                .map(|(cluster, name)| (cluster.to_owned(), name.to_owned()));
            events.extend(target.lifecycle_events().iter().map(|event| {
                LifecycleEvent {
                    name: event.lifecycle_event_name().unwrap_or_default().to_owned(),
                    status: event
                        .status()
                        .map(|status| status.as_str().to_owned())
                        .unwrap_or_default(),
                    diagnostics: event.diagnostics().map(|diagnostics| {
                        let code = diagnostics
                            .error_code()
                            .map(|code| format!("{}: ", code.as_str()))
                            .unwrap_or_default();
                        format!("{code}{}", diagnostics.message().unwrap_or_default())
                    }),
                }
            }));
            task_sets.extend(target.task_sets_info().iter().map(|set| {
                TaskSetInfo {
                    id: set.identifer().unwrap_or_default().to_owned(),
                    label: set
                        .task_set_label()
                        .map(|label| label.as_str().to_owned())
                        .unwrap_or_default(),
                    desired: set.desired_count(),
                    running: set.running_count(),
                    pending: set.pending_count(),
                    traffic: set.traffic_weight(),
                }
            }));
        }
    }
    Ok(CodeDeployment {
        id: id.to_owned(),
        status,
        error,
        events,
        task_sets,
        hooks,
        service,
    })
}
