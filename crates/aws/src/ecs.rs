//! Amazon ECS: the registered task definitions.

use std::sync::{Arc, Mutex};

use aws_config::SdkConfig;
use aws_sdk_ecs::Client;
use aws_sdk_ecs::types::TaskDefinitionField;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use crate::error::{AwsError, Cause, Resource};

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

/// Keeps the raw body of a response after the SDK has read it.
#[derive(Clone, Debug, Default)]
struct CaptureBody(Arc<Mutex<Option<Vec<u8>>>>);

impl CaptureBody {
    fn take(&self) -> Option<Vec<u8>> {
        self.0.lock().ok()?.take()
    }
}

impl Intercept for CaptureBody {
    fn name(&self) -> &'static str {
        "CaptureBody"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // Non-streaming answers are read into memory before deserialization, so the bytes are here.
        if let Some(bytes) = context.response().body().bytes()
            && let Ok(mut slot) = self.0.lock()
        {
            *slot = Some(bytes.to_vec());
        }
        Ok(())
    }
}
