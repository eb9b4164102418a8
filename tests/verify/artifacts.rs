//! `ecs-verify`: artifact sets checked as the deploy actions will read them.

use insta::assert_snapshot;

use crate::support::fixtures::{ECR, EXAMPLE_SHA};
use crate::support::harness::Test;
use crate::support::snapshot::whole_lines;

fn taskdef(images: &[&str]) -> String {
    let containers: Vec<serde_json::Value> = images
        .iter()
        .enumerate()
        .map(|(i, image)| serde_json::json!({"name": if i == 0 { "web".to_owned() } else { format!("sidecar-{i}") }, "image": image, "portMappings": [{"containerPort": 8080 + i}]}))
        .collect();
    serde_json::json!({"family": "web", "executionRoleArn": "web-execution", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512", "containerDefinitions": containers}).to_string()
}

const APPSPEC: &str = "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: <TASK_DEFINITION>\n        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 8080\n";

fn detail(repository: &str) -> String {
    format!(r#"{{"ImageURI":"{ECR}/{repository}@{EXAMPLE_SHA}"}}"#)
}

fn blue_green() -> Test {
    Test::new()
        .file("build/taskdef.json", taskdef(&["<IMAGE1_NAME>"]))
        .file("build/appspec.yaml", APPSPEC)
        .file("image/imageDetail.json", detail("web"))
}

#[test]
fn a_good_blue_green_set_passes_and_renders_what_is_registered() {
    let outcome = blue_green()
        .args([
            "--for",
            "blue-green",
            "BuildArtifact=build",
            "ImageArtifact=image",
            "--render-final",
            "registered.json",
        ])
        .run("ecs-verify")
        .success()
        .stderr_has("checked 2 files: 0 errors, 0 warnings");
    let registered: serde_json::Value =
        serde_json::from_str(&outcome.file("registered.json")).unwrap();
    assert_eq!(
        registered["containerDefinitions"][0]["image"],
        format!("{ECR}/web@{EXAMPLE_SHA}")
    );
}

#[test]
fn two_images_need_the_action_settings() {
    let test = Test::new()
        .file(
            "build/taskdef.json",
            taskdef(&["<IMAGE1_NAME>", "<IMAGE2_NAME>"]),
        )
        .file("build/appspec.yaml", APPSPEC)
        .file("web/imageDetail.json", detail("web"))
        .file("sidecar/imageDetail.json", detail("sidecar"));
    let outcome = test
        .args([
            "--for",
            "blue-green",
            "build",
            "web",
            "sidecar",
            "--image",
            "web=IMAGE1_NAME",
            "--image",
            "sidecar=<IMAGE2_NAME>",
            "--render-final",
            "-",
        ])
        .run("ecs-verify")
        .success();
    assert!(
        outcome
            .stdout
            .contains(&format!("{ECR}/sidecar@{EXAMPLE_SHA}")),
        "{}",
        outcome.stdout
    );
    Test::new()
        .file("build/taskdef.json", taskdef(&["<IMAGE1_NAME>", "<IMAGE2_NAME>"]))
        .file("build/appspec.yaml", APPSPEC)
        .file("web/imageDetail.json", detail("web"))
        .file("sidecar/imageDetail.json", detail("sidecar"))
        .args(["--for", "blue-green", "build", "web", "sidecar"])
        .run("ecs-verify")
        .code(1)
        .stderr_has("error[image-inputs]: 2 placeholders (`IMAGE1_NAME`, `IMAGE2_NAME`) and 2 artifacts with imageDetail.json cannot be paired");
}

#[test]
fn the_common_mistakes_are_named_with_what_codepipeline_would_say() {
    // imagedefinitions.json given to the Blue/Green action as its image artifact.
    blue_green()
        .file(
            "wrong/imagedefinitions.json",
            format!(r#"[{{"name":"web","imageUri":"{ECR}/web:1"}}]"#),
        )
        .args([
            "--for",
            "blue-green",
            "build",
            "wrong",
            "--image",
            "wrong=IMAGE1_NAME",
        ])
        .run("ecs-verify")
        .code(1)
        .stderr_has(
            "Exception while trying to read the image artifact file from the artifact: wrong",
        );
    // The container name where the placeholder name belongs.
    blue_green()
        .args(["--for", "blue-green", "build", "image", "--image", "image=web"])
        .run("ecs-verify")
        .code(1)
        .stderr_has("Image1ContainerName `web` is not a placeholder in the task definition; it has `<IMAGE1_NAME>`");
    // taskdef.json left out of the build artifact.
    Test::new()
        .file("build/appspec.yaml", APPSPEC)
        .file("image/imageDetail.json", detail("web"))
        .args(["--for", "blue-green", "build", "image"])
        .run("ecs-verify")
        .code(1)
        .stderr_has("Exception while trying to read the task definition artifact file");
    // imageDetail.json given to the ECS action.
    Test::new()
        .file("image/imageDetail.json", detail("web"))
        .args(["--for", "ecs", "image"])
        .run("ecs-verify")
        .code(1)
        .stderr_has("which is for the Blue/Green action");
    // The AppSpec names a port the task definition lacks.
    blue_green()
        .file("build/appspec.yaml", APPSPEC.replace("8080", "80"))
        .args(["--for", "blue-green", "build", "image"])
        .run("ecs-verify")
        .code(1)
        .stderr_has("unknown-port");
}

#[test]
fn the_ecs_action_checks_names_against_the_service() {
    let test = Test::new()
        .file(
            "build/imagedefinitions.json",
            format!(r#"[{{"name":"api","imageUri":"{ECR}/web:4f2a9c1"}}]"#),
        )
        .file("taskdef.json", taskdef(&[&format!("{ECR}/web:1")]));
    let outcome = test
        .args([
            "--for",
            "ecs",
            "BuildArtifact=build",
            "--taskdef",
            "taskdef.json",
            "--format",
            "junit",
        ])
        .run("ecs-verify")
        .code(1);
    assert_snapshot!("ecs-junit", whole_lines(&outcome.stdout));
}

#[test]
fn unreadable_inputs_fail_with_exit_2() {
    Test::new()
        .args(["--for", "ecs", "missing"])
        .run("ecs-verify")
        .code(2)
        .stderr_has("cannot read artifact `missing`");
    Test::new()
        .file("not-a-zip.zip", "hello")
        .args(["--for", "ecs", "not-a-zip.zip"])
        .run("ecs-verify")
        .code(2)
        .stderr_has("not a readable zip");
    blue_green()
        .args(["--for", "blue-green", "build", "--render-final", "out.json"])
        .run("ecs-verify")
        .code(2)
        .stderr_has("there is no final task definition to write");
}

fn pipeline(configuration: &serde_json::Value) -> String {
    serde_json::json!({"pipeline": {"name": "web-service-prod", "stages": [
        {"name": "Source", "actions": [{"name": "Source", "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"}, "outputArtifacts": [{"name": "SourceArtifact"}]}]},
        {"name": "Build", "actions": [{"name": "Build", "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"},
            "inputArtifacts": [{"name": "SourceArtifact"}], "outputArtifacts": [{"name": "BuildArtifact"}, {"name": "ImageArtifact"}]}]},
        {"name": "Deploy", "actions": [{"name": "BlueGreen", "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "CodeDeployToECS", "version": "1"},
            "inputArtifacts": [{"name": "BuildArtifact"}, {"name": "ImageArtifact"}], "configuration": configuration}]}
    ]}})
    .to_string()
}

#[test]
fn the_pipeline_says_how_the_action_reads_its_artifacts() {
    let good = serde_json::json!({"ApplicationName": "web", "DeploymentGroupName": "web", "TaskDefinitionTemplateArtifact": "BuildArtifact",
        "AppSpecTemplateArtifact": "BuildArtifact", "Image1ArtifactName": "ImageArtifact", "Image1ContainerName": "IMAGE1_NAME"});
    blue_green()
        .file("pipeline.json", pipeline(&good))
        .args([
            "--pipeline-json",
            "pipeline.json",
            "BuildArtifact=build",
            "ImageArtifact=image",
        ])
        .run("ecs-verify")
        .success();
    let mut typo = good.clone();
    typo["Image1ContainerName"] = serde_json::json!("web");
    typo["AppSpecTemplatePth"] = serde_json::json!("appspec.yaml");
    blue_green()
        .file("pipeline.json", pipeline(&typo))
        .args(["--pipeline-json", "pipeline.json", "BuildArtifact=build"])
        .run("ecs-verify")
        .code(1)
        .stderr_has("`AppSpecTemplatePth` is not a configuration key of the CodeDeployToECS action")
        .stderr_has("did you mean `AppSpecTemplatePath`?")
        .stderr_has("input artifact `ImageArtifact` of Deploy/BlueGreen was not given")
        .stderr_has("Image1ContainerName `web` is not a placeholder");
}

#[test]
fn zips_made_by_ecs_bundle_are_read_as_the_action_reads_them() {
    let outcome = blue_green()
        .file("build/imageDetail.json", detail("web"))
        .args([
            "--for",
            "blue-green",
            "--base-dir",
            "build",
            "taskdef.json",
            "appspec.yaml",
            "imageDetail.json",
            "-o",
            "bluegreen.zip",
        ])
        .run("ecs-bundle")
        .success();
    let zip = outcome.bytes("bluegreen.zip");
    Test::new()
        .file("BuildArtifact.zip", &zip)
        .args([
            "--for",
            "blue-green",
            "BuildArtifact.zip",
            "--render-final",
            "-",
        ])
        .run("ecs-verify")
        .success()
        .stderr_has("checked 1 file: 0 errors, 0 warnings");
    Test::new()
        .file("BuildArtifact.zip", &zip)
        .args(["--for", "ecs", "BuildArtifact.zip"])
        .run("ecs-verify")
        .code(1)
        .stderr_has("`imagedefinitions.json` is not at the root of artifact `BuildArtifact`");
}
