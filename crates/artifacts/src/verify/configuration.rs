//! Action configurations checked against what each action type takes: cfn-lint and the
//! CodePipeline API both accept a misspelt or missing key (`docs/aws/codepipeline.md#action-configuration-is-not-validated`),
//! which the action then ignores or fails on when it runs.

use serde_json::{Map, Value};

use crate::finding::Finding;
use crate::location::Location;
use crate::placeholder::ImagePlaceholder;
use crate::suggest::{Reach, backticked, similar};

/// What one action provider's `configuration` takes: every key, and the keys it needs.
struct ProviderKeys {
    provider: &'static str,
    keys: &'static [&'static str],
    required: &'static [&'static str],
}

/// The providers whose configuration is checked. Sources: CodePipeline action reference,
/// "Amazon Elastic Container Service", "Amazon ECS and CodeDeploy blue-green", "AWS
/// CodeBuild build and test action" (`docs/aws/codepipeline.md#action-configuration-is-not-validated`), "Amazon ECR source action",
/// "`CodeStarSourceConnection`" and "Manual approval" configuration tables.
const PROVIDERS: &[ProviderKeys] = &[
    ProviderKeys {
        provider: "ECS",
        keys: &[
            "ClusterName",
            "ServiceName",
            "FileName",
            "DeploymentTimeout",
        ],
        required: &["ClusterName", "ServiceName"],
    },
    ProviderKeys {
        provider: "CodeDeployToECS",
        keys: &[
            "ApplicationName",
            "DeploymentGroupName",
            "TaskDefinitionTemplateArtifact",
            "TaskDefinitionTemplatePath",
            "AppSpecTemplateArtifact",
            "AppSpecTemplatePath",
            "Image1ArtifactName",
            "Image1ContainerName",
            "Image2ArtifactName",
            "Image2ContainerName",
            "Image3ArtifactName",
            "Image3ContainerName",
            "Image4ArtifactName",
            "Image4ContainerName",
        ],
        required: &[
            "ApplicationName",
            "DeploymentGroupName",
            "TaskDefinitionTemplateArtifact",
            "AppSpecTemplateArtifact",
        ],
    },
    ProviderKeys {
        provider: "CodeBuild",
        keys: &[
            "ProjectName",
            "PrimarySource",
            "BatchEnabled",
            "CombineArtifacts",
            "EnvironmentVariables",
        ],
        required: &["ProjectName"],
    },
    ProviderKeys {
        provider: "ECR",
        keys: &["RepositoryName", "ImageTag"],
        required: &["RepositoryName"],
    },
    ProviderKeys {
        provider: "CodeStarSourceConnection",
        keys: &[
            "ConnectionArn",
            "FullRepositoryId",
            "BranchName",
            "OutputArtifactFormat",
            "DetectChanges",
        ],
        required: &["ConnectionArn", "FullRepositoryId", "BranchName"],
    },
    ProviderKeys {
        provider: "Manual",
        keys: &["NotificationArn", "CustomData", "ExternalEntityLink"],
        required: &[],
    },
];

/// The problems of an action's `configuration` under its provider: keys the action ignores
/// (with the key meant, when one is near), and keys it needs. Providers not in the table pass.
/// Located as `{full}: configuration.KEY`, `full` being `Stage/Action`.
pub(crate) fn configuration_findings(
    provider: &str,
    configuration: &Map<String, Value>,
    full: &str,
) -> Vec<Finding> {
    let Some(ProviderKeys { keys, required, .. }) =
        PROVIDERS.iter().find(|p| p.provider == provider)
    else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for key in configuration
        .keys()
        .filter(|key| !keys.contains(&key.as_str()))
    {
        let finding = Finding::error(
            "action-configuration",
            format!(
                "`{key}` is not a configuration key of the {provider} action, which ignores it"
            ),
        )
        .at(Location::action(
            full,
            Some(&format!("configuration.{key}")),
        ));
        let max = ImagePlaceholder::MAX;
        findings.push(match image_number(key).filter(|n| *n > u32::from(max)) {
            // Image5ArtifactName is one edit from Image1ArtifactName, which is not what was meant.
            Some(_) => finding.help(format!(
                "the action reads at most {max} images, Image1 to Image{max}"
            )),
            None => match similar(key, keys.iter().copied(), Reach::Proportional) {
                Some(meant) => finding.help(format!("did you mean `{meant}`?")),
                None => finding.help(format!("the keys are {}", backticked(keys.iter().copied()))),
            },
        });
    }
    for key in required
        .iter()
        .filter(|key| !configuration.contains_key(**key))
    {
        findings.push(
            Finding::error(
                "action-configuration",
                format!("the {provider} action needs `{key}`"),
            )
            .at(Location::action(full, Some("configuration"))),
        );
    }
    findings
}

/// `N` of `Image<N>ArtifactName` and `Image<N>ContainerName`.
fn image_number(key: &str) -> Option<u32> {
    let rest = key.strip_prefix("Image")?;
    let digits = rest
        .strip_suffix("ArtifactName")
        .or_else(|| rest.strip_suffix("ContainerName"))?;
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn messages(provider: &str, configuration: &Value) -> Vec<(String, Option<String>)> {
        configuration_findings(provider, configuration.as_object().unwrap(), "Build/Build")
            .into_iter()
            .map(|f| (f.message, f.help))
            .collect()
    }

    #[test]
    fn every_known_provider_is_checked() {
        assert_eq!(
            messages("CodeBuild", &json!({"ProjectName": "p", "PrimarySorce": "A"})),
            [(
                "`PrimarySorce` is not a configuration key of the CodeBuild action, which ignores it".to_owned(),
                Some("did you mean `PrimarySource`?".to_owned())
            )]
        );
        assert_eq!(
            messages("ECR", &json!({"ImageTag": "release"})),
            [("the ECR action needs `RepositoryName`".to_owned(), None)]
        );
        assert_eq!(
            messages("CodeDeployToECS", &json!({"ApplicationName": "a", "DeploymentGroupName": "d",
                "TaskDefinitionTemplateArtifact": "A", "AppSpecTemplateArtifact": "A", "Image5ArtifactName": "B"}))[0]
                .1,
            Some("the action reads at most 4 images, Image1 to Image4".to_owned())
        );
        assert_eq!(messages("Lambda", &json!({"Anything": "goes"})), []);
    }
}
