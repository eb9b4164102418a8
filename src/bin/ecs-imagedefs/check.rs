//! `ecs-imagedefs check`: existing image files, read as the deploy actions read them.

use deploykit_artifacts::JsonPath;
use deploykit_artifacts::image_files::{ImageFileKind, definitions, detail};
use deploykit_cli::report::{self, FileReport};
use deploykit_cli::{
    CliError, Exit,
    input::{self, Limit},
};

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
        let bytes = input::read(path, Limit::DEPLOY_FILE)?;
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
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
        let kind_name = match kind {
            ImageFileKind::ImageDefinitions => "image-definitions",
            ImageFileKind::ImageDetail => "image-detail",
        };
        reports.push(
            FileReport::new(path.display().to_string(), kind_name, findings).with_text(&bytes),
        );
    }
    report::print("ecs-imagedefs", &reports, config.format, &config.reports)
}
