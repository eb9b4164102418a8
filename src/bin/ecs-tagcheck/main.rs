//! `ecs-tagcheck`: refuses `latest` and other mutable image tags everywhere a deployment can
//! pick one up, and asks ECR whether the tags being shipped can change.

// The doc comments of the argument structs are `--help` text for people, not rustdoc.
#![allow(clippy::doc_markdown)]

mod check;
mod config;
mod lookup;
mod pin;
mod policy;
mod walk;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use deploykit_cli::aws::AwsArgs;
use deploykit_cli::report::{Format, ReportFile};

use crate::config::{Config, FailOn};

const EXAMPLES: &str = "\
Examples:
  # everything in the repository: Dockerfiles, buildspecs, templates, task definitions:
  ecs-tagcheck .

  # the build's outputs, asking ECR whether each tag is immutable and exists:
  ecs-tagcheck --ecr out/imagedefinitions.json out/taskdef.json

  # pin the images of the outputs to their digests, keeping the tag for people:
  ecs-tagcheck --ecr --pin --keep-tag out/

  # SARIF for GitHub code scanning on stdout:
  ecs-tagcheck --format sarif . > tagcheck.sarif

  # one scan: the log on stderr, JUnit XML for CodeBuild test reports, SARIF for code scanning:
  ecs-tagcheck --report junit=reports/tagcheck.xml --report sarif=reports/tagcheck.sarif .

Waive one finding with a reason, on its line or the line above:
  FROM vendor/tool:latest  # ecs-tagcheck: ignore[latest-tag] the vendor publishes only latest

Exit status: 0 clean, 1 findings at or above --fail-on, 2 the check could not run.";

/// Finds `latest`, untagged and mutable image tags in Dockerfiles, task definitions,
/// imagedefinitions.json, imageDetail.json, buildspecs, CloudFormation, Terraform and
/// CodePipeline definitions, and (with --ecr) in ECR itself.
#[derive(Debug, Parser)]
#[command(name = "ecs-tagcheck", version, after_help = EXAMPLES)]
struct Cli {
    /// Files and folders to check; folders are searched for the known file kinds.
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<PathBuf>,

    /// Leave out paths matching this glob (`vendor`, `infra/**/legacy`); repeatable.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,

    /// The config file. Default: .ecs-tagcheck.toml in the current folder, if there is one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Refuse this tag too (case-insensitive), like `latest`; repeatable.
    #[arg(long, value_name = "TAG")]
    deny: Vec<String>,

    /// Accept images matching this pattern (`*` is any run of characters); repeatable.
    #[arg(long, value_name = "PATTERN")]
    allow: Vec<String>,

    /// Refuse every image that is not pinned by digest.
    #[arg(long)]
    require_digest: bool,

    /// Let Dockerfiles pull only from this registry or repository prefix (`gcr.io/distroless`,
    /// `nginx` for `docker.io/library/nginx`), matched on whole path segments; repeatable.
    #[arg(long, value_name = "PREFIX")]
    trusted_registry: Vec<String>,

    /// Override a Dockerfile ARG default, as `docker build --build-arg` does; repeatable.
    #[arg(long, value_name = "NAME=VALUE")]
    build_arg: Vec<String>,

    /// Give a `${NAME}` or `$NAME` of templates and image files a value for this scan
    /// (`--var IMAGE_TAG=1.4.2`), so the reference it makes is checked; repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    var: Vec<String>,

    /// Report each reference that depends on a variable with no value as a warning, instead of
    /// one note for the whole scan.
    #[arg(long)]
    strict: bool,

    #[command(flatten)]
    ecr: EcrArgs,

    #[command(flatten)]
    aws: AwsArgs,

    /// Report format: text on stderr, the others on stdout.
    #[arg(long, value_enum, default_value_t)]
    format: Format,

    /// Also write a report to a file, as FORMAT=PATH (`sarif=reports/checks.sarif`,
    /// `junit=reports/checks.xml`); repeatable, so one run writes every report it needs.
    #[arg(long = "report", value_name = "FORMAT=PATH")]
    report: Vec<ReportFile>,

    /// The lowest severity that makes the exit status 1. Default: error, or the config file's.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
}

/// The flags that ask ECR.
#[derive(Debug, clap::Args)]
struct EcrArgs {
    /// Ask ECR whether each ECR image's tag is mutable in its repository, and whether it exists.
    #[arg(long)]
    ecr: bool,

    /// Rewrite the images of task definitions, imagedefinitions.json and imageDetail.json to
    /// their digests (`repository@sha256:…`), in place and atomically. Implies --ecr.
    #[arg(long)]
    pin: bool,

    /// With --pin, keep the tag before the digest: `repository:tag@sha256:…`.
    #[arg(long, requires = "pin")]
    keep_tag: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    deploykit_cli::run(|| check::run(&Config::try_from(cli)?))
}
