//! The ECS-native production pipeline end to end (see `workspace.rs` for the setting): the
//! Render step registers the task definition of the promoted image's own commit with the
//! production values, which starts nothing, and checks the image against the live service; the
//! Deploy step points the service at that revision and follows the deployment. The standard ECS
//! deploy action would instead copy the running revision and change only its image
//! (<https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html>).

use serde_json::{Value, json};

use super::account::service_task_definition;
use super::prod::{assert_rendered_from_the_images_commit, promoted_image};
use super::workspace::{Workspace, assert_junit_reports, read_json};
use crate::support::local_aws::aws;
use crate::support::resources::service_running;

fn describe(args: &[&str]) -> Value {
    serde_json::from_slice(&aws(args)).expect("JSON")
}

/// The Deploy project on the Render step's artifact, following for `timeout` minutes.
fn deploy(
    workspace: &Workspace,
    cluster: &str,
    artifact: &std::path::Path,
    timeout: &str,
) -> crate::support::codebuild::Build {
    let mut project = workspace.privileged(
        "prod-native-pipeline.yaml",
        "DeployProject",
        &[],
        &[
            ("CLUSTER_NAME", cluster),
            ("SERVICE_NAME", "web"),
            ("DEPLOYMENT_TIMEOUT", timeout),
            ("POLL_SECONDS", "1"),
        ],
    );
    project.source = artifact.to_path_buf();
    project.run()
}

/// moto's answer has no `strategy`, so the service reads as rolling here; the strategy rules are
/// tested from describe-services files in `verify/service.rs`. A service of 0 tasks has a
/// completed deployment in moto, one of 2 never completes (moto starts no task).
#[test]
fn prod_native_deploys_the_configuration_of_the_images_commit() {
    let workspace = Workspace::new();
    let (image_uri, image_source, commit) = promoted_image(&workspace);
    let cluster = service_running("nginx:1.27", "0");
    let before = service_task_definition(&cluster);
    let mut project = workspace.privileged(
        "prod-native-pipeline.yaml",
        "RenderProject",
        &["BuildArtifact"],
        &[
            ("CLUSTER_NAME", &cluster),
            ("SERVICE_NAME", "web"),
            ("DEPLOYMENT_TIMEOUT", "45"),
        ],
    );
    project.inputs = vec![("ImageSource".into(), image_source)];
    let build = project.run();
    build.assert_succeeded();
    assert_rendered_from_the_images_commit(&workspace, &build, &image_uri, &commit);
    assert_junit_reports(&build, &["tagcheck.xml", "verify.xml", "live.xml"]);
    assert!(
        build.log.contains("note: service web: ROLLING"),
        "{}",
        build.log
    );
    let artifact = &build.artifacts["BuildArtifact"];
    assert_eq!(
        read_json(&artifact.join("imagedefinitions.json")),
        json!([{"name": "web", "imageUri": image_uri}])
    );

    // Registered with the production values and the image by digest, for the approval to
    // show; the service still runs what it ran.
    let arn = build.exported["TASK_DEFINITION_ARN"].clone();
    assert_eq!(
        read_json(&artifact.join("task-definition.json")),
        json!({"taskDefinitionArn": arn})
    );
    let registered = &describe(&["ecs", "describe-task-definition", "--task-definition", &arn])["taskDefinition"];
    let web = &registered["containerDefinitions"][0];
    assert_eq!(web["image"], image_uri.as_str());
    assert_eq!(
        web["environment"],
        json!([{"name": "APP_ENV", "value": "prod"}])
    );
    assert_eq!(
        (registered["cpu"].clone(), registered["memory"].clone()),
        (json!("256"), json!("512"))
    );
    assert_eq!(
        service_task_definition(&cluster),
        before,
        "a registration starts nothing"
    );
    // Each run registers, approved or not: the family is pruned, this revision kept.
    let short = arn.rsplit_once('/').map_or(arn.as_str(), |(_, name)| name);
    assert!(
        build
            .log
            .contains(&format!("kept {short} (one of the 10 newest)"))
            && !build
                .log
                .lines()
                .any(|line| line.starts_with("warning: old revisions")),
        "{}",
        build.log
    );

    // After the approval: the service runs the revision the approver saw.
    let deployed = deploy(&workspace, &cluster, artifact, "5");
    deployed.assert_succeeded();
    assert_eq!(service_task_definition(&cluster), arn);
    assert!(
        deployed.log.contains(&format!("runs {arn}")),
        "{}",
        deployed.log
    );
}

/// The service's own revision as the Render step's artifact, for the Deploy step alone.
fn running_revision(workspace: &Workspace, tasks: &str) -> (String, String, std::path::PathBuf) {
    let cluster = service_running("nginx:1.27", tasks);
    let before = describe(&[
        "ecs",
        "describe-services",
        "--cluster",
        &cluster,
        "--services",
        "web",
    ]);
    let arn = before["services"][0]["taskDefinition"]
        .as_str()
        .expect("an ARN")
        .to_owned();
    let artifact = workspace
        .source()
        .parent()
        .expect("the workspace")
        .join("BuildArtifact");
    std::fs::create_dir_all(&artifact).expect("a folder");
    std::fs::write(
        artifact.join("task-definition.json"),
        json!({"taskDefinitionArn": arn}).to_string(),
    )
    .expect("task-definition.json");
    (cluster, arn, artifact)
}

/// The Deploy step follows the deployment with `ecs-pipeline wait --service` to its end: moto
/// completes the deployment of a service of 0 tasks at once.
#[test]
fn prod_native_deploy_follows_the_deployment_to_its_completion() {
    let workspace = Workspace::new();
    let (cluster, arn, artifact) = running_revision(&workspace, "0");
    let build = deploy(&workspace, &cluster, &artifact, "5");
    build.assert_succeeded();
    for said in [
        "waiting for deployment `ecs-svc/".to_owned(),
        format!("` of service `{cluster}/web` for up to 5m"),
        "COMPLETED: running 0/0".to_owned(),
        "the deployment completed".to_owned(),
        format!("runs {arn}"),
    ] {
        assert!(build.log.contains(&said), "{said}: {}", build.log);
    }
}

/// A deployment that does not complete in time fails the step (and the stage rolls back), with
/// what ECS was doing (`ecs-pipeline wait --service` timed out): never a success while ECS
/// carries on.
#[test]
fn prod_native_deploy_fails_when_the_deployment_does_not_complete() {
    let workspace = Workspace::new();
    let (cluster, _, artifact) = running_revision(&workspace, "2");
    let build = deploy(&workspace, &cluster, &artifact, "0");
    assert!(!build.succeeded(), "{}", build.log);
    assert!(build.log.contains("IN_PROGRESS"), "{}", build.log);
    assert!(
        build.log.contains(&format!(
            "did not end within 0s; last seen: {cluster}/web: deployment ecs-svc/"
        )),
        "{}",
        build.log
    );
    assert!(
        build.log.contains("ECS goes on without us"),
        "{}",
        build.log
    );
}
