//! `ecs-verify --for ecs` with the target service: its deployment controller and strategy
//! read from `describe-services` output (`tests/fixtures/services/`, shaped as the API answers)
//! or live (`live.rs`), and checked for what makes the ECS action fail.

use crate::support::fixtures::ECR;
use crate::support::harness::{Outcome, Test};

fn images() -> String {
    format!(r#"[{{"name":"web","imageUri":"{ECR}/web:4f2a9c1"}}]"#)
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/services/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The ECS action's artifact and the service file `services/NAME`, checked with `extra` flags.
fn verify(name: &str, extra: &[&str]) -> Outcome {
    let shown = format!("services/{name}");
    Test::new()
        .file("build/imagedefinitions.json", images())
        .file(&shown, fixture(name))
        .args(["--for", "ecs", "build", "--service-json", &shown])
        .args(extra)
        .run("ecs-verify")
}

#[test]
fn the_strategy_is_reported_and_good_services_pass() {
    verify("blue-green.json", &[])
        .success()
        .stderr_has("note: service web: BLUE_GREEN, bake time 15 min, 2 lifecycle hooks (services/blue-green.json)")
        // The PAUSE hook waits for a person while the action's clock runs.
        .stderr_has("PAUSE hooks at `PRE_PRODUCTION_TRAFFIC_SHIFT` wait for a person")
        .stderr_has("checked 2 files: 0 errors, 1 warning");
    verify("linear.json", &[])
        .success()
        .stderr_has("note: service web: LINEAR, 25% steps every 5 min (4 steps), bake time 10 min, 1 lifecycle hook")
        .stderr_has("checked 2 files: 0 errors, 0 warnings");
    verify("canary.json", &[])
        .success()
        .stderr_has("note: service web: CANARY, 10% canary for 10 min, bake time 10 min, no lifecycle hooks")
        .stderr_has("checked 2 files: 0 errors, 0 warnings");
    verify("rolling.json", &[])
        .success()
        .stderr_has("note: service web: ROLLING, circuit breaker with rollback")
        .stderr_has("checked 2 files: 0 errors, 0 warnings");
    // One service object, as `--query 'services[0]'` prints it.
    verify("rolling-no-rollback.json", &[])
        .success()
        .stderr_has("note: service web: ROLLING, no automatic rollback")
        .stderr_has("warning[rollback]: service `web` rolls out with neither the deployment circuit breaker nor deployment alarms set to roll back")
        .stderr_has("(services/rolling-no-rollback.json: $.deploymentConfiguration)");
}

#[test]
fn a_code_deploy_service_needs_the_blue_green_action() {
    verify("code-deploy.json", &[])
        .code(1)
        .stderr_has("note: service web: CODE_DEPLOY deployment controller")
        .stderr_has("error[deployment-controller]: service `web` uses the CODE_DEPLOY deployment controller, which the ECS action cannot deploy")
        .stderr_has("(services/code-deploy.json: $.services[0].deploymentController.type)")
        .stderr_has("help: deploy it with the CodeDeployToECS (Blue/Green) action");
}

#[test]
fn each_rule_names_the_bad_value_and_the_fix() {
    let cases: &[(&str, i32, &str, &str)] = &[
        (
            "bake-time",
            1,
            "error[bake-time]: service `web` uses BLUE_GREEN without `bakeTimeInMinutes`",
            "help: set deploymentConfiguration.bakeTimeInMinutes",
        ),
        (
            "hook-stage",
            1,
            "error[hook-stage]: `POST_TEST_TRAFIC_SHIFT` is not a lifecycle stage",
            "help: did you mean `POST_TEST_TRAFFIC_SHIFT`?",
        ),
        (
            "pause-hook",
            1,
            "error[pause-hook]: a PAUSE hook cannot run at `TEST_TRAFFIC_SHIFT` (services/broken/pause-hook.json: $.services[0].deploymentConfiguration.lifecycleHooks[0].lifecycleStages[0])",
            "help: pause at `POST_TEST_TRAFFIC_SHIFT` instead",
        ),
        (
            "hook-target",
            1,
            "error[hook-target]: an AWS_LAMBDA lifecycle hook has no `hookTargetArn`",
            "help: set hookTargetArn",
        ),
        (
            "advanced-configuration",
            1,
            "error[advanced-configuration]: BLUE_GREEN shifts traffic between two target groups, and the entry for target group `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-blue/0123456789abcdef` cannot: it has no advancedConfiguration",
            "help: set advancedConfiguration with alternateTargetGroupArn",
        ),
        (
            "test-listener-rule",
            0,
            "warning[test-listener-rule]: the entry for target group",
            "no test traffic before the production shift",
        ),
        (
            "deployment-timeout",
            1,
            "error[deployment-timeout]: LINEAR deployments of service `web` take at least 75 minutes (15 min bake time + 10 steps × 6 min step bake time), more than the action's DeploymentTimeout of 60 minutes: the action would fail after 60 minutes while ECS carries on",
            "help: shorten the bake times",
        ),
        (
            "hook-timeout",
            0,
            "warning[deployment-timeout]: a lifecycle hook that runs to its timeout would outlast the action: 15 min bake time + 1440 min (the default) for `arn:aws:lambda:eu-west-1:123456789012:function:web-smoke-test` at 1 stage = 1455 minutes",
            "help: set each hook's timeoutConfiguration.timeoutInMinutes",
        ),
        (
            "traffic-shift",
            0,
            "warning[traffic-shift]: CANARY shifts traffic in steps, and service `web` has no load balancer and no Service Connect",
            "a headless service can use BLUE_GREEN",
        ),
        (
            "deployment-strategy",
            1,
            "error[deployment-strategy]: service `web` has deployment strategy `BLUE-GREEN`",
            "help: did you mean `BLUE_GREEN`?",
        ),
        (
            "rollback",
            0,
            "warning[rollback]:",
            "help: enable deploymentCircuitBreaker",
        ),
    ];
    for (name, code, finding, help) in cases {
        verify(&format!("broken/{name}.json"), &[])
            .code(*code)
            .stderr_has(finding)
            .stderr_has(help);
    }
}

#[test]
fn the_deployment_timeout_comes_from_the_flag_or_the_pipeline() {
    // CANARY: 10 min bake time + 10 min canary bake time.
    verify("canary.json", &["--deployment-timeout", "20"]).success();
    verify("canary.json", &["--deployment-timeout", "15"])
        .code(1)
        .stderr_has("take at least 20 minutes (10 min bake time + 10 min canary bake time), more than the action's DeploymentTimeout of 15 minutes")
        .stderr_has("help: raise DeploymentTimeout (now 15) up to 60, or shorten the bake times");
    verify("canary.json", &["--deployment-timeout", "61"])
        .code(2)
        .stderr_has("61 is not in 1..=60");
    let pipeline = |timeout: &str| {
        serde_json::json!({"pipeline": {"name": "web", "stages": [
            {"name": "Source", "actions": [{"name": "Source", "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"}, "outputArtifacts": [{"name": "BuildArtifact"}]}]},
            {"name": "Deploy", "actions": [{"name": "Deploy", "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "ECS", "version": "1"},
                "inputArtifacts": [{"name": "BuildArtifact"}],
                "configuration": {"ClusterName": "main", "ServiceName": "web", "DeploymentTimeout": timeout}}]}
        ]}})
        .to_string()
    };
    let with_pipeline = |timeout: &str| {
        Test::new()
            .file("build/imagedefinitions.json", images())
            .file("canary.json", fixture("canary.json"))
            .file("pipeline.json", pipeline(timeout))
            .args([
                "--pipeline-json",
                "pipeline.json",
                "BuildArtifact=build",
                "--service-json",
                "canary.json",
            ])
            .run("ecs-verify")
    };
    with_pipeline("15")
        .code(1)
        .stderr_has("more than the action's DeploymentTimeout of 15 minutes");
    with_pipeline("30").success();
    with_pipeline("90")
        .code(1)
        .stderr_has("error[action-configuration]: DeploymentTimeout `90` is not a whole number of minutes from 1 to 60 (pipeline.json: Deploy/Deploy: configuration.DeploymentTimeout)");
}

#[test]
fn every_output_format_carries_the_service_findings() {
    let json = verify("broken/bake-time.json", &["--format", "json"]).code(1);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["errors"], 1);
    let service = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|file| file["path"] == "services/broken/bake-time.json")
        .expect("a report for the service file");
    assert_eq!(service["findings"][0]["rule"], "bake-time");
    assert_eq!(
        service["findings"][0]["location"],
        "$.services[0].deploymentConfiguration"
    );
    // The summary stays on stderr, so stdout is one document.
    assert!(json.stderr.contains("note: service web: BLUE_GREEN"));
    let sarif = verify("broken/bake-time.json", &["--format", "sarif"]).code(1);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "bake-time" && r["level"] == "error"),
        "{results:?}"
    );
    let junit = verify("broken/bake-time.json", &["--format", "junit"]).code(1);
    assert!(
        junit.stdout.contains("services/broken/bake-time.json")
            && junit.stdout.contains("bake-time"),
        "{}",
        junit.stdout
    );
    let clean = verify("rolling.json", &["--format", "junit"]).success();
    assert!(
        clean.stdout.contains("services/rolling.json"),
        "{}",
        clean.stdout
    );
}

#[test]
fn a_file_that_is_not_a_service_answer_stops_the_check() {
    verify("broken/malformed.json", &[])
        .code(2)
        .stderr_has("error: `services/broken/malformed.json` is not JSON: EOF while parsing")
        .stderr_has("help: give the output of `aws ecs describe-services --cluster CLUSTER --services SERVICE`");
    verify("broken/wrong-type.json", &[])
        .code(2)
        .stderr_has("error: `$.services[0].deploymentConfiguration.bakeTimeInMinutes` is a string, not a whole number of minutes (services/broken/wrong-type.json: $.services[0].deploymentConfiguration.bakeTimeInMinutes)");
    verify("broken/no-service.json", &[])
        .code(2)
        .stderr_has("error: there is no service in the answer: `services` is empty (failure: `MISSING`) (services/broken/no-service.json: $.services)");
    Test::new()
        .file("build/imagedefinitions.json", images())
        .args(["--for", "ecs", "build", "--service-json", "missing.json"])
        .run("ecs-verify")
        .code(2)
        .stderr_has("cannot read `missing.json`: no such file");
    Test::new()
        .file("build/taskdef.json", "{}")
        .file("service.json", fixture("blue-green.json"))
        .args([
            "--for",
            "blue-green",
            "build",
            "--service-json",
            "service.json",
        ])
        .run("ecs-verify")
        .code(2)
        .stderr_has("--service-json checks the target service of the ECS action");
}
