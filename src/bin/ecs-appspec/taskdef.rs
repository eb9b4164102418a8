//! The task definition given with `--taskdef`.

use std::path::Path;

use deploykit_artifacts::appspec::TaskContainers;
use deploykit_artifacts::task_definition::read_referenced;
use deploykit_artifacts::task_definition::source::SourceFormat;
use deploykit_cli::{
    CliError,
    input::{self, Limit},
};

/// The containers and ports of the task definition in `path`: register input or describe
/// output, JSON or (by extension) YAML. A file that cannot be read, has the wrong shape, or
/// maps a port no load balancer can route to cannot say where the `AppSpec` points, so it is
/// an error naming the file and the place in it; its other findings are `ecs-taskdef check`'s.
pub(crate) fn containers(path: &Path) -> Result<TaskContainers, CliError> {
    let shown = path.display().to_string();
    let bytes = input::read(path, Limit::DEPLOY_FILE)?;
    let document = read_referenced(&bytes, SourceFormat::from_file_name(&shown))
        .map_err(|finding| CliError::from_finding(&finding, &shown))?;
    if let Some(finding) = TaskContainers::port_fault(&document) {
        return Err(CliError::from_finding(&finding, &shown));
    }
    Ok(TaskContainers::from_task_definition(&document))
}
