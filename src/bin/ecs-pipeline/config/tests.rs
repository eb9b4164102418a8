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
fn status_takes_services_or_a_pipeline() {
    let shown = config(&[
        "ecs-pipeline",
        "status",
        "--service",
        "dev/web",
        "--service",
        "arn:aws:ecs:eu-west-1:123456789012:cluster/prod/web",
        "--service",
        "dev/web",
        "--format",
        "json",
    ])
    .unwrap();
    assert_eq!(
        shown.job,
        Job::Running(Running {
            services: vec![
                ("dev".to_owned(), "web".to_owned()),
                (
                    "arn:aws:ecs:eu-west-1:123456789012:cluster/prod".to_owned(),
                    "web".to_owned()
                ),
            ],
            environments: vec![None, None],
            pipelines: Vec::new(),
            format: Format::Json,
        })
    );
    let error = config(&["ecs-pipeline", "status", "--service", "web"]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "error: `--service web` is not `CLUSTER/SERVICE`\n\
         help: name the cluster and the service, such as `--service prod/web`"
    );
    let clap_error = Cli::try_parse_noting_sources(["ecs-pipeline", "status"]).unwrap_err();
    assert_eq!(
        clap_error.kind(),
        clap::error::ErrorKind::MissingRequiredArgument
    );
    let error = config(&[
        "ecs-pipeline",
        "status",
        "--pipeline",
        "a",
        "--pipeline",
        "b",
    ]);
    assert!(
        error
            .unwrap_err()
            .to_string()
            .starts_with("error: `status` shows one pipeline at a time")
    );
}

#[test]
fn status_labels_every_service_with_its_environment_or_none() {
    let shown = config(&[
        "ecs-pipeline",
        "status",
        "--service",
        "dev=dev/web",
        "--service",
        "prod=prod/web",
        "--pipeline",
        "web-dev",
        "--pipeline",
        "web-prod",
    ])
    .unwrap();
    assert_eq!(
        shown.job,
        Job::Running(Running {
            services: vec![
                ("dev".to_owned(), "web".to_owned()),
                ("prod".to_owned(), "web".to_owned()),
            ],
            environments: vec![Some("dev".to_owned()), Some("prod".to_owned())],
            pipelines: vec!["web-dev".to_owned(), "web-prod".to_owned()],
            format: Format::Text,
        })
    );
    let error = config(&[
        "ecs-pipeline",
        "status",
        "--service",
        "dev=dev/web",
        "--service",
        "prod/web",
    ])
    .unwrap_err();
    assert!(error.to_string().contains("label every service"), "{error}");
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
            waited: Waited::Execution {
                pipeline: "web-prod".to_owned(),
                execution_id: "e-1".to_owned(),
            },
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
