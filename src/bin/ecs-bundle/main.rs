//! `ecs-bundle`: deterministic zip artifacts for CodePipeline, checked before they are
//! written, uploaded to S3; and the way back: unpacking and fetching artifacts safely.

// The doc comments of the argument structs are `--help` text for people, not rustdoc.
#![allow(clippy::doc_markdown)]

mod collect;
mod config;
mod s3;
mod unpack;
mod verify;
mod zip;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use deploykit_cli::aws::AwsArgs;
use deploykit_cli::{CliError, Exit};

use crate::config::Config;

const EXAMPLES: &str = "\
Examples:
  # the ECS (rolling) action's artifact: imagedefinitions.json at the root of the zip
  ecs-bundle --for ecs --base-dir out imagedefinitions.json -o out/deploy-ecs.zip

  # the Blue/Green action's artifact, checked, then uploaded with SSE-KMS
  ecs-bundle --for blue-green --base-dir out taskdef.json appspec.yaml imageDetail.json \\
      -o out/deploy-bluegreen.zip --upload s3://my-artifacts/web/deploy-bluegreen.zip \\
      --kms-key-id alias/codepipeline

  # a whole folder as an S3 source object (the bucket needs versioning)
  ecs-bundle --for source --base-dir deploy . -o source.zip --upload s3://my-source/app.zip

  # look inside an artifact a pipeline produced
  ecs-bundle fetch 's3://codepipeline-eu-west-1-123/web-service/BuildArtif/Ab3dE7x' -o build.zip \\
      --region eu-west-1
  ecs-bundle unpack build.zip -d build/

Paths are relative to --base-dir (default: CODEBUILD_SRC_DIR, else the working directory), like
buildspec `files` under `base-directory`: the base directory itself is not in the zip. Folders
are zipped with everything in them; empty folders are left out, since CodePipeline artifacts are
sets of files. Symbolic links are refused unless --follow-symlinks. --source-date-epoch
(SOURCE_DATE_EPOCH) sets the timestamp of every entry (default 1980-01-01). The same files
always give the same bytes.";

/// Writes deterministic zips for CodePipeline (entries sorted, fixed time, normalized modes),
/// checks the deploy files in them first, and uploads them to S3.
#[derive(Debug, Parser)]
#[command(name = "ecs-bundle", version, after_help = EXAMPLES, args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    zip: ZipArgs,
    #[command(flatten)]
    aws: AwsArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Unpack a zip (a file or s3://bucket/key) into a folder, refusing entries that escape it,
    /// symbolic links, duplicates and zip bombs.
    Unpack(UnpackArgs),
    /// Download an object from S3 to a file, e.g. an artifact a pipeline produced.
    Fetch(FetchArgs),
}

/// Which deploy action the zip is for, and so which files it must hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
enum Target {
    /// Amazon ECS (rolling): imagedefinitions.json at the root, checked.
    Ecs,
    /// Amazon ECS (Blue/Green): taskdef.json and appspec.yaml and/or imageDetail.json, checked;
    /// at most 3 MB.
    BlueGreen,
    /// Any files, such as an S3 source object; nothing is checked.
    #[default]
    Source,
}

#[derive(Debug, Args)]
struct ZipArgs {
    /// Files and folders to put in the zip, relative to --base-dir.
    #[arg(value_name = "FILES-OR-FOLDERS", required = true)]
    paths: Vec<PathBuf>,

    /// Where to write the zip.
    #[arg(short, long, value_name = "ZIP", required = true)]
    output: Option<PathBuf>,

    /// The deploy action the zip is for; its files are checked before anything is written.
    #[arg(long = "for", value_enum, default_value_t)]
    target: Target,

    /// The folder the names in the zip are relative to, like buildspec's `base-directory`.
    #[arg(long, value_name = "DIR")]
    base_dir: Option<PathBuf>,

    /// Zip the files symbolic links point to, instead of refusing the links.
    #[arg(long)]
    follow_symlinks: bool,

    /// Accept `latest` and untagged images in the checked files.
    #[arg(long)]
    allow_mutable_tag: bool,

    /// The deflate level, 1 (fastest) to 9 (smallest).
    #[arg(long, value_name = "N", default_value_t = 6, value_parser = clap::value_parser!(u8).range(1..=9))]
    level: u8,

    /// Upload the zip to this S3 location and print the object's version id.
    #[arg(long, value_name = "s3://BUCKET/KEY")]
    upload: Option<String>,

    /// Encrypt the upload with SSE-KMS under this key (id, ARN or alias); default: the bucket's
    /// default encryption.
    #[arg(long, value_name = "ID", requires = "upload")]
    kms_key_id: Option<String>,

    #[command(flatten)]
    build: BuildArgs,
}

/// What the build tells about the zip: its time, and for the upload which commit and build
/// made it. An empty variable counts as unset.
#[derive(Debug, Default, Args)]
struct BuildArgs {
    /// The time of every entry, in seconds since 1970 (reproducible-builds.org); default 1980-01-01.
    #[arg(
        long,
        value_name = "SECONDS",
        env = "SOURCE_DATE_EPOCH",
        hide_env_values = true
    )]
    source_date_epoch: Option<String>,

    /// The commit, recorded as the uploaded object's `commit` metadata.
    #[arg(
        long,
        value_name = "COMMIT",
        env = "CODEBUILD_RESOLVED_SOURCE_VERSION",
        hide_env_values = true
    )]
    revision: Option<String>,

    /// The build, recorded as the uploaded object's `codebuild-build-id` metadata.
    #[arg(
        long,
        value_name = "ID",
        env = "CODEBUILD_BUILD_ID",
        hide_env_values = true
    )]
    build_id: Option<String>,
}

#[derive(Debug, Args)]
struct UnpackArgs {
    /// The zip: a file, or s3://bucket/key[?versionId=...].
    #[arg(value_name = "ZIP")]
    zip: String,

    /// The folder to unpack into; created if missing. Existing files are not overwritten.
    #[arg(short = 'd', long = "directory", value_name = "DIR")]
    directory: PathBuf,

    /// Refuse zips with more entries than this.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    max_entries: usize,

    /// Refuse zips that unpack to more bytes than this (default: 5 GB, the S3 source limit).
    #[arg(long, value_name = "BYTES", default_value_t = 5_000_000_000)]
    max_size: u64,

    /// Refuse entries over 1 MiB that expand more than this many times.
    #[arg(long, value_name = "N", default_value_t = 200)]
    max_ratio: u64,
}

#[derive(Debug, Args)]
struct FetchArgs {
    /// The object: s3://bucket/key, optionally with ?versionId=... for one version.
    #[arg(value_name = "s3://BUCKET/KEY")]
    source: String,

    /// Where to write it.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    deploykit_cli::run(|| run(Config::try_from(cli)?))
}

fn run(config: Config) -> Result<Exit, CliError> {
    match config {
        Config::Zip(zip) => zip::run(&zip),
        Config::Unpack(unpack) => unpack::run(&unpack),
        Config::Fetch(fetch) => s3::fetch(&fetch),
    }
}
