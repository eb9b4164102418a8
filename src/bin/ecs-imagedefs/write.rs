//! Writing imagedefinitions.json or imageDetail.json: the file rendered and checked whole,
//! then written, or nothing.

use deploykit_artifacts::Finding;
use deploykit_artifacts::actions::ecs::MAX_IMAGE_DEFINITIONS_BYTES;
use deploykit_artifacts::image_files::definitions::{self, ImageDefinition};
use deploykit_artifacts::image_files::detail;
use deploykit_cli::report::refuse_errors;
use deploykit_cli::{CliError, Exit, Output, Plan};

use crate::config::{Definitions, Detail};
use crate::taskdef;

pub(crate) fn definitions(config: &Definitions) -> Result<Exit, CliError> {
    Output::from_arg(&config.output).refuse_inputs("-o", config.taskdef.as_deref())?;
    let containers = config
        .taskdef
        .as_deref()
        .map(taskdef::containers)
        .transpose()?;
    let entries = &config.entries;
    let mut problems: Vec<(Finding, String)> = Vec::new();
    for entry in entries {
        // The origin names the argument, which says more than the field name would.
        let findings = definitions::check_definition(&entry.definition, config.policy);
        problems.extend(findings.into_iter().map(|f| {
            (
                Finding {
                    location: None,
                    ..f
                },
                entry.origin.clone(),
            )
        }));
    }
    let list: Vec<ImageDefinition> = entries
        .iter()
        .map(|entry| entry.definition.clone())
        .collect();
    let mut located = definitions::check_unique_names(&list);
    if let (Some(containers), Some(taskdef)) = (&containers, &config.taskdef) {
        located.extend(
            definitions::check_against_containers(&list, containers)
                .into_iter()
                .map(|(index, finding)| (index, finding.at_place(taskdef.display().to_string()))),
        );
    }
    problems.extend(
        located
            .into_iter()
            .map(|(index, finding)| (finding, entries[index].origin.clone())),
    );

    let bytes = definitions::render(&list);
    if bytes.len() > MAX_IMAGE_DEFINITIONS_BYTES {
        problems.push((
            Finding::error(
                "too-large",
                format!(
                    "the file would be {} bytes; the ECS action reads at most {}",
                    bytes.len(),
                    MAX_IMAGE_DEFINITIONS_BYTES
                ),
            ),
            "the arguments".to_owned(),
        ));
    }
    let output = Output::from_arg(&config.output);
    refuse_errors(&problems, &output.describe())?;
    let names: Vec<&str> = entries
        .iter()
        .map(|entry| entry.definition.name.as_str())
        .collect();
    let mut plan = Plan::new();
    plan.write(output, bytes, format!("for {}", names.join(", ")));
    plan.execute()?;
    Ok(Exit::Clean)
}

pub(crate) fn detail(config: &Detail) -> Result<Exit, CliError> {
    let bytes = config.image.render();
    let output = Output::from_arg(&config.output);
    let file_name = match &output {
        Output::File(path) => path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned()),
        Output::Stdout => None,
    };
    let checked = detail::check(&bytes, file_name.as_deref(), config.policy);
    let problems: Vec<(Finding, String)> = checked
        .findings
        .into_iter()
        .map(|f| (f, config.origin.clone()))
        .collect();
    refuse_errors(&problems, &output.describe())?;
    let mut plan = Plan::new();
    plan.write(output, bytes, format!("with {}", config.image.image_uri));
    plan.execute()?;
    Ok(Exit::Clean)
}
