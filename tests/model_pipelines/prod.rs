//! The production pipeline's builds end to end (see `workspace.rs` for the setting): the
//! Render step for the Blue/Green action from the promoted image, checked against the prod
//! template and registered on the local endpoint, and the scaling step around the deployment.

use std::fs;

use serde_json::{Value, json};

use super::workspace::{
    APP_DIR, Workspace, assert_junit_reports, ecr_repository, read_json, verify_with_template,
};
use crate::support::fixtures::ACCOUNT;
use crate::support::harness::unique;
use crate::support::local_aws::aws;

/// The workspace's source as a repository with two commits: the image's, then a later head
/// whose task definition template does not parse, so a render from the head fails. Returns the
/// image's commit.
fn history(workspace: &Workspace) -> String {
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(workspace.source())
            .env("GIT_AUTHOR_NAME", "dev")
            .env("GIT_AUTHOR_EMAIL", "dev@example.com")
            .env("GIT_COMMITTER_NAME", "dev")
            .env("GIT_COMMITTER_EMAIL", "dev@example.com")
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .expect("UTF-8")
            .trim()
            .to_owned()
    };
    git(&["init", "--quiet"]);
    git(&["add", "--all"]);
    git(&["commit", "--quiet", "--message", "the image's commit"]);
    let commit = git(&["rev-parse", "HEAD"]);
    let template = workspace
        .source()
        .join(APP_DIR)
        .join("taskdef.template.json");
    fs::write(&template, "not the image's configuration").expect("a later template");
    git(&["commit", "--quiet", "--all", "--message", "a later head"]);
    commit
}

/// The promoted image in the production repository, tagged with its commit of the workspace's
/// history, and the imageDetail.json the ECR source action writes for it
/// (`docs/aws/artifact-formats.md#imagedetailjson`: every value a string, `ImageURI` by digest).
pub(super) fn promoted_image(workspace: &Workspace) -> (String, std::path::PathBuf, String) {
    let commit = history(workspace);
    let repository = unique("prod/web-service");
    let uri = ecr_repository(&repository, "IMMUTABLE_WITH_EXCLUSION");
    let digest = super::scan::put_image(&repository, &["release", commit.as_str()]);
    let detail = json!({"ImageSizeInBytes": "44728918", "ImageDigest": digest, "Version": "1.0",
        "ImagePushedAt": "Thu Nov 26 20:04:00 UTC 2026", "RegistryId": ACCOUNT, "RepositoryName": repository,
        "ImageURI": format!("{uri}@{digest}"), "ImageTags": ["release", commit]});
    let folder = workspace
        .source()
        .parent()
        .expect("the workspace")
        .join("ImageSource");
    fs::create_dir_all(&folder).expect("a folder");
    fs::write(folder.join("imageDetail.json"), detail.to_string()).expect("imageDetail.json");
    (format!("{uri}@{digest}"), folder, commit)
}

#[test]
fn prod_render_is_what_the_blue_green_action_registers() {
    let workspace = Workspace::new();
    let (image_uri, image_source, commit) = promoted_image(&workspace);
    let mut project = workspace.privileged(
        "prod-pipeline.yaml",
        "RenderProject",
        &["DeployArtifact", "ImageArtifact"],
        &[(
            "TEST_HOOK_FUNCTION",
            "CodeDeployHook_web-service-smoke-test",
        )],
    );
    project.inputs = vec![("ImageSource".into(), image_source)];
    let build = project.run();
    build.assert_succeeded();
    assert_eq!(build.exported["IMAGE_URI"], image_uri);
    // Rendered from the image's own commit: the head's template does not even parse.
    assert_eq!(build.exported["CONFIG_COMMIT"], commit);
    assert_eq!(
        build.exported["IMAGE_DIGEST"],
        image_uri.split('@').nth(1).expect("a digest")
    );
    assert_eq!(
        workspace.docker_calls(),
        "",
        "the production build never builds or pushes"
    );
    assert_junit_reports(&build, &["tagcheck.xml", "verify.xml"]);

    let deploy = &build.artifacts["DeployArtifact"];
    let taskdef = read_json(&deploy.join("taskdef.json"));
    let web = &taskdef["containerDefinitions"][0];
    assert_eq!(web["image"], "<IMAGE1_NAME>");
    assert_eq!(
        web["environment"],
        json!([{"name": "APP_ENV", "value": "prod"}])
    );
    assert_eq!(
        taskdef["executionRoleArn"],
        format!("arn:aws:iam::{ACCOUNT}:role/web-service-execution")
    );
    let appspec = fs::read_to_string(deploy.join("appspec.yaml")).expect("appspec.yaml");
    for expected in [
        "TaskDefinition: <TASK_DEFINITION>",
        "ContainerName: web",
        "ContainerPort: 8080",
        "AfterAllowTestTraffic: CodeDeployHook_web-service-smoke-test",
    ] {
        assert!(appspec.contains(expected), "{expected} in\n{appspec}");
    }
    let detail = read_json(&build.artifacts["ImageArtifact"].join("imageDetail.json"));
    assert_eq!(detail["ImageURI"], image_uri.as_str());

    // The BlueGreen action as the prod template configures it, and what it would register.
    let registered = workspace.source().join("registered.json");
    verify_with_template(
        "prod-pipeline.yaml",
        "Deploy/BlueGreen",
        &[
            ("DeployArtifact", deploy),
            ("ImageArtifact", &build.artifacts["ImageArtifact"]),
        ],
        &["--render-final", &registered.display().to_string()],
    )
    .run("ecs-verify")
    .success();
    let answer: Value = serde_json::from_slice(&aws(&[
        "ecs",
        "register-task-definition",
        "--cli-input-json",
        &format!("file://{}", registered.display()),
    ]))
    .expect("JSON");
    let registered = &answer["taskDefinition"];
    assert_eq!(registered["family"], "web-service");
    assert_eq!(
        registered["containerDefinitions"][0]["image"],
        image_uri.as_str()
    );
    assert_eq!(registered["status"], "ACTIVE");
}

#[test]
fn scaling_is_suspended_and_resumed_around_the_deployment() {
    let workspace = Workspace::new();
    let cluster = crate::support::resources::service(true);
    for (action, state) in [("suspend", true), ("resume", false)] {
        let build = workspace
            .privileged(
                "prod-pipeline.yaml",
                "ScalingProject",
                &[],
                &[
                    ("CLUSTER_NAME", &cluster),
                    ("SERVICE_NAME", "web"),
                    ("SCALING_ACTION", action),
                ],
            )
            .run();
        build.assert_succeeded();
        assert_eq!(
            crate::support::resources::suspended_state(&cluster),
            json!({"DynamicScalingInSuspended": state, "DynamicScalingOutSuspended": state, "ScheduledScalingSuspended": state}),
            "{}",
            build.log
        );
    }
    let build = workspace
        .privileged(
            "prod-pipeline.yaml",
            "ScalingProject",
            &[],
            &[("CLUSTER_NAME", &cluster), ("SERVICE_NAME", "web")],
        )
        .run();
    assert!(!build.succeeded());
    assert!(
        build
            .log
            .contains("SCALING_ACTION: is unset: set it to suspend or resume"),
        "{}",
        build.log
    );
}

/// The ECS-native blue/green variant: only imagedefinitions.json, checked against the live
/// service (moto's answer has no `strategy`, so the service reads as rolling here; the strategy
/// rules are tested from describe-services files in `verify/service.rs`).
#[test]
fn prod_native_render_is_checked_against_the_live_service() {
    let workspace = Workspace::new();
    let (image_uri, image_source, commit) = promoted_image(&workspace);
    let cluster = crate::support::resources::service(false);
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
    assert_eq!(build.exported["IMAGE_URI"], image_uri);
    // Rendered from the image's own commit: the head's template does not even parse.
    assert_eq!(build.exported["CONFIG_COMMIT"], commit);
    assert_eq!(
        workspace.docker_calls(),
        "",
        "the production build never builds or pushes"
    );
    assert_junit_reports(&build, &["tagcheck.xml", "verify.xml"]);
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
    verify_with_template(
        "prod-native-pipeline.yaml",
        "Deploy/Deploy",
        &[("BuildArtifact", artifact)],
        &["--from-ecs", &format!("{cluster}/web")],
    )
    .with_aws()
    .run("ecs-verify")
    .success();
}
