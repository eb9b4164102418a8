//! `ecs-pipeline`: approves, starts, waits for and shows CodePipeline executions.

// The doc comments of the argument structs are `--help` text for people, not rustdoc.
#![allow(clippy::doc_markdown)]

mod approve;
mod remote;
mod start;
mod status;
mod wait;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  # approve the prod deploy, but only of the commit the tests ran against:
  ecs-pipeline approve --pipeline web-prod --stage Approve --action Manual \\
      --revision $CODEBUILD_RESOLVED_SOURCE_VERSION --summary \"e2e passed\"

  ecs-pipeline reject --pipeline web-prod --stage Approve --action Manual --summary \"e2e failed\"

  # start with a V2 pipeline variable and a pinned source commit, then wait for the result:
  id=$(ecs-pipeline start --pipeline web-prod --variable IMAGE_TAG=1.4.2 \\
      --source-revision Source=1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b)
  ecs-pipeline wait --pipeline web-prod --execution-id \"$id\" --timeout 45m

  # what is running where:
  ecs-pipeline status --pipeline web-prod
  ecs-pipeline status --pipeline web-prod --format json

Exit codes: 0 done (wait: succeeded); 1 refused (approve: another revision is waiting;
wait: failed, stopped or superseded); 2 could not do the job (AWS error, nothing waiting,
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

/// Where and as whom; by default the standard chain (`AWS_REGION`, `AWS_PROFILE`, …).
#[derive(Debug, Args)]
struct AwsArgs {
    /// The AWS Region; wins over `AWS_REGION`.
    #[arg(long, global = true, value_name = "REGION")]
    region: Option<String>,

    /// A profile of the shared config files (an assume-role profile for another account).
    #[arg(long, global = true, value_name = "PROFILE")]
    profile: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Approve the manual approval that is waiting, optionally only for a given revision.
    Approve(approve::ApprovalArgs),
    /// Reject the manual approval that is waiting, optionally only for a given revision.
    Reject(approve::ApprovalArgs),
    /// Start an execution with variables and source revisions; prints its id.
    Start(start::StartArgs),
    /// Wait for an execution to end; the exit code says how it ended.
    Wait(wait::WaitArgs),
    /// Every stage's latest execution, status and source revisions.
    Status(status::StatusArgs),
}

/// How `status` prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
enum Format {
    /// An aligned table on stdout.
    #[default]
    Text,
    /// One JSON document on stdout.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    deploykit_cli::run(|| match &cli.command {
        Command::Approve(args) => approve::run(&cli.aws, args, true),
        Command::Reject(args) => approve::run(&cli.aws, args, false),
        Command::Start(args) => start::run(&cli.aws, args),
        Command::Wait(args) => wait::run(&cli.aws, args),
        Command::Status(args) => status::run(&cli.aws, args),
    })
}
