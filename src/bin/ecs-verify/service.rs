//! The ECS action's target service: from a `describe-services` file or read live, its
//! deployment strategy checked, and the container names of the task definition it runs or of
//! the one given with `--taskdef`.

use std::path::Path;

use deploykit_artifacts::Finding;
use deploykit_artifacts::task_definition::render::read;
use deploykit_artifacts::task_definition::source::SourceFormat;
use deploykit_artifacts::verify::service::{self, ServiceReport};
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::{
    CliError,
    input::{self, Limit},
};
use serde_json::Value;

/// A checked service and the place its findings are reported under.
pub(crate) struct CheckedService {
    /// The file as the user named it, or `CLUSTER/SERVICE`.
    pub(crate) place: String,
    pub(crate) report: ServiceReport,
    /// The task definition it runs, when read live (register input).
    pub(crate) task_definition: Option<Value>,
}

/// `--service-json FILE`.
pub(crate) fn from_file(path: &Path, deployment_timeout: u32) -> Result<CheckedService, CliError> {
    let place = path.display().to_string();
    let report = check(
        &input::read(path, Limit::DEPLOY_FILE)?,
        &place,
        deployment_timeout,
    )?;
    Ok(CheckedService {
        place,
        report,
        task_definition: None,
    })
}

/// `--from-ecs CLUSTER/SERVICE`: `DescribeServices` as ECS answered it, then the task
/// definition the service runs.
pub(crate) fn live(
    aws: &AwsSettings,
    cluster: &str,
    name: &str,
    deployment_timeout: u32,
) -> Result<CheckedService, CliError> {
    let spec = format!("{cluster}/{name}");
    let place = spec.as_str();
    aws.run(|sdk_config| async move {
        let client = deploykit_aws::ecs::client(&sdk_config);
        let answer = deploykit_aws::ecs::describe_service(&client, cluster, name).await?;
        let report = check(&answer, place, deployment_timeout)?;
        let Some(task_definition) = &report.task_definition else {
            return Err(CliError::new(format!(
                "service `{name}` in cluster `{cluster}` names no task definition"
            ))
            .at(place));
        };
        let bytes = deploykit_aws::ecs::describe_task_definition(&client, task_definition).await?;
        let (document, _) = read(&bytes, SourceFormat::Json)
            .map_err(|findings| CliError::from_finding(first_error(&findings), place))?;
        Ok(CheckedService {
            place: place.to_owned(),
            report,
            task_definition: Some(document),
        })
    })
}

fn check(bytes: &[u8], shown: &str, deployment_timeout: u32) -> Result<ServiceReport, CliError> {
    let document: Value = serde_json::from_slice(bytes).map_err(|error| {
        CliError::new(format!("`{shown}` is not JSON: {error}")).help(
            "give the output of `aws ecs describe-services --cluster CLUSTER --services SERVICE`",
        )
    })?;
    service::check(&document, deployment_timeout)
        .map_err(|finding| CliError::from_finding(&finding, shown))
}

/// `--taskdef FILE`: the service's task definition (register input or describe output), as
/// register input.
pub(crate) fn taskdef(path: &Path) -> Result<Value, CliError> {
    let shown = path.display().to_string();
    if !crate::inputs::is_file(path) {
        return Err(CliError::new(format!("cannot read `{shown}`: no such file")).at("--taskdef"));
    }
    let bytes = input::read(path, Limit::DEPLOY_FILE)?;
    let (document, _) = read(&bytes, SourceFormat::from_file_name(&shown))
        .map_err(|findings| CliError::from_finding(first_error(&findings), &shown))?;
    Ok(document)
}

/// The error among `findings` of a failed read, or its first finding.
fn first_error(findings: &[Finding]) -> &Finding {
    findings
        .iter()
        .find(|f| f.is_error())
        .or(findings.first())
        .expect("read fails with a finding")
}
