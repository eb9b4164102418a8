//! The ECS action's target service, as `aws ecs describe-services` shows it: the deployment
//! controller and strategy the action's `UpdateService` sets off, checked for what makes the
//! action fail or leaves a failed deployment running.
//!
//! The action only registers a task definition and calls `UpdateService`; whether that is a
//! rolling update or an ECS-native blue/green, linear or canary deployment is a property of
//! the service (`docs/aws/ecs-services.md#codepipeline-and-ecs-native-blue-green`). This module reads that property from the
//! `DescribeServices` answer (camelCase members, as the API returns them); `rules` checks it.

mod read;
mod rules;
#[cfg(test)]
mod tests;
mod timing;

use serde_json::Value;

use crate::finding::Finding;
use crate::location::JsonPath;
use crate::syntax::type_name;

pub use rules::check;

/// The ECS action's `DeploymentTimeout`, in minutes: its default and its maximum.
/// Source: CodePipeline action reference, "Amazon Elastic Container Service" (`docs/aws/codepipeline.md#the-amazon-ecs-deploy-action`).
pub const MAX_DEPLOYMENT_TIMEOUT: u32 = 60;

/// What the service's deployment strategy means for the ECS action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceReport {
    /// `serviceName`.
    pub name: String,
    /// One line: `service web: BLUE_GREEN, bake time 15 min, 2 lifecycle hooks`.
    pub summary: String,
    /// The task definition the service runs (`taskDefinition`), when the answer says.
    pub task_definition: Option<String>,
    /// What would make the action fail, or a failed deployment linger.
    pub findings: Vec<Finding>,
}

/// The service object of a `describe-services` answer (`services[0]`), or `document` itself
/// when it is one service object; with the JSON path it is at.
pub fn service_of(document: &Value) -> Result<(&Value, JsonPath), Finding> {
    let no_service = |detail: String, at: JsonPath| {
        Finding::error(
            "service-json",
            format!("there is no service in the answer: {detail}"),
        )
        .at(at)
        .help("give the output of `aws ecs describe-services --cluster CLUSTER --services SERVICE`")
    };
    let Some(object) = document.as_object() else {
        return Err(no_service(
            format!("it is {}, not an object", type_name(document)),
            JsonPath::root(),
        ));
    };
    match object.get("services") {
        Some(Value::Array(services)) => match services.first() {
            Some(service) if service.is_object() => {
                Ok((service, JsonPath::root().key("services").index(0)))
            }
            Some(other) => Err(no_service(
                format!("`services[0]` is {}, not an object", type_name(other)),
                JsonPath::root().key("services").index(0),
            )),
            None => {
                let reason = document
                    .pointer("/failures/0/reason")
                    .and_then(Value::as_str)
                    .map_or_else(String::new, |reason| format!(" (failure: `{reason}`)"));
                Err(no_service(
                    format!("`services` is empty{reason}"),
                    JsonPath::root().key("services"),
                ))
            }
        },
        Some(other) => Err(no_service(
            format!("`services` is {}, not an array", type_name(other)),
            JsonPath::root().key("services"),
        )),
        None if object.contains_key("serviceName") => Ok((document, JsonPath::root())),
        None => Err(no_service(
            "it has neither `services` nor `serviceName`".to_owned(),
            JsonPath::root(),
        )),
    }
}
