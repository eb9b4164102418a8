use serde_json::{Value, json};

use super::{ServiceReport, check};

const TG: &str = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-blue/1";
const HOOK: &str = "arn:aws:lambda:eu-west-1:123456789012:function:smoke";

fn advanced() -> Value {
    json!({"alternateTargetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-green/2",
        "productionListenerRule": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/1/2/3",
        "testListenerRule": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/1/2/4",
        "roleArn": "arn:aws:iam::123456789012:role/ecs-blue-green"})
}

fn service(configuration: &Value) -> Value {
    json!({"services": [{"serviceName": "web", "taskDefinition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7",
        "deploymentController": {"type": "ECS"}, "deploymentConfiguration": configuration,
        "loadBalancers": [{"targetGroupArn": TG, "containerName": "web", "containerPort": 8080, "advancedConfiguration": advanced()}]}]})
}

fn run(document: &Value) -> ServiceReport {
    check(document, 60).expect("a service")
}

fn rules(report: &ServiceReport) -> Vec<(&str, bool)> {
    report
        .findings
        .iter()
        .map(|f| (f.rule, f.is_error()))
        .collect()
}

#[test]
fn a_good_blue_green_service_is_summed_up() {
    let hook = json!({"targetType": "AWS_LAMBDA", "hookTargetArn": HOOK, "lifecycleStages": ["POST_TEST_TRAFFIC_SHIFT"], "timeoutConfiguration": {"timeoutInMinutes": 10}});
    let report = run(&service(
        &json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 15, "lifecycleHooks": [hook.clone(), hook]}),
    ));
    assert_eq!(
        report.summary,
        "service web: BLUE_GREEN, bake time 15 min, 2 lifecycle hooks"
    );
    assert_eq!(report.findings, []);
    assert_eq!(
        report.task_definition.as_deref(),
        Some("arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7")
    );
}

#[test]
fn code_deploy_and_external_controllers_are_refused() {
    let mut document = service(&json!({}));
    document["services"][0]["deploymentController"]["type"] = json!("CODE_DEPLOY");
    let report = run(&document);
    assert_eq!(
        report.summary,
        "service web: CODE_DEPLOY deployment controller"
    );
    assert_eq!(rules(&report), [("deployment-controller", true)]);
    assert!(
        report.findings[0]
            .help
            .as_deref()
            .unwrap()
            .contains("CodeDeployToECS")
    );
    document["services"][0]["deploymentController"]["type"] = json!("EXTERNAL");
    assert_eq!(rules(&run(&document)), [("deployment-controller", true)]);
}

#[test]
fn blue_green_needs_a_bake_time() {
    let report = run(&service(&json!({"strategy": "BLUE_GREEN"})));
    assert_eq!(rules(&report), [("bake-time", true)]);
    assert_eq!(
        report.findings[0].location_str(),
        Some("$.services[0].deploymentConfiguration")
    );
}

#[test]
fn hook_mistakes() {
    let report = run(&service(
        &json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 5, "lifecycleHooks": [
            {"targetType": "PAUSE", "lifecycleStages": ["PRODUCTION_TRAFFIC_SHIFT", "POST_SCALEUP"]},
            {"lifecycleStages": ["PRE_SCALE_UP"], "timeoutConfiguration": {"timeoutInMinutes": 5}}
        ]}),
    ));
    let messages: Vec<(&str, Option<&str>)> = report
        .findings
        .iter()
        .map(|f| (f.rule, f.help.as_deref()))
        .collect();
    assert_eq!(
        messages[..3],
        [
            (
                "pause-hook",
                Some("pause at `PRE_PRODUCTION_TRAFFIC_SHIFT` instead, before or after the shift")
            ),
            ("hook-stage", Some("did you mean `POST_SCALE_UP`?")),
            (
                "hook-target",
                Some(
                    "set hookTargetArn to the Lambda function's ARN, or targetType PAUSE to wait for a person"
                )
            ),
        ]
    );
    assert_eq!(
        report.findings[2].location_str(),
        Some("$.services[0].deploymentConfiguration.lifecycleHooks[1]")
    );
    // The PAUSE hook leaves 55 of the 60 minutes to continue the deployment.
    assert!(report.findings[3].message.contains("55 minutes are left"));
}

#[test]
fn load_balancers_need_the_advanced_configuration() {
    let mut document = service(
        &json!({"strategy": "LINEAR", "linearConfiguration": {"stepPercent": 25.0, "stepBakeTimeInMinutes": 2}}),
    );
    document["services"][0]["loadBalancers"][0]["advancedConfiguration"] =
        json!({"alternateTargetGroupArn": "arn:green"});
    let report = run(&document);
    assert_eq!(
        report.summary,
        "service web: LINEAR, 25% steps every 2 min (4 steps), no lifecycle hooks"
    );
    assert_eq!(
        rules(&report),
        [
            ("advanced-configuration", true),
            ("test-listener-rule", false)
        ]
    );
    assert!(
        report.findings[0]
            .message
            .ends_with("its advancedConfiguration lacks `productionListenerRule`, `roleArn`")
    );
    document["services"][0]["loadBalancers"][0]
        .as_object_mut()
        .unwrap()
        .remove("advancedConfiguration");
    assert!(
        run(&document).findings[0]
            .message
            .ends_with("it has no advancedConfiguration")
    );
}

#[test]
fn headless_and_service_connect() {
    let mut document = service(&json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 0}));
    document["services"][0]["loadBalancers"] = json!([]);
    assert!(
        run(&document)
            .summary
            .ends_with(", headless (no traffic shifting)")
    );
    document["services"][0]["deployments"] =
        json!([{"status": "PRIMARY", "serviceConnectConfiguration": {"enabled": true}}]);
    assert!(
        run(&document)
            .summary
            .ends_with(", traffic through Service Connect")
    );
    document["services"][0]["deployments"] = json!([]);
    document["services"][0]["deploymentConfiguration"]["strategy"] = json!("CANARY");
    assert_eq!(rules(&run(&document)), [("traffic-shift", false)]);
}

#[test]
fn the_waits_must_fit_in_the_deployment_timeout() {
    // Default linear configuration: 10% steps, 6 minutes each: 60 minutes, plus the bake time.
    let report = run(&service(
        &json!({"strategy": "LINEAR", "bakeTimeInMinutes": 15}),
    ));
    assert_eq!(rules(&report), [("deployment-timeout", true)]);
    assert_eq!(
        report.findings[0].message,
        "LINEAR deployments of service `web` take at least 75 minutes (15 min bake time + 10 steps × 6 min step bake time), more than the action's DeploymentTimeout of 60 minutes: the action would fail after 60 minutes while ECS carries on"
    );
    let canary = service(&json!({"strategy": "CANARY", "bakeTimeInMinutes": 10}));
    assert_eq!(rules(&run(&canary)), []);
    let report = check(&canary, 15).unwrap();
    assert!(
        report.findings[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("raise DeploymentTimeout (now 15)")
    );
    // A hook without a timeout may take 1440 minutes.
    let hooked = service(&json!({"strategy": "CANARY", "bakeTimeInMinutes": 10,
        "lifecycleHooks": [{"hookTargetArn": HOOK, "lifecycleStages": ["POST_SCALE_UP", "POST_TEST_TRAFFIC_SHIFT"]}]}));
    let report = run(&hooked);
    assert_eq!(rules(&report), [("deployment-timeout", false)]);
    assert!(
        report.findings[0].message.contains(&format!(
            "1440 min (the default) for `{HOOK}` at 2 stages = 2900 minutes"
        )),
        "{}",
        report.findings[0].message
    );
}

#[test]
fn linear_steps_round_up() {
    assert_eq!(super::rules::steps(3.3), 31);
    assert_eq!(super::rules::steps(10.0), 10);
    assert_eq!(super::rules::steps(100.0), 1);
    assert_eq!(super::rules::steps(0.0), 34);
}

#[test]
fn rolling_wants_a_rollback() {
    let report = run(&service(&json!({"maximumPercent": 200})));
    assert_eq!(
        report.summary,
        "service web: ROLLING, no automatic rollback"
    );
    assert_eq!(rules(&report), [("rollback", false)]);
    let report = run(&service(
        &json!({"deploymentCircuitBreaker": {"enable": true, "rollback": true}}),
    ));
    assert_eq!(
        report.summary,
        "service web: ROLLING, circuit breaker with rollback"
    );
    assert_eq!(report.findings, []);
    let report = run(&service(
        &json!({"deploymentCircuitBreaker": {"enable": true, "rollback": false},
        "alarms": {"alarmNames": ["5xx"], "enable": true, "rollback": true}}),
    ));
    assert_eq!(report.summary, "service web: ROLLING, alarms with rollback");
}

#[test]
fn unknown_strategy_is_named() {
    let report = run(&service(&json!({"strategy": "BLUE-GREEN"})));
    assert_eq!(
        report.findings[0].help.as_deref(),
        Some("did you mean `BLUE_GREEN`?")
    );
}

#[test]
fn documents_that_are_not_a_service() {
    let error = |document: Value| check(&document, 60).unwrap_err();
    assert_eq!(
        error(json!({"services": [], "failures": [{"arn": "x", "reason": "MISSING"}]})).message,
        "there is no service in the answer: `services` is empty (failure: `MISSING`)"
    );
    assert_eq!(
        error(json!([1])).message,
        "there is no service in the answer: it is an array, not an object"
    );
    let wrong = error(service(
        &json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": "15"}),
    ));
    assert_eq!(
        wrong.message,
        "`$.services[0].deploymentConfiguration.bakeTimeInMinutes` is a string, not a whole number of minutes"
    );
    assert_eq!(
        wrong.location_str(),
        Some("$.services[0].deploymentConfiguration.bakeTimeInMinutes")
    );
    let mut one = service(&json!({}))["services"][0].clone();
    one["loadBalancers"] = json!({});
    assert_eq!(
        error(one).message,
        "`$.loadBalancers` is an object, not an array"
    );
}
