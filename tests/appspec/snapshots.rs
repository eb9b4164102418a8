//! `ecs-appspec` as snapshots (`snapshots/`): the AppSpec it writes, its help pages and every
//! report format of `check`.

use insta::assert_snapshot;

use crate::support::fixtures::ACCOUNT;
use crate::support::harness::Test;
use crate::support::snapshot::{help_pages, printed, whole_lines};

const TEMPLATE: &str = include_str!("../../examples/web-service/taskdef.template.json");

#[test]
fn help() {
    for (name, page) in help_pages("ecs-appspec") {
        assert_snapshot!(name, page);
    }
}

/// The AppSpec for the example's task definition, with a test-traffic hook.
#[test]
fn written_appspec() {
    let outcome = Test::new()
        .file("taskdef.template.json", TEMPLATE)
        .args(["render", "--taskdef", "taskdef.template.json"])
        .args([
            "--after-allow-test-traffic",
            "CodeDeployHook_web-service-smoke-test",
        ])
        .run("ecs-appspec")
        .success();
    assert_snapshot!("appspec.yaml", whole_lines(&outcome.file("appspec.yaml")));
}

/// An AppSpec with a quoted port (an error) and a hook the managed role cannot invoke (a
/// warning).
#[test]
fn check_reports() {
    let appspec = format!(
        "\
version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: web
          ContainerPort: \"8080\"
Hooks:
  - BeforeInstall: arn:aws:lambda:eu-west-1:{ACCOUNT}:function:hook
"
    );
    for format in ["text", "json", "sarif", "junit"] {
        let outcome = Test::new()
            .file("appspec.yaml", &appspec)
            .args(["check", "--format", format, "appspec.yaml"])
            .run("ecs-appspec");
        assert_snapshot!(format!("check-{format}"), printed(&outcome));
    }
}
