//! `ecs-imagedefs check`: existing image files, read as the deploy actions read them.

use deploykit_artifacts::image_files::{ImageFileKind, definitions, detail};
use deploykit_artifacts::{JsonPath, TagPolicy};
use deploykit_cli::report::{self, FileReport};
use deploykit_cli::{CliError, Exit, input};

use crate::CheckArgs;
use crate::source;

/// `--kind`
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Kind {
    /// imagedefinitions.json, for the ECS (rolling) action.
    ImageDefinitions,
    /// imageDetail.json, for the ECS Blue/Green (CodeDeployToECS) action.
    ImageDetail,
}

pub(crate) fn run(args: &CheckArgs) -> Result<Exit, CliError> {
    let policy = TagPolicy {
        allow_mutable_tags: args.allow_mutable_tag,
    };
    let containers = args
        .taskdef
        .as_deref()
        .map(source::containers)
        .transpose()?;
    let mut reports = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let bytes = input::read(path)?;
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let kind = match args.kind {
            Some(Kind::ImageDefinitions) => ImageFileKind::ImageDefinitions,
            Some(Kind::ImageDetail) => ImageFileKind::ImageDetail,
            None => ImageFileKind::guess(&file_name, &bytes),
        };
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
        reports.push(FileReport {
            path: path.display().to_string(),
            kind: Some(kind_name.to_owned()),
            findings,
        });
    }
    report::print("ecs-imagedefs", &reports, args.format)
}
