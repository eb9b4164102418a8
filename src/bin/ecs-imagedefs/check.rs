//! `ecs-imagedefs check`: existing image files, read as the deploy actions read them.

use deploykit_artifacts::JsonPath;
use deploykit_artifacts::image_files::{ImageFileKind, definitions, detail};
use deploykit_cli::report::{self, FileReport};
use deploykit_cli::{CliError, Exit, input};

use crate::config::Check;
use crate::taskdef;

pub(crate) fn run(config: &Check) -> Result<Exit, CliError> {
    let policy = config.policy;
    let containers = config
        .taskdef
        .as_deref()
        .map(taskdef::containers)
        .transpose()?;
    let mut reports = Vec::with_capacity(config.files.len());
    for path in &config.files {
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = match input::read_checked(path)? {
            Ok(bytes) => bytes,
            Err(too_large) => {
                let kind = config
                    .kind
                    .unwrap_or_else(|| ImageFileKind::guess(&file_name, b""));
                let shown = path.display().to_string();
                reports.push(FileReport::new(shown, kind_name(kind), vec![too_large]));
                continue;
            }
        };
        let kind = config
            .kind
            .unwrap_or_else(|| ImageFileKind::guess(&file_name, &bytes));
        let findings = match kind {
            ImageFileKind::ImageDefinitions => {
                let checked = definitions::check(&bytes, policy);
                let mut findings = checked.findings;
                if let (Some(containers), Some(list)) = (&containers, &checked.value) {
                    findings.extend(
                        definitions::check_against_containers(list, containers)
                            .into_iter()
                            .map(|(index, finding)| {
                                finding.at(JsonPath::root().index(index).key("name"))
                            }),
                    );
                }
                findings
            }
            ImageFileKind::ImageDetail => detail::check(&bytes, Some(&file_name), policy).findings,
        };
        reports.push(
            FileReport::new(path.display().to_string(), kind_name(kind), findings)
                .with_text(&bytes),
        );
    }
    report::print("ecs-imagedefs", &reports, config.format, &config.reports)
}

/// What the reports call a file checked as `kind`.
fn kind_name(kind: ImageFileKind) -> &'static str {
    match kind {
        ImageFileKind::ImageDefinitions => "image-definitions",
        ImageFileKind::ImageDetail => "image-detail",
    }
}
