//! `ecs-taskdef diff OLD NEW`: exit 0 when ECS would see the same definition, 1 when not.

use deploykit_artifacts::task_definition::diff::unified_diff;
use deploykit_artifacts::task_definition::render::read;
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::{CliError, Exit, Output};

use crate::config::{Diff, Origin};
use crate::sources;

pub(crate) fn run(config: &Diff) -> Result<Exit, CliError> {
    let (old_name, old) = &config.old;
    let (new_name, new) = &config.new;
    let old = load(old, &config.aws)?;
    let new = load(new, &config.aws)?;
    match unified_diff(&old, &new, old_name, new_name) {
        None => Ok(Exit::Clean),
        Some(diff) => {
            Output::Stdout.write(diff.as_bytes())?;
            Ok(Exit::Findings)
        }
    }
}

/// Both sides are compared as register input: describe-only members are not differences.
fn load(origin: &Origin, aws: &AwsSettings) -> Result<serde_json::Value, CliError> {
    let source = sources::read(origin, aws)?;
    let (document, _) = read(&source.bytes, source.format).map_err(|findings| {
        let first = findings
            .iter()
            .find(|f| f.is_error())
            .or(findings.first())
            .expect("read fails with a finding");
        CliError::from_finding(first, &source.name)
    })?;
    Ok(document)
}
