//! The ECS action's target service: from a `describe-services` file or read live, its
//! deployment strategy checked, and the container names of the task definition it runs.

use std::path::Path;

use deploykit_artifacts::task_definition::edit::container_names;
use deploykit_artifacts::task_definition::render::read;
use deploykit_artifacts::task_definition::source::SourceFormat;
use deploykit_artifacts::verify::service::{self, ServiceReport};
use deploykit_cli::{CliError, input};
use serde_json::Value;

use crate::verify::{aws_error, first_error, runtime};

/// A checked service and the place its findings are reported under.
pub(crate) struct CheckedService {
    /// The file as the user named it, or `CLUSTER/SERVICE`.
    pub(crate) place: String,
    pub(crate) report: ServiceReport,
    /// The containers of its task definition, when read live.
    pub(crate) containers: Option<Vec<String>>,
}

/// `--service-json FILE`.
pub(crate) fn from_file(path: &Path, deployment_timeout: u32) -> Result<CheckedService, CliError> {
    let place = path.display().to_string();
    let report = check(&input::read(path)?, &place, deployment_timeout)?;
    Ok(CheckedService {
        place,
        report,
        containers: None,
    })
}

/// `--from-ecs CLUSTER/SERVICE`: `DescribeServices` as ECS answered it, then the task
/// definition the service runs.
pub(crate) fn live(spec: &str, deployment_timeout: u32) -> Result<CheckedService, CliError> {
    let (cluster, name) = spec
        .split_once('/')
        .filter(|(c, s)| !c.is_empty() && !s.is_empty())
        .ok_or_else(|| {
            CliError::new(format!("`--from-ecs {spec}` is not `CLUSTER/SERVICE`"))
                .help("write `--from-ecs main/web-service`")
        })?;
    let runtime = runtime()?;
    let config = runtime.block_on(deploykit_aws::config::try_load());
    let client = deploykit_aws::ecs::client(&config.map_err(|error| aws_error(&error))?);
    let answer = runtime
        .block_on(deploykit_aws::ecs::describe_service(&client, cluster, name))
        .map_err(|error| aws_error(&error))?;
    let report = check(&answer, spec, deployment_timeout)?;
    let Some(task_definition) = &report.task_definition else {
        return Err(CliError::new(format!(
            "service `{name}` in cluster `{cluster}` names no task definition"
        ))
        .at(spec));
    };
    let bytes = runtime
        .block_on(deploykit_aws::ecs::describe_task_definition(
            &client,
            task_definition,
        ))
        .map_err(|error| aws_error(&error))?;
    let (document, _) = read(&bytes, SourceFormat::Json)
        .map_err(|findings| CliError::from_finding(first_error(&findings), spec))?;
    Ok(CheckedService {
        place: spec.to_owned(),
        report,
        containers: Some(container_names(&document)),
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
