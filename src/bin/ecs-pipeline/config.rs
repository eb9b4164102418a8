//! The checked configuration: what to answer, start, wait for or show, and where to ask.

use std::time::Duration;

use clap::ValueEnum;
use deploykit_artifacts::pipeline::deploy::Pick;
use deploykit_artifacts::secrets::{self, redact_assignment};
use deploykit_aws::codepipeline::SourceOverride;
use deploykit_cli::CliError;
use deploykit_cli::aws::AwsSettings;

use crate::{ApprovalArgs, Cli, Command, StartArgs, WaitArgs};

/// What one run does, and with which AWS settings.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Config {
    pub(crate) aws: AwsSettings,
    pub(crate) job: Job,
}

/// One subcommand's checked flags.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Job {
    /// `approve` and `reject`.
    Answer(Answer),
    Start(Start),
    Wait(Wait),
    Status(Status),
    /// `status --service`.
    Running(Running),
    Rollback(Rollback),
}

/// A stage to return to an earlier execution.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Rollback {
    pub(crate) pipeline: String,
    pub(crate) stage: String,
    /// The execution to return to; `None`: the last one that succeeded in the stage.
    pub(crate) to: Option<String>,
    /// Stop a running deployment with rollback.
    pub(crate) stop_deployment: bool,
    pub(crate) dry_run: bool,
}

/// The answer to a manual approval, and what must be waiting for it to be given.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Answer {
    pub(crate) pipeline: String,
    pub(crate) stage: String,
    pub(crate) action: String,
    /// Approve, or reject.
    pub(crate) approve: bool,
    /// Answer only if the waiting execution was started from this revision.
    pub(crate) revision: Option<String>,
    /// Answer only if the waiting execution is this one.
    pub(crate) execution_id: Option<String>,
    pub(crate) summary: Option<String>,
}

/// A new execution.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Start {
    pub(crate) pipeline: String,
    /// Pipeline variables, `(name, value)`.
    pub(crate) variables: Vec<(String, String)>,
    pub(crate) overrides: Vec<SourceOverride>,
}

/// An execution or a service deployment to wait for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Wait {
    pub(crate) waited: Waited,
    pub(crate) timeout: Duration,
    pub(crate) interval: Duration,
}

/// What `wait` follows.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Waited {
    /// A pipeline execution, and the deployment of its deploy action.
    Execution {
        pipeline: String,
        execution_id: String,
    },
    /// `--service`: a deployment of an ECS service.
    Service {
        cluster: String,
        service: String,
        pick: Pick,
    },
}

/// A pipeline to show.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Status {
    pub(crate) pipeline: String,
    pub(crate) format: Format,
}

/// Services to show what they run.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Running {
    /// `(cluster, service)`, in the order given, without repeats.
    pub(crate) services: Vec<(String, String)>,
    /// Each service's environment label, all `None` when none was labelled.
    pub(crate) environments: Vec<Option<String>>,
    /// The pipelines to search for the executions that stamped the revisions.
    pub(crate) pipelines: Vec<String>,
    pub(crate) format: Format,
}

/// How `status` prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// An aligned table on stdout.
    #[default]
    Text,
    /// One JSON document on stdout.
    Json,
}

/// The revision types `StartPipelineExecution` takes (CodePipeline API reference,
/// `SourceRevisionOverride`).
const KINDS: [&str; 4] = [
    "COMMIT_ID",
    "IMAGE_DIGEST",
    "S3_OBJECT_VERSION_ID",
    "S3_OBJECT_KEY",
];

impl TryFrom<Cli> for Config {
    type Error = CliError;

    fn try_from(cli: Cli) -> Result<Self, CliError> {
        let aws = AwsSettings::try_from(cli.aws)?;
        let job = match cli.command {
            Command::Approve(args) => Job::Answer(answer(args, true)?),
            Command::Reject(args) => Job::Answer(answer(args, false)?),
            Command::Start(args) => Job::Start(start(args)?),
            Command::Wait(args) => Job::Wait(wait(args)?),
            Command::Status(args) if args.services.is_empty() => {
                let [pipeline] = <[String; 1]>::try_from(args.pipelines).map_err(|_| {
                    CliError::new("`status` shows one pipeline at a time")
                        .help("give --pipeline once, or --service to see what services run")
                })?;
                Job::Status(Status {
                    pipeline,
                    format: args.format,
                })
            }
            Command::Status(args) => {
                let (services, environments) = services(&args.services)?;
                Job::Running(Running {
                    services,
                    environments,
                    pipelines: args.pipelines,
                    format: args.format,
                })
            }
            Command::Rollback(args) => Job::Rollback(Rollback {
                pipeline: args.pipeline,
                stage: args.stage,
                to: args.to,
                stop_deployment: args.stop_deployment,
                dry_run: args.dry_run,
            }),
        };
        Ok(Self { aws, job })
    }
}

fn answer(args: ApprovalArgs, approve: bool) -> Result<Answer, CliError> {
    let revision = if args.revision_from_build {
        // In CodeBuild the build's own commit is the tested one unless told otherwise, as for
        // every flag with a CodeBuild equivalent; an empty variable is no commit.
        args.revision
            .filter(|_| args.execution_id.is_none() && !args.any_revision)
            .filter(|revision| !revision.is_empty())
    } else if args.any_revision && args.revision.is_some() {
        // Checked here, not by clap, which counts the CodeBuild variable as given; worded as
        // clap words its conflicts.
        return Err(CliError::new(
            "the argument '--any-revision' cannot be used with '--revision <COMMIT>'",
        )
        .help("give --revision to answer only for that revision, or --any-revision to answer whatever is waiting"));
    } else {
        args.revision
    };
    Ok(Answer {
        pipeline: args.pipeline,
        stage: args.stage,
        action: args.action,
        approve,
        revision,
        execution_id: args.execution_id,
        summary: args.summary,
    })
}

fn wait(args: WaitArgs) -> Result<Wait, CliError> {
    // clap has already refused `--service` with `--pipeline`/`--execution-id`, and either
    // pair alone.
    let waited = match (args.service, args.pipeline, args.execution_id) {
        (Some(text), _, _) => {
            let (cluster, service) = service_pair(&text)?;
            let pick = match (args.deployment, args.task_definition) {
                (Some(id), _) => Pick::Id(id),
                (None, Some(arn)) => Pick::TaskDefinition(arn),
                (None, None) => Pick::Newest,
            };
            Waited::Service {
                cluster,
                service,
                pick,
            }
        }
        (None, Some(pipeline), Some(execution_id)) => Waited::Execution {
            pipeline,
            execution_id,
        },
        _ => {
            return Err(
                CliError::new("`wait` needs --pipeline and --execution-id, or --service").help(
                    "give the execution that `start` printed, or `--service CLUSTER/SERVICE`",
                ),
            );
        }
    };
    Ok(Wait {
        waited,
        timeout: args.timeout,
        interval: args.interval,
    })
}

fn start(args: StartArgs) -> Result<Start, CliError> {
    let variables = args
        .variables
        .iter()
        .map(|pair| split("--variable", pair, "NAME=VALUE"))
        .collect::<Result<Vec<_>, _>>()?;
    let overrides = args
        .source_revisions
        .iter()
        .map(|pair| source_override(pair))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Start {
        pipeline: args.pipeline,
        variables,
        overrides,
    })
}

/// `[ENV=]CLUSTER/SERVICE`, split on the last `/` so that the cluster may be an ARN
/// (`arn:aws:ecs:eu-west-1:123456789012:cluster/prod/web`); every service labelled, or none.
type Services = (Vec<(String, String)>, Vec<Option<String>>);

fn services(given: &[String]) -> Result<Services, CliError> {
    let mut services: Vec<(String, String)> = Vec::new();
    let mut environments = Vec::new();
    for text in given {
        let (environment, target) = match text.split_once('=') {
            Some((environment, target)) if !environment.is_empty() => {
                (Some(environment.to_owned()), target)
            }
            _ => (None, text.as_str()),
        };
        let pair = service_pair(target).map_err(|_| {
            CliError::new(format!("`--service {text}` is not `CLUSTER/SERVICE`"))
                .help("name the cluster and the service, such as `--service prod/web`")
        })?;
        if !services.contains(&pair) {
            services.push(pair);
            environments.push(environment);
        }
    }
    let labelled = environments.iter().filter(|label| label.is_some()).count();
    if labelled != 0 && labelled != environments.len() {
        return Err(
            CliError::new("some --service flags name an environment and some do not").help(
                "label every service (`--service dev=dev/web --service prod=prod/web`) or none",
            ),
        );
    }
    Ok((services, environments))
}

/// `CLUSTER/SERVICE`, split on the last `/` so that the cluster may be an ARN.
fn service_pair(text: &str) -> Result<(String, String), CliError> {
    text.rsplit_once('/')
        .filter(|(cluster, service)| !cluster.is_empty() && !service.is_empty())
        .map(|(cluster, service)| (cluster.to_owned(), service.to_owned()))
        .ok_or_else(|| {
            CliError::new(format!("`--service {text}` is not `CLUSTER/SERVICE`"))
                .help("name the cluster and the service, such as `--service prod/web`")
        })
}

fn split(flag: &str, pair: &str, shape: &str) -> Result<(String, String), CliError> {
    pair.split_once('=')
        .filter(|(name, value)| !name.is_empty() && !value.is_empty())
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .ok_or_else(|| {
            // A pipeline variable's value may be a secret; a source revision is a commit id.
            let shown = if flag == "--variable" {
                redact_assignment(pair)
            } else {
                secrets::shown(pair).into_owned()
            };
            CliError::new(format!("`{flag} {shown}` is not `{shape}`"))
                .help(format!("write `{flag} {shape}`"))
        })
}

/// `ACTION=REVISION`, the type taken from an explicit `TYPE:` prefix or from the value's shape.
fn source_override(pair: &str) -> Result<SourceOverride, CliError> {
    let (action, revision) = split("--source-revision", pair, "ACTION=REVISION")?;
    let explicit = KINDS.iter().find_map(|kind| {
        revision
            .strip_prefix(kind)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(|value| (*kind, value))
    });
    let (kind, value) = match explicit {
        Some((kind, value)) => (kind, value.to_owned()),
        None if revision.starts_with("sha256:") => ("IMAGE_DIGEST", revision),
        None => ("COMMIT_ID", revision),
    };
    Ok(SourceOverride {
        action,
        kind: kind.to_owned(),
        value,
    })
}

#[cfg(test)]
mod tests;
