//! Where task definitions and variable values come from.

use std::collections::HashMap;
use std::path::Path;

use deploykit_artifacts::Finding;
use deploykit_artifacts::secrets::redact_assignment;
use deploykit_artifacts::task_definition::source::SourceFormat;
use deploykit_artifacts::variables::parse_dotenv;
use deploykit_cli::{CliError, input};

use crate::VariableArgs;

/// A task definition's bytes, their syntax and how to name them in messages.
pub(crate) struct Source {
    pub(crate) bytes: Vec<u8>,
    pub(crate) format: SourceFormat,
    pub(crate) name: String,
}

/// A file.
pub(crate) fn file(path: &Path) -> Result<Source, CliError> {
    let name = path.display().to_string();
    let format = SourceFormat::from_file_name(&name);
    Ok(Source {
        bytes: input::read(path)?,
        format,
        name,
    })
}

/// The registered definition: a family, `family:revision` or an ARN, with its tags.
pub(crate) fn ecs(task_definition: &str) -> Result<Source, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| CliError::new(format!("cannot start the AWS client: {error}")))?;
    let bytes = runtime.block_on(async {
        let config = deploykit_aws::config::try_load().await?;
        let client = deploykit_aws::ecs::client(&config);
        deploykit_aws::ecs::describe_task_definition(&client, task_definition).await
    });
    let bytes = bytes.map_err(|error| {
        let cli_error = CliError::new(error.what()).at(error.location());
        match error.help() {
            Some(help) => cli_error.help(help),
            None => cli_error,
        }
    })?;
    Ok(Source {
        bytes,
        format: SourceFormat::Json,
        name: format!("ECS task definition `{task_definition}`"),
    })
}

/// A side of `diff`: `ecs:FAMILY[:REVISION]` or an ARN is fetched, anything else is a file.
pub(crate) fn file_or_ecs(spec: &str) -> Result<Source, CliError> {
    if let Some(task_definition) = spec.strip_prefix("ecs:") {
        ecs(task_definition)
    } else if spec.starts_with("arn:") {
        ecs(spec)
    } else {
        file(Path::new(spec))
    }
}

/// Values for `${NAME}`: the environment, then each --vars-file, then --var; later wins.
pub(crate) fn variables(args: &VariableArgs) -> Result<HashMap<String, String>, CliError> {
    let mut values: HashMap<String, String> = if args.no_env_vars {
        HashMap::new()
    } else {
        std::env::vars().collect()
    };
    for path in &args.vars_file {
        let bytes = input::read(path)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| CliError::new(format!("`{}` is not UTF-8", path.display())))?;
        let pairs = parse_dotenv(&text).map_err(|error| {
            CliError::new(error.to_string())
                .at(path.display().to_string())
                .help(error.help())
        })?;
        values.extend(pairs);
    }
    for pair in &args.vars {
        let (name, value) = pair
            .split_once('=')
            .filter(|(name, _)| !name.is_empty())
            .ok_or_else(|| {
                CliError::new(format!(
                    "`--var {}` is not `NAME=VALUE`",
                    redact_assignment(pair)
                ))
                .help("write `--var NAME=VALUE`")
            })?;
        values.insert(name.to_owned(), value.to_owned());
    }
    Ok(values)
}

/// Pairs each finding with the source it is in, for `refuse_errors`.
pub(crate) fn located(findings: Vec<Finding>, source: &str) -> Vec<(Finding, String)> {
    findings
        .into_iter()
        .map(|finding| (finding, source.to_owned()))
        .collect()
}
