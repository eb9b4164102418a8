//! Where the images come from: `NAME=IMAGE` arguments, or the CodeBuild convention of
//! `CONTAINER_NAME`, `REPOSITORY_URI` and `IMAGE_TAG`.

use std::path::Path;

use deploykit_artifacts::ImageReference;
use deploykit_artifacts::image_files::definitions::ImageDefinition;
use deploykit_artifacts::image_reference::validate_tag;
use deploykit_artifacts::task_definition;
use deploykit_cli::codebuild::{self, RESOLVED_SOURCE_VERSION};
use deploykit_cli::{CliError, input};

/// One container-image pair and how to name its origin in messages.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) definition: ImageDefinition,
    pub(crate) origin: String,
}

/// The pairs from the arguments, or from the CodeBuild variables when there are none.
pub(crate) fn entries(pairs: &[String]) -> Result<Vec<Entry>, CliError> {
    if pairs.is_empty() {
        let name = codebuild::var("CONTAINER_NAME").ok_or_else(|| {
            CliError::new("no `NAME=IMAGE` pairs were given, and CONTAINER_NAME is not set")
                .help("give pairs such as `web=<repository>:<tag>`, or set CONTAINER_NAME, REPOSITORY_URI and IMAGE_TAG")
        })?;
        let image = image_from_environment()?;
        return Ok(vec![Entry {
            definition: ImageDefinition {
                name,
                image_uri: image,
            },
            origin: "CONTAINER_NAME, REPOSITORY_URI and IMAGE_TAG".to_owned(),
        }]);
    }
    pairs
        .iter()
        .map(|pair| {
            let (name, image) = pair.split_once('=').ok_or_else(|| {
                CliError::new(format!("`{pair}` is not a `NAME=IMAGE` pair"))
                    .help("name the container the image is for: `web=<repository>:<tag>`")
            })?;
            Ok(Entry {
                definition: ImageDefinition {
                    name: name.to_owned(),
                    image_uri: image.to_owned(),
                },
                origin: format!("argument `{pair}`"),
            })
        })
        .collect()
}

/// `REPOSITORY_URI:IMAGE_TAG`, where the tag falls back to the commit id and never to `latest`.
pub(crate) fn image_from_environment() -> Result<String, CliError> {
    let repository = codebuild::var("REPOSITORY_URI").ok_or_else(|| {
        CliError::new("REPOSITORY_URI is not set").help(
            "set REPOSITORY_URI to the image repository, such as `123456789012.dkr.ecr.eu-west-1.amazonaws.com/web`, or give the image",
        )
    })?;
    if let Ok(reference) = ImageReference::parse(&repository)
        && (reference.tag().is_some() || reference.digest().is_some())
    {
        return Err(CliError::new(format!(
            "REPOSITORY_URI `{repository}` already has a tag or digest"
        ))
        .help(format!(
            "set REPOSITORY_URI to `{}` and the tag in IMAGE_TAG",
            reference.name()
        )));
    }
    let (tag, from) = match codebuild::var("IMAGE_TAG") {
        Some(tag) => (tag, "IMAGE_TAG"),
        None => match codebuild::var(RESOLVED_SOURCE_VERSION) {
            Some(commit) => (commit, RESOLVED_SOURCE_VERSION),
            None => {
                return Err(CliError::new(format!("neither IMAGE_TAG nor {RESOLVED_SOURCE_VERSION} is set")).help(
                    "set IMAGE_TAG to the tag you pushed, such as the commit id; ecs-imagedefs never falls back to `latest`",
                ));
            }
        },
    };
    validate_tag(&tag).map_err(|error| {
        CliError::new(format!(
            "{from} `{tag}` is not a valid image tag: {}",
            error.reason()
        ))
        .help(
            "set IMAGE_TAG to the tag you pushed, such as the first 7 characters of the commit id",
        )
    })?;
    Ok(format!("{repository}:{tag}"))
}

/// The container names of the task definition in `path`.
pub(crate) fn containers(path: &Path) -> Result<Vec<String>, CliError> {
    let shown = path.display().to_string();
    let bytes = input::read(path)?;
    // Only the names are used, but names read from a definition ECS would refuse are no basis
    // for an image file.
    let document = task_definition::read_referenced(
        &bytes,
        task_definition::source::SourceFormat::from_file_name(&shown),
    )
    .map_err(|finding| CliError::from_finding(&finding, &shown))?;
    Ok(task_definition::edit::container_names(&document))
}
