use serde_json::json;

use super::*;

const SHA: &str = "sha256:7d2a1f0c9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29";
const ECR: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

fn artifact(name: &str, files: &[(&str, String)]) -> Artifact {
    Artifact {
        name: name.to_owned(),
        files: files
            .iter()
            .map(|(path, text)| ((*path).to_owned(), text.clone().into_bytes()))
            .collect(),
        zip_size: None,
    }
}

fn taskdef(image: &str) -> String {
    json!({
        "family": "web", "executionRoleArn": "web-execution", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512",
        "containerDefinitions": [{"name": "web", "image": image, "portMappings": [{"containerPort": 8080}]}]
    })
    .to_string()
}

fn appspec() -> String {
    "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: <TASK_DEFINITION>\n        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 8080\n".to_owned()
}

fn detail() -> String {
    format!(r#"{{"ImageURI":"{ECR}/web@{SHA}"}}"#)
}

fn blue_green(images: Vec<ImageInput>) -> Action {
    Action::BlueGreen {
        taskdef_artifact: None,
        taskdef_path: "taskdef.json".into(),
        appspec_artifact: None,
        appspec_path: "appspec.yaml".into(),
        images,
    }
}

/// `(place, rule)` of every finding; the places are leaked, which a test can afford, so that
/// the pairs compare with literals.
fn rules(verification: &Verification) -> Vec<(&'static str, &'static str)> {
    verification
        .findings
        .iter()
        .map(|l| {
            let place: &'static str = Box::leak(l.place.to_string().into_boxed_str());
            (place, l.finding.rule)
        })
        .collect()
}

#[test]
fn ecs_action_reads_its_file_from_the_one_artifact() {
    let ecs = Action::Ecs {
        file_name: "imagedefinitions.json".into(),
    };
    let good = artifact(
        "BuildArtifact",
        &[(
            "imagedefinitions.json",
            format!(r#"[{{"name":"web","imageUri":"{ECR}/web:4f2a9c1"}}]"#),
        )],
    );
    assert_eq!(
        rules(&verify(
            std::slice::from_ref(&good),
            &ecs,
            &Options::default()
        )),
        []
    );
    let service = Options {
        service_containers: Some(vec!["api".into()]),
        ..Options::default()
    };
    assert_eq!(
        rules(&verify(std::slice::from_ref(&good), &ecs, &service)),
        [("BuildArtifact/imagedefinitions.json", "unknown-container")]
    );
    let wrong = artifact("BuildArtifact", &[("imageDetail.json", detail())]);
    let verification = verify(&[wrong], &ecs, &Options::default());
    assert_eq!(rules(&verification), [("BuildArtifact", "missing-file")]);
    assert!(
        verification.findings[0]
            .finding
            .help
            .as_deref()
            .unwrap()
            .contains("for the Blue/Green action")
    );
    assert_eq!(
        rules(&verify(&[good.clone(), good], &ecs, &Options::default())),
        [("the action", "input-artifacts")]
    );
}

#[test]
fn blue_green_pairs_the_only_placeholder_and_renders_what_is_registered() {
    let build = artifact(
        "BuildArtifact",
        &[
            ("taskdef.json", taskdef("<IMAGE1_NAME>")),
            ("appspec.yaml", appspec()),
        ],
    );
    let image = artifact("ImageArtifact", &[("imageDetail.json", detail())]);
    let verification = verify(
        &[build, image],
        &blue_green(Vec::new()),
        &Options::default(),
    );
    assert_eq!(rules(&verification), []);
    let registered = verification.final_task_definition.unwrap();
    assert_eq!(
        registered["containerDefinitions"][0]["image"],
        format!("{ECR}/web@{SHA}")
    );
}

#[test]
fn blue_green_mistakes() {
    let build = artifact(
        "BuildArtifact",
        &[
            ("taskdef.json", taskdef("<IMAGE1_NAME>")),
            ("appspec.yaml", appspec()),
        ],
    );
    let image = artifact("ImageArtifact", &[("imageDetail.json", detail())]);
    // The container name where the placeholder name belongs.
    let configured = vec![ImageInput {
        artifact: "ImageArtifact".into(),
        placeholder: "web".into(),
    }];
    let verification = verify(
        &[build.clone(), image.clone()],
        &blue_green(configured),
        &Options::default(),
    );
    assert_eq!(
        rules(&verification)[..2],
        [
            ("BuildArtifact/taskdef.json", "placeholder"),
            ("BuildArtifact/taskdef.json", "placeholder")
        ]
    );
    assert!(verification.final_task_definition.is_none());
    // imagedefinitions.json given as the image artifact.
    let wrong = artifact("ImageArtifact", &[("imagedefinitions.json", "[]".into())]);
    let configured = vec![ImageInput {
        artifact: "ImageArtifact".into(),
        placeholder: "IMAGE1_NAME".into(),
    }];
    let verification = verify(
        &[build.clone(), wrong],
        &blue_green(configured),
        &Options::default(),
    );
    assert!(
        rules(&verification).contains(&("ImageArtifact", "missing-file")),
        "{:?}",
        rules(&verification)
    );
    // No taskdef, and an oversized zip.
    let mut big = artifact("SourceArtifact", &[("appspec.yaml", appspec())]);
    big.zip_size = Some(4_000_000);
    let verification = verify(&[big, image], &blue_green(Vec::new()), &Options::default());
    assert_eq!(
        rules(&verification),
        [
            ("SourceArtifact", "artifact-too-large"),
            ("the input artifacts", "missing-file")
        ]
    );
    // The AppSpec names a port the task definition does not have.
    let bad_port = artifact(
        "BuildArtifact",
        &[
            ("taskdef.json", taskdef("<IMAGE1_NAME>")),
            ("appspec.yaml", appspec().replace("8080", "80")),
        ],
    );
    let image = artifact("ImageArtifact", &[("imageDetail.json", detail())]);
    let verification = verify(
        &[bad_port, image],
        &blue_green(Vec::new()),
        &Options::default(),
    );
    assert_eq!(
        rules(&verification),
        [("BuildArtifact/appspec.yaml", "unknown-port")]
    );
}

#[test]
fn the_registered_definition_is_judged_with_the_real_image() {
    let build = artifact(
        "BuildArtifact",
        &[
            ("taskdef.json", taskdef("<IMAGE1_NAME>")),
            ("appspec.yaml", appspec()),
        ],
    );
    let latest = artifact(
        "ImageArtifact",
        &[(
            "imageDetail.json",
            r#"{"ImageURI":"web:latest"}"#.to_owned(),
        )],
    );
    let verification = verify(
        &[build, latest],
        &blue_green(Vec::new()),
        &Options::default(),
    );
    let found = rules(&verification);
    assert!(
        found.contains(&("ImageArtifact/imageDetail.json", "mutable-tag")),
        "{found:?}"
    );
    assert!(
        found.contains(&("BuildArtifact/taskdef.json (as registered)", "mutable-tag")),
        "{found:?}"
    );
}

#[test]
fn one_artifact_of_the_set_is_checked_on_its_own() {
    let partial = Options {
        partial: true,
        ..Options::default()
    };
    let templates = artifact(
        "BuildArtifact",
        &[
            ("taskdef.json", taskdef("<IMAGE1_NAME>")),
            ("appspec.yaml", appspec()),
        ],
    );
    assert_eq!(
        rules(&verify(
            std::slice::from_ref(&templates),
            &blue_green(Vec::new()),
            &partial
        )),
        []
    );
    let image = artifact(
        "ImageArtifact",
        &[("imageDetail.json", r#"{"ImageURI":"web"}"#.to_owned())],
    );
    assert_eq!(
        rules(&verify(&[image], &blue_green(Vec::new()), &partial)),
        [
            ("ImageArtifact/imageDetail.json", "mutable-tag"),
            ("ImageArtifact/imageDetail.json", "not-pinned")
        ]
    );
    let appspec_alone = artifact("BuildArtifact", &[("appspec.yaml", appspec())]);
    assert_eq!(
        rules(&verify(&[appspec_alone], &blue_green(Vec::new()), &partial)),
        [("the input artifacts", "missing-file")]
    );
}

#[test]
fn describe_output_and_unknown_artifacts() {
    let describe = json!({"taskDefinition": serde_json::from_str::<serde_json::Value>(&taskdef("<IMAGE1_NAME>")).unwrap(), "tags": []});
    let build = artifact(
        "BuildArtifact",
        &[
            ("taskdef.json", describe.to_string()),
            ("appspec.yaml", appspec()),
        ],
    );
    let image = artifact("ImageArtifact", &[("imageDetail.json", detail())]);
    let verification = verify(
        &[build.clone(), image.clone()],
        &blue_green(Vec::new()),
        &Options::default(),
    );
    assert_eq!(
        rules(&verification),
        [("BuildArtifact/taskdef.json", "describe-output")]
    );
    let elsewhere = Action::BlueGreen {
        taskdef_artifact: Some("SourceArtifact".into()),
        taskdef_path: "taskdef.json".into(),
        appspec_artifact: None,
        appspec_path: "appspec.yaml".into(),
        images: Vec::new(),
    };
    assert_eq!(
        rules(&verify(
            &[build, image.clone()],
            &elsewhere,
            &Options::default()
        )),
        [("the action", "unknown-artifact")]
    );
    let good = artifact(
        "BuildArtifact",
        &[
            ("taskdef.json", taskdef("<IMAGE1_NAME>")),
            ("appspec.yaml", appspec()),
        ],
    );
    let missing_image = vec![ImageInput {
        artifact: "Nowhere".into(),
        placeholder: "IMAGE1_NAME".into(),
    }];
    assert_eq!(
        rules(&verify(
            &[good, image],
            &blue_green(missing_image),
            &Options::default()
        )),
        [("the action", "unknown-artifact")]
    );
}
