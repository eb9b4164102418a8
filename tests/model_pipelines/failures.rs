//! The model pipelines' buildspecs when something is wrong (see `workspace.rs` for the
//! setting): each stops before anything is pushed, says why, and leaves no artifact.

use std::fs;

use super::workspace::{COMMIT, Workspace, ecr_repository};
use crate::support::codebuild::Status;
use crate::support::harness::unique;
use crate::support::local_aws::aws;

fn files_in(folder: &std::path::Path) -> usize {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .count()
}

fn images_in(repository: &str) -> String {
    String::from_utf8(aws(&[
        "ecr",
        "list-images",
        "--repository-name",
        repository,
        "--query",
        "imageIds",
        "--output",
        "text",
    ]))
    .expect("text")
}

#[test]
fn a_build_without_a_source_revision_stops_before_docker() {
    let workspace = Workspace::new();
    let repository = unique("web-service");
    let uri = ecr_repository(&repository, "IMMUTABLE");
    let build = workspace
        .project(
            "buildspecs/dev.yml",
            &["BuildArtifact", "ImageArtifact"],
            &[("REPOSITORY_URI", &uri)],
        )
        .run();
    assert_eq!(
        build.phases,
        [
            ("install".to_owned(), Status::Succeeded),
            ("pre_build".to_owned(), Status::Failed)
        ]
    );
    assert!(
        build.log.contains(
            "CODEBUILD_RESOLVED_SOURCE_VERSION: is unset: start this build from the pipeline"
        ),
        "{}",
        build.log
    );
    assert_eq!(workspace.docker_calls(), "");
    assert_eq!(images_in(&repository).trim(), "");
    assert_eq!(
        files_in(&build.artifacts["BuildArtifact"]) + files_in(&build.artifacts["ImageArtifact"]),
        0
    );
}

#[test]
fn a_latest_base_image_stops_the_build_before_anything_is_pushed() {
    let workspace = Workspace::new();
    let dockerfile = workspace.source().join("examples/web-service/Dockerfile");
    let text = fs::read_to_string(&dockerfile).expect("the Dockerfile");
    fs::write(
        &dockerfile,
        text.replace("nginx:1.27.3-alpine", "nginx:latest"),
    )
    .expect("the Dockerfile");
    let repository = unique("web-service");
    let uri = ecr_repository(&repository, "IMMUTABLE");
    let build = workspace
        .project(
            "buildspecs/dev.yml",
            &["BuildArtifact", "ImageArtifact"],
            &[
                ("REPOSITORY_URI", &uri),
                ("CODEBUILD_RESOLVED_SOURCE_VERSION", COMMIT),
            ],
        )
        .run();
    assert_eq!(
        build.phases[1],
        ("pre_build".to_owned(), Status::Failed),
        "{}",
        build.log
    );
    assert_eq!(build.phases.len(), 2);
    assert!(build.log.contains("error[latest-tag]"), "{}", build.log);
    assert!(build.log.contains("nginx:latest"), "{}", build.log);
    assert_eq!(workspace.docker_calls(), "");
    assert_eq!(images_in(&repository).trim(), "");
    // The failure is in the report group too.
    let report =
        fs::read_to_string(workspace.source().join("reports/tagcheck.xml")).expect("the report");
    assert!(report.contains("<failure"), "{report}");
}

#[test]
fn a_tarball_with_the_wrong_checksum_is_not_installed() {
    let workspace = Workspace::new();
    let zeros = "0".repeat(64);
    let build = workspace
        .project(
            "buildspecs/scaling.yml",
            &[],
            &[("ECS_DEPLOY_KIT_SHA256", &zeros)],
        )
        .run();
    assert_eq!(build.phases, [("install".to_owned(), Status::Failed)]);
    assert!(
        build.log.contains(&format!("not the expected {zeros}")),
        "{}",
        build.log
    );
    assert!(
        build
            .log
            .contains("help: the tarball is not the release the project names"),
        "{}",
        build.log
    );
    let home = workspace
        .source()
        .parent()
        .expect("the workspace")
        .join("home/.ecs-deploy-kit");
    assert_eq!(files_in(&home), 0, "nothing is left installed");
}
