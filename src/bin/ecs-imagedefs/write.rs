//! Writing imagedefinitions.json or imageDetail.json.

use std::path::Path;

use deploykit_artifacts::actions::blue_green::IMAGE_DETAIL;
use deploykit_artifacts::actions::ecs::MAX_IMAGE_DEFINITIONS_BYTES;
use deploykit_artifacts::image_files::definitions::{self, ImageDefinition};
use deploykit_artifacts::image_files::detail::{self, ImageDetail};
use deploykit_artifacts::{Digest, Finding, ImageReference, TagPolicy};
use deploykit_cli::report::refuse_errors;
use deploykit_cli::{CliError, Exit, Output};

use crate::WriteArgs;
use crate::source;

pub(crate) fn run(args: &WriteArgs) -> Result<Exit, CliError> {
    let policy = TagPolicy {
        allow_mutable_tags: args.allow_mutable_tag,
    };
    let digest = args.digest.as_deref().map(parse_digest).transpose()?;
    match &args.image_detail {
        Some(image) => write_detail(image, digest, policy, args.output.as_deref()),
        None => write_definitions(args, digest, policy),
    }
}

fn parse_digest(text: &str) -> Result<Digest<'_>, CliError> {
    Digest::parse(text).map_err(|error| {
        let cli_error =
            CliError::new(format!("`{text}` is not a digest: {}", error.reason())).at("--digest");
        match error.help() {
            Some(help) => cli_error.help(help),
            None => cli_error,
        }
    })
}

fn write_definitions(
    args: &WriteArgs,
    digest: Option<Digest<'_>>,
    policy: TagPolicy,
) -> Result<Exit, CliError> {
    let mut entries = source::entries(&args.pairs)?;
    let containers = args
        .taskdef
        .as_deref()
        .map(source::containers)
        .transpose()?;
    if let Some(digest) = digest {
        let [entry] = entries.as_mut_slice() else {
            return Err(
                CliError::new("--digest pins one image, and several were given")
                    .help("write each image as `name=<repository>@sha256:…` instead"),
            );
        };
        entry.definition.image_uri = pin(&entry.definition.image_uri, digest, &entry.origin)?;
    }

    let mut problems: Vec<(Finding, String)> = Vec::new();
    for entry in &entries {
        // The origin names the argument, which says more than the field name would.
        let findings = definitions::check_definition(&entry.definition, policy);
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
    if let (Some(containers), Some(taskdef)) = (&containers, &args.taskdef) {
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
    let output = Output::from_arg(
        args.output
            .as_deref()
            .unwrap_or(Path::new("imagedefinitions.json")),
    );
    refuse_errors(&problems, &output.describe())?;
    output.write(&bytes)?;
    let names: Vec<&str> = entries
        .iter()
        .map(|entry| entry.definition.name.as_str())
        .collect();
    output.announce(&format!("for {}", names.join(", ")));
    Ok(Exit::Clean)
}

fn write_detail(
    image: &str,
    digest: Option<Digest<'_>>,
    policy: TagPolicy,
    output: Option<&Path>,
) -> Result<Exit, CliError> {
    let (image, origin) = if image.is_empty() {
        (
            source::image_from_environment()?,
            "REPOSITORY_URI and IMAGE_TAG".to_owned(),
        )
    } else {
        (image.to_owned(), format!("--image-detail `{image}`"))
    };
    let reference = ImageReference::parse(&image).map_err(|error| {
        let cli_error = CliError::new(error.to_string()).at(origin.clone());
        match error.help() {
            Some(help) => cli_error.help(help),
            None => cli_error,
        }
    })?;
    let detail = ImageDetail::from_reference(&reference, digest).map_err(|error| {
        CliError::new(error.to_string())
            .at("--digest")
            .help("drop --digest, or the digest in the image")
    })?;
    let bytes = detail.render();
    let output = Output::from_arg(output.unwrap_or(Path::new(IMAGE_DETAIL)));
    let file_name = match &output {
        Output::File(path) => path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned()),
        Output::Stdout => None,
    };
    let checked = detail::check(&bytes, file_name.as_deref(), policy);
    let problems: Vec<(Finding, String)> = checked
        .findings
        .into_iter()
        .map(|f| (f, origin.clone()))
        .collect();
    refuse_errors(&problems, &output.describe())?;
    output.write(&bytes)?;
    output.announce(&format!("with {}", detail.image_uri));
    Ok(Exit::Clean)
}

fn pin(image: &str, digest: Digest<'_>, origin: &str) -> Result<String, CliError> {
    let reference = ImageReference::parse(image)
        .map_err(|error| CliError::new(error.to_string()).at(origin.to_owned()))?;
    let detail = ImageDetail::from_reference(&reference, Some(digest))
        .map_err(|error| CliError::new(error.to_string()).at(origin.to_owned()))?;
    Ok(detail.image_uri)
}
