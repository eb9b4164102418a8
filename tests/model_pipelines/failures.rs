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
            "buildspecs/dev.yml",
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

#[test]
fn a_cache_that_another_build_wrote_is_hashed_before_it_runs() {
    let workspace = Workspace::new();
    let project = workspace.project("buildspecs/dev.yml", &[], &[]);
    let setting = |name: &str| {
        project
            .env
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .expect("a project variable")
    };
    let home = workspace
        .source()
        .parent()
        .expect("the workspace")
        .join("home/.ecs-deploy-kit");
    let folder = home.join(setting("ECS_DEPLOY_KIT_VERSION"));
    // A cached folder with the right checksum marker, and a cached tarball that is not the
    // release: neither may put its programs on PATH.
    fs::create_dir_all(folder.join("bin")).expect("the cached folder");
    fs::write(folder.join("bin/ecs-verify"), "#!/bin/sh\necho poisoned\n").expect("a program");
    fs::write(folder.join(".sha256"), setting("ECS_DEPLOY_KIT_SHA256")).expect("the marker");
    fs::write(
        home.join(format!("{}.tar.gz", setting("ECS_DEPLOY_KIT_VERSION"))),
        "not the release",
    )
    .expect("a cached tarball");
    let build = project.run();
    assert_eq!(
        build.phases[0],
        ("install".to_owned(), Status::Succeeded),
        "{}",
        build.log
    );
    assert!(!build.log.contains("cached in"), "{}", build.log);
    let installed = fs::read(folder.join("bin/ecs-verify")).expect("ecs-verify");
    assert_ne!(installed, b"#!/bin/sh\necho poisoned\n");
}

#[test]
fn a_promotion_that_cannot_read_the_production_repository_stops_at_once() {
    let workspace = Workspace::new();
    let detail = tempfile::tempdir().expect("an image artifact");
    let repository = unique("web-service");
    let uri = ecr_repository(&repository, "IMMUTABLE");
    let digest = super::scan::put_image(&repository, &[COMMIT]);
    super::scan::scan(&repository, &digest);
    super::scan::scan_result(&repository, &digest, &serde_json::json!({}));
    let image = format!("{uri}@{digest}");
    fs::write(
        detail.path().join("imageDetail.json"),
        format!("{{\"ImageURI\": \"{image}\"}}"),
    )
    .expect("imageDetail.json");
    let missing = unique("prod/not-created");
    let dev_cluster = crate::support::resources::service_running(&image, "0");
    let mut promote = workspace.privileged(
        "dev-pipeline.yaml",
        "PromoteProject",
        &[],
        &[
            ("TESTED_IMAGE_URI", &image),
            ("DEV_CLUSTER_NAME", &dev_cluster),
            ("DEV_SERVICE_NAME", "web"),
            ("DESTINATION_REGISTRY_ID", crate::support::fixtures::ACCOUNT),
            ("DESTINATION_REPOSITORY", &missing),
            (
                "PROMOTION_ROLE_ARN",
                &format!(
                    "arn:aws:iam::{}:role/web-service-promotion",
                    crate::support::fixtures::ACCOUNT
                ),
            ),
        ],
    );
    promote.inputs = vec![("ImageArtifact".into(), detail.path().to_path_buf())];
    let build = promote.run();
    assert_eq!(
        build.phases[2],
        ("build".to_owned(), Status::Failed),
        "{}",
        build.log
    );
    // AWS's own error, not a replication wait that runs into the build's timeout.
    assert!(
        build.log.contains("RepositoryNotFoundException"),
        "{}",
        build.log
    );
    assert!(
        !build.log.contains(&format!("is not in {missing}")),
        "{}",
        build.log
    );
}
