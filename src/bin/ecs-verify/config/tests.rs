//! The flags read into a configuration, and the ones refused.

use clap::Parser;

use super::*;

fn config(args: &[&str]) -> Result<Config, CliError> {
    let cli = Cli::try_parse_from([&["ecs-verify"], args].concat()).expect("valid flags");
    Config::try_from(cli)
}

fn artifacts(args: &[&str]) -> ArtifactCheck {
    match config(args).unwrap() {
        Config::Artifacts(artifacts) => *artifacts,
        Config::Template(templates) => panic!("not an artifact check: {templates:?}"),
    }
}

#[test]
fn names_artifacts_as_given_or_after_the_folder_or_zip() {
    let checked = artifacts(&[
        "--for",
        "ecs",
        "BuildArtifact=out/deploy.zip",
        "out/image.zip",
    ]);
    assert_eq!(
        checked.artifacts,
        [
            ArtifactSpec {
                name: "BuildArtifact".to_owned(),
                path: PathBuf::from("out/deploy.zip"),
            },
            ArtifactSpec {
                name: "image".to_owned(),
                path: PathBuf::from("out/image.zip"),
            },
        ]
    );
    assert_eq!(
        checked.action,
        ActionFrom::Flags(Action::Ecs {
            file_name: "imagedefinitions.json".to_owned()
        })
    );
}

#[test]
fn reads_image_inputs_with_or_without_angle_brackets() {
    let checked = artifacts(&[
        "--for",
        "blue-green",
        "out/bluegreen",
        "--image",
        "ImageArtifact=<IMAGE1_NAME>",
        "--image",
        "Sidecar=IMAGE2_NAME",
    ]);
    let ActionFrom::Flags(Action::BlueGreen { images, .. }) = checked.action else {
        panic!("the Blue/Green action: {:?}", checked.action);
    };
    let placeholders: Vec<_> = images.iter().map(|i| i.placeholder.as_str()).collect();
    assert_eq!(placeholders, ["IMAGE1_NAME", "IMAGE2_NAME"]);
    let error = config(&[
        "--for",
        "blue-green",
        "out/bluegreen",
        "--image",
        "IMAGE1_NAME",
    ])
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "error: `--image IMAGE1_NAME` is not `ARTIFACT=PLACEHOLDER`\n\
         help: write `--image ImageArtifact=IMAGE1_NAME`"
    );
}

#[test]
fn a_pipeline_describes_the_action_and_the_flags_do_not() {
    let checked = artifacts(&[
        "--pipeline-json",
        "pipeline.json",
        "--action",
        "Deploy/BlueGreen",
        // Read by the pipeline's action, not the flags: not parsed, as before.
        "--image",
        "not-a-pair",
        "out/bluegreen",
    ]);
    assert_eq!(
        checked.action,
        ActionFrom::Pipeline {
            pipeline: PipelineFrom::Json(PathBuf::from("pipeline.json")),
            action: Some("Deploy/BlueGreen".to_owned()),
        }
    );
    let error = config(&["--for", "ecs", "--action", "Deploy", "out/deploy"]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "error: --action needs --pipeline, --pipeline-json or --pipeline-template"
    );
}

#[test]
fn the_target_service_from_a_file_or_from_ecs() {
    let live = artifacts(&[
        "--for",
        "ecs",
        "out/deploy",
        "--from-ecs",
        "main/web",
        "--region",
        "eu-west-1",
    ]);
    assert_eq!(
        live.service,
        Some(ServiceFrom::Live {
            cluster: "main".to_owned(),
            service: "web".to_owned(),
        })
    );
    assert_eq!(live.aws.region(), Some("eu-west-1"));
    let error = config(&["--for", "ecs", "out/deploy", "--from-ecs", "web"]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "error: `--from-ecs web` is not `CLUSTER/SERVICE`\n\
         help: write `--from-ecs main/web-service`"
    );
}

#[test]
fn service_json_is_for_the_ecs_action_only() {
    let error = config(&[
        "--for",
        "blue-green",
        "out/bluegreen",
        "--service-json",
        "service.json",
    ])
    .unwrap_err();
    assert_eq!(error, service_json_for_blue_green());
    assert_eq!(
        error.to_string(),
        "error: --service-json checks the target service of the ECS action, and this is the \
         Blue/Green action (--service-json)\n\
         help: drop it: the Blue/Green action deploys through CodeDeploy, whose deployment \
         group says how"
    );
    // With a pipeline, its action decides, once it is read.
    let checked = artifacts(&[
        "--pipeline",
        "web-prod",
        "out/deploy",
        "--service-json",
        "service.json",
    ]);
    assert_eq!(
        checked.service,
        Some(ServiceFrom::File(PathBuf::from("service.json")))
    );
}

#[test]
fn live_needs_a_task_definition_for_the_ecs_action() {
    let error = config(&["--for", "ecs", "out/deploy", "--live"]).unwrap_err();
    assert_eq!(error, crate::live::no_task_definition());
    assert!(
        error
            .to_string()
            .starts_with("error: --live needs the task definition the deploy will run (--live)")
    );
    for with in [
        &["--taskdef", "taskdef.json"][..],
        &["--from-ecs", "main/web"][..],
    ] {
        let checked = artifacts(&[&["--for", "ecs", "out/deploy", "--live"][..], with].concat());
        assert!(checked.live);
    }
    // The Blue/Green action's task definition is the one it registers.
    assert!(artifacts(&["--for", "blue-green", "out/bluegreen", "--live"]).live);
    assert!(!artifacts(&["--for", "blue-green", "out/bluegreen"]).live);
}

#[test]
fn pipeline_template_takes_its_own_flags() {
    assert_eq!(
        config(&["pipeline-template", "--source-root", "app", "prod.yaml"]).unwrap(),
        Config::Template(TemplateCheck {
            templates: vec![PathBuf::from("prod.yaml")],
            source_root: PathBuf::from("app"),
            format: Format::default(),
            reports: vec![],
        })
    );
}

#[test]
fn the_deployment_group_is_named_by_both_flags_with_live() {
    let checked = artifacts(&[
        "--for",
        "blue-green",
        "out/bluegreen",
        "--live",
        "--codedeploy-app",
        "web",
        "--deployment-group",
        "web-prod",
    ]);
    let group = Some(("web".to_owned(), "web-prod".to_owned()));
    assert_eq!(checked.deployment_group, group);
    let alone = [
        "--for",
        "blue-green",
        "out/bluegreen",
        "--codedeploy-app",
        "web",
    ];
    assert!(Cli::try_parse_from([&["ecs-verify"][..], &alone].concat()).is_err());
    let without_live = [&alone[..], &["--deployment-group", "web-prod"]].concat();
    assert!(Cli::try_parse_from([&["ecs-verify"][..], &without_live].concat()).is_err());
}
