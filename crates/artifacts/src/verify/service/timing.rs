//! Whether the waits of a blue/green, linear or canary deployment fit in the ECS action's
//! `DeploymentTimeout`: the action fails on its timeout while ECS carries on
//! (`docs/aws/ecs-services.md#fitting-in-the-actions-timeout`).

use super::read::Hook;
use crate::finding::Finding;
use crate::location::JsonPath;
use crate::suggest::backticked;

/// A hook's timeout when `timeoutConfiguration.timeoutInMinutes` is unset.
/// Source: ECS API reference, `DeploymentLifecycleHook` (`docs/aws/ecs-services.md#lifecycle-hooks`).
const DEFAULT_HOOK_TIMEOUT: u64 = 1440;

/// The waits the strategy certainly makes, against the action's timeout; then what the hooks
/// may add. The action fails on its timeout while ECS carries on (`docs/aws/ecs-services.md#fitting-in-the-actions-timeout`).
pub(super) fn timing(
    name: &str,
    strategy: &str,
    parts: &[(String, u64)],
    hooks: &[Hook],
    deployment_timeout: u32,
    at: &JsonPath,
) -> Vec<Finding> {
    let limit = u64::from(deployment_timeout);
    let certain: u64 = parts.iter().map(|(_, minutes)| minutes).sum();
    let sum = |parts: &[(String, u64)]| {
        parts
            .iter()
            .map(|(part, _)| part.as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let raise = if deployment_timeout < super::MAX_DEPLOYMENT_TIMEOUT {
        format!("raise DeploymentTimeout (now {deployment_timeout}) up to 60, or ")
    } else {
        String::new()
    };
    let mut findings = Vec::new();
    if certain > limit {
        findings.push(
            Finding::error("deployment-timeout", format!("{strategy} deployments of service `{name}` take at least {certain} minutes ({}), more than the action's DeploymentTimeout of {deployment_timeout} minutes: the action would fail after {deployment_timeout} minutes while ECS carries on", sum(parts)))
                .at(at.clone())
                .help(format!("{raise}shorten the bake times so they fit; the ECS action waits at most 60 minutes")),
        );
        return findings;
    }
    let mut with_hooks = parts.to_vec();
    for hook in hooks.iter().filter(|hook| hook.target_type != "PAUSE") {
        let minutes = hook.timeout.unwrap_or(DEFAULT_HOOK_TIMEOUT);
        let stages = u64::try_from(hook.stages.len()).unwrap_or(u64::MAX);
        let unset = if hook.timeout.is_none() {
            " (the default)"
        } else {
            ""
        };
        let what = hook.target.as_deref().unwrap_or("the hook");
        with_hooks.push((
            format!(
                "{minutes} min{unset} for `{what}` at {stages} stage{}",
                if stages == 1 { "" } else { "s" }
            ),
            minutes.saturating_mul(stages),
        ));
    }
    let worst: u64 = with_hooks.iter().map(|(_, minutes)| minutes).sum();
    if worst > limit {
        findings.push(
            Finding::warning("deployment-timeout", format!("a lifecycle hook that runs to its timeout would outlast the action: {} = {worst} minutes, more than the DeploymentTimeout of {deployment_timeout} minutes", sum(&with_hooks)))
                .at(at.clone())
                .help(format!("set each hook's timeoutConfiguration.timeoutInMinutes so the sum fits in {deployment_timeout} minutes")),
        );
    }
    let paused: Vec<&str> = hooks
        .iter()
        .filter(|hook| hook.target_type == "PAUSE")
        .flat_map(|hook| hook.stages.iter().map(String::as_str))
        .collect();
    if !paused.is_empty() {
        findings.push(
            Finding::warning("deployment-timeout", format!("PAUSE hooks at {} wait for a person, and the action's {deployment_timeout} minutes run meanwhile: after {} minutes of baking, {} minutes are left to continue the deployment", backticked(paused), certain, limit - certain))
                .at(at.clone())
                .help("continue the deployment within the action's timeout, or approve it in a manual approval action before the deploy instead"),
        );
    }
    findings
}
