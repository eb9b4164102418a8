//! Where task definitions and variable values come from: files, ECS and the environment.

use std::collections::HashMap;
use std::path::Path;

use deploykit_artifacts::Finding;
use deploykit_artifacts::task_definition::prune::short;
use deploykit_artifacts::task_definition::source::SourceFormat;
use deploykit_artifacts::variables::parse_dotenv;
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::{
    CliError,
    input::{self, Limit},
};

use crate::config::{Origin, Variables};

/// A task definition's bytes, their syntax and how to name them in messages.
pub(crate) struct Source {
    pub(crate) bytes: Vec<u8>,
    pub(crate) format: SourceFormat,
    pub(crate) name: String,
}

/// Reads the task definition at `origin`; the registered one comes with its tags.
pub(crate) fn read(origin: &Origin, aws: &AwsSettings) -> Result<Source, CliError> {
    match origin {
        Origin::File(path) => file(path),
        Origin::Ecs(task_definition) => {
            let bytes = aws.run(|config| async move {
                let client = deploykit_aws::ecs::client(&config);
                Ok(deploykit_aws::ecs::describe_task_definition(&client, task_definition).await?)
            })?;
            Ok(Source {
                bytes,
                format: SourceFormat::Json,
                name: format!("ECS task definition `{task_definition}`"),
            })
        }
        Origin::Service { cluster, service } => running(cluster, service, aws),
    }
}

/// The task definition of the service's PRIMARY deployment, the one it runs or rolls out, with
/// its tags.
fn running(cluster: &str, service: &str, aws: &AwsSettings) -> Result<Source, CliError> {
    let (arn, bytes) = aws.run(|config| async move {
        let client = deploykit_aws::ecs::client(&config);
        let deployments = deploykit_aws::ecs::deployments(&client, cluster, service).await?;
        let primary = deployments
            .into_iter()
            .find(|deployment| deployment.status == "PRIMARY")
            .ok_or_else(|| {
                CliError::new(format!(
                    "service `{service}` in cluster `{cluster}` has no deployment"
                ))
            })?;
        let arn = primary.task_definition;
        let bytes = deploykit_aws::ecs::describe_task_definition(&client, &arn).await?;
        Ok((arn, bytes))
    })?;
    Ok(Source {
        bytes,
        format: SourceFormat::Json,
        name: format!(
            "the task definition service `{cluster}/{service}` runs (`{}`)",
            short(&arn)
        ),
    })
}

/// A file: JSON, or YAML by extension.
pub(crate) fn file(path: &Path) -> Result<Source, CliError> {
    Ok(from_bytes(path, input::read(path, Limit::DEPLOY_FILE)?))
}

/// The file at `path`, already read.
pub(crate) fn from_bytes(path: &Path, bytes: Vec<u8>) -> Source {
    let name = path.display().to_string();
    let format = SourceFormat::from_file_name(&name);
    Source {
        bytes,
        format,
        name,
    }
}

/// Values for `${NAME}`: the environment, then each --vars-file, then --var; later wins.
pub(crate) fn variables(sources: &Variables) -> Result<HashMap<String, String>, CliError> {
    let mut values: HashMap<String, String> = if sources.from_environment {
        std::env::vars().collect()
    } else {
        HashMap::new()
    };
    for path in &sources.files {
        let bytes = input::read(path, Limit::DEPLOY_FILE)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| CliError::new(format!("`{}` is not UTF-8", path.display())))?;
        let pairs = parse_dotenv(&text).map_err(|error| {
            CliError::new(error.to_string())
                .at(path.display().to_string())
                .help(error.help())
        })?;
        values.extend(pairs);
    }
    values.extend(sources.values.iter().cloned());
    Ok(values)
}

/// Pairs each finding with the source it is in, for `refuse_errors`.
pub(crate) fn located(findings: Vec<Finding>, source: &str) -> Vec<(Finding, String)> {
    findings
        .into_iter()
        .map(|finding| (finding, source.to_owned()))
        .collect()
}
