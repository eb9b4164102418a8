//! The production Render step tells the approver what the deploy changes: the task definition
//! the service runs (on the local endpoint) against the one the Blue/Green action will register,
//! in full in the build's log and cut short in `TASKDEF_CHANGES`, which the approval's
//! `CustomData` shows (an action configuration value holds at most 1000 characters).

use super::workspace::Workspace;

/// The Render project of the prod template for the promoted image, with `env` added.
fn render(workspace: &Workspace, env: &[(&str, &str)]) -> crate::support::codebuild::Build {
    let (_, image_source, _) = super::prod::promoted_image(workspace);
    // The prod stack always sets its resume-scaling hook (`buildspecs/README.md`).
    let mut env = env.to_vec();
    env.push((
        "RESUME_SCALING_HOOK",
        "CodeDeployHook_web-service-prod-resume-scaling",
    ));
    let mut project = workspace.privileged(
        "prod-pipeline.yaml",
        "RenderProject",
        &["DeployArtifact", "ImageArtifact"],
        &env,
    );
    project.inputs = vec![("ImageSource".into(), image_source)];
    let build = project.run();
    build.assert_succeeded();
    build
}

#[test]
fn the_approval_is_told_what_the_deploy_changes_in_the_running_service() {
    let workspace = Workspace::new();
    let cluster = crate::support::resources::service_running("nginx:1.27", "0");
    let build = render(
        &workspace,
        &[("CLUSTER_NAME", &cluster), ("SERVICE_NAME", "web")],
    );
    assert!(
        build
            .log
            .contains("What the deploy changes in the task definition web runs:"),
        "{}",
        build.log
    );
    assert!(
        build
            .log
            .lines()
            .any(|line| line.starts_with('-') && line.contains("\"image\": \"nginx:1.27\"")),
        "{}",
        build.log
    );
    let changes = &build.exported["TASKDEF_CHANGES"];
    assert!(
        changes.starts_with("changes to what web runs: ") && changes.contains("nginx:1.27"),
        "{changes}"
    );
    assert!(
        changes.ends_with("(the whole diff: the log of the Render build)"),
        "{changes}"
    );
    assert!(
        changes.chars().count() <= 500,
        "{} characters",
        changes.len()
    );
    assert!(!changes.contains('\n'), "{changes}");
}

#[test]
fn without_a_service_to_compare_with_the_approval_says_so() {
    let workspace = Workspace::new();
    let build = render(&workspace, &[]);
    assert_eq!(
        build.exported["TASKDEF_CHANGES"],
        "not compared with a running service (the project sets no CLUSTER_NAME and SERVICE_NAME)"
    );
}
