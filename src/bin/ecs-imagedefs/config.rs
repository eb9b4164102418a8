//! The checked configuration: every flag parsed, every pair split, the CodeBuild convention
//! applied, before any file is read.

use std::path::PathBuf;

use deploykit_artifacts::actions::blue_green::IMAGE_DETAIL;
use deploykit_artifacts::actions::ecs::IMAGE_DEFINITIONS;
use deploykit_artifacts::image_files::ImageFileKind;
use deploykit_artifacts::image_files::definitions::ImageDefinition;
use deploykit_artifacts::image_files::detail::ImageDetail;
use deploykit_artifacts::image_reference::validate_tag;
use deploykit_artifacts::{Digest, ImageReference, TagPolicy, shown};
use deploykit_cli::CliError;
use deploykit_cli::codebuild::RESOLVED_SOURCE_VERSION;
use deploykit_cli::report::{Format, ReportFile};

use crate::{BuildArgs, CheckArgs, Cli, Command, Kind, WriteArgs};

/// What to do.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Config {
    /// Write imagedefinitions.json.
    Definitions(Definitions),
    /// Write imageDetail.json.
    Detail(Detail),
    /// Check existing files.
    Check(Check),
}

/// One container-image pair and how to name its origin in messages.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) definition: ImageDefinition,
    pub(crate) origin: String,
}

/// imagedefinitions.json: the pairs, pinned when `--digest` was given.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Definitions {
    pub(crate) entries: Vec<Entry>,
    /// The task definition whose container names the pairs must use.
    pub(crate) taskdef: Option<PathBuf>,
    pub(crate) policy: TagPolicy,
    /// `-o` as given, or the action's default name.
    pub(crate) output: PathBuf,
}

/// imageDetail.json, derived from the image.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Detail {
    pub(crate) image: ImageDetail,
    /// Where the image came from, for messages.
    pub(crate) origin: String,
    pub(crate) policy: TagPolicy,
    pub(crate) output: PathBuf,
}

/// `check`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Check {
    pub(crate) files: Vec<PathBuf>,
    /// `--kind`; without it each file's kind is decided from its name and content.
    pub(crate) kind: Option<ImageFileKind>,
    pub(crate) taskdef: Option<PathBuf>,
    pub(crate) policy: TagPolicy,
    pub(crate) format: Format,
    /// `--report`: reports written to files as well.
    pub(crate) reports: Vec<ReportFile>,
}

impl TryFrom<Cli> for Config {
    type Error = CliError;

    fn try_from(cli: Cli) -> Result<Self, CliError> {
        match cli.command {
            Some(Command::Check(args)) => Ok(Self::Check(check(args))),
            None => write(cli.write),
        }
    }
}

fn check(args: CheckArgs) -> Check {
    Check {
        files: args.files,
        kind: args.kind.map(|kind| match kind {
            Kind::ImageDefinitions => ImageFileKind::ImageDefinitions,
            Kind::ImageDetail => ImageFileKind::ImageDetail,
        }),
        taskdef: args.taskdef,
        policy: TagPolicy {
            allow_mutable_tags: args.allow_mutable_tag,
        },
        format: args.format,
        reports: args.report,
    }
}

fn write(args: WriteArgs) -> Result<Config, CliError> {
    let policy = TagPolicy {
        allow_mutable_tags: args.allow_mutable_tag,
    };
    let build = Build::from(args.build);
    let digest = args.digest.as_deref().map(parse_digest).transpose()?;
    if let Some(image) = args.image_detail {
        let (image, origin) = if image.is_empty() {
            (build.image()?, "REPOSITORY_URI and IMAGE_TAG".to_owned())
        } else {
            let origin = format!("--image-detail `{}`", shown(&image));
            (image, origin)
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
        return Ok(Config::Detail(Detail {
            image: detail,
            origin,
            policy,
            output: args.output.unwrap_or_else(|| PathBuf::from(IMAGE_DETAIL)),
        }));
    }
    let mut entries = entries(args.pairs, &build)?;
    if let Some(digest) = digest {
        let [entry] = entries.as_mut_slice() else {
            return Err(
                CliError::new("--digest pins one image, and several were given")
                    .help("write each image as `name=<repository>@sha256:…` instead"),
            );
        };
        entry.definition.image_uri = pin(&entry.definition.image_uri, digest, &entry.origin)?;
    }
    Ok(Config::Definitions(Definitions {
        entries,
        taskdef: args.taskdef,
        policy,
        output: args
            .output
            .unwrap_or_else(|| PathBuf::from(IMAGE_DEFINITIONS)),
    }))
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

fn pin(image: &str, digest: Digest<'_>, origin: &str) -> Result<String, CliError> {
    let reference = ImageReference::parse(image)
        .map_err(|error| CliError::new(error.to_string()).at(origin.to_owned()))?;
    let detail = ImageDetail::from_reference(&reference, Some(digest))
        .map_err(|error| CliError::new(error.to_string()).at(origin.to_owned()))?;
    Ok(detail.image_uri)
}

/// The pairs from the arguments, or the build's one image when there are none.
fn entries(pairs: Vec<String>, build: &Build) -> Result<Vec<Entry>, CliError> {
    if pairs.is_empty() {
        let name = build.container_name.clone().ok_or_else(|| {
            CliError::new("no `NAME=IMAGE` pairs were given, and CONTAINER_NAME is not set")
                .help("give pairs such as `web=<repository>:<tag>`, or set CONTAINER_NAME, REPOSITORY_URI and IMAGE_TAG")
        })?;
        let image = build.image()?;
        return Ok(vec![Entry {
            definition: ImageDefinition {
                name,
                image_uri: image,
            },
            origin: "CONTAINER_NAME, REPOSITORY_URI and IMAGE_TAG".to_owned(),
        }]);
    }
    pairs
        .into_iter()
        .map(|pair| {
            let Some((name, image)) = pair.split_once('=') else {
                return Err(CliError::new(format!(
                    "`{}` is not a `NAME=IMAGE` pair",
                    shown(&pair)
                ))
                .help("name the container the image is for: `web=<repository>:<tag>`"));
            };
            Ok(Entry {
                definition: ImageDefinition {
                    name: name.to_owned(),
                    image_uri: image.to_owned(),
                },
                origin: format!("argument `{}`", shown(&pair)),
            })
        })
        .collect()
}

/// The CodeBuild convention's values; an empty variable counts as unset, as in a shell's
/// `${IMAGE_TAG:-…}`.
struct Build {
    container_name: Option<String>,
    repository_uri: Option<String>,
    image_tag: Option<String>,
    revision: Option<String>,
}

impl From<BuildArgs> for Build {
    fn from(args: BuildArgs) -> Self {
        let given = |value: Option<String>| value.filter(|value| !value.is_empty());
        Self {
            container_name: given(args.container_name),
            repository_uri: given(args.repository_uri),
            image_tag: given(args.image_tag),
            revision: given(args.revision),
        }
    }
}

impl Build {
    /// `REPOSITORY_URI:IMAGE_TAG`, where the tag falls back to the commit and never to `latest`.
    fn image(&self) -> Result<String, CliError> {
        let repository = self.repository_uri.as_deref().ok_or_else(|| {
            CliError::new("REPOSITORY_URI is not set").help(
                "set REPOSITORY_URI to the image repository, such as `123456789012.dkr.ecr.eu-west-1.amazonaws.com/web`, or give the image",
            )
        })?;
        if let Ok(reference) = ImageReference::parse(repository)
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
        let (tag, from) = match (&self.image_tag, &self.revision) {
            (Some(tag), _) => (tag, "IMAGE_TAG"),
            (None, Some(commit)) => (commit, RESOLVED_SOURCE_VERSION),
            (None, None) => {
                return Err(CliError::new(format!("neither IMAGE_TAG nor {RESOLVED_SOURCE_VERSION} is set")).help(
                    "set IMAGE_TAG to the tag you pushed, such as the commit id; ecs-imagedefs never falls back to `latest`",
                ));
            }
        };
        validate_tag(tag).map_err(|error| {
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
}

#[cfg(test)]
mod tests;
