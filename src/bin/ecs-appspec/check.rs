//! `ecs-appspec check`: AppSpec files, read as CodeDeploy and AWS's clients read them.

use deploykit_artifacts::appspec;
use deploykit_cli::report::{self, FileReport};
use deploykit_cli::{CliError, Exit, input};

use crate::config::Check;
use crate::taskdef;

pub(crate) fn run(config: &Check) -> Result<Exit, CliError> {
    let containers = config
        .taskdef
        .as_deref()
        .map(taskdef::containers)
        .transpose()?;
    let mut reports = Vec::with_capacity(config.files.len());
    for path in &config.files {
        let bytes = match input::read_checked(path)? {
            Ok(bytes) => bytes,
            Err(too_large) => {
                let report =
                    FileReport::new(path.display().to_string(), "appspec", vec![too_large]);
                reports.push(report);
                continue;
            }
        };
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        let checked = appspec::check(&bytes, file_name.as_deref(), containers.as_ref());
        reports.push(
            FileReport::new(path.display().to_string(), "appspec", checked.findings)
                .with_text(&bytes),
        );
    }
    report::print("ecs-appspec", &reports, config.format, &config.reports)
}
