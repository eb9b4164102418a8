//! The checked configuration: what to answer, start, wait for or show, and where to ask.

use std::time::Duration;

use clap::ValueEnum;
use deploykit_artifacts::secrets::{self, redact_assignment};
use deploykit_aws::codepipeline::SourceOverride;
use deploykit_cli::CliError;
use deploykit_cli::aws::AwsSettings;

use crate::{ApprovalArgs, Cli, Command, StartArgs};

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

/// An execution to wait for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Wait {
    pub(crate) pipeline: String,
    pub(crate) execution_id: String,
    pub(crate) timeout: Duration,
    pub(crate) interval: Duration,
}

/// A pipeline to show.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Status {
    pub(crate) pipeline: String,
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
            Command::Wait(args) => Job::Wait(Wait {
                pipeline: args.pipeline,
                execution_id: args.execution_id,
                timeout: args.timeout,
                interval: args.interval,
            }),
            Command::Status(args) => Job::Status(Status {
                pipeline: args.pipeline,
                format: args.format,
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
mod tests {
    use super::*;

    const APPROVAL: [&str; 8] = [
        "ecs-pipeline",
        "approve",
        "--pipeline",
        "web-prod",
        "--stage",
        "Approve",
        "--action",
        "Manual",
    ];

    fn cli(args: &[&str]) -> Cli {
        Cli::try_parse_noting_sources(args).expect("valid flags")
    }

    fn config(args: &[&str]) -> Result<Config, CliError> {
        Config::try_from(cli(args))
    }

    /// The approval flags of `args`, as if `revision` came from CODEBUILD_RESOLVED_SOURCE_VERSION.
    fn in_codebuild(args: &[&str], revision: &str) -> Answer {
        let mut cli = cli(&[&APPROVAL[..], args].concat());
        let Command::Approve(approval) = &mut cli.command else {
            unreachable!("an approval")
        };
        approval.revision = Some(revision.to_owned());
        approval.revision_from_build = true;
        match Config::try_from(cli).unwrap().job {
            Job::Answer(answer) => answer,
            job => panic!("not an answer: {job:?}"),
        }
    }

    fn answer_of(config: Config) -> Answer {
        match config.job {
            Job::Answer(answer) => answer,
            job => panic!("not an answer: {job:?}"),
        }
    }

    #[test]
    fn the_build_commit_is_the_tested_one_unless_told_otherwise() {
        assert_eq!(
            in_codebuild(&[], "1a2b3c4").revision.as_deref(),
            Some("1a2b3c4")
        );
        assert_eq!(in_codebuild(&["--any-revision"], "1a2b3c4").revision, None);
        let by_id = in_codebuild(&["--execution-id", "e-1"], "1a2b3c4");
        assert_eq!(
            (by_id.revision, by_id.execution_id.as_deref()),
            (None, Some("e-1"))
        );
        assert_eq!(in_codebuild(&[], "").revision, None, "empty is unset");
    }

    #[test]
    fn a_revision_on_the_command_line_applies_with_an_execution_id() {
        let answer = answer_of(
            config(
                &[
                    &APPROVAL[..],
                    &["--revision", "abc1234", "--execution-id", "e-1"],
                ]
                .concat(),
            )
            .unwrap(),
        );
        assert_eq!(answer.revision.as_deref(), Some("abc1234"));
        assert_eq!(answer.execution_id.as_deref(), Some("e-1"));
        assert!(answer.approve);
    }

    #[test]
    fn any_revision_conflicts_with_a_revision_or_an_execution_id_given() {
        let error = config(&[&APPROVAL[..], &["--revision", "abc1234", "--any-revision"]].concat())
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: the argument '--any-revision' cannot be used with '--revision <COMMIT>'\n\
             help: give --revision to answer only for that revision, or --any-revision to \
             answer whatever is waiting"
        );
        let clap_error = Cli::try_parse_noting_sources(
            [&APPROVAL[..], &["--execution-id", "e-1", "--any-revision"]].concat(),
        )
        .unwrap_err();
        assert_eq!(clap_error.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn start_reads_variables_and_source_revisions() {
        let started = config(&[
            "ecs-pipeline",
            "start",
            "--pipeline",
            "web-prod",
            "--variable",
            "IMAGE_TAG=1.4.2",
            "--source-revision",
            "Source=1a2b3c4",
            "--source-revision",
            "Image=sha256:abc",
            "--source-revision",
            "Bucket=S3_OBJECT_KEY:app.zip",
        ])
        .unwrap();
        let override_of = |action: &str, kind: &str, value: &str| SourceOverride {
            action: action.to_owned(),
            kind: kind.to_owned(),
            value: value.to_owned(),
        };
        assert_eq!(
            started.job,
            Job::Start(Start {
                pipeline: "web-prod".to_owned(),
                variables: vec![("IMAGE_TAG".to_owned(), "1.4.2".to_owned())],
                overrides: vec![
                    override_of("Source", "COMMIT_ID", "1a2b3c4"),
                    override_of("Image", "IMAGE_DIGEST", "sha256:abc"),
                    override_of("Bucket", "S3_OBJECT_KEY", "app.zip"),
                ],
            })
        );
    }

    #[test]
    fn start_refuses_a_pair_without_a_value() {
        let error = config(&[
            "ecs-pipeline",
            "start",
            "--pipeline",
            "web-prod",
            "--variable",
            "NOVALUE",
        ])
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: `--variable NOVALUE` is not `NAME=VALUE`\nhelp: write `--variable NAME=VALUE`"
        );
        let error = config(&[
            "ecs-pipeline",
            "start",
            "--pipeline",
            "web-prod",
            "--source-revision",
            "=abc",
        ])
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: `--source-revision =abc` is not `ACTION=REVISION`\n\
             help: write `--source-revision ACTION=REVISION`"
        );
    }

    #[test]
    fn wait_and_status_keep_their_flags_and_the_region() {
        let waiting = config(&[
            "ecs-pipeline",
            "--region",
            "eu-west-1",
            "wait",
            "--pipeline",
            "web-prod",
            "--execution-id",
            "e-1",
            "--timeout",
            "45m",
        ])
        .unwrap();
        assert_eq!(waiting.aws.region(), Some("eu-west-1"));
        assert_eq!(
            waiting.job,
            Job::Wait(Wait {
                pipeline: "web-prod".to_owned(),
                execution_id: "e-1".to_owned(),
                timeout: Duration::from_mins(45),
                interval: Duration::from_secs(10),
            })
        );
        let error = config(&[
            "ecs-pipeline",
            "status",
            "--pipeline",
            "web-prod",
            "--profile",
            "",
        ])
        .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("error: the profile name is empty (--profile)")
        );
    }
}
