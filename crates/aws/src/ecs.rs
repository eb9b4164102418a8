//! Amazon ECS: the registered task definitions and the services that run them.

use aws_config::SdkConfig;
pub use aws_sdk_ecs::Client;
use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
use aws_sdk_ecs::types::{Service, TaskDefinitionField};

use crate::error::{AwsError, Cause, Resource};
use crate::raw::CaptureBody;

mod follow;
mod running;
mod usage;

pub use follow::{service_deployment_arn, service_rollout, service_snapshot};
pub use running::{Deployment, RunningTask, TaskContainer, deployments, running_tasks};
pub use usage::{active_revisions, clusters, deregister, task_definitions_in_use};

/// An ECS client from the shared configuration (`AWS_ENDPOINT_URL_ECS` applies).
#[must_use]
pub fn client(config: &SdkConfig) -> Client {
    crate::bounded::client!(aws_sdk_ecs, config)
}

/// `DescribeTaskDefinition` with its tags, as the JSON document ECS sent:
/// `{"taskDefinition": {…}, "tags": […]}`.
///
/// The SDK's types have no serializer and know only the members of the SDK's version; the
/// response body itself carries every member ECS has, including ones newer than this build,
/// so it is taken as received.
pub async fn describe_task_definition(
    client: &Client,
    task_definition: &str,
) -> Result<Vec<u8>, AwsError> {
    let resource = || Resource::TaskDefinition {
        name: task_definition.to_owned(),
    };
    let capture = CaptureBody::default();
    client
        .describe_task_definition()
        .task_definition(task_definition)
        .include(TaskDefinitionField::Tags)
        .customize()
        .interceptor(capture.clone())
        .send()
        .await
        .map_err(|error| AwsError::from_sdk("ecs:DescribeTaskDefinition", resource(), &error))?;
    capture
        .take()
        .ok_or_else(|| no_body("ecs:DescribeTaskDefinition", resource()))
}

fn no_body(operation: &'static str, resource: Resource) -> AwsError {
    AwsError::new(
        operation,
        resource,
        Cause::Other {
            reason: "the answer had no body to read".to_owned(),
        },
    )
}

/// `DescribeServices` for one service, as the JSON document ECS sent:
/// `{"services": [{…}], "failures": []}`, with every member ECS has, including ones newer than
/// this build (`deploymentConfiguration.strategy`, `lifecycleHooks`), as
/// [`describe_task_definition`] keeps them.
pub async fn describe_service(
    client: &Client,
    cluster: &str,
    service: &str,
) -> Result<Vec<u8>, AwsError> {
    let capture = CaptureBody::default();
    let answer = client
        .describe_services()
        .cluster(cluster)
        .services(service)
        .customize()
        .interceptor(capture.clone())
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk(
                "ecs:DescribeServices",
                service_resource(cluster, service),
                &error,
            )
        })?;
    active_service(&answer, cluster, service)?;
    capture
        .take()
        .ok_or_else(|| no_body("ecs:DescribeServices", service_resource(cluster, service)))
}

fn service_resource(cluster: &str, service: &str) -> Resource {
    Resource::Service {
        cluster: cluster.to_owned(),
        service: service.to_owned(),
    }
}

/// The service in the answer that is not INACTIVE. A missing service is not an error of the
/// call but an entry in `failures`.
fn active_service<'a>(
    answer: &'a DescribeServicesOutput,
    cluster: &str,
    service: &str,
) -> Result<&'a Service, AwsError> {
    answer
        .services()
        .iter()
        .find(|found| found.status() != Some("INACTIVE"))
        .ok_or_else(|| {
            let reason = answer
                .failures()
                .first()
                .and_then(|failure| failure.reason())
                .unwrap_or("no active service");
            AwsError::new(
                "ecs:DescribeServices",
                service_resource(cluster, service),
                Cause::Service {
                    code: Some(reason.to_owned()),
                    message: Some("the service was not found or is inactive".to_owned()),
                    status: None,
                },
            )
        })
}
