//! `ecs-verify` as snapshots (`snapshots/`): its help pages and every report format.

use insta::assert_snapshot;

use crate::support::fixtures::ECR;
use crate::support::harness::Test;
use crate::support::snapshot::{help_pages, printed};

#[test]
fn help() {
    for (name, page) in help_pages("ecs-verify") {
        assert_snapshot!(name, page);
    }
}

/// A Blue/Green set whose AppSpec names a container the task definition lacks and whose image
/// is not pinned.
#[test]
fn reports() {
    let taskdef = serde_json::json!({
        "family": "web", "executionRoleArn": "web-execution", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
        "cpu": "256", "memory": "512",
        "containerDefinitions": [
            {"name": "web", "image": "<IMAGE1_NAME>", "portMappings": [{"containerPort": 8080}]}
        ]
    })
    .to_string();
    let appspec = "\
version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: api
          ContainerPort: 8080
";
    for format in ["text", "json", "sarif", "junit"] {
        let outcome = Test::new()
            .file("build/taskdef.json", &taskdef)
            .file("build/appspec.yaml", appspec)
            .file(
                "image/imageDetail.json",
                format!(r#"{{"ImageURI":"{ECR}/web:1"}}"#),
            )
            .args([
                "--for",
                "blue-green",
                "BuildArtifact=build",
                "ImageArtifact=image",
            ])
            .args(["--format", format])
            .run("ecs-verify");
        assert_snapshot!(format, printed(&outcome));
    }
}
