//! `start`: a new execution with V2 pipeline variables and source revision overrides.

use clap::Args;
use deploykit_aws::codepipeline::{self, SourceOverride};
use deploykit_cli::{CliError, Exit, Output};

use crate::AwsArgs;
use crate::remote::{self, cli_error};

#[derive(Debug, Args)]
pub(crate) struct StartArgs {
    /// The pipeline name.
    #[arg(long, value_name = "NAME")]
    pipeline: String,

    /// A pipeline-level variable (V2 pipelines). Repeatable.
    #[arg(long = "variable", value_name = "NAME=VALUE")]
    variables: Vec<String>,

    /// Run a source action at this revision: a commit id, `sha256:…` image digest, or
    /// `S3_OBJECT_VERSION_ID:…` / `S3_OBJECT_KEY:…`. Repeatable.
    #[arg(long = "source-revision", value_name = "ACTION=REVISION")]
    source_revisions: Vec<String>,
}

/// The revision types `StartPipelineExecution` takes (CodePipeline API reference,
/// `SourceRevisionOverride`).
const KINDS: [&str; 4] = [
    "COMMIT_ID",
    "IMAGE_DIGEST",
    "S3_OBJECT_VERSION_ID",
    "S3_OBJECT_KEY",
];

pub(crate) fn run(aws: &AwsArgs, args: &StartArgs) -> Result<Exit, CliError> {
    let variables = args
        .variables
        .iter()
        .map(|pair| split("--variable", pair, "NAME=VALUE"))
        .collect::<Result<Vec<_>, _>>()?;
    let overrides = args
        .source_revisions
        .iter()
        .map(|pair| source_override(pair))
        .collect::<Result<Vec<_>, _>>()?;
    let id = remote::run(aws, |remote| async move {
        codepipeline::start(&remote.client, &args.pipeline, &variables, &overrides)
            .await
            .map_err(cli_error)
    })?;
    Output::Stdout.write(format!("{id}\n").as_bytes())?;
    Ok(Exit::Clean)
}

fn split(flag: &str, pair: &str, shape: &str) -> Result<(String, String), CliError> {
    pair.split_once('=')
        .filter(|(name, value)| !name.is_empty() && !value.is_empty())
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .ok_or_else(|| {
            CliError::new(format!("`{flag} {pair}` is not `{shape}`"))
                .help(format!("write `{flag} {shape}`"))
        })
}

/// `ACTION=REVISION`, the type taken from an explicit `TYPE:` prefix or from the value's shape.
fn source_override(pair: &str) -> Result<SourceOverride, CliError> {
    let (action, revision) = split("--source-revision", pair, "ACTION=REVISION")?;
    let explicit = KINDS.iter().find_map(|kind| {
        revision
            .strip_prefix(kind)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(|value| (*kind, value))
    });
    let (kind, value) = match explicit {
        Some((kind, value)) => (kind, value.to_owned()),
        None if revision.starts_with("sha256:") => ("IMAGE_DIGEST", revision),
        None => ("COMMIT_ID", revision),
    };
    Ok(SourceOverride {
        action,
        kind: kind.to_owned(),
        value,
    })
}
