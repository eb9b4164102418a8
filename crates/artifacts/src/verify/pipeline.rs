//! The deploy action's configuration, read from the pipeline itself (`aws codepipeline
//! get-pipeline` output), so the user does not restate it, and checked against what the
//! action type accepts: cfn-lint and the CodePipeline API both accept a misspelt key.
//!
//! Source: CodePipeline action reference, "Amazon Elastic Container Service" and "Amazon ECS
//! and CodeDeploy blue-green" configuration tables (`docs/aws/codepipeline.md`), and
//! `docs/aws/codepipeline.md#action-configuration-is-not-validated` (cfn-lint does not validate action configuration keys); the
//! key tables are in `configuration`.

use serde_json::{Map, Value};

use super::configuration::configuration_findings;
use super::{Action, ImageInput};
use crate::actions::{blue_green, ecs};
use crate::finding::Finding;
use crate::location::Location;
use crate::placeholder::ImagePlaceholder;
use crate::suggest::backticked;

/// The deploy action found in a pipeline: how it reads its inputs, and their names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PipelineAction {
    /// `Stage/Action`.
    pub name: String,
    /// What the action reads.
    pub action: Action,
    /// Its input artifact names, in order.
    pub input_artifacts: Vec<String>,
    /// Problems in its configuration or wiring.
    pub findings: Vec<Finding>,
    /// The ECS action's `DeploymentTimeout` in minutes, when set to a valid value.
    pub deployment_timeout: Option<u32>,
    /// The Blue/Green action's `ApplicationName` and `DeploymentGroupName`, when both are set
    /// to plain names (not `#{…}` variables, resolved only when the pipeline runs).
    pub deployment_group: Option<(String, String)>,
    /// The ECS action's `ClusterName` and `ServiceName`, likewise.
    pub service: Option<(String, String)>,
}

/// Finds the ECS or CodeDeployToECS action named `wanted` (`Action` or `Stage/Action`), or the
/// only such action, in a `get-pipeline` document (or its `pipeline` member alone).
pub fn deploy_action(document: &Value, wanted: Option<&str>) -> Result<PipelineAction, Finding> {
    let pipeline = document.get("pipeline").unwrap_or(document);
    let Some(stages) = pipeline.get("stages").and_then(Value::as_array) else {
        return Err(
            Finding::error("pipeline", "this is not a pipeline: it has no `stages`")
                .help("give the output of `aws codepipeline get-pipeline --name NAME`"),
        );
    };
    let mut outputs_so_far: Vec<String> = Vec::new();
    let mut candidates = Vec::new();
    for stage in stages {
        let stage_name = stage
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut actions: Vec<&Value> = stage
            .get("actions")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        // Within a stage, an action sees the outputs of actions with a lower runOrder.
        actions.sort_by_key(|action| action.get("runOrder").and_then(Value::as_u64).unwrap_or(1));
        let mut stage_outputs: Vec<(u64, String)> = Vec::new();
        for action in actions {
            let run_order = action.get("runOrder").and_then(Value::as_u64).unwrap_or(1);
            let visible: Vec<String> = outputs_so_far
                .iter()
                .cloned()
                .chain(
                    stage_outputs
                        .iter()
                        .filter(|(order, _)| *order < run_order)
                        .map(|(_, name)| name.clone()),
                )
                .collect();
            let action_name = action
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let provider = action
                .pointer("/actionTypeId/provider")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if matches!(provider, "ECS" | "CodeDeployToECS") {
                candidates.push((
                    format!("{stage_name}/{action_name}"),
                    action_name.to_owned(),
                    action,
                    visible,
                ));
            }
            for output in names(action, "outputArtifacts") {
                stage_outputs.push((run_order, output));
            }
        }
        outputs_so_far.extend(stage_outputs.into_iter().map(|(_, name)| name));
    }
    let chosen: Vec<_> = candidates
        .iter()
        .filter(|(full, short, _, _)| wanted.is_none_or(|wanted| wanted == full || wanted == short))
        .collect();
    let [(full, _, action, visible)] = chosen.as_slice() else {
        let listed: Vec<&str> = candidates
            .iter()
            .map(|(full, _, _, _)| full.as_str())
            .collect();
        return Err(Finding::error(
            "pipeline",
            match (wanted, listed.is_empty()) {
                (_, true) => "the pipeline has no ECS or CodeDeployToECS deploy action".to_owned(),
                (Some(wanted), false) => format!(
                    "the pipeline has no deploy action `{wanted}`; it has {}",
                    backticked(listed)
                ),
                (None, false) => format!(
                    "the pipeline has {} deploy actions: {}",
                    listed.len(),
                    backticked(listed)
                ),
            },
        )
        .help("name one with --action STAGE/ACTION"));
    };
    Ok(read_action(full, action, visible))
}

fn names(action: &Value, key: &str) -> Vec<String> {
    action
        .get(key)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|a| a.get("name").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn read_action(full: &str, action: &Value, visible: &[String]) -> PipelineAction {
    let empty = Map::new();
    let configuration = action
        .get("configuration")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let text = |key: &str| {
        configuration
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let provider = action
        .pointer("/actionTypeId/provider")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let inputs = names(action, "inputArtifacts");
    let mut findings = configuration_findings(provider, configuration, full);
    for input in inputs.iter().filter(|input| !visible.contains(input)) {
        findings.push(
            Finding::error("artifact-wiring", format!("input artifact `{input}` is not the output of an earlier action; earlier actions output {}", if visible.is_empty() { "nothing".to_owned() } else { backticked(visible.iter().map(String::as_str)) }))
                .at(Location::action(full, Some("inputArtifacts"))),
        );
    }
    let deployment_timeout = deployment_timeout(configuration.get("DeploymentTimeout"))
        .unwrap_or_else(|finding| {
            findings.push(finding.at(Location::action(
                full,
                Some("configuration.DeploymentTimeout"),
            )));
            None
        });
    let action = if provider == "ECS" {
        Action::Ecs {
            file_name: text("FileName").unwrap_or_else(|| ecs::IMAGE_DEFINITIONS.to_owned()),
        }
    } else {
        let mut images = Vec::new();
        let mut first_gap = None;
        for slot in ImagePlaceholder::all() {
            let n = slot.number();
            let (artifact_key, container_key) = (slot.artifact_setting(), slot.container_setting());
            let set = configuration.contains_key(&artifact_key)
                || configuration.contains_key(&container_key);
            match first_gap {
                None if !set => first_gap = Some(n),
                Some(gap) if set => findings.push(
                    Finding::error("action-configuration", format!("Image{n} is set without Image{gap}: the images are numbered from Image1 with no gaps"))
                        .at(Location::action(full, Some(&format!("configuration.{artifact_key}"))))
                        .help(format!("rename Image{n}ArtifactName and Image{n}ContainerName to Image{gap}…")),
                ),
                _ => {}
            }
            match (text(&artifact_key), text(&container_key)) {
                (Some(artifact), Some(placeholder)) => {
                    if !inputs.contains(&artifact) {
                        findings.push(
                            Finding::error("artifact-wiring", format!("Image{n}ArtifactName `{artifact}` is not an input artifact of the action"))
                                .at(Location::action(full, Some(&format!("configuration.{artifact_key}")))),
                        );
                    }
                    images.push(ImageInput { artifact, placeholder });
                }
                (None, None) => {}
                (Some(_), None) | (None, Some(_)) => findings.push(
                    Finding::error("action-configuration", format!("Image{n}ArtifactName and Image{n}ContainerName go together"))
                        .at(Location::action(full, Some("configuration")))
                        .help("the action fails with `Action configuration is missing 'Image{n}ContainerName' configuration`"),
                ),
            }
        }
        for key in ["TaskDefinitionTemplateArtifact", "AppSpecTemplateArtifact"] {
            if let Some(artifact) = text(key).filter(|artifact| !inputs.contains(artifact)) {
                findings.push(
                    Finding::error(
                        "artifact-wiring",
                        format!("{key} `{artifact}` is not an input artifact of the action"),
                    )
                    .at(Location::action(
                        full,
                        Some(&format!("configuration.{key}")),
                    )),
                );
            }
        }
        Action::BlueGreen {
            taskdef_artifact: text("TaskDefinitionTemplateArtifact"),
            taskdef_path: text("TaskDefinitionTemplatePath")
                .unwrap_or_else(|| blue_green::TASK_DEFINITION.to_owned()),
            appspec_artifact: text("AppSpecTemplateArtifact"),
            appspec_path: text("AppSpecTemplatePath")
                .unwrap_or_else(|| blue_green::APPSPEC.to_owned()),
            images,
        }
    };
    let plain = |key: &str| text(key).filter(|value| !value.is_empty() && !value.contains("#{"));
    let pair = |first: &str, second: &str| plain(first).zip(plain(second));
    let (deployment_group, service) = match &action {
        Action::BlueGreen { .. } => (pair("ApplicationName", "DeploymentGroupName"), None),
        Action::Ecs { .. } => (None, pair("ClusterName", "ServiceName")),
    };
    PipelineAction {
        name: full.to_owned(),
        action,
        input_artifacts: inputs,
        findings,
        deployment_timeout,
        deployment_group,
        service,
    }
}

/// `DeploymentTimeout`: minutes as a string (a number in a template), 1 to 60. Source:
/// CodePipeline action reference, "Amazon Elastic Container Service"; CDK validates 1–60
/// (`docs/aws/codepipeline.md#the-amazon-ecs-deploy-action`).
fn deployment_timeout(value: Option<&Value>) -> Result<Option<u32>, Finding> {
    let Some(value) = value else {
        return Ok(None);
    };
    let text = match value {
        Value::String(text) => text.trim().to_owned(),
        other => other.to_string(),
    };
    text.parse::<u32>()
        .ok()
        .filter(|minutes| (1..=super::service::MAX_DEPLOYMENT_TIMEOUT).contains(minutes))
        .map(Some)
        .ok_or_else(|| {
            Finding::error(
                "action-configuration",
                format!("DeploymentTimeout `{text}` is not a whole number of minutes from 1 to 60"),
            )
            .help("the ECS action waits at most 60 minutes, its default")
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pipeline(deploy: &Value) -> Value {
        json!({"pipeline": {"name": "web", "stages": [
            {"name": "Source", "actions": [{"name": "Source", "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"}, "outputArtifacts": [{"name": "SourceArtifact"}]}]},
            {"name": "Build", "actions": [{"name": "Build", "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"}, "inputArtifacts": [{"name": "SourceArtifact"}], "outputArtifacts": [{"name": "BuildArtifact"}, {"name": "ImageArtifact"}]}]},
            {"name": "Deploy", "actions": [deploy.clone()]}
        ]}})
    }

    #[test]
    fn reads_a_blue_green_action() {
        let deploy = json!({"name": "Deploy", "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "CodeDeployToECS", "version": "1"},
            "inputArtifacts": [{"name": "BuildArtifact"}, {"name": "ImageArtifact"}],
            "configuration": {"ApplicationName": "web", "DeploymentGroupName": "web", "TaskDefinitionTemplateArtifact": "BuildArtifact",
                "AppSpecTemplateArtifact": "BuildArtifact", "Image1ArtifactName": "ImageArtifact", "Image1ContainerName": "IMAGE1_NAME"}});
        let found = deploy_action(&pipeline(&deploy), None).unwrap();
        assert_eq!(found.name, "Deploy/Deploy");
        assert_eq!(found.findings, []);
        assert_eq!(found.input_artifacts, ["BuildArtifact", "ImageArtifact"]);
        let group = Some(("web".to_owned(), "web".to_owned()));
        assert_eq!(found.deployment_group, group);
        let Action::BlueGreen {
            images,
            taskdef_path,
            ..
        } = found.action
        else {
            panic!("blue/green")
        };
        assert_eq!(taskdef_path, "taskdef.json");
        assert_eq!(
            images,
            [ImageInput {
                artifact: "ImageArtifact".into(),
                placeholder: "IMAGE1_NAME".into()
            }]
        );
    }

    #[test]
    fn configuration_and_wiring_mistakes() {
        let deploy = json!({"name": "Deploy", "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "ECS", "version": "1"},
            "inputArtifacts": [{"name": "SourceArtifac"}],
            "configuration": {"ClusterName": "main", "ServiceNme": "web", "FileName": "images.json"}});
        let found = deploy_action(&pipeline(&deploy), Some("Deploy")).unwrap();
        let messages: Vec<&str> = found.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            found.findings[0].help.as_deref(),
            Some("did you mean `ServiceName`?")
        );
        assert!(
            messages.contains(&"the ECS action needs `ServiceName`"),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.starts_with(
                "input artifact `SourceArtifac` is not the output of an earlier action"
            )),
            "{messages:?}"
        );
        assert_eq!(
            found.action,
            Action::Ecs {
                file_name: "images.json".into()
            }
        );
        let gap = json!({"name": "Deploy", "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "CodeDeployToECS", "version": "1"},
            "inputArtifacts": [{"name": "BuildArtifact"}, {"name": "ImageArtifact"}],
            "configuration": {"ApplicationName": "web", "DeploymentGroupName": "web", "TaskDefinitionTemplateArtifact": "BuildArtifact",
                "AppSpecTemplateArtifact": "BuildArtifact", "Image2ArtifactName": "ImageArtifact", "Image2ContainerName": "IMAGE1_NAME"}});
        let found = deploy_action(&pipeline(&gap), None).unwrap();
        assert_eq!(
            found.findings[0].message,
            "Image2 is set without Image1: the images are numbered from Image1 with no gaps"
        );
        let error = deploy_action(
            &pipeline(&json!({"name": "Approve", "actionTypeId": {"provider": "Manual"}})),
            None,
        )
        .unwrap_err();
        assert_eq!(
            error.message,
            "the pipeline has no ECS or CodeDeployToECS deploy action"
        );
    }

    #[test]
    fn deployment_timeout_is_read_and_checked() {
        let ecs = |timeout: Value| {
            json!({"name": "Deploy", "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "ECS", "version": "1"},
                "inputArtifacts": [{"name": "BuildArtifact"}],
                "configuration": {"ClusterName": "main", "ServiceName": "web", "DeploymentTimeout": timeout}})
        };
        let found = deploy_action(&pipeline(&ecs(json!("15"))), None).unwrap();
        assert_eq!(
            (found.deployment_timeout, found.findings),
            (Some(15), vec![])
        );
        // A template may give a number.
        let found = deploy_action(&pipeline(&ecs(json!(30))), None).unwrap();
        assert_eq!(found.deployment_timeout, Some(30));
        for bad in [json!("0"), json!("61"), json!("1h")] {
            let found = deploy_action(&pipeline(&ecs(bad)), None).unwrap();
            assert_eq!(found.deployment_timeout, None);
            assert_eq!(
                found.findings[0].location_str(),
                Some("Deploy/Deploy: configuration.DeploymentTimeout")
            );
        }
    }
}
