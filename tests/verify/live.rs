//! `ecs-verify` with what it reads from the local endpoint: the target service of the ECS
//! action (`--from-ecs`) and the pipeline (`--pipeline`).

use crate::support::fixtures::ECR;
use crate::support::harness::Test;

#[test]
fn the_ecs_action_checks_names_against_the_live_service() {
    let cluster = crate::support::resources::service(false);
    let build = Test::new().file(
        "build/imagedefinitions.json",
        format!(r#"[{{"name":"api","imageUri":"{ECR}/web:4f2a9c1"}}]"#),
    );
    build
        .with_aws()
        .args([
            "--for",
            "ecs",
            "build",
            "--from-ecs",
            &format!("{cluster}/web"),
        ])
        .run("ecs-verify")
        .code(1)
        .stderr_has("container `api` is not in the task definition; it has `web`");
    Test::new()
        .file(
            "build/imagedefinitions.json",
            format!(r#"[{{"name":"web","imageUri":"{ECR}/web:4f2a9c1"}}]"#),
        )
        .with_aws()
        .args([
            "--for",
            "ecs",
            "build",
            "--from-ecs",
            &format!("{cluster}/missing"),
        ])
        .run("ecs-verify")
        .code(2)
        .stderr_has("service `missing` in cluster");
}

#[test]
fn the_pipeline_is_read_from_codepipeline() {
    let name = format!("verify-{}", std::process::id());
    crate::support::resources::create_pipeline(&name);
    Test::new()
        .file(
            "source/imagedefinitions.json",
            format!(r#"[{{"name":"web","imageUri":"{ECR}/web:4f2a9c1"}}]"#),
        )
        .with_aws()
        .args(["--pipeline", &name, "SourceArtifact=source"])
        .run("ecs-verify")
        .success()
        .stderr_has("checked 1 file: 0 errors, 0 warnings");
    Test::new()
        .file("source/imagedefinitions.json", "[]")
        .with_aws()
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(["--pipeline", "no-such-pipeline", "SourceArtifact=source"])
        .run("ecs-verify")
        .code(2)
        .stderr_has("pipeline `no-such-pipeline`");
}

/// Needs the local endpoint (`tests/run.sh`): moto answers `DescribeServices` without
/// `deploymentConfiguration.strategy`, so the live service is checked as ROLLING.
#[test]
fn the_live_service_is_read_with_describe_services() {
    let cluster = crate::support::resources::service(false);
    Test::new()
        .file(
            "build/imagedefinitions.json",
            format!(r#"[{{"name":"web","imageUri":"{ECR}/web:4f2a9c1"}}]"#),
        )
        .with_aws()
        .args([
            "--for",
            "ecs",
            "build",
            "--from-ecs",
            &format!("{cluster}/web"),
        ])
        .run("ecs-verify")
        .success()
        .stderr_has("note: service web: ROLLING, ")
        .stderr_has(&format!("({cluster}/web)"));
}

/// With --live, the ECS action of a pipeline reads its own service (`ClusterName`,
/// `ServiceName`) as with --from-ecs: its deployment controller is checked.
#[test]
fn the_pipeline_names_the_service_the_live_check_reads() {
    let pipeline = |cluster: &str| {
        let stage = |name: &str, action: serde_json::Value| serde_json::json!({"name": name, "actions": [action]});
        serde_json::json!({"pipeline": {"name": "web", "stages": [
            stage("Source", serde_json::json!({"name": "Source", "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"},
                "configuration": {"S3Bucket": "artifacts", "S3ObjectKey": "source.zip"}, "outputArtifacts": [{"name": "SourceArtifact"}]})),
            stage("Deploy", serde_json::json!({"name": "Deploy", "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "ECS", "version": "1"},
                "configuration": {"ClusterName": cluster, "ServiceName": "web"}, "inputArtifacts": [{"name": "SourceArtifact"}]})),
        ]}})
        .to_string()
    };
    let verify = |cluster: &str| {
        Test::new()
            .file(
                "source/imagedefinitions.json",
                r#"[{"name":"web","imageUri":"nginx:1.27"}]"#,
            )
            .file("pipeline.json", pipeline(cluster))
            .with_aws()
            .args([
                "--pipeline-json",
                "pipeline.json",
                "SourceArtifact=source",
                "--live",
            ])
            .run("ecs-verify")
    };
    let rolling = crate::support::resources::service(false);
    verify(&rolling)
        .success()
        .stderr_has(&format!("({rolling}/web)"));
    let code_deploy =
        crate::support::resources::blue_green(&crate::support::resources::BlueGreenSpec::default());
    verify(&code_deploy.cluster).code(1).stderr_has(
        "error[deployment-controller]: service `web` uses the CODE_DEPLOY deployment controller",
    );
}
