//! What CloudFormation's ECS handler does with an `AWS::ECS::Service` on a stack update, held
//! against the template.
//!
//! The handler sends the template's properties on every `UpdateService`, unchanged ones
//! included (aws-cloudformation/cloudformation-coverage-roadmap#1529):
//!
//! - `DesiredCount` puts back the template's count over Application Auto Scaling's, and a
//!   `CODE_DEPLOY` service refuses a changed one, rolling the stack back. Left out, an existing
//!   service keeps its count
//!   (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-service.html#cfn-ecs-service-desiredcount>).
//! - `TaskDefinition` names the template's revision, and an `ECS`-controlled service starts a
//!   deployment whenever that is not the running one
//!   (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html>): when a
//!   pipeline deploys the releases, the template's revision runs the first (bootstrap) image, which
//!   then replaces the release unless a lifecycle hook of the service refuses it.
//!
//! Intrinsic functions lose their tags when read (`cloudformation.rs`), so references are
//! matched as the text they leave: `Service.Name`, `${Service.Name}`, a parameter's name.

use serde_json::{Map, Value};

use crate::finding::Finding;

/// An autoscaled service sets `DesiredCount`.
pub const SERVICE_DESIRED_COUNT: &str = "service-desired-count";
/// A stack update of an `ECS`-controlled service deploys the template's bootstrap image.
pub const SERVICE_BOOTSTRAP_IMAGE: &str = "service-bootstrap-image";

/// The findings of every `AWS::ECS::Service` of `resources` (the template's `Resources`);
/// `parameters` are the names of the template's parameters.
pub(super) fn check(
    resources: &Map<String, Value>,
    parameters: &[String],
    findings: &mut Vec<Finding>,
) {
    for (id, service) in of_type(resources, "AWS::ECS::Service") {
        let properties = &service["Properties"];
        if properties.get("DesiredCount").is_some() && autoscaled(resources, id, properties) {
            findings.push(
                Finding::error(SERVICE_DESIRED_COUNT, format!("service `{id}` is scaled by Application Auto Scaling and sets `DesiredCount`, which CloudFormation sends on every update of the service: the update resets the count, and a CODE_DEPLOY service refuses a changed one, rolling the stack back"))
                    .at_place(format!("Resources.{id}.Properties.DesiredCount"))
                    .help("leave `DesiredCount` out: a new service starts one task until the scalable target's `MinCapacity` applies, and an update keeps the running count"),
            );
        }
        if let Some(finding) = bootstrap_image(resources, parameters, id, properties) {
            findings.push(finding);
        }
    }
}

fn of_type<'a>(
    resources: &'a Map<String, Value>,
    wanted: &'a str,
) -> impl Iterator<Item = (&'a String, &'a Value)> {
    resources
        .iter()
        .filter(move |(_, r)| r.get("Type").and_then(Value::as_str) == Some(wanted))
}

/// The text a value leaves once its tags are gone, for matching references in it.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Whether a scalable target's `ResourceId` names the service: `${Service.Name}`, or the
/// parameter its `ServiceName` comes from.
fn autoscaled(resources: &Map<String, Value>, id: &str, properties: &Value) -> bool {
    let mut names = vec![format!("{id}.Name"), format!("${{{id}}}")];
    if let Some(Value::String(name)) = properties.get("ServiceName") {
        names.push(format!("${{{name}}}"));
    }
    of_type(resources, "AWS::ApplicationAutoScaling::ScalableTarget").any(|(_, target)| {
        let resource_id = shown(&target["Properties"]["ResourceId"]);
        names.iter().any(|name| resource_id.contains(name.as_str()))
    })
}

/// A finding when an `ECS`-controlled service runs a template task definition whose
/// load-balanced container's image is a parameter, and no lifecycle hook is told that image.
fn bootstrap_image(
    resources: &Map<String, Value>,
    parameters: &[String],
    id: &str,
    properties: &Value,
) -> Option<Finding> {
    let controller = properties.pointer("/DeploymentController/Type").map(shown);
    if controller.as_deref().is_some_and(|c| c != "ECS") {
        return None;
    }
    let definition_id = properties.get("TaskDefinition").map(shown)?;
    let definition = resources.get(&definition_id)?;
    if definition.get("Type").and_then(Value::as_str) != Some("AWS::ECS::TaskDefinition") {
        return None;
    }
    let served: Vec<String> = properties
        .get("LoadBalancers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|lb| lb.get("ContainerName").map(shown))
        .collect();
    let containers = definition
        .pointer("/Properties/ContainerDefinitions")
        .and_then(Value::as_array)?;
    let (index, image) = containers.iter().enumerate().find_map(|(index, c)| {
        let name = c.get("Name").map(shown)?;
        served
            .contains(&name)
            .then(|| Some((index, shown(c.get("Image")?))))?
    })?;
    // Only an image that comes from a template parameter is the stack's own bootstrap image.
    if !parameters.contains(&image) {
        return None;
    }
    let hooks = properties
        .pointer("/DeploymentConfiguration/LifecycleHooks")
        .and_then(Value::as_array);
    let guarded = hooks.into_iter().flatten().any(|hook| {
        let target = hook.get("HookTargetArn").map(shown).unwrap_or_default();
        let function = target.split('.').next().unwrap_or_default();
        resources
            .get(function)
            .and_then(|f| f.pointer("/Properties/Environment/Variables"))
            .and_then(Value::as_object)
            .is_some_and(|variables| variables.values().any(|v| shown(v) == image))
    });
    (!guarded).then(|| {
        Finding::error(SERVICE_BOOTSTRAP_IMAGE, format!("a stack update of service `{id}` deploys task definition `{definition_id}`, whose container runs parameter `{image}`: CloudFormation names the template's task definition on every update of the service, and the ECS controller deploys it over the release the pipeline put there"))
            .at_place(format!("Resources.{definition_id}.Properties.ContainerDefinitions[{index}].Image"))
            .help(format!("give the service a lifecycle hook whose function is told `{image}` and refuses a revision running it while another serves production (pipeline-templates/terraform/prod-native/smoke_test/index.py)"))
    })
}

#[cfg(test)]
#[path = "service/tests.rs"]
mod tests;
