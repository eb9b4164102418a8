//! The task definition given with `--taskdef`.

use std::path::Path;

use deploykit_artifacts::appspec::TaskContainers;
use deploykit_artifacts::task_definition::render::read;
use deploykit_artifacts::task_definition::source::SourceFormat;
use deploykit_cli::{CliError, input};

/// The containers and ports of the task definition in `path`: register input or describe
/// output, JSON or (by extension) YAML, read as `ecs-taskdef` reads it. Its own findings are
/// `ecs-taskdef check`'s business; only a file that cannot be read at all is an error here.
pub(crate) fn containers(path: &Path) -> Result<TaskContainers, CliError> {
    let shown = path.display().to_string();
    let bytes = input::read(path)?;
    let (document, _) = read(&bytes, SourceFormat::from_file_name(&shown)).map_err(|findings| {
        findings
            .iter()
            .find(|finding| finding.is_error())
            .or(findings.first())
            .map_or_else(
                || CliError::new(format!("cannot read the task definition `{shown}`")),
                |finding| CliError::from_finding(finding, &shown),
            )
    })?;
    if document.get("containerDefinitions").is_none() {
        return Err(CliError::new(format!(
            "`{shown}` is not a task definition: it has no `containerDefinitions`"
        ))
        .help("give a RegisterTaskDefinition input or the output of `aws ecs describe-task-definition`"));
    }
    Ok(TaskContainers::from_task_definition(&document))
}
