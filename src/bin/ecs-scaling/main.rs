//! `ecs-scaling`: suspends and resumes Application Auto Scaling of an ECS service around a
//! CodeDeploy blue/green deployment.
//!
//! Why: a scaling event during a blue/green deployment can fail it, and the desired count can be
//! miscomputed while the running count is doubled (ECS developer guide, blue/green
//! considerations; `docs/aws/codedeploy.md#auto-scaling-during-a-blue-green-deployment`), so teams suspend scaling before the Blue/Green
//! action and resume it after, and in the failure path.

// The doc comments of the argument structs are `--help` text for people, not rustdoc.
#![allow(clippy::doc_markdown)]

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use deploykit_aws::scaling::{self, Client, Suspended, Target};
use deploykit_aws::{AwsError, config};
use deploykit_cli::{CliError, Exit, Output};

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

    /// The AWS Region; wins over `AWS_REGION`.
    #[arg(long, value_name = "REGION")]
    region: Option<String>,

    /// A profile of the shared config files (an assume-role profile for another account).
    #[arg(long, value_name = "PROFILE")]
    profile: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    deploykit_cli::run(|| {
        let (args, wanted) = match &cli.command {
            Command::Suspend(args) => (args, Some(Suspended::all(true))),
            Command::Resume(args) => (args, Some(Suspended::all(false))),
            Command::Status(args) => (args, None),
        };
        let text = remote(args, wanted)?;
        Output::Stdout.write(text.as_bytes())?;
        Ok(Exit::Clean)
    })
}

/// Reads the target, changes it when `wanted` differs, reads it back; returns the report.
fn remote(args: &ServiceArgs, wanted: Option<Suspended>) -> Result<String, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| CliError::new(format!("cannot start the AWS client: {error}")))?;
    runtime.block_on(async {
        let config = config::try_load_for(args.region.as_deref(), args.profile.as_deref())
            .await
            .map_err(cli_error)?;
        let client = scaling::client(&config);
        let before = existing(&client, args).await?;
        let Some(wanted) = wanted else {
            return Ok(format!("{}\n", describe(&before)));
        };
        if before.suspended == wanted {
            return Ok(format!(
                "before: {}\nafter:  {} (unchanged)\n",
                describe(&before),
                describe(&before)
            ));
        }
        scaling::set_suspended(&client, &args.cluster, &args.service, wanted)
            .await
            .map_err(cli_error)?;
        let after = existing(&client, args).await?;
        Ok(format!(
            "before: {}\nafter:  {}\n",
            describe(&before),
            describe(&after)
        ))
    })
}

async fn existing(client: &Client, args: &ServiceArgs) -> Result<Target, CliError> {
    let (cluster, service) = (&args.cluster, &args.service);
    scaling::target(client, cluster, service)
        .await
        .map_err(cli_error)?
        .ok_or_else(|| {
            CliError::new(format!(
                "service `{service}` of cluster `{cluster}` has no scalable target for \
                 `ecs:service:DesiredCount`"
            ))
            .at(format!("`{}`", scaling::resource_id(cluster, service)))
            .help(
                "check the cluster and service names and the Region; a service without auto \
                 scaling needs no suspend or resume, so drop the step for it",
            )
        })
}

/// `min 2, max 10; scale-in suspended, scale-out suspended, scheduled suspended`.
fn describe(target: &Target) -> String {
    let word = |suspended: bool| if suspended { "suspended" } else { "active" };
    let state = target.suspended;
    format!(
        "min {}, max {}; scale-in {}, scale-out {}, scheduled {}",
        target.min_capacity,
        target.max_capacity,
        word(state.scaling_in),
        word(state.scaling_out),
        word(state.scheduled)
    )
}

#[allow(clippy::needless_pass_by_value)] // so that it fits `map_err` directly
fn cli_error(error: AwsError) -> CliError {
    let cli_error = CliError::new(error.what()).at(error.location());
    match error.help() {
        Some(help) => cli_error.help(help),
        None => cli_error,
    }
}
