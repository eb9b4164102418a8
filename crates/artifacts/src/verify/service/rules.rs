//! The checks on the target service's deployment controller and strategy.

use std::fmt::Write as _;

use serde_json::Value;

use super::read::{Hook, Reader, Service};
use super::{ServiceReport, service_of};
use crate::finding::Finding;
use crate::location::JsonPath;
use crate::suggest::{Reach, backticked, similar};

/// Source: ECS API reference, `DeploymentConfiguration.strategy` (`docs/aws/ecs-services.md#deployment-strategies`).
const STRATEGIES: &[&str] = &["ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"];

/// Source: ECS API reference, `DeploymentLifecycleHook.lifecycleStages` (`docs/aws/ecs-services.md#lifecycle-hooks`).
const STAGES: &[&str] = &[
    "RECONCILE_SERVICE",
    "PRE_SCALE_UP",
    "POST_SCALE_UP",
    "TEST_TRAFFIC_SHIFT",
    "POST_TEST_TRAFFIC_SHIFT",
    "PRE_PRODUCTION_TRAFFIC_SHIFT",
    "PRODUCTION_TRAFFIC_SHIFT",
    "POST_PRODUCTION_TRAFFIC_SHIFT",
];

/// Source: ECS API reference, `DeploymentLifecycleHook.targetType` (`docs/aws/ecs-services.md#lifecycle-hooks`).
const TARGET_TYPES: &[&str] = &["AWS_LAMBDA", "PAUSE"];

/// Checks the service in a `describe-services` answer (or one service object) as the target
/// of the ECS action with `deployment_timeout` minutes. `Err` when the document is not one.
pub fn check(document: &Value, deployment_timeout: u32) -> Result<ServiceReport, Finding> {
    let (object, base) = service_of(document)?;
    let reader = Reader::new(base);
    let service = Service::read(object, &reader)?;
    let path = |member: &str| reader.path(member);
    let mut findings = Vec::new();
    let summary = match service.controller.as_str() {
        "ECS" => strategy(&service, deployment_timeout, &path, &mut findings),
        controller => {
            findings.push(
                controller_finding(&service.name, controller)
                    .at(path(".deploymentController.type")),
            );
            format!(
                "service {}: {controller} deployment controller",
                service.name
            )
        }
    };
    Ok(ServiceReport {
        name: service.name,
        summary,
        task_definition: service.task_definition,
        findings,
    })
}

fn controller_finding(name: &str, controller: &str) -> Finding {
    match controller {
        // ECS refuses the action's UpdateService: `Unable to update task definition on services
        // with a CODE_DEPLOY deployment controller` (`docs/aws/ecs-services.md#deployment-controllers`, fabfuel/ecs-deploy#120).
        "CODE_DEPLOY" => Finding::error(
            "deployment-controller",
            format!("service `{name}` uses the CODE_DEPLOY deployment controller, which the ECS action cannot deploy: ECS answers `Unable to update task definition on services with a CODE_DEPLOY deployment controller`"),
        )
        .help("deploy it with the CodeDeployToECS (Blue/Green) action and taskdef.json, appspec.yaml and imageDetail.json (`ecs-verify --for blue-green`), or migrate the service to the ECS controller with strategy BLUE_GREEN, which the ECS action deploys with imagedefinitions.json"),
        // UpdateService on an EXTERNAL service changes no task definition: that takes a new
        // task set (ECS API reference, UpdateService).
        "EXTERNAL" => Finding::error(
            "deployment-controller",
            format!("service `{name}` uses the EXTERNAL deployment controller, which the ECS action cannot deploy: its task definition changes only through a new task set"),
        )
        .help("deploy it with the controller that owns its task sets, or migrate the service to the ECS controller (strategy ROLLING or BLUE_GREEN)"),
        other => Finding::error(
            "deployment-controller",
            format!("service `{name}` has deployment controller `{other}`; the types are `ECS`, `CODE_DEPLOY` and `EXTERNAL`"),
        ),
    }
}

/// The checks of an `ECS`-controller service, and its summary line.
fn strategy(
    service: &Service,
    deployment_timeout: u32,
    path: &dyn Fn(&str) -> JsonPath,
    findings: &mut Vec<Finding>,
) -> String {
    let name = &service.name;
    let strategy = service.strategy.as_str();
    let at = path(".deploymentConfiguration.strategy");
    match strategy {
        "ROLLING" => return rolling(service, path, findings),
        "BLUE_GREEN" | "LINEAR" | "CANARY" => {}
        unknown => {
            findings.push(
                Finding::error(
                    "deployment-strategy",
                    format!("service `{name}` has deployment strategy `{unknown}`; the strategies are {}", backticked(STRATEGIES.iter().copied())),
                )
                .at(at.clone())
                .maybe_help(similar(unknown, STRATEGIES.iter().copied(), Reach::Short).map(|s| format!("did you mean `{s}`?")).as_deref()),
            );
            return format!("service {name}: unknown strategy {unknown}");
        }
    }
    let mut summary = format!("service {name}: {strategy}");
    if strategy == "BLUE_GREEN" && service.bake_time.is_none() {
        // "You must provide this parameter when you use the BLUE_GREEN deployment strategy."
        // (ECS API reference, DeploymentConfiguration.bakeTimeInMinutes)
        findings.push(
            Finding::error("bake-time", format!("service `{name}` uses BLUE_GREEN without `bakeTimeInMinutes`, which the API requires for it"))
                .at(path(".deploymentConfiguration"))
                .help("set deploymentConfiguration.bakeTimeInMinutes (0 to 1440): how long the old tasks stay ready for a rollback after production traffic moves"),
        );
    }
    let (step_percent, step_bake) = service.linear;
    let (canary_percent, canary_bake) = service.canary;
    let mut parts: Vec<(String, u64)> = Vec::new();
    match strategy {
        "LINEAR" => {
            let steps = steps(step_percent);
            let _ = write!(
                summary,
                ", {step_percent}% steps every {step_bake} min ({steps} steps)"
            );
            parts.push((
                format!("{steps} steps × {step_bake} min step bake time"),
                steps * step_bake,
            ));
        }
        "CANARY" => {
            let _ = write!(summary, ", {canary_percent}% canary for {canary_bake} min");
            parts.push((format!("{canary_bake} min canary bake time"), canary_bake));
        }
        _ => {}
    }
    if let Some(bake) = service.bake_time {
        let _ = write!(summary, ", bake time {bake} min");
        parts.insert(0, (format!("{bake} min bake time"), bake));
    }
    let _ = match service.hooks.len() {
        0 => write!(summary, ", no lifecycle hooks"),
        1 => write!(summary, ", 1 lifecycle hook"),
        n => write!(summary, ", {n} lifecycle hooks"),
    };
    for hook in &service.hooks {
        findings.extend(hook_findings(hook));
    }
    traffic(service, &mut summary, path, findings);
    findings.extend(super::timing::timing(
        name,
        strategy,
        &parts,
        &service.hooks,
        deployment_timeout,
        &path(".deploymentConfiguration"),
    ));
    summary
}

/// `ceil(100 / stepPercent)`, counted in tenths of a percent (the API's granularity).
pub(super) fn steps(step_percent: f64) -> u64 {
    // Out-of-range values come only from an edited file; clamp them to the API's range
    // (3.0 to 100.0, `docs/aws/ecs-services.md#deployment-strategies`) rather than divide by zero.
    let tenths = (step_percent * 10.0).round().clamp(30.0, 1000.0);
    // Clamped to 30..=1000 just above, so the conversion is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let tenths = tenths as u64;
    1000_u64.div_ceil(tenths)
}

fn hook_findings(hook: &Hook) -> Vec<Finding> {
    let mut findings = Vec::new();
    let pause = hook.target_type == "PAUSE";
    if !TARGET_TYPES.contains(&hook.target_type.as_str()) {
        findings.push(
            Finding::error(
                "hook-target",
                format!(
                    "hook target type `{}` is not one of {}",
                    hook.target_type,
                    backticked(TARGET_TYPES.iter().copied())
                ),
            )
            .at(hook.path.key("targetType"))
            .maybe_help(
                similar(
                    &hook.target_type,
                    TARGET_TYPES.iter().copied(),
                    Reach::Short,
                )
                .map(|s| format!("did you mean `{s}`?"))
                .as_deref(),
            ),
        );
    } else if !pause && hook.target.is_none() {
        findings.push(
            Finding::error("hook-target", "an AWS_LAMBDA lifecycle hook has no `hookTargetArn`")
                .at(hook.path.clone())
                .help("set hookTargetArn to the Lambda function's ARN, or targetType PAUSE to wait for a person"),
        );
    }
    for (j, stage) in hook.stages.iter().enumerate() {
        let at = hook.path.key("lifecycleStages").index(j);
        if !STAGES.contains(&stage.as_str()) {
            findings.push(
                Finding::error(
                    "hook-stage",
                    format!(
                        "`{stage}` is not a lifecycle stage; the stages are {}",
                        backticked(STAGES.iter().copied())
                    ),
                )
                .at(at.clone())
                .maybe_help(
                    similar(stage, STAGES.iter().copied(), Reach::Proportional)
                        .map(|s| format!("did you mean `{s}`?"))
                        .as_deref(),
                ),
            );
        } else if pause
            && matches!(
                stage.as_str(),
                "TEST_TRAFFIC_SHIFT" | "PRODUCTION_TRAFFIC_SHIFT"
            )
        {
            // A PAUSE hook cannot hold the traffic shift itself (ECS API reference,
            // DeploymentLifecycleHook; `docs/aws/ecs-services.md#lifecycle-hooks`).
            let instead = if stage == "TEST_TRAFFIC_SHIFT" {
                "POST_TEST_TRAFFIC_SHIFT"
            } else {
                "PRE_PRODUCTION_TRAFFIC_SHIFT"
            };
            findings.push(
                Finding::error(
                    "pause-hook",
                    format!("a PAUSE hook cannot run at `{stage}`"),
                )
                .at(at.clone())
                .help(format!(
                    "pause at `{instead}` instead, before or after the shift"
                )),
            );
        }
    }
    findings
}

/// Load balancers, Service Connect or neither: what the strategy needs to shift traffic.
/// Source: ECS API reference, `AdvancedConfiguration`; ECS developer guide, "Amazon ECS
/// blue/green deployments" (`docs/aws/ecs-services.md#load-balancer-wiring`).
fn traffic(
    service: &Service,
    summary: &mut String,
    path: &dyn Fn(&str) -> JsonPath,
    findings: &mut Vec<Finding>,
) {
    let strategy = &service.strategy;
    for balancer in &service.load_balancers {
        let missing = &balancer.missing;
        if !missing.is_empty() {
            let what = if balancer.advanced {
                format!(
                    "its advancedConfiguration lacks {}",
                    backticked(missing.iter().copied())
                )
            } else {
                "it has no advancedConfiguration".to_owned()
            };
            findings.push(
                Finding::error("advanced-configuration", format!("{strategy} shifts traffic between two target groups, and the entry for {} cannot: {what}", balancer.name))
                    .at(balancer.path.clone())
                    .help("set advancedConfiguration with alternateTargetGroupArn (the second target group), productionListenerRule (the listener rule or NLB listener that carries production traffic) and roleArn (a role ECS assumes to change them)"),
            );
        }
        if !balancer.test_listener_rule {
            findings.push(
                Finding::warning("test-listener-rule", format!("the entry for {} has no advancedConfiguration.testListenerRule: the new tasks get no test traffic before the production shift", balancer.name))
                    .at(balancer.path.key("advancedConfiguration"))
                    .help("add a test listener rule so TEST_TRAFFIC_SHIFT hooks can test the new tasks first, or accept that they are tested only with production traffic"),
            );
        }
    }
    if !service.load_balancers.is_empty() {
        return;
    }
    if service.uses_service_connect {
        summary.push_str(", traffic through Service Connect");
    } else if strategy == "BLUE_GREEN" {
        // Headless services can use BLUE_GREEN without traffic shifting (ECS developer guide,
        // "blue/green deployment implementation").
        summary.push_str(", headless (no traffic shifting)");
    } else {
        findings.push(
            Finding::warning("traffic-shift", format!("{strategy} shifts traffic in steps, and service `{}` has no load balancer and no Service Connect: there is no traffic to shift", service.name))
                .at(path(".loadBalancers"))
                .help("add a load balancer (ALB or NLB) with advancedConfiguration, or Service Connect; a headless service can use BLUE_GREEN without traffic shifting"),
        );
    }
}

/// ROLLING: what undoes a failed deployment. Source: ECS API reference,
/// `DeploymentCircuitBreaker`, `DeploymentAlarms` (`docs/aws/ecs-services.md#circuit-breaker-and-alarms`).
fn rolling(
    service: &Service,
    path: &dyn Fn(&str) -> JsonPath,
    findings: &mut Vec<Finding>,
) -> String {
    let name = &service.name;
    let rollback = match (service.circuit_breaker_rollback, service.alarms_rollback) {
        (true, true) => "circuit breaker and alarms with rollback",
        (true, false) => "circuit breaker with rollback",
        (false, true) => "alarms with rollback",
        (false, false) => {
            findings.push(
                Finding::warning("rollback", format!("service `{name}` rolls out with neither the deployment circuit breaker nor deployment alarms set to roll back: a failing deployment keeps replacing tasks after the action times out"))
                    .at(path(".deploymentConfiguration"))
                    .help("enable deploymentCircuitBreaker {enable: true, rollback: true} (or alarms with rollback), so that a failed deployment returns to the last one that completed"),
            );
            "no automatic rollback"
        }
    };
    format!("service {name}: ROLLING, {rollback}")
}
