//! The checked configuration: every flag parsed and every pair split, before a template is
//! read or ECS is asked.

mod edits;

use std::path::PathBuf;

use deploykit_artifacts::TagPolicy;
use deploykit_artifacts::secrets::redact_assignment;
use deploykit_artifacts::task_definition::rules::RuleOptions;
use deploykit_cli::CliError;
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::report::{Format, ReportFile};

use crate::{CheckArgs, Cli, Command, DiffArgs, PruneArgs, RenderArgs, VariableArgs};

pub(crate) use edits::EditFlags;

/// What to do.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Config {
    Render(Box<Render>),
    Check(Check),
    Diff(Diff),
    Prune(Prune),
}

/// Where a task definition comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A file: JSON, or YAML by extension.
    File(PathBuf),
    /// The registered definition: a family (latest ACTIVE), `family:revision` or an ARN.
    Ecs(String),
    /// The definition a service runs: its PRIMARY deployment's.
    Service { cluster: String, service: String },
}

impl Origin {
    /// A side of `diff`: `ecs:FAMILY[:REVISION]` or an ARN is the registered definition,
    /// `service:CLUSTER/SERVICE` the one a service runs, anything else a file.
    fn parse(spec: &str) -> Result<Self, CliError> {
        Ok(if let Some(task_definition) = spec.strip_prefix("ecs:") {
            Self::Ecs(task_definition.to_owned())
        } else if let Some(name) = spec.strip_prefix("service:") {
            // Split on the last `/`: the cluster may be an ARN.
            let (cluster, service) = name
                .rsplit_once('/')
                .filter(|(cluster, service)| !cluster.is_empty() && !service.is_empty())
                .ok_or_else(|| {
                    CliError::new(format!("`{spec}` is not `service:CLUSTER/SERVICE`"))
                        .help("name the cluster and the service, such as `service:prod/web`")
                })?;
            Self::Service {
                cluster: cluster.to_owned(),
                service: service.to_owned(),
            }
        } else if spec.starts_with("arn:") {
            Self::Ecs(spec.to_owned())
        } else {
            Self::File(PathBuf::from(spec))
        })
    }
}

/// `render`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Render {
    pub(crate) origin: Origin,
    pub(crate) variables: Variables,
    pub(crate) edits: EditFlags,
    /// `--set /pointer=VALUE`, split on the first `=`.
    pub(crate) sets: Vec<(String, String)>,
    pub(crate) options: RuleOptions,
    pub(crate) destination: Destination,
    pub(crate) aws: AwsSettings,
}

/// Where the values of `${NAME}` come from; later sources win.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Variables {
    /// Whether the environment is the first source.
    pub(crate) from_environment: bool,
    /// `--vars-file`, in order.
    pub(crate) files: Vec<PathBuf>,
    /// `--var NAME=VALUE`, in order.
    pub(crate) values: Vec<(String, String)>,
}

/// What becomes of the rendered definition.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Destination {
    /// `-o PATH` (`-` for stdout).
    Write(PathBuf),
    /// `--check FILE`: compared, nothing written.
    Compare(PathBuf),
}

/// `check`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Check {
    pub(crate) files: Vec<PathBuf>,
    pub(crate) options: RuleOptions,
    pub(crate) format: Format,
    /// `--report`: reports written to files as well.
    pub(crate) reports: Vec<ReportFile>,
}

/// `diff`: each side as given, for the diff's header, and where it comes from.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Diff {
    pub(crate) old: (String, Origin),
    pub(crate) new: (String, Origin),
    pub(crate) aws: AwsSettings,
}

/// `prune`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Prune {
    pub(crate) family: String,
    pub(crate) keep: usize,
    /// Where to look for users; empty: every cluster.
    pub(crate) clusters: Vec<String>,
    pub(crate) dry_run: bool,
    pub(crate) aws: AwsSettings,
}

impl TryFrom<Cli> for Config {
    type Error = CliError;

    fn try_from(cli: Cli) -> Result<Self, CliError> {
        let aws = AwsSettings::try_from(cli.aws)?;
        Ok(match cli.command {
            Command::Render(args) => Self::Render(Box::new(render(*args, aws)?)),
            Command::Check(args) => Self::Check(check(args)),
            Command::Diff(DiffArgs { old, new }) => Self::Diff(Diff {
                old: (old.clone(), Origin::parse(&old)?),
                new: (new.clone(), Origin::parse(&new)?),
                aws,
            }),
            Command::Prune(args) => Self::Prune(prune(args, aws)?),
        })
    }
}

fn prune(args: PruneArgs, aws: AwsSettings) -> Result<Prune, CliError> {
    // A family name: letters, digits, `-` and `_`, up to 255 (ECS API reference,
    // `RegisterTaskDefinition`); a revision or an ARN would prune another family's prefix.
    let valid = !args.family.is_empty()
        && args.family.len() <= 255
        && args
            .family
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return Err(
            CliError::new(format!("`{}` is not a task-definition family", args.family))
                .at("FAMILY")
                .help(
                    "give the family alone, such as `web-service`, without `:revision` or an ARN",
                ),
        );
    }
    Ok(Prune {
        family: args.family,
        keep: args.keep,
        clusters: args.clusters,
        dry_run: args.dry_run,
        aws,
    })
}

fn render(args: RenderArgs, aws: AwsSettings) -> Result<Render, CliError> {
    let origin = match (args.template, args.from_ecs) {
        (Some(path), _) => Origin::File(path),
        (None, Some(task_definition)) => Origin::Ecs(task_definition),
        (None, None) => return Err(CliError::new("give a TEMPLATE file or --from-ecs")),
    };
    let variables = variables(args.variables)?;
    let sets = args
        .edits
        .sets
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(p, v)| (p.to_owned(), v.to_owned()))
                .ok_or_else(|| {
                    CliError::new(format!(
                        "`--set {}` is not `/POINTER=VALUE`",
                        redact_assignment(pair)
                    ))
                    .help("write `--set /containerDefinitions/0/cpu=256`")
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let edits = EditFlags::try_from(args.edits)?;
    Ok(Render {
        origin,
        variables,
        edits,
        sets,
        options: rule_options(args.allow_mutable_tag, args.no_placeholders),
        destination: match args.check {
            Some(path) => Destination::Compare(path),
            None => Destination::Write(args.output),
        },
        aws,
    })
}

fn variables(args: VariableArgs) -> Result<Variables, CliError> {
    let values = args
        .vars
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .filter(|(name, _)| !name.is_empty())
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .ok_or_else(|| {
                    CliError::new(format!(
                        "`--var {}` is not `NAME=VALUE`",
                        redact_assignment(pair)
                    ))
                    .help("write `--var NAME=VALUE`")
                })
        })
        .collect::<Result<_, _>>()?;
    Ok(Variables {
        from_environment: !args.no_env_vars,
        files: args.vars_file,
        values,
    })
}

fn check(args: CheckArgs) -> Check {
    Check {
        files: args.files,
        options: rule_options(args.allow_mutable_tag, args.no_placeholders),
        format: args.format,
        reports: args.report,
    }
}

fn rule_options(allow_mutable_tag: bool, no_placeholders: bool) -> RuleOptions {
    RuleOptions {
        policy: TagPolicy {
            allow_mutable_tags: allow_mutable_tag,
        },
        allow_placeholders: !no_placeholders,
    }
}

#[cfg(test)]
mod tests;
