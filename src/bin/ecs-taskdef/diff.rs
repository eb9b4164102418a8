//! `ecs-taskdef diff OLD NEW`: exit 0 when ECS would see the same definition, 1 when not.

use deploykit_artifacts::task_definition::diff::unified_diff;
use deploykit_artifacts::task_definition::render::read;
use deploykit_cli::{CliError, Exit, Output};

use crate::DiffArgs;
use crate::sources;

pub(crate) fn run(args: &DiffArgs) -> Result<Exit, CliError> {
    let old = load(&args.old)?;
    let new = load(&args.new)?;
    match unified_diff(&old, &new, &args.old, &args.new) {
        None => Ok(Exit::Clean),
        Some(diff) => {
            Output::Stdout.write(diff.as_bytes())?;
            Ok(Exit::Findings)
        }
    }
}

/// Both sides are compared as register input: describe-only members are not differences.
fn load(spec: &str) -> Result<serde_json::Value, CliError> {
    let source = sources::file_or_ecs(spec)?;
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
