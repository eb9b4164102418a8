//! Amazon ECS: the registered task definitions.

use aws_config::SdkConfig;
use aws_sdk_ecs::Client;
use aws_sdk_ecs::types::TaskDefinitionField;

use crate::error::{AwsError, Cause, Resource};
use crate::raw::CaptureBody;

/// An ECS client from the shared configuration (`AWS_ENDPOINT_URL_ECS` applies).
#[must_use]
pub fn client(config: &SdkConfig) -> Client {
    Client::new(config)
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
    capture.take().ok_or_else(|| {
        AwsError::new(
            "ecs:DescribeTaskDefinition",
            resource(),
            Cause::Other {
                reason: "the answer had no body to read".to_owned(),
            },
        )
    })
}

/// The task definition (ARN) an ECS service runs: what the ECS deploy action copies and
/// changes only the images of.
pub async fn service_task_definition(
    client: &Client,
    cluster: &str,
    service: &str,
) -> Result<String, AwsError> {
    let resource = || Resource::Service {
        cluster: cluster.to_owned(),
        service: service.to_owned(),
    };
    let answer = client
        .describe_services()
        .cluster(cluster)
        .services(service)
        .send()
        .await
        .map_err(|error| AwsError::from_sdk("ecs:DescribeServices", resource(), &error))?;
    // A missing service is not an error of the call but an entry in `failures`.
    answer
        .services()
        .iter()
        .find(|found| found.status() != Some("INACTIVE"))
        .and_then(|found| found.task_definition())
        .map(str::to_owned)
        .ok_or_else(|| {
            let reason = answer
                .failures()
                .first()
                .and_then(|failure| failure.reason())
                .unwrap_or("no active service");
            AwsError::new(
                "ecs:DescribeServices",
                resource(),
                Cause::Service {
                    code: Some(reason.to_owned()),
                    message: Some("the service was not found or is inactive".to_owned()),
                    status: None,
                },
            )
        })
}
