//! `ecs-scaling`: suspends and resumes Application Auto Scaling of an ECS service around a
//! CodeDeploy blue/green deployment.
//!
//! Why: a scaling event during a blue/green deployment can fail it, and the desired count can be
//! miscomputed while the running count is doubled (Amazon ECS developer guide, blue/green
//! deployment considerations:
//! <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html>),
//! so teams suspend scaling before the Blue/Green action and resume it after, and in the
//! failure path.

// The doc comments of the argument structs are `--help` text for people, not rustdoc.
#![allow(clippy::doc_markdown)]

mod config;
mod run;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use deploykit_cli::aws::AwsArgs;

use crate::config::Config;

const EXAMPLES: &str = "\
Examples:
  # before the Blue/Green action:
  ecs-scaling suspend --cluster prod --service web

  # after it, and in the failure path (a CodeBuild `finally` block), so it is never left off:
  ecs-scaling resume --cluster prod --service web

  ecs-scaling status --cluster prod --service web

Each prints the suspended state before and after; running it twice changes nothing the
second time. A service without a scalable target is an error (exit 2).";

/// Suspends and resumes Application Auto Scaling of an ECS service's desired count.
#[derive(Debug, Parser)]
#[command(name = "ecs-scaling", version, after_help = EXAMPLES)]
struct Cli {
    #[command(flatten)]
    aws: AwsArgs,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Suspend scale-in, scale-out and scheduled scaling.
    Suspend(ServiceArgs),
    /// Resume scale-in, scale-out and scheduled scaling.
    Resume(ServiceArgs),
    /// Show what is suspended.
    Status(ServiceArgs),
}

#[derive(Debug, Args)]
struct ServiceArgs {
    /// The ECS cluster name.
    #[arg(long, value_name = "CLUSTER")]
    cluster: String,

    /// The ECS service name.
    #[arg(long, value_name = "SERVICE")]
    service: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    deploykit_cli::run(|| run::run(&Config::try_from(cli)?))
}
