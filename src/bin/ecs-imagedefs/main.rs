//! `ecs-imagedefs`: writes and checks the image files of CodePipeline's ECS deploy actions.

// The doc comments of the argument structs are `--help` text for people, not rustdoc.
#![allow(clippy::doc_markdown)]

mod check;
mod source;
mod write;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use deploykit_cli::report::Format;

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
    /// Without any, CONTAINER_NAME, REPOSITORY_URI and IMAGE_TAG (or CODEBUILD_RESOLVED_SOURCE_VERSION) are used.
    #[arg(value_name = "NAME=IMAGE")]
    pairs: Vec<String>,

    /// Write imageDetail.json for the Blue/Green action instead; IMAGE defaults to REPOSITORY_URI:IMAGE_TAG.
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
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The files to check.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// Check every file as this kind instead of deciding from its name and content.
    #[arg(long, value_enum)]
    kind: Option<check::Kind>,

    /// Check the container names of imagedefinitions files against this task definition.
    #[arg(long, value_name = "FILE")]
    taskdef: Option<PathBuf>,

    /// Accept `latest` and untagged images.
    #[arg(long)]
    allow_mutable_tag: bool,

    /// Report format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    deploykit_cli::run(|| match cli.command {
        Some(Command::Check(args)) => check::run(&args),
        None => write::run(&cli.write),
    })
}
