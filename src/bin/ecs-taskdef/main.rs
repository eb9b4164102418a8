//! `ecs-taskdef`: task definitions AWS will accept, for the Blue/Green action and for anything

// The doc comments of the argument structs are `--help` text for people, not rustdoc.
#![allow(clippy::doc_markdown)]
//! that registers task definitions.

mod check;
mod diff;
mod edits;
mod render;
mod sources;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use deploykit_cli::report::Format;

const EXAMPLES: &str = "\
Examples:
  # taskdef.json for the Blue/Green (CodeDeployToECS) action, from the template in the repository:
  ecs-taskdef render taskdef.template.json --placeholder web -o taskdef.json

  # the live definition with one new image, everything else as registered:
  ecs-taskdef render --from-ecs web-service --image web=$REPOSITORY_URI:$IMAGE_TAG

  # per-environment settings, each aimed at one container:
  ecs-taskdef render taskdef.template.json --vars-file prod.env --env web:APP_ENV=prod \\
      --secret web:DB_PASSWORD=arn:aws:secretsmanager:eu-west-1:123456789012:secret:db \\
      --task-role web-service-task --set /ephemeralStorage/sizeInGiB=30

  # fail CI when the rendered file kept in git is out of date:
  ecs-taskdef render taskdef.template.json --check taskdef.json

  ecs-taskdef check taskdef.json
  ecs-taskdef diff taskdef.json ecs:web-service";

/// Renders, checks and compares ECS task definitions.
#[derive(Debug, Parser)]
#[command(name = "ecs-taskdef", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Render a task definition from a template file or from ECS, with edits, and check it.
    Render(Box<RenderArgs>),
    /// Check task-definition files as ECS will read them.
    Check(CheckArgs),
    /// Show how two task definitions differ, ignoring the order of sets; secrets redacted.
    Diff(DiffArgs),
}

#[derive(Debug, Args)]
struct RenderArgs {
    /// The template, register input or describe output (JSON, or YAML by extension).
    #[arg(
        value_name = "TEMPLATE",
        required_unless_present = "from_ecs",
        conflicts_with = "from_ecs"
    )]
    template: Option<PathBuf>,

    /// Start from the registered definition: a family (latest ACTIVE), `family:revision` or an ARN.
    #[arg(long, value_name = "TASK_DEFINITION")]
    from_ecs: Option<String>,

    #[command(flatten)]
    variables: VariableArgs,

    #[command(flatten)]
    edits: edits::EditArgs,

    /// Accept `latest` and untagged images.
    #[arg(long)]
    allow_mutable_tag: bool,

    /// Refuse `<IMAGE1_NAME>` placeholders: the result is registered directly, not by the Blue/Green action.
    #[arg(long)]
    no_placeholders: bool,

    /// Where to write; `-` for stdout.
    #[arg(
        short,
        long,
        value_name = "PATH",
        default_value = "taskdef.json",
        conflicts_with = "check"
    )]
    output: PathBuf,

    /// Write nothing: compare the result with FILE and exit 1 with a diff when they differ.
    #[arg(long, value_name = "FILE")]
    check: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct VariableArgs {
    /// A value for `${NAME}` in the template; wins over --vars-file and the environment.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    vars: Vec<String>,

    /// A dotenv file of values for `${NAME}`; wins over the environment. Repeatable, later files win.
    #[arg(long, value_name = "FILE")]
    vars_file: Vec<PathBuf>,

    /// Do not take `${NAME}` values from the environment.
    #[arg(long)]
    no_env_vars: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The files to check (JSON, or YAML by extension).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// Accept `latest` and untagged images.
    #[arg(long)]
    allow_mutable_tag: bool,

    /// Refuse `<IMAGE1_NAME>` placeholders.
    #[arg(long)]
    no_placeholders: bool,

    /// Report format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
struct DiffArgs {
    /// The first task definition: a file, or `ecs:FAMILY[:REVISION]` or an ARN for the registered one.
    #[arg(value_name = "OLD")]
    old: String,

    /// The second, in the same forms.
    #[arg(value_name = "NEW")]
    new: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    deploykit_cli::run(|| match cli.command {
        Command::Render(args) => render::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Diff(args) => diff::run(&args),
    })
}
