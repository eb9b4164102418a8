//! `ecs-imagedefs`: writes and checks the image files of CodePipeline's ECS deploy actions.

// The doc comments of the argument structs are `--help` text for people, not rustdoc.
#![allow(clippy::doc_markdown)]

mod check;
mod config;
mod taskdef;
mod write;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use deploykit_cli::report::{Format, ReportFile};
use deploykit_cli::{CliError, Exit};

use crate::config::Config;

const EXAMPLES: &str = "\
Examples:
  # imagedefinitions.json for the ECS (rolling) action, one pair per container:
  ecs-imagedefs web=$REPOSITORY_URI:$IMAGE_TAG log-router=$FLUENT_BIT_IMAGE

  # the same from the CodeBuild variables CONTAINER_NAME, REPOSITORY_URI and IMAGE_TAG,
  # checking the container name against the task definition:
  ecs-imagedefs --taskdef taskdef.json

  # imageDetail.json for the Blue/Green (CodeDeployToECS) action, pinned by digest:
  ecs-imagedefs --image-detail $REPOSITORY_URI:$IMAGE_TAG --digest $IMAGE_DIGEST

  # check files before the pipeline reads them:
  ecs-imagedefs check out/imagedefinitions.json out/imageDetail.json";

/// Writes imagedefinitions.json (ECS rolling action) or imageDetail.json (ECS Blue/Green
/// action), refusing `latest` and untagged images, and checks existing ones.
#[derive(Debug, Parser)]
#[command(name = "ecs-imagedefs", version, after_help = EXAMPLES, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    write: WriteArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check existing imagedefinitions.json and imageDetail.json files as the deploy actions read them.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
struct WriteArgs {
    /// Container-image pairs, such as `web=123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:abc123`.
    /// Without any: one pair from --container-name, --repository-uri and --image-tag, which CodeBuild
    /// builds set as CONTAINER_NAME, REPOSITORY_URI and IMAGE_TAG.
    #[arg(value_name = "NAME=IMAGE")]
    pairs: Vec<String>,

    /// Write imageDetail.json for the Blue/Green action instead; IMAGE defaults to --repository-uri:--image-tag.
    #[arg(long, value_name = "IMAGE", num_args = 0..=1, default_missing_value = "", conflicts_with = "pairs")]
    image_detail: Option<String>,

    /// Pin the image by this digest (`sha256:…`); the written URI becomes `repository@digest`.
    #[arg(long, value_name = "DIGEST")]
    digest: Option<String>,

    /// Check every container name against this task definition (register input or describe output, JSON).
    #[arg(long, value_name = "FILE")]
    taskdef: Option<PathBuf>,

    /// Accept `latest` and untagged images.
    #[arg(long)]
    allow_mutable_tag: bool,

    /// Where to write; `-` for stdout. Default: imagedefinitions.json, or imageDetail.json with --image-detail.
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,

    #[command(flatten)]
    build: BuildArgs,
}

/// The image of the build, when no pair or image is given: CodeBuild's convention. An empty
/// value counts as unset.
#[derive(Debug, Default, Args)]
struct BuildArgs {
    /// The container the image is for, when no NAME=IMAGE pair is given.
    #[arg(
        long,
        value_name = "NAME",
        env = "CONTAINER_NAME",
        hide_env_values = true
    )]
    container_name: Option<String>,

    /// The image repository without a tag, such as `123456789012.dkr.ecr.eu-west-1.amazonaws.com/web`.
    #[arg(
        long,
        value_name = "URI",
        env = "REPOSITORY_URI",
        hide_env_values = true
    )]
    repository_uri: Option<String>,

    /// The tag pushed to the repository.
    #[arg(long, value_name = "TAG", env = "IMAGE_TAG", hide_env_values = true)]
    image_tag: Option<String>,

    /// The commit the build is for: the tag when --image-tag is not given, never `latest`.
    #[arg(
        long,
        value_name = "COMMIT",
        env = "CODEBUILD_RESOLVED_SOURCE_VERSION",
        hide_env_values = true
    )]
    revision: Option<String>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The files to check.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// Check every file as this kind instead of deciding from its name and content.
    #[arg(long, value_enum)]
    kind: Option<Kind>,

    /// Check the container names of imagedefinitions files against this task definition.
    #[arg(long, value_name = "FILE")]
    taskdef: Option<PathBuf>,

    /// Accept `latest` and untagged images.
    #[arg(long)]
    allow_mutable_tag: bool,

    /// Report format: text on stderr, the others on stdout.
    #[arg(long, value_enum, default_value_t)]
    format: Format,

    /// Also write a report to a file, as FORMAT=PATH (`sarif=reports/checks.sarif`,
    /// `junit=reports/checks.xml`); repeatable, so one run writes every report it needs.
    #[arg(long = "report", value_name = "FORMAT=PATH")]
    report: Vec<ReportFile>,
}

/// `check --kind`
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Kind {
    /// imagedefinitions.json, for the ECS (rolling) action.
    ImageDefinitions,
    /// imageDetail.json, for the ECS Blue/Green (CodeDeployToECS) action.
    ImageDetail,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    deploykit_cli::run(|| run(Config::try_from(cli)?))
}

fn run(config: Config) -> Result<Exit, CliError> {
    match config {
        Config::Definitions(definitions) => write::definitions(&definitions),
        Config::Detail(detail) => write::detail(&detail),
        Config::Check(check) => check::run(&check),
    }
}
