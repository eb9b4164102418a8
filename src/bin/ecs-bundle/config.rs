//! The checked configuration: every flag parsed, the S3 locations split, the deploy action
//! read from `--for` once, before a file is read or AWS is asked.

use std::path::PathBuf;

use deploykit_artifacts::TagPolicy;
use deploykit_artifacts::bundle::{Limits, Timestamp};
use deploykit_artifacts::verify::Action;
use deploykit_cli::CliError;
use deploykit_cli::aws::AwsSettings;

use crate::{BuildArgs, Cli, Command, FetchArgs, Target, UnpackArgs, ZipArgs};

pub(crate) use deploykit_artifacts::actions::blue_green::{APPSPEC, IMAGE_DETAIL, TASK_DEFINITION};
pub(crate) use deploykit_artifacts::actions::ecs::IMAGE_DEFINITIONS;

/// Every file a deploy action reads: the files of a zip the checks read.
pub(crate) const DEPLOY_FILES: [&str; 4] =
    [IMAGE_DEFINITIONS, IMAGE_DETAIL, TASK_DEFINITION, APPSPEC];

/// The reproducible-builds.org variable for the time to stamp on build outputs.
const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// What to do.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Config {
    Zip(Box<Zip>),
    Unpack(Unpack),
    Fetch(Fetch),
}

/// `ecs-bundle FILES -o ZIP`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Zip {
    /// Files and folders, relative to the base directory.
    pub(crate) paths: Vec<PathBuf>,
    /// `-o` as given.
    pub(crate) output: PathBuf,
    pub(crate) deploy: Deploy,
    /// `--base-dir` as given.
    pub(crate) base_dir: Option<PathBuf>,
    pub(crate) follow_symlinks: bool,
    pub(crate) policy: TagPolicy,
    pub(crate) level: u8,
    pub(crate) timestamp: Timestamp,
    pub(crate) upload: Option<Upload>,
    pub(crate) aws: AwsSettings,
}

/// The deploy action a zip is for, read from `--for`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Deploy {
    /// How the action reads the zip, for the checks; none for a source zip, which is not
    /// checked.
    pub(crate) action: Option<Action>,
    /// The files the action opens at the zip's root.
    pub(crate) files: &'static [&'static str],
    /// The largest zip the action reads: the Blue/Green action's input limit.
    pub(crate) max_bytes: Option<u64>,
}

impl From<Target> for Deploy {
    fn from(target: Target) -> Self {
        match target {
            Target::Source => Self {
                action: None,
                files: &[],
                max_bytes: None,
            },
            Target::Ecs => Self {
                action: Some(Action::Ecs {
                    file_name: IMAGE_DEFINITIONS.to_owned(),
                }),
                files: &[IMAGE_DEFINITIONS],
                max_bytes: None,
            },
            Target::BlueGreen => Self {
                action: Some(Action::BlueGreen {
                    taskdef_artifact: None,
                    taskdef_path: TASK_DEFINITION.to_owned(),
                    appspec_artifact: None,
                    appspec_path: APPSPEC.to_owned(),
                    images: Vec::new(),
                }),
                files: &[TASK_DEFINITION, APPSPEC, IMAGE_DETAIL],
                max_bytes: Some(deploykit_artifacts::actions::blue_green::MAX_ARTIFACT_BYTES),
            },
        }
    }
}

/// `--upload`, with what the object records about the build.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Upload {
    pub(crate) location: Location,
    pub(crate) kms_key_id: Option<String>,
    /// The commit, as the object's `commit` metadata.
    pub(crate) revision: Option<String>,
    /// The build, as the object's `codebuild-build-id` metadata.
    pub(crate) build_id: Option<String>,
}

/// `ecs-bundle unpack`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Unpack {
    pub(crate) zip: ZipSource,
    pub(crate) directory: PathBuf,
    pub(crate) limits: Limits,
    pub(crate) aws: AwsSettings,
}

/// Where the zip to unpack is.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ZipSource {
    File(String),
    S3(Location),
}

/// `ecs-bundle fetch`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Fetch {
    pub(crate) location: Location,
    pub(crate) output: PathBuf,
    pub(crate) aws: AwsSettings,
}

/// `s3://bucket/key`, optionally with `?versionId=...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Location {
    pub(crate) bucket: String,
    pub(crate) key: String,
    pub(crate) version_id: Option<String>,
    /// As the user wrote it, for messages.
    pub(crate) shown: String,
}

impl Location {
    pub(crate) fn parse(text: &str) -> Result<Self, CliError> {
        let invalid = |why: &str| {
            CliError::new(format!("`{text}` is not an S3 location: {why}"))
                .help("write it as `s3://bucket/key`, such as `s3://my-artifacts/web/deploy.zip`")
        };
        let rest = text
            .strip_prefix("s3://")
            .ok_or_else(|| invalid("it does not start with `s3://`"))?;
        let (rest, version_id) = match rest.rsplit_once("?versionId=") {
            Some((rest, version)) if !version.is_empty() => (rest, Some(version.to_owned())),
            Some(_) => return Err(invalid("`versionId=` has no value")),
            None => (rest, None),
        };
        let (bucket, key) = rest
            .split_once('/')
            .ok_or_else(|| invalid("it has no key after the bucket"))?;
        if bucket.is_empty() {
            return Err(invalid("the bucket name is empty"));
        }
        if key.is_empty() {
            return Err(invalid("the key is empty"));
        }
        Ok(Self {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            version_id,
            shown: text.to_owned(),
        })
    }
}

impl TryFrom<Cli> for Config {
    type Error = CliError;

    fn try_from(cli: Cli) -> Result<Self, CliError> {
        let aws = AwsSettings::try_from(cli.aws)?;
        Ok(match cli.command {
            None => Self::Zip(Box::new(zip(cli.zip, aws)?)),
            Some(Command::Unpack(args)) => Self::Unpack(unpack(args, aws)?),
            Some(Command::Fetch(FetchArgs { source, output })) => Self::Fetch(Fetch {
                location: Location::parse(&source)?,
                output,
                aws,
            }),
        })
    }
}

fn zip(args: ZipArgs, aws: AwsSettings) -> Result<Zip, CliError> {
    let Some(output) = args.output else {
        return Err(CliError::new("no output: give `-o ZIP`"));
    };
    let upload = args
        .upload
        .as_deref()
        .map(|text| Location::parse(text).map_err(|error| error.at("--upload")))
        .transpose()?;
    if let Some(location) = upload.as_ref().filter(|l| l.version_id.is_some()) {
        return Err(CliError::new(format!(
            "`--upload {}` has a version id; S3 gives the version, it cannot be chosen",
            location.shown
        )));
    }
    let BuildArgs {
        source_date_epoch,
        revision,
        build_id,
    } = args.build;
    let given = |value: Option<String>| value.filter(|value| !value.is_empty());
    Ok(Zip {
        paths: args.paths,
        output,
        deploy: Deploy::from(args.target),
        base_dir: args.base_dir,
        follow_symlinks: args.follow_symlinks,
        policy: TagPolicy {
            allow_mutable_tags: args.allow_mutable_tag,
        },
        level: args.level,
        timestamp: timestamp(given(source_date_epoch).as_deref())?,
        upload: upload.map(|location| Upload {
            location,
            kms_key_id: args.kms_key_id,
            revision: given(revision),
            build_id: given(build_id),
        }),
        aws,
    })
}

/// `SOURCE_DATE_EPOCH`, or 1980-01-01.
fn timestamp(value: Option<&str>) -> Result<Timestamp, CliError> {
    let Some(value) = value else {
        return Ok(Timestamp::default());
    };
    let seconds: i64 = value.trim().parse().map_err(|_| {
        CliError::new(format!(
            "`{SOURCE_DATE_EPOCH}` is `{value}`, not a number of seconds since 1970"
        ))
        .help("set it to `git log -1 --format=%ct`, or unset it for 1980-01-01")
    })?;
    Timestamp::from_unix(seconds)
        .map_err(|error| CliError::new(error.to_string()).at(SOURCE_DATE_EPOCH))
}

fn unpack(args: UnpackArgs, aws: AwsSettings) -> Result<Unpack, CliError> {
    let zip = if args.zip.starts_with("s3://") {
        ZipSource::S3(Location::parse(&args.zip)?)
    } else {
        ZipSource::File(args.zip)
    };
    Ok(Unpack {
        zip,
        directory: args.directory,
        limits: Limits {
            max_entries: args.max_entries,
            max_total_size: args.max_size,
            max_ratio: args.max_ratio,
            ..Limits::default()
        },
        aws,
    })
}

#[cfg(test)]
mod tests;
