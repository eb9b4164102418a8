//! `ecs-taskdef render`: the source read, rendered and checked whole, then written or
//! compared.

use std::path::PathBuf;

use deploykit_artifacts::task_definition::diff::unified_diff;
use deploykit_artifacts::task_definition::edit::container_names;
use deploykit_artifacts::task_definition::render::{
    ImageSlot, RenderRequest, Rendered, read, render_document,
};
use deploykit_artifacts::task_definition::source::{self, SourceFormat};
use deploykit_cli::report::{refusal, refuse_errors};
use deploykit_cli::{
    CliError, Exit, Output, Plan,
    input::{self, Limit},
};

use crate::config::{Destination, Origin, Render};
use crate::sources::{self, located};

pub(crate) fn run(config: &Render) -> Result<Exit, CliError> {
    if let Destination::Write(path) = &config.destination {
        let template = match &config.origin {
            Origin::File(path) => Some(path.as_path()),
            Origin::Ecs(_) | Origin::Service { .. } => None,
        };
        let variables = config.variables.files.iter().map(PathBuf::as_path);
        Output::from_arg(path).refuse_inputs("-o", template.into_iter().chain(variables))?;
    }
    let source = sources::read(&config.origin, &config.aws)?;
    let variables = sources::variables(&config.variables)?;
    let destination = match &config.destination {
        Destination::Compare(path) => path.display().to_string(),
        Destination::Write(path) => Output::from_arg(path).describe(),
    };
    let (document, findings) = read(&source.bytes, source.format)
        .map_err(|findings| refusal(&located(findings, &source.name), &destination))?;
    let edits = config.edits.resolve(&container_names(&document))?;
    let request = RenderRequest {
        source: &source.bytes,
        format: source.format,
        variables: &variables,
        edits: &edits,
        sets: &config.sets,
        options: config.options,
    };
    let rendered = render_document(document, findings, &request)
        .map_err(|findings| refusal(&located(findings, &source.name), &destination))?;
    refuse_errors(
        &located(rendered.findings.clone(), &source.name),
        &destination,
    )?;
    match &config.destination {
        Destination::Compare(path) => compare(&rendered, path),
        Destination::Write(path) => {
            let mut plan = Plan::new();
            plan.write(
                Output::from_arg(path),
                rendered.bytes,
                format!("from {}", source.name),
            );
            plan.execute()?;
            print_slots(&rendered.slots);
            Ok(Exit::Clean)
        }
    }
}

/// The `Image<N>ContainerName` settings the Blue/Green action needs for the placeholders.
fn print_slots(slots: &[ImageSlot]) {
    for slot in slots {
        deploykit_cli::say(format_args!(
            "{}: {} (container `{}`)",
            slot.slot.container_setting(),
            slot.placeholder,
            slot.container
        ));
    }
}

fn compare(rendered: &Rendered, path: &std::path::Path) -> Result<Exit, CliError> {
    let shown = path.display().to_string();
    let bytes = input::read(path, Limit::DEPLOY_FILE)?;
    let (on_disk, _) =
        source::parse(&bytes, SourceFormat::from_file_name(&shown)).map_err(|finding| {
            CliError::from_finding(&finding, &shown).help("render it again without --check")
        })?;
    match unified_diff(&on_disk, &rendered.document, &shown, "rendered") {
        None => {
            deploykit_cli::say(format_args!("{shown} is up to date"));
            Ok(Exit::Clean)
        }
        Some(diff) => {
            Output::Stdout.write(diff.as_bytes())?;
            Err(CliError::refused(format!("`{shown}` is out of date"))
                .help(format!("render it again: ecs-taskdef render … -o {shown}")))
        }
    }
}
