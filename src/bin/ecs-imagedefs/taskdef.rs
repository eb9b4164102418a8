//! The task definition given with `--taskdef`.

use std::path::Path;

use deploykit_artifacts::task_definition;
use deploykit_cli::{
    CliError,
    input::{self, Limit},
};

/// The container names of the task definition in `path`.
pub(crate) fn containers(path: &Path) -> Result<Vec<String>, CliError> {
    let shown = path.display().to_string();
    let bytes = input::read(path, Limit::DEPLOY_FILE)?;
    // Only the names are used, but names read from a definition ECS would refuse are no basis
    // for an image file.
    let document = task_definition::read_referenced(
        &bytes,
        task_definition::source::SourceFormat::from_file_name(&shown),
    )
    .map_err(|finding| CliError::from_finding(&finding, &shown))?;
    Ok(task_definition::edit::container_names(&document))
}
