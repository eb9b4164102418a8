//! The dev pipeline's buildspecs end to end, then the promotion to the production repository,
//! run from the buildspec the dev template carries inline.

use serde_json::json;

use super::workspace::{
    APP_DIR, COMMIT, Workspace, assert_junit_reports, ecr_digest, ecr_repository, read_json,
    region, replicate, root, verify_with_template,
};
use crate::support::fixtures::ACCOUNT;

/// The dev build, twice (the second a retry of the same commit), then the dev deploy action's
/// artifact verified against the dev template, then the promotion of what the dev service runs.
#[test]
fn dev_build_and_promotion() {
    let workspace = Workspace::new();
    let repository = crate::support::harness::unique("web-service");
    let repository_uri = ecr_repository(&repository, "IMMUTABLE");
    // The dev service the build points at the rendered task definition template.
    let build_cluster =
        crate::support::resources::service_running("public.ecr.aws/nginx/nginx:1.27", "0");
    let env = [
        ("REPOSITORY_URI", repository_uri.as_str()),
        ("CODEBUILD_RESOLVED_SOURCE_VERSION", COMMIT),
        ("CLUSTER_NAME", build_cluster.as_str()),
        ("SERVICE_NAME", "web"),
    ];
    let project = workspace.project(
        "buildspecs/dev.yml",
        &["BuildArtifact", "ImageArtifact"],
        &env,
    );
    let build = project.run();
    build.assert_succeeded();
    assert_eq!(
        build.phase_names(),
        ["install", "pre_build", "build", "post_build"]
    );
    let digest = ecr_digest(&repository, COMMIT);
    assert_eq!(build.exported["IMAGE_TAG"], COMMIT);
    assert_eq!(build.exported["IMAGE_DIGEST"], digest);
    assert_eq!(
        build.exported["IMAGE_URI"],
        format!("{repository_uri}:{COMMIT}")
    );
    let calls = workspace.docker_calls();
    assert!(
        calls.contains("login --username AWS --password-stdin"),
        "{calls}"
    );
    assert!(
        calls.contains(&format!("build --tag {repository_uri}:{COMMIT}")),
        "{calls}"
    );
    assert!(
        calls.contains(&format!("push {repository_uri}:{COMMIT}")),
        "{calls}"
    );
    let definitions = read_json(&build.artifacts["BuildArtifact"].join("imagedefinitions.json"));
    assert_eq!(
        definitions,
        json!([{"name": "web", "imageUri": format!("{repository_uri}@{digest}")}])
    );
    let detail = read_json(&build.artifacts["ImageArtifact"].join("imageDetail.json"));
    assert_eq!(detail["ImageURI"], format!("{repository_uri}@{digest}"));
    assert_junit_reports(&build, &["tagcheck.xml", "verify.xml"]);
    // The dev service runs the template rendered with the digest (its family, its sidecar), not
    // a copy of its last revision with a new image.
    let registered = dev_task_definition(&build_cluster);
    assert_eq!(registered["family"], "web-service", "{registered}");
    let images: Vec<&str> = registered["containerDefinitions"]
        .as_array()
        .expect("containers")
        .iter()
        .filter_map(|container| container["image"].as_str())
        .collect();
    assert!(
        images.contains(&format!("{repository_uri}@{digest}").as_str()),
        "{registered}"
    );
    assert_eq!(images.len(), 2, "{registered}");

    // A retry of the same commit finds the tag taken and reuses the image.
    let retry = project.run();
    retry.assert_succeeded();
    assert!(
        retry.log.contains("is in ECR already: reusing it"),
        "{}",
        retry.log
    );
    assert_eq!(retry.exported["IMAGE_DIGEST"], digest);
    assert_eq!(
        workspace.docker_calls().matches("push ").count(),
        1,
        "{}",
        workspace.docker_calls()
    );

    // Replication copies the image into the production repository of the other account.
    let production = crate::support::harness::unique("prod/web-service");
    ecr_repository(&production, "IMMUTABLE_WITH_EXCLUSION");
    replicate(&repository, &production, COMMIT);
    let image = format!("{repository_uri}@{digest}");
    let promotion = |dev_cluster: &str, tested: &str| {
        let mut promote = workspace.privileged(
            "dev-pipeline.yaml",
            "PromoteProject",
            &[],
            &[
                ("TESTED_IMAGE_URI", tested),
                ("DEV_CLUSTER_NAME", dev_cluster),
                ("DEV_SERVICE_NAME", "web"),
                ("DESTINATION_REGISTRY_ID", ACCOUNT),
                ("DESTINATION_REPOSITORY", &production),
                (
                    "PROMOTION_ROLE_ARN",
                    &format!("arn:aws:iam::{ACCOUNT}:role/web-service-promotion"),
                ),
            ],
        );
        promote.inputs = vec![(
            "ImageArtifact".into(),
            build.artifacts["ImageArtifact"].clone(),
        )];
        promote
    };
    // An image file naming a digest the dev service does not run promotes nothing: the file
    // comes from a build whose buildspec a push to the dev branch can change.
    let elsewhere =
        crate::support::resources::service_running(&format!("{repository_uri}:{COMMIT}"), "0");
    let refused = promotion(&elsewhere, &image).run();
    assert!(!refused.succeeded(), "{}", refused.log);
    assert!(
        refused.log.contains(&format!(
            "does not run {image} after a completed deployment"
        )),
        "{}",
        refused.log
    );
    assert!(aws_has_no_tag(&production, "release"), "{}", refused.log);
    let dev_cluster = crate::support::resources::service_running(&image, "0");
    // The Test stage: it passes once the dev service runs the digest and its health endpoint
    // answers 2xx, and exports the digest it tested.
    let test = |url: &str| {
        let mut test = workspace.privileged(
            "dev-pipeline.yaml",
            "TestProject",
            &[],
            &[
                ("DEV_CLUSTER_NAME", &dev_cluster),
                ("DEV_SERVICE_NAME", "web"),
                ("TEST_URL", url),
                ("TEST_WAIT_SECONDS", "0"),
            ],
        );
        test.source = build.artifacts["ImageArtifact"].clone();
        test.run()
    };
    let tested = test(&healthy_endpoint());
    tested.assert_succeeded();
    assert_eq!(tested.exported["TESTED_IMAGE_URI"], image);
    let unhealthy = test("http://127.0.0.1:1/healthz");
    assert!(!unhealthy.succeeded(), "{}", unhealthy.log);
    assert!(
        unhealthy.log.contains("did not answer 2xx"),
        "{}",
        unhealthy.log
    );
    // A digest the Test stage did not pass is not promoted.
    let untested = promotion(
        &dev_cluster,
        &format!("{repository_uri}@sha256:{}", "0".repeat(64)),
    )
    .run();
    assert!(!untested.succeeded(), "{}", untested.log);
    assert!(
        untested.log.contains("the dev test passed"),
        "{}",
        untested.log
    );
    assert!(aws_has_no_tag(&production, "release"), "{}", untested.log);
    let promote = promotion(&dev_cluster, &image);
    // The vulnerability gate: scan on push found a HIGH vulnerability, so nothing is promoted;
    // once the scan finds none, the image is.
    super::scan::scan(&repository, &digest);
    let blocked = promote.run();
    assert!(!blocked.succeeded(), "{}", blocked.log);
    assert!(
        blocked.log.contains("finding(s) of severity CRITICAL,HIGH"),
        "{}",
        blocked.log
    );
    assert!(aws_has_no_tag(&production, "release"), "{}", blocked.log);
    super::scan::scan_result(&repository, &digest, &json!({}));
    let promoted = promote.run();
    promoted.assert_succeeded();
    assert_eq!(ecr_digest(&production, "release"), digest);
    assert_eq!(
        promoted.exported["PROMOTED_IMAGE_URI"],
        format!(
            "{ACCOUNT}.dkr.ecr.{}.amazonaws.com/{production}@{digest}",
            region()
        )
    );
    // Promoting the same digest again changes nothing and succeeds.
    let again = promote.run();
    again.assert_succeeded();
    assert!(
        again.log.contains("release already points at"),
        "{}",
        again.log
    );

    // The dev pipeline's Deploy action reads the build's artifact as its template configures it.
    let outcome = verify_with_template(
        "dev-pipeline.yaml",
        "Deploy/Deploy",
        &[("BuildArtifact", &build.artifacts["BuildArtifact"])],
        &[
            "--taskdef",
            &root()
                .join(APP_DIR)
                .join("taskdef.template.json")
                .display()
                .to_string(),
        ],
    )
    .run("ecs-verify");
    outcome.success();
}

fn aws_has_no_tag(repository: &str, tag: &str) -> bool {
    let listed = crate::support::local_aws::aws(&[
        "ecr",
        "list-images",
        "--repository-name",
        repository,
        "--filter",
        "tagStatus=TAGGED",
    ]);
    !String::from_utf8_lossy(&listed).contains(&format!("\"imageTag\": \"{tag}\""))
}

/// The task definition the dev service `web` of `cluster` is set to run.
fn dev_task_definition(cluster: &str) -> serde_json::Value {
    let arn = super::account::service_task_definition(cluster);
    let answer = crate::support::local_aws::aws(&[
        "ecs",
        "describe-task-definition",
        "--task-definition",
        &arn,
    ]);
    serde_json::from_slice::<serde_json::Value>(&answer).expect("the AWS CLI's JSON")["taskDefinition"].clone()
}

/// A health endpoint on a port of 127.0.0.1 that answers every request with 200.
fn healthy_endpoint() -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
    let url = format!(
        "http://{}/healthz",
        listener.local_addr().expect("an address")
    );
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut request = [0_u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        }
    });
    url
}
