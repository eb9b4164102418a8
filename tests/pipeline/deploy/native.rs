//! Following an ECS-native blue/green deployment through its service deployment: lifecycle
//! stages, hooks and alarms.

use serde_json::json;

use super::{Deploy, EcsStep, NEW, deployment, ecs_pipeline, old_deployment, rollout, step, wait};

#[test]
fn a_native_blue_green_hook_that_failed_names_its_lambda() {
    let pipeline = ecs_pipeline(&["InProgress"]);
    let smoke = "arn:aws:lambda:us-east-1:123456789012:function:web-smoke-test";
    let mut failing = rollout("IN_PROGRESS", "POST_TEST_TRAFFIC_SHIFT", &[]);
    failing["lifecycleHookDetails"] = json!([{
        "hookId": "h-1", "targetType": "AWS_LAMBDA", "targetArn": smoke, "status": "FAILED",
    }]);
    let deploy = Deploy::start().ecs(vec![
        EcsStep {
            rollout: Some(rollout("IN_PROGRESS", "TEST_TRAFFIC_SHIFT", &[])),
            ..step(
                vec![deployment(
                    "ecs-svc/2",
                    "PRIMARY",
                    NEW,
                    "IN_PROGRESS",
                    [2, 2, 0, 0],
                    5,
                )],
                vec![],
                vec![],
            )
        },
        EcsStep {
            rollout: Some(failing),
            ..step(
                vec![deployment(
                    "ecs-svc/2",
                    "PRIMARY",
                    NEW,
                    "IN_PROGRESS",
                    [2, 2, 0, 0],
                    5,
                )],
                vec![],
                vec![],
            )
        },
    ]);
    wait(&pipeline, &deploy, &[])
        .code(1)
        .stderr_has(&format!(
            "  lifecycle hook {smoke}: FAILED at POST_TEST_TRAFFIC_SHIFT"
        ))
        .stderr_has("fix: read the function's CloudWatch logs")
        .stderr_has(&format!(
            "error: deployment `ecs-svc/2` failed: lifecycle hook `{smoke}` FAILED"
        ));
}

#[test]
fn an_alarm_that_fires_during_a_native_blue_green_deploy_fails_the_wait() {
    let pipeline = ecs_pipeline(&["InProgress"]);
    let at = |stage: &str, triggered: &[&str]| EcsStep {
        rollout: Some(rollout("IN_PROGRESS", stage, triggered)),
        ..step(
            vec![
                deployment("ecs-svc/2", "PRIMARY", NEW, "IN_PROGRESS", [2, 2, 0, 0], 5),
                old_deployment(),
            ],
            vec![],
            vec![],
        )
    };
    let deploy = Deploy::start().ecs(vec![
        at("TEST_TRAFFIC_SHIFT", &[]),
        at("PRODUCTION_TRAFFIC_SHIFT", &[]),
        at("BAKE_TIME", &["web-5xx"]),
    ]);
    wait(&pipeline, &deploy, &[])
        .code(1)
        .stderr_has("IN_PROGRESS: running 2/2, pending 0, failed 0, stage TEST_TRAFFIC_SHIFT")
        .stderr_has("IN_PROGRESS: running 2/2, pending 0, failed 0, stage BAKE_TIME")
        .stderr_has("  alarm that fired: web-5xx")
        .stderr_has("likely cause (alarm)")
        .stderr_has("error: deployment `ecs-svc/2` failed: alarm `web-5xx` went into ALARM");
}
