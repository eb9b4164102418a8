//! `ecs-taskdef` as snapshots (`snapshots/`): the task definition it renders, its help pages
//! and every report format of `check`.

use insta::assert_snapshot;

use super::render::example;
use crate::support::fixtures::{ECR, SHA};
use crate::support::harness::Test;
use crate::support::snapshot::{help_pages, printed, whole_lines};

#[test]
fn help() {
    for (name, page) in help_pages("ecs-taskdef") {
        assert_snapshot!(name, page);
    }
}

/// The example's template rendered with its image, as the prod build renders it.
#[test]
fn rendered_task_definition() {
    let outcome = example()
        .args(["render", "taskdef.template.json"])
        .args(["--image", &format!("web={ECR}/web-service@{SHA}")])
        .run("ecs-taskdef")
        .success();
    assert_snapshot!("taskdef.json", whole_lines(&outcome.file("taskdef.json")));
}

/// A task definition with a port out of range and a `latest` image.
#[test]
fn check_reports() {
    let taskdef = serde_json::json!({
        "family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
        "cpu": "256", "memory": "512",
        "containerDefinitions": [
            {"name": "web", "image": "web:latest", "portMappings": [{"containerPort": 70000}]}
        ]
    })
    .to_string();
    for format in ["text", "json", "sarif", "junit"] {
        let outcome = Test::new()
            .file("taskdef.json", &taskdef)
            .args(["check", "--format", format, "taskdef.json"])
            .run("ecs-taskdef");
        assert_snapshot!(format!("check-{format}"), printed(&outcome));
    }
}
