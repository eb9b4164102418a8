//! `ecs-taskdef render`.

use deploykit_artifacts::TagPolicy;
use deploykit_artifacts::secrets::redact_assignment;
use deploykit_artifacts::task_definition::diff::unified_diff;
use deploykit_artifacts::task_definition::edit::container_names;
use deploykit_artifacts::task_definition::render::{
    RenderRequest, Rendered, read, render_document,
};
use deploykit_artifacts::task_definition::rules::RuleOptions;
use deploykit_artifacts::task_definition::source::{self, SourceFormat};
use deploykit_cli::report::{refusal, refuse_errors};
use deploykit_cli::{CliError, Exit, Output, input};

use crate::RenderArgs;
use crate::sources::{self, located};

pub(crate) fn run(args: &RenderArgs) -> Result<Exit, CliError> {
    let source = match (&args.template, &args.from_ecs) {
        (Some(path), _) => sources::file(path)?,
        (None, Some(task_definition)) => sources::ecs(task_definition)?,
        (None, None) => return Err(CliError::new("give a TEMPLATE file or --from-ecs")),
    };
    let variables = sources::variables(&args.variables)?;
    let sets = args
        .edits
        .sets
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(p, v)| (p.to_owned(), v.to_owned()))
                .ok_or_else(|| {
                    CliError::new(format!(
                        "`--set {}` is not `/POINTER=VALUE`",
                        redact_assignment(pair)
                    ))
                    .help("write `--set /containerDefinitions/0/cpu=256`")
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let destination = match &args.check {
        Some(path) => path.display().to_string(),
        None => Output::from_arg(&args.output).describe(),
    };
    let (document, findings) = read(&source.bytes, source.format)
        .map_err(|findings| refusal(&located(findings, &source.name), &destination))?;
    let edits = args.edits.build(&container_names(&document))?;
    let request = RenderRequest {
        source: &source.bytes,
        format: source.format,
        variables: &variables,
        edits: &edits,
        sets: &sets,
        options: RuleOptions {
            policy: TagPolicy {
                allow_mutable_tags: args.allow_mutable_tag,
            },
            allow_placeholders: !args.no_placeholders,
        },
    };
    let rendered = render_document(document, findings, &request)
        .map_err(|findings| refusal(&located(findings, &source.name), &destination))?;
    refuse_errors(
        &located(rendered.findings.clone(), &source.name),
        &destination,
    )?;
    if let Some(path) = &args.check {
        return compare(&rendered, path);
    }
    let output = Output::from_arg(&args.output);
    output.write(&rendered.bytes)?;
    output.announce(&format!("from {}", source.name));
    print_slots(&rendered);
    Ok(Exit::Clean)
}

/// The `Image<N>ContainerName` settings the Blue/Green action needs for the placeholders.
fn print_slots(rendered: &Rendered) {
    for slot in &rendered.slots {
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
    let bytes = input::read(path)?;
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
