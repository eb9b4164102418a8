//! Application Auto Scaling: the scalable target of an ECS service's desired count, and its
//! suspended state.
//!
//! Suspending and resuming is `RegisterScalableTarget` with only the three required fields and
//! `SuspendedState`: re-registering an existing target without `MinCapacity` and `MaxCapacity`
//! keeps them and changes only what is given (Application Auto Scaling API reference,
//! `RegisterScalableTarget`; `docs/aws/codedeploy.md#suspending-and-resuming-scaling`).

use aws_config::SdkConfig;
pub use aws_sdk_applicationautoscaling::Client;
use aws_sdk_applicationautoscaling::types::{ScalableDimension, ServiceNamespace, SuspendedState};

use crate::error::{AwsError, Resource};

/// An Application Auto Scaling client from the shared configuration
/// (`AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING` applies).
#[must_use]
pub fn client(config: &SdkConfig) -> Client {
    crate::bounded::client!(aws_sdk_applicationautoscaling, config)
}

/// The three switches of a scalable target; `true` is suspended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Suspended {
    /// `DynamicScalingInSuspended`.
    pub scaling_in: bool,
    /// `DynamicScalingOutSuspended`.
    pub scaling_out: bool,
    /// `ScheduledScalingSuspended`.
    pub scheduled: bool,
}

impl Suspended {
    /// All three switches set to `value`.
    #[must_use]
    pub fn all(value: bool) -> Self {
        Self {
            scaling_in: value,
            scaling_out: value,
            scheduled: value,
        }
    }
}

/// A service's scalable target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    /// The lowest desired count scaling may set.
    pub min_capacity: i32,
    /// The highest desired count scaling may set.
    pub max_capacity: i32,
    /// What is suspended; an absent `SuspendedState` means nothing is.
    pub suspended: Suspended,
}

/// The resource id of a service: `service/<cluster>/<service>`.
#[must_use]
pub fn resource_id(cluster: &str, service: &str) -> String {
    format!("service/{cluster}/{service}")
}

fn resource(cluster: &str, service: &str) -> Resource {
    Resource::ScalableTarget {
        cluster: cluster.to_owned(),
        service: service.to_owned(),
    }
}

/// `DescribeScalableTargets` for the service's `ecs:service:DesiredCount`; `None` when the
/// service has no scalable target.
pub async fn target(
    client: &Client,
    cluster: &str,
    service: &str,
) -> Result<Option<Target>, AwsError> {
    let answer = client
        .describe_scalable_targets()
        .service_namespace(ServiceNamespace::Ecs)
        .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
        .resource_ids(resource_id(cluster, service))
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk(
                "application-autoscaling:DescribeScalableTargets",
                resource(cluster, service),
                &error,
            )
        })?;
    let wanted = resource_id(cluster, service);
    Ok(answer
        .scalable_targets
        .unwrap_or_default()
        .into_iter()
        .find(|target| target.resource_id == wanted)
        .map(|target| {
            let state = target
                .suspended_state
                .unwrap_or_else(|| SuspendedState::builder().build());
            Target {
                min_capacity: target.min_capacity,
                max_capacity: target.max_capacity,
                suspended: Suspended {
                    scaling_in: state.dynamic_scaling_in_suspended.unwrap_or(false),
                    scaling_out: state.dynamic_scaling_out_suspended.unwrap_or(false),
                    scheduled: state.scheduled_scaling_suspended.unwrap_or(false),
                },
            }
        }))
}

/// `RegisterScalableTarget` of the existing target with `suspended` and nothing else, so that
/// its capacities and policies stay as they are.
pub async fn set_suspended(
    client: &Client,
    cluster: &str,
    service: &str,
    suspended: Suspended,
) -> Result<(), AwsError> {
    let state = SuspendedState::builder()
        .dynamic_scaling_in_suspended(suspended.scaling_in)
        .dynamic_scaling_out_suspended(suspended.scaling_out)
        .scheduled_scaling_suspended(suspended.scheduled)
        .build();
    client
        .register_scalable_target()
        .service_namespace(ServiceNamespace::Ecs)
        .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
        .resource_id(resource_id(cluster, service))
        .suspended_state(state)
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk(
                "application-autoscaling:RegisterScalableTarget",
                resource(cluster, service),
                &error,
            )
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{config, response, serve_once};

    const JSON: &str = "Content-Type: application/x-amz-json-1.1\r\n";

    #[tokio::test]
    async fn a_service_without_a_target_is_none_and_a_target_reads_its_state() {
        let server = serve_once(response("200 OK", JSON, r#"{"ScalableTargets": []}"#));
        let api = super::client(&config(&format!("http://127.0.0.1:{}", server.port)));
        assert_eq!(target(&api, "prod", "web").await, Ok(None));
        let head = server.request.join().unwrap();
        assert!(
            head.contains("x-amz-target: AnyScaleFrontendService.DescribeScalableTargets"),
            "{head}"
        );

        let body = r#"{"ScalableTargets": [{"ServiceNamespace": "ecs",
            "ResourceId": "service/prod/web", "ScalableDimension": "ecs:service:DesiredCount",
            "MinCapacity": 2, "MaxCapacity": 8, "RoleARN": "arn:aws:iam::1:role/r",
            "CreationTime": 1764000000, "SuspendedState": {"DynamicScalingInSuspended": true}}]}"#;
        let server = serve_once(response("200 OK", JSON, body));
        let api = super::client(&config(&format!("http://127.0.0.1:{}", server.port)));
        let found = target(&api, "prod", "web").await.unwrap().unwrap();
        assert_eq!((found.min_capacity, found.max_capacity), (2, 8));
        let expected = Suspended {
            scaling_in: true,
            ..Suspended::default()
        };
        assert_eq!(found.suspended, expected);
    }

    #[tokio::test]
    async fn a_refusal_names_the_target() {
        let body = r#"{"__type": "ValidationException", "message": "ECS service doesn't exist."}"#;
        let server = serve_once(response("400 Bad Request", JSON, body));
        let api = super::client(&config(&format!("http://127.0.0.1:{}", server.port)));
        let error = set_suspended(&api, "prod", "web", Suspended::all(true))
            .await
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "`application-autoscaling:RegisterScalableTarget` failed with `ValidationException`: \
             ECS service doesn't exist (scalable target `service/prod/web`)"
        );
    }
}
