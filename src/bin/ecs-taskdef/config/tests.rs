use clap::{CommandFactory, FromArgMatches};
use deploykit_artifacts::task_definition::edit::{ContainerEdit, Edits, Provenance};

use super::*;

/// The configuration of `args` as clap parses them with no environment: the test process may
/// itself run in CodeBuild. A variable and its flag land in the same field, so the flags stand
/// in for the variables here; `tests/taskdef_config.rs` runs the program with them.
fn parse(args: &[&str]) -> Result<Config, CliError> {
    let matches = Cli::command()
        .mut_subcommand("render", |render| render.mut_args(|arg| arg.env(None)))
        .try_get_matches_from(std::iter::once("ecs-taskdef").chain(args.iter().copied()))
        .expect("clap accepts the arguments");
    Config::try_from(Cli::from_arg_matches(&matches).expect("the arguments fit `Cli`"))
}

fn error(args: &[&str]) -> String {
    parse(args).unwrap_err().to_string()
}

fn render(args: &[&str]) -> Render {
    match parse(&[&["render", "taskdef.template.json"], args].concat()).unwrap() {
        Config::Render(render) => *render,
        other => panic!("not render: {other:?}"),
    }
}

fn containers(names: &[&str]) -> Vec<String> {
    names.iter().map(|&name| name.to_owned()).collect()
}

fn edit(name: &str, edit: ContainerEdit) -> (String, ContainerEdit) {
    (name.to_owned(), edit)
}

#[test]
fn render_reads_every_flag_once() {
    let config = render(&[
        "--var",
        "STAGE=prod=1",
        "--vars-file",
        "prod.env",
        "--no-env-vars",
        "--set",
        "/ephemeralStorage/sizeInGiB=30",
        "--no-placeholders",
        "--check",
        "taskdef.json",
        "--region",
        "eu-west-1",
    ]);
    assert_eq!(
        config.origin,
        Origin::File(PathBuf::from("taskdef.template.json"))
    );
    assert_eq!(
        config.variables,
        Variables {
            from_environment: false,
            files: vec![PathBuf::from("prod.env")],
            values: vec![("STAGE".to_owned(), "prod=1".to_owned())],
        }
    );
    assert_eq!(
        config.sets,
        [("/ephemeralStorage/sizeInGiB".to_owned(), "30".to_owned())]
    );
    assert!(!config.options.allow_placeholders);
    assert_eq!(
        config.destination,
        Destination::Compare(PathBuf::from("taskdef.json"))
    );
    assert_eq!(config.aws.region(), Some("eu-west-1"));

    let config = render(&[]);
    assert_eq!(
        config.destination,
        Destination::Write(PathBuf::from("taskdef.json"))
    );
    assert!(config.variables.from_environment);
}

#[test]
fn malformed_pairs_are_refused_with_their_secret_redacted() {
    assert_eq!(
        error(&["render", "t.json", "--set", "/cpu"]),
        "error: `--set <redacted>` is not `/POINTER=VALUE`\nhelp: write `--set /containerDefinitions/0/cpu=256`"
    );
    assert_eq!(
        error(&["render", "t.json", "--var", "=hunter2"]),
        "error: `--var =<redacted>` is not `NAME=VALUE`\nhelp: write `--var NAME=VALUE`"
    );
    assert_eq!(
        error(&["render", "t.json", "--image", "web"]),
        "error: `--image web` is not `CONTAINER=IMAGE`\nhelp: write `--image CONTAINER=IMAGE`"
    );
    assert_eq!(
        error(&["render", "t.json", "--tag", "team"]),
        "error: `--tag team` is not `KEY=VALUE`\nhelp: write `--tag KEY=VALUE`"
    );
    assert_eq!(
        error(&["render", "t.json", "--cpu", "fast"]),
        "error: `fast` is not a task size ECS reads (--cpu)\nhelp: write CPU units such as `256`, or vCPUs such as `0.25 vCPU`"
    );
    assert!(error(&["render", "t.json", "--region", "EU"]).contains("invalid Region `EU`"));
}

#[test]
fn placeholders_and_images_name_their_container_before_the_scoped_edits() {
    let config = render(&[
        "--env",
        "A=1",
        "--placeholder",
        "web",
        "--image",
        "log=log:2",
        "--replace-env",
        "web",
        "--cpu",
        "1 vCPU",
        "--tag",
        "team=web",
    ]);
    let edits = config.edits.resolve(&containers(&["web"])).unwrap();
    assert_eq!(
        edits,
        Edits {
            containers: vec![
                edit("log", ContainerEdit::Image("log:2".to_owned())),
                edit("web", ContainerEdit::Placeholder),
                edit("web", ContainerEdit::ReplaceEnvironment),
                edit(
                    "web",
                    ContainerEdit::Env {
                        name: "A".to_owned(),
                        value: "1".to_owned()
                    }
                ),
            ],
            cpu: Some("1 vCPU".to_owned()),
            tags: vec![("team".to_owned(), "web".to_owned())],
            ..Edits::default()
        }
    );
}

#[test]
fn a_container_prefix_counts_only_when_it_names_a_container() {
    let config = render(&[
        "--env",
        "web:A=1",
        "--command",
        "log:npm start",
        "--entry-point",
        "sh -c 'x'",
    ]);
    let edits = config.edits.resolve(&containers(&["web"])).unwrap();
    assert_eq!(
        edits.containers,
        [
            edit(
                "web",
                ContainerEdit::Env {
                    name: "A".to_owned(),
                    value: "1".to_owned()
                }
            ),
            // `log` is no container: the whole argument is the only container's command.
            edit(
                "web",
                ContainerEdit::Command(vec!["log:npm".to_owned(), "start".to_owned()])
            ),
            edit(
                "web",
                ContainerEdit::EntryPoint(vec!["sh".to_owned(), "-c".to_owned(), "x".to_owned()])
            ),
        ]
    );
    let two = containers(&["web", "log"]);
    assert_eq!(
        render(&["--env", "A=secret"])
            .edits
            .resolve(&two)
            .unwrap_err()
            .to_string(),
        "error: `--env A=<redacted>` names no container, and the task definition has 2: `web`, `log`\n\
         help: aim it at one: `--env web:A=<redacted>`"
    );
    assert_eq!(
        render(&["--secret", "web:DB"])
            .edits
            .resolve(&two)
            .unwrap_err()
            .to_string(),
        "error: `--secret DB` is not `NAME=VALUE_FROM`\nhelp: write `--secret NAME=VALUE_FROM`"
    );
}

#[test]
fn provenance_comes_from_the_flags_unless_turned_off() {
    let stamps = [
        "--revision",
        "4f2a9c1",
        "--source-url",
        "https://example.com/web.git",
    ];
    let resolved = |args: &[&str]| {
        render(args)
            .edits
            .resolve(&containers(&["web"]))
            .unwrap()
            .provenance
    };
    assert_eq!(
        resolved(&[&stamps[..], &["--build-id", ""]].concat()),
        Provenance {
            revision: Some("4f2a9c1".to_owned()),
            source: Some("https://example.com/web.git".to_owned()),
            build_id: None,
        }
    );
    assert_eq!(
        resolved(&[&stamps[..], &["--no-provenance"]].concat()),
        Provenance::default()
    );
}

#[test]
fn diff_sides_are_files_or_registered_definitions() {
    let Config::Diff(diff) = parse(&["diff", "ecs:web:3", "arn:aws:ecs:x"]).unwrap() else {
        panic!("not diff");
    };
    assert_eq!(
        diff.old,
        ("ecs:web:3".to_owned(), Origin::Ecs("web:3".to_owned()))
    );
    assert_eq!(
        diff.new,
        (
            "arn:aws:ecs:x".to_owned(),
            Origin::Ecs("arn:aws:ecs:x".to_owned())
        )
    );
    let Config::Diff(diff) = parse(&["diff", "a.json", "b.yaml"]).unwrap() else {
        panic!("not diff");
    };
    assert_eq!(diff.new.1, Origin::File(PathBuf::from("b.yaml")));
    let Config::Diff(diff) = parse(&["diff", "service:prod/web", "taskdef.json"]).unwrap() else {
        panic!("not diff");
    };
    assert_eq!(
        diff.old.1,
        Origin::Service {
            cluster: "prod".to_owned(),
            service: "web".to_owned()
        }
    );
    let error = parse(&["diff", "service:web", "taskdef.json"]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "error: `service:web` is not `service:CLUSTER/SERVICE`\n\
         help: name the cluster and the service, such as `service:prod/web`"
    );

    let Config::Render(config) =
        parse(&["render", "--from-ecs", "web", "--profile", "prod"]).unwrap()
    else {
        panic!("not render");
    };
    assert_eq!(config.origin, Origin::Ecs("web".to_owned()));
}
