//! `ecs-appspec`: the CodeDeploy AppSpec of an ECS blue/green deployment, written and checked.

// The doc comments of the argument structs are `--help` text for people, not rustdoc.
#![allow(clippy::doc_markdown)]

mod check;
mod config;
mod render;
mod taskdef;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use deploykit_cli::report::{Format, ReportFile};
use deploykit_cli::{CliError, Exit};

use crate::config::Config;

const EXAMPLES: &str = "\
Examples:
  # appspec.yaml for the Blue/Green (CodeDeployToECS) action, container and port taken from the
  # task definition; CodePipeline replaces <TASK_DEFINITION> with the revision it registers:
  ecs-appspec --taskdef taskdef.json --after-allow-test-traffic CodeDeployHook_smoke-test

  # everything named, with the network and capacity of the replacement tasks:
  ecs-appspec render --container web --container-port 8080 --platform-version 1.4.0 \\
      --subnet subnet-0123abcd,subnet-4567cdef --security-group sg-0123abcd \\
      --assign-public-ip DISABLED --capacity-provider FARGATE_SPOT:3:1 --capacity-provider FARGATE:1

  # a direct CodeDeploy deployment needs the registered revision, here as JSON on stdout:
  ecs-appspec --task-definition arn:aws:ecs:eu-west-1:123456789012:task-definition/web-service:42 \\
      --container web --container-port 8080 --format json -o -

  # check a file, against the task definition it deploys:
  ecs-appspec check appspec.yaml --taskdef taskdef.json";

/// Writes the appspec.yaml of an ECS blue/green deployment (CodePipeline's CodeDeployToECS
/// action, or CodeDeploy directly), and checks existing ones. `render` is the default command.
#[derive(Debug, Parser)]
#[command(name = "ecs-appspec", version, after_help = EXAMPLES, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    render: RenderArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write an AppSpec from flags and, with --taskdef, the task definition (the default command).
    Render(Box<RenderArgs>),
    /// Check AppSpec files (YAML or JSON) as CodeDeploy will read them.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
struct RenderArgs {
    /// `TaskDefinition`: the placeholder CodePipeline replaces, or the full ARN of a registered revision.
    #[arg(long, value_name = "ARN", default_value = "<TASK_DEFINITION>")]
    task_definition: String,

    /// The container the load balancer routes to (`LoadBalancerInfo.ContainerName`).
    #[arg(long, value_name = "NAME")]
    container: Option<String>,

    /// Its port (`LoadBalancerInfo.ContainerPort`), 1 to 65535.
    #[arg(long, value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
    container_port: Option<u16>,

    /// The task definition (register input or describe output, JSON or YAML by extension): the
    /// container and port are checked against its portMappings, and inferred when one container exposes one port.
    #[arg(long, value_name = "FILE")]
    taskdef: Option<PathBuf>,

    /// `PlatformVersion` of the Fargate tasks, such as LATEST or 1.4.0.
    #[arg(long, value_name = "VERSION")]
    platform_version: Option<String>,

    /// A subnet of the replacement tasks; repeat it or separate with commas. The network flags go together.
    #[arg(long = "subnet", value_name = "ID", value_delimiter = ',')]
    subnets: Vec<String>,

    /// A security group of the replacement tasks; repeat it or separate with commas.
    #[arg(long = "security-group", value_name = "ID", value_delimiter = ',')]
    security_groups: Vec<String>,

    /// Whether the replacement tasks get a public IP.
    #[arg(long, value_name = "ENABLED|DISABLED", ignore_case = true)]
    assign_public_ip: Option<PublicIp>,

    /// A capacity provider, NAME[:WEIGHT[:BASE]]: WEIGHT defaults to 1, BASE is left out. Repeatable, in order.
    #[arg(long = "capacity-provider", value_name = "NAME[:WEIGHT[:BASE]]")]
    capacity_providers: Vec<String>,

    /// Lambda function (name or ARN) for the BeforeInstall hook.
    #[arg(long, value_name = "FUNCTION")]
    before_install: Option<String>,

    /// Lambda function for the AfterInstall hook.
    #[arg(long, value_name = "FUNCTION")]
    after_install: Option<String>,

    /// Lambda function for the AfterAllowTestTraffic hook (runs only with a test listener).
    #[arg(long, value_name = "FUNCTION")]
    after_allow_test_traffic: Option<String>,

    /// Lambda function for the BeforeAllowTraffic hook.
    #[arg(long, value_name = "FUNCTION")]
    before_allow_traffic: Option<String>,

    /// Lambda function for the AfterAllowTraffic hook.
    #[arg(long, value_name = "FUNCTION")]
    after_allow_traffic: Option<String>,

    /// The syntax to write.
    #[arg(long, value_enum, default_value_t = Syntax::Yaml)]
    format: Syntax,

    /// Where to write; `-` for stdout. Default: appspec.yaml, or appspec.json with --format json.
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
}

/// `--assign-public-ip`
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum PublicIp {
    #[value(name = "ENABLED")]
    Enabled,
    #[value(name = "DISABLED")]
    Disabled,
}

/// `render --format`
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Syntax {
    /// YAML, as AWS's examples and the action's default `appspec.yaml`.
    Yaml,
    /// JSON.
    Json,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The AppSpec files to check, YAML or JSON.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// Check `LoadBalancerInfo` against this task definition (register input or describe output, JSON or YAML).
    #[arg(long, value_name = "FILE")]
    taskdef: Option<PathBuf>,

    /// Report format: text on stderr, the others on stdout.
    #[arg(long, value_enum, default_value_t)]
    format: Format,

    /// Also write a report to a file, as FORMAT=PATH (`sarif=reports/checks.sarif`,
    /// `junit=reports/checks.xml`); repeatable, so one run writes every report it needs.
    #[arg(long = "report", value_name = "FORMAT=PATH")]
    report: Vec<ReportFile>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    deploykit_cli::run(|| run(Config::try_from(cli)?))
}

fn run(config: Config) -> Result<Exit, CliError> {
    match config {
        Config::Render(render) => render::run(&render),
        Config::Check(check) => check::run(&check),
    }
}
