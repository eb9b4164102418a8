//! Following a `CodeDeployToECS` action's deployment: lifecycle events and hooks, task sets and
//! traffic, and the green tasks' reasons from ECS when it fails.

use serde_json::{Value, json};

use super::{PULL, Pipeline, TESTED, event, step, stopped, wait};
use crate::support::deploy_endpoint::Endpoint as Deploy;

#[test]
fn a_failed_after_allow_test_traffic_hook_names_its_lambda() {
    let pipeline = Pipeline::start("web-prod")
        .execution("e-1", TESTED, &["InProgress"])
        .deploy_action(
            "BlueGreen",
            "CodeDeployToECS",
            json!({ "ApplicationName": "web", "DeploymentGroupName": "web-prod" }),
            Some("d-7EXAMPLE"),
        );
    let appspec = "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n\
                   Hooks:\n  - AfterAllowTestTraffic: \"arn:aws:lambda:us-east-1:123456789012:function:web-smoke-test\"\n";
    let info = |status: &str| {
        json!({ "deploymentId": "d-7EXAMPLE", "status": status,
                "revision": { "revisionType": "AppSpecContent", "appSpecContent": { "content": appspec } } })
    };
    let target = |hook: &str, diagnostics: Value| {
        json!({ "deploymentId": "d-7EXAMPLE", "targetId": "prod:web", "status": "InProgress",
                "lifecycleEvents": [
                    { "lifecycleEventName": "Install", "status": "Succeeded" },
                    { "lifecycleEventName": "AllowTestTraffic", "status": "Succeeded" },
                    { "lifecycleEventName": "AfterAllowTestTraffic", "status": hook, "diagnostics": diagnostics },
                    { "lifecycleEventName": "AllowTraffic", "status": "Pending" },
                ],
                "taskSetsInfo": [
                    { "identifer": "ecs-svc/9", "desiredCount": 2, "runningCount": 2, "pendingCount": 0, "trafficWeight": 100.0, "taskSetLabel": "Blue" },
                    { "identifer": "ecs-svc/10", "desiredCount": 2, "runningCount": 2, "pendingCount": 0, "trafficWeight": 0.0, "taskSetLabel": "Green" },
                ] })
    };
    let deploy = Deploy::start().codedeploy(vec![
        (info("InProgress"), target("InProgress", Value::Null)),
        (
            info("InProgress"),
            target("Failed", json!({ "errorCode": "ScriptFailed", "message": "The deployment failed because a lifecycle event hook reported Failed" })),
        ),
    ]);
    wait(&pipeline, &deploy, &[])
        .code(1)
        .stderr_has("Deploy/BlueGreen: following CodeDeploy deployment d-7EXAMPLE")
        .stderr_has(
            "CodeDeploy d-7EXAMPLE InProgress; Install Succeeded, AllowTestTraffic Succeeded, \
             AfterAllowTestTraffic InProgress; blue 2/2 running, 0 pending, 100% traffic; \
             green 2/2 running, 0 pending, 0% traffic",
        )
        .stderr_has(
            "lifecycle event AfterAllowTestTraffic failed (hook Lambda function \
             `arn:aws:lambda:us-east-1:123456789012:function:web-smoke-test`)",
        )
        .stderr_has("error: CodeDeploy deployment `d-7EXAMPLE` failed: lifecycle event `AfterAllowTestTraffic` failed");
}

#[test]
fn a_failed_blue_green_deployment_found_in_its_group_shows_why_its_green_tasks_stopped() {
    let pipeline = Pipeline::start("web-prod")
        .execution("e-1", TESTED, &["InProgress"])
        .deploy_action(
            "BlueGreen",
            "CodeDeployToECS",
            json!({ "ApplicationName": "web", "DeploymentGroupName": "web-prod" }),
            // Not named by the action yet: found in the deployment group.
            None,
        );
    let timed_out = "The deployment timed out while waiting for the replacement task set to \
                     become healthy. This time out period is 60 minutes.";
    let info = json!({ "deploymentId": "d-8EXAMPLE", "status": "Failed",
                       "errorInformation": { "code": "TIMEOUT", "message": timed_out } });
    let target = json!({ "deploymentId": "d-8EXAMPLE", "targetId": "prod:web", "status": "Failed",
        "lifecycleEvents": [{ "lifecycleEventName": "Install", "status": "Succeeded" }],
        "taskSetsInfo": [
            { "identifer": "ecs-svc/10", "desiredCount": 2, "runningCount": 0, "pendingCount": 0, "trafficWeight": 0.0, "taskSetLabel": "Green" },
        ] });
    let mut green = stopped("g1", PULL, None);
    green["startedBy"] = json!("ecs-svc/10");
    let deploy = Deploy::start()
        .codedeploy(vec![(info, target)])
        .ecs(vec![step(
            vec![],
            vec![event(
                600,
                "(service web, taskSet ecs-svc/10) has started 2 tasks: (task g1) (task g2).",
            )],
            vec![green],
        )]);
    wait(&pipeline, &deploy, &[])
        .code(1)
        .stderr_has("Deploy/BlueGreen: following CodeDeploy deployment d-8EXAMPLE")
        .stderr_has(&format!("  error TIMEOUT: {timed_out}"))
        .stderr_has(&format!("  task g1 (web:8) stopped: {PULL}"))
        .stderr_has("(service web, taskSet ecs-svc/10) has started 2 tasks")
        .stderr_has("likely cause (image pull)")
        .stderr_has(
            "error: CodeDeploy deployment `d-8EXAMPLE` failed: TIMEOUT: The deployment timed out",
        );
}
