//! `ecs-pipeline`: approves, starts, waits for and shows CodePipeline executions.

// The doc comments of the argument structs are `--help` text for people, not rustdoc.
#![allow(clippy::doc_markdown)]

mod approve;
mod config;
mod follow;
mod rollback;
mod running;
mod start;
mod status;
mod wait;

use std::ffi::OsString;
use std::process::ExitCode;
use std::time::Duration;

use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use deploykit_artifacts::pipeline::parse_duration;
use deploykit_cli::aws::AwsArgs;
use deploykit_cli::{CliError, Exit};

use crate::config::{Config, Format, Job};

const EXAMPLES: &str = "\
Examples:
  # approve the prod deploy, but only of the commit the tests ran against:
  ecs-pipeline approve --pipeline web-prod --stage Approve --action Manual \\
      --revision $CODEBUILD_RESOLVED_SOURCE_VERSION --summary \"e2e passed\"

  ecs-pipeline reject --pipeline web-prod --stage Approve --action Manual --summary \"e2e failed\"

  # start with a V2 pipeline variable and a pinned source commit, then wait for the result:
  id=$(ecs-pipeline start --pipeline web-prod --variable IMAGE_TAG=1.4.2 \\
      --source-revision Source=1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b)
  ecs-pipeline wait --pipeline web-prod --execution-id \"$id\" --timeout 2h

  # after `aws ecs update-service`, follow the deployment it started to its outcome:
  ecs-pipeline wait --service prod/web --task-definition \"$TASK_DEFINITION_ARN\" --timeout 90m

  # what is running where:
  ecs-pipeline status --pipeline web-prod
  ecs-pipeline status --pipeline web-prod --format json

  # which commit runs in dev and in prod, and what runs in prod that never went through dev:
  ecs-pipeline status --service dev=dev/web --service prod=prod/web --pipeline web-prod

  # return the prod deploy stage to its last successful execution (see first, then do):
  ecs-pipeline rollback --pipeline web-prod --stage Deploy --dry-run
  id=$(ecs-pipeline rollback --pipeline web-prod --stage Deploy)

Exit codes: 0 done (wait: succeeded); 1 refused (approve: another revision is waiting;
wait: failed, stopped or superseded, or its ECS or CodeDeploy deployment failed, with a
diagnosis; rollback: no such successful execution, its artifacts expired, or a deployment is
running); 2 could not do the job (AWS error, nothing waiting,
wait timed out).";

/// Drives CodePipeline from CI and chat tooling: approvals, starts, waits and status.
#[derive(Debug, Parser)]
#[command(name = "ecs-pipeline", version, after_help = EXAMPLES)]
struct Cli {
    #[command(flatten)]
    aws: AwsArgs,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Approve the manual approval that is waiting, optionally only for a given revision.
    Approve(ApprovalArgs),
    /// Reject the manual approval that is waiting, optionally only for a given revision.
    Reject(ApprovalArgs),
    /// Start an execution with variables and source revisions; prints its id.
    Start(StartArgs),
    /// Wait for an execution to end, following its ECS or CodeDeploy deployment, or (--service)
    /// for an ECS service's deployment; the exit code says how it ended.
    Wait(WaitArgs),
    /// Every stage's latest execution, status and source revisions; or what services run.
    Status(StatusArgs),
    /// Return a stage to an earlier successful execution (RollbackStage), or stop the
    /// deployment it runs with rollback; prints the new execution's id.
    Rollback(RollbackArgs),
}

#[derive(Debug, Args)]
struct ApprovalArgs {
    /// The pipeline name.
    #[arg(long, value_name = "NAME")]
    pipeline: String,

    /// The stage that holds the approval action.
    #[arg(long, value_name = "STAGE")]
    stage: String,

    /// The approval action's name.
    #[arg(long, value_name = "ACTION")]
    action: String,

    /// Answer only if the waiting execution was started from this source revision (a commit id,
    /// 7 or more digits, an image digest or an object version); in CodeBuild, the build's
    /// commit unless --execution-id or --any-revision is given.
    #[arg(
        long,
        value_name = "COMMIT",
        env = "CODEBUILD_RESOLVED_SOURCE_VERSION",
        hide_env_values = true
    )]
    revision: Option<String>,

    /// Whether `revision` came from CodeBuild's variable rather than the command line.
    #[arg(skip)]
    revision_from_build: bool,

    /// Answer only if the waiting execution is this one.
    #[arg(long, value_name = "ID")]
    execution_id: Option<String>,

    /// Answer whatever revision is waiting, even in CodeBuild.
    // Not a clap conflict with --revision: clap counts the CodeBuild variable as given, and
    // --any-revision is what overrides it (config.rs checks the flags).
    #[arg(long, conflicts_with = "execution_id")]
    any_revision: bool,

    /// The comment shown in the console with the answer.
    #[arg(long, value_name = "TEXT")]
    summary: Option<String>,
}

#[derive(Debug, Args)]
struct StartArgs {
    /// The pipeline name.
    #[arg(long, value_name = "NAME")]
    pipeline: String,

    /// A pipeline-level variable (V2 pipelines). Repeatable.
    #[arg(long = "variable", value_name = "NAME=VALUE")]
    variables: Vec<String>,

    /// Run a source action at this revision: a commit id, `sha256:…` image digest, or
    /// `S3_OBJECT_VERSION_ID:…` / `S3_OBJECT_KEY:…`. Repeatable.
    #[arg(long = "source-revision", value_name = "ACTION=REVISION")]
    source_revisions: Vec<String>,
}

#[derive(Debug, Args)]
struct WaitArgs {
    /// The pipeline name.
    #[arg(long, value_name = "NAME", requires = "execution_id")]
    pipeline: Option<String>,

    /// The execution to wait for, as `start` printed it.
    #[arg(
        long,
        value_name = "ID",
        requires = "pipeline",
        required_unless_present = "service"
    )]
    execution_id: Option<String>,

    /// Follow a deployment of this ECS service instead of an execution: the service's newest,
    /// or the one --deployment or --task-definition names.
    #[arg(long, value_name = "CLUSTER/SERVICE", conflicts_with_all = ["pipeline", "execution_id"])]
    service: Option<String>,

    /// With --service: the deployment to follow (`ecs-svc/…`).
    #[arg(
        long,
        value_name = "ID",
        requires = "service",
        conflicts_with = "task_definition"
    )]
    deployment: Option<String>,

    /// With --service: follow the newest deployment of this task definition, the one
    /// `UpdateService` started with it.
    #[arg(long, value_name = "ARN", requires = "service")]
    task_definition: Option<String>,

    /// Give up after this long (`90s`, `45m`, `2h`, any length) and exit 2 with the last known
    /// state.
    #[arg(long, value_name = "DURATION", default_value = "60m", value_parser = parse_duration)]
    timeout: Duration,

    /// Time between polls while CodePipeline or ECS answers; doubles (up to 2 minutes) when
    /// throttled.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    interval: Duration,
}

#[derive(Debug, Args)]
struct StatusArgs {
    /// The pipeline name. With --service, repeatable: the pipelines whose executions are
    /// searched for the build that stamped each service's revision (the EXECUTION column).
    #[arg(
        long = "pipeline",
        value_name = "NAME",
        required_unless_present = "services"
    )]
    pipelines: Vec<String>,

    /// Instead of a pipeline, what a service runs: task definition, image digests, commit and
    /// build of each container, and since when. Repeatable: one table, and each image that runs
    /// in one service but in none of another's deployments is pointed out. Label each with its
    /// environment, in promotion order (`dev=dev/web`, then `prod=prod/web`), to compare each
    /// only with the environments before it.
    #[arg(long = "service", value_name = "[ENV=]CLUSTER/SERVICE")]
    services: Vec<String>,

    /// How to print.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
struct RollbackArgs {
    /// The pipeline name.
    #[arg(long, value_name = "NAME")]
    pipeline: String,

    /// The stage to return to an earlier execution (the deploy stage).
    #[arg(long, value_name = "STAGE")]
    stage: String,

    /// The execution to return to; it must have succeeded in the stage. Without it, the
    /// newest execution before the stage's current one that succeeded in the stage.
    #[arg(long, value_name = "EXECUTION_ID")]
    to: Option<String>,

    /// When the stage is still deploying (CodeDeploy blue/green, or an ECS deployment), stop
    /// that deployment with rollback: CodeDeploy StopDeployment with auto-rollback, ECS
    /// StopServiceDeployment of type ROLLBACK.
    #[arg(long, conflicts_with = "to")]
    stop_deployment: bool,

    /// Show what would be rolled back or stopped, and change nothing.
    #[arg(long)]
    dry_run: bool,
}

impl Cli {
    /// Parses `args` as [`Parser::try_parse_from`] does, and notes whether `--revision` came
    /// from CodeBuild's variable: only a revision given on the command line still applies with
    /// `--execution-id` or `--any-revision`.
    fn try_parse_noting_sources<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let matches = Self::command().try_get_matches_from(args)?;
        let mut cli =
            Self::from_arg_matches(&matches).map_err(|error| error.format(&mut Self::command()))?;
        if let (Command::Approve(args) | Command::Reject(args), Some((_, answer))) =
            (&mut cli.command, matches.subcommand())
        {
            args.revision_from_build =
                answer.value_source("revision") == Some(ValueSource::EnvVariable);
        }
        Ok(cli)
    }
}

fn main() -> ExitCode {
    let cli = Cli::try_parse_noting_sources(std::env::args_os()).unwrap_or_else(|e| e.exit());
    deploykit_cli::run(|| run(&Config::try_from(cli)?))
}

fn run(config: &Config) -> Result<Exit, CliError> {
    let aws = &config.aws;
    match &config.job {
        Job::Answer(answer) => approve::run(aws, answer),
        Job::Start(start) => start::run(aws, start),
        Job::Wait(wait) => wait::run(aws, wait),
        Job::Status(status) => status::run(aws, status),
        Job::Running(running) => running::run(aws, running),
        Job::Rollback(rollback) => rollback::run(aws, rollback),
    }
}
