//! `ecs-taskdef`: task definitions AWS will accept, for the Blue/Green action and for anything
//! that registers task definitions.

// The doc comments of the argument structs are `--help` text for people, not rustdoc.
#![allow(clippy::doc_markdown)]

mod check;
mod config;
mod diff;
mod prune;
mod render;
mod sources;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use deploykit_cli::aws::AwsArgs;
use deploykit_cli::report::{Format, ReportFile};
use deploykit_cli::{CliError, Exit};

use crate::config::Config;

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
  ecs-taskdef diff taskdef.json ecs:web-service

  # what a deploy will change in what prod runs:
  ecs-taskdef diff service:prod/web-service taskdef.json

  # deregister old revisions, keeping the 10 newest and every one a service or task uses:
  ecs-taskdef prune web-service --keep 10 --dry-run";

/// Renders, checks and compares ECS task definitions.
#[derive(Debug, Parser)]
#[command(name = "ecs-taskdef", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    aws: AwsArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Render a task definition from a template file or from ECS, with edits, and check it.
    Render(Box<RenderArgs>),
    /// Check task-definition files as ECS will read them.
    Check(CheckArgs),
    /// Show how two task definitions differ, ignoring the order of sets; secrets redacted.
    Diff(DiffArgs),
    /// Deregister a family's old ACTIVE revisions, never one that is in use.
    Prune(PruneArgs),
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
    edits: EditArgs,

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

/// The edit flags, each aimed at one container as `CONTAINER:…` (the prefix may be left out
/// when the task definition has a single container).
#[derive(Debug, Args)]
struct EditArgs {
    /// Set a container's image: `web=<repository>:<tag>`, or a placeholder `web=<IMAGE1_NAME>`.
    #[arg(long = "image", value_name = "CONTAINER=IMAGE")]
    images: Vec<String>,

    /// Give the container the next free `<IMAGEn_NAME>` placeholder, numbered in task-definition order.
    #[arg(long = "placeholder", value_name = "CONTAINER")]
    placeholders: Vec<String>,

    /// Set an environment variable (merged by name; split on the first `=`).
    #[arg(long = "env", value_name = "[CONTAINER:]NAME=VALUE")]
    env: Vec<String>,

    /// Replace the container's whole `environment` with the --env values given for it.
    #[arg(long = "replace-env", value_name = "CONTAINER")]
    replace_env: Vec<String>,

    /// Remove an environment variable.
    #[arg(long = "unset-env", value_name = "[CONTAINER:]NAME")]
    unset_env: Vec<String>,

    /// Add an `environmentFiles` entry (an S3 object ARN).
    #[arg(long = "env-file", value_name = "[CONTAINER:]ARN")]
    env_files: Vec<String>,

    /// Set a secret: `valueFrom` is an SSM parameter name or ARN, or a Secrets Manager ARN.
    #[arg(long = "secret", value_name = "[CONTAINER:]NAME=VALUE_FROM")]
    secrets: Vec<String>,

    /// Set the log driver.
    #[arg(long = "log-driver", value_name = "[CONTAINER:]DRIVER")]
    log_drivers: Vec<String>,

    /// Set a log option (`=` inside the value is kept).
    #[arg(long = "log-option", value_name = "[CONTAINER:]NAME=VALUE")]
    log_options: Vec<String>,

    /// Set a Docker label.
    #[arg(long = "docker-label", value_name = "[CONTAINER:]NAME=VALUE")]
    docker_labels: Vec<String>,

    /// Set `command`: a JSON array, or shell words with quoting.
    #[arg(
        long = "command",
        value_name = "[CONTAINER:]COMMAND",
        allow_hyphen_values = true
    )]
    commands: Vec<String>,

    /// Set `entryPoint`: a JSON array, or shell words with quoting.
    #[arg(
        long = "entry-point",
        value_name = "[CONTAINER:]COMMAND",
        allow_hyphen_values = true
    )]
    entry_points: Vec<String>,

    /// The task role: an ARN or a role name.
    #[arg(long, value_name = "ROLE")]
    task_role: Option<String>,

    /// The execution role: an ARN or a role name.
    #[arg(long, value_name = "ROLE")]
    execution_role: Option<String>,

    /// Task-level CPU units, or `1 vCPU`.
    #[arg(long, value_name = "CPU", allow_hyphen_values = true)]
    cpu: Option<String>,

    /// Task-level memory in MiB, or `2 GB`.
    #[arg(long, value_name = "MEMORY", allow_hyphen_values = true)]
    memory: Option<String>,

    /// A task-definition tag, merged by key.
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    tags: Vec<String>,

    #[command(flatten)]
    provenance: ProvenanceArgs,

    /// Set any member by JSON pointer; VALUE takes the type the ECS API gives the member.
    #[arg(long = "set", value_name = "/POINTER=VALUE")]
    sets: Vec<String>,
}

/// Where the running task came from, stamped as OCI labels on the containers and as tags.
/// An empty variable counts as unset.
#[derive(Debug, Default, Args)]
struct ProvenanceArgs {
    /// The commit to stamp as `org.opencontainers.image.revision`.
    #[arg(
        long,
        value_name = "COMMIT",
        env = "CODEBUILD_RESOLVED_SOURCE_VERSION",
        hide_env_values = true
    )]
    revision: Option<String>,

    /// The repository to stamp as `org.opencontainers.image.source`.
    #[arg(
        long,
        value_name = "URL",
        env = "CODEBUILD_SOURCE_REPO_URL",
        hide_env_values = true
    )]
    source_url: Option<String>,

    /// The build to record in the `codebuild-build-id` tag.
    #[arg(
        long,
        value_name = "ID",
        env = "CODEBUILD_BUILD_ID",
        hide_env_values = true
    )]
    build_id: Option<String>,

    /// Stamp no commit, source or build, whatever the flags and variables above say.
    #[arg(long)]
    no_provenance: bool,
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

    /// Report format: text on stderr, the others on stdout.
    #[arg(long, value_enum, default_value_t)]
    format: Format,

    /// Also write a report to a file, as FORMAT=PATH (`sarif=reports/checks.sarif`,
    /// `junit=reports/checks.xml`); repeatable, so one run writes every report it needs.
    #[arg(long = "report", value_name = "FORMAT=PATH")]
    report: Vec<ReportFile>,
}

#[derive(Debug, Args)]
struct DiffArgs {
    /// The first task definition: a file, `ecs:FAMILY[:REVISION]` or an ARN for the registered
    /// one, or `service:CLUSTER/SERVICE` for the one a service runs.
    #[arg(value_name = "OLD")]
    old: String,

    /// The second, in the same forms.
    #[arg(value_name = "NEW")]
    new: String,
}

#[derive(Debug, Args)]
struct PruneArgs {
    /// The task-definition family.
    #[arg(value_name = "FAMILY")]
    family: String,

    /// How many of the newest ACTIVE revisions to keep, used or not.
    #[arg(long, value_name = "N")]
    keep: usize,

    /// Look for services, task sets and tasks that use a revision in this cluster only
    /// (repeatable); default: every cluster of the Region.
    #[arg(long = "cluster", value_name = "CLUSTER")]
    clusters: Vec<String>,

    /// Print what would be deregistered, and change nothing.
    #[arg(long)]
    dry_run: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    deploykit_cli::run(|| run(Config::try_from(cli)?))
}

fn run(config: Config) -> Result<Exit, CliError> {
    match config {
        Config::Render(render) => render::run(&render),
        Config::Check(check) => check::run(&check),
        Config::Diff(diff) => diff::run(&diff),
        Config::Prune(prune) => prune::run(&prune),
    }
}
