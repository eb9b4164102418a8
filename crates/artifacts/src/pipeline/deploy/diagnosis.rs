//! One screen of diagnosis for a failed deployment, and the well-known causes behind the
//! messages ECS and CodeDeploy give: the reason's text, matched to what usually causes it and
//! what fixes it. `docs/programs/ecs-pipeline.md#diagnosis`.

use super::{CodeDeployment, EcsSnapshot, StoppedTask, short};

/// A well-known cause of a failed task or deployment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cause {
    /// A short name: `image pull`, `secrets`, …
    pub name: &'static str,
    /// What usually went wrong.
    pub what: &'static str,
    /// What to do about it.
    pub fix: &'static str,
    /// The AWS page that explains the message.
    pub doc: &'static str,
}

const STOPPED_TASK_ERRORS: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html";

/// Texts (matched case-insensitively) and the cause they point to, most specific first: a
/// secret that cannot be read also says "unable to pull secrets or registry auth".
const CAUSES: &[(&[&str], Cause)] = &[
    (
        &[
            "unable to retrieve secret",
            "unable to retrieve secrets from ssm",
            "fetch secret",
        ],
        Cause {
            name: "secrets",
            what: "the task could not read a secret of its task definition",
            fix: "give the task execution role secretsmanager:GetSecretValue / ssm:GetParameters \
                  (and kms:Decrypt for a customer key) on that secret, check its ARN, and let \
                  the subnet reach Secrets Manager or SSM (NAT gateway or VPC endpoint)",
            doc: STOPPED_TASK_ERRORS,
        },
    ),
    (
        &[
            "cannotpullcontainererror",
            "unable to retrieve ecr registry auth",
            "pull image manifest",
        ],
        Cause {
            name: "image pull",
            what: "the image could not be pulled",
            fix: "check that the image tag or digest exists in the repository (`not found`), \
                  that the task execution role may pull it (ecr:GetAuthorizationToken, \
                  ecr:BatchGetImage), and that the subnet reaches the registry (NAT gateway, or \
                  ECR and S3 VPC endpoints; `i/o timeout`)",
            doc: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html",
        },
    ),
    (
        &["failed to validate logger args", "log group does not exist"],
        Cause {
            name: "logs",
            what: "the container's log configuration could not be set up",
            fix: "create the log group of `awslogs-group` (or set `awslogs-create-group` and \
                  allow logs:CreateLogGroup) and let the task execution role write to it",
            doc: STOPPED_TASK_ERRORS,
        },
    ),
    (
        &["reason request timed out", "target.timeout"],
        Cause {
            name: "port mismatch",
            what: "the load balancer got no answer on the port it checks",
            fix: "make the target group's port and health check port the container's \
                  `containerPort`, make the application listen on 0.0.0.0 at that port, and let \
                  the task's security group accept the load balancer's",
            doc: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshoot-service-load-balancers.html",
        },
    ),
    (
        &[
            "failed elb health checks",
            "health checks failed",
            "failed container health checks",
            "unhealthy in target-group",
        ],
        Cause {
            name: "health checks",
            what: "the new tasks started but did not pass their health checks",
            fix: "check the health check path and its expected codes against what the \
                  application answers, and give slow starters a longer \
                  `healthCheckGracePeriodSeconds` (or the container check's `startPeriod`)",
            doc: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshoot-service-load-balancers.html",
        },
    ),
    (
        &[
            "unable to place a task",
            "insufficient memory",
            "insufficient cpu",
            "capacity is unavailable",
            "resource:memory",
            "resource:cpu",
            "no container instances were found",
        ],
        Cause {
            name: "insufficient capacity",
            what: "ECS found no capacity to place the new tasks",
            fix: "add capacity (a capacity provider with managed scaling, a larger Auto Scaling \
                  group), lower the task's cpu/memory, or lower `maximumPercent` so that old \
                  tasks stop first; for Fargate, try other subnets' Availability Zones",
            doc: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages-list.html",
        },
    ),
    (
        &["alarm_active", "alarms have been activated", "into alarm"],
        Cause {
            name: "alarm",
            what: "a CloudWatch alarm of the deployment fired and stopped it",
            fix: "look at the alarm's metric for the new version (errors, latency) in the \
                  CloudWatch console; the alarm's name is in the message above",
            doc: "https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-create-alarms.html",
        },
    ),
    (
        &["outofmemoryerror", "container killed due to memory usage"],
        Cause {
            name: "out of memory",
            what: "a container went over its memory limit and was killed",
            fix: "raise the container's `memory` (or the task's) or lower the application's use",
            doc: STOPPED_TASK_ERRORS,
        },
    ),
    (
        &["essential container in task exited"],
        Cause {
            name: "application exited",
            what: "an essential container exited: the application stopped or crashed on start",
            fix: "read the container's logs (exit code below); a missing environment variable \
                  or secret value and a wrong command are the usual culprits",
            doc: STOPPED_TASK_ERRORS,
        },
    ),
];

/// The well-known cause `text` (a `stoppedReason`, a container's `reason`, a service event, a
/// CodeDeploy error) points to.
#[must_use]
pub fn classify(text: &str) -> Option<&'static Cause> {
    let text = text.to_lowercase();
    CAUSES
        .iter()
        .find(|(needles, _)| needles.iter().any(|needle| text.contains(needle)))
        .map(|(_, cause)| cause)
}

/// What to do about a lifecycle hook's Lambda function that failed or never answered.
const HOOK_FIX: &str = "fix: read the function's CloudWatch logs; a hook fails when its function \
                        reports failure, or does not report before its timeout (an hour for \
                        CodeDeploy)";

/// How many of each kind of line one screen holds.
const TASKS: usize = 3;
const EVENTS: usize = 5;

/// The diagnosis of a failed ECS deployment `id`: why, its stopped tasks (one per distinct
/// reason), each container's reason and exit code, the last service events, and the likely
/// causes with their fixes.
#[must_use]
pub fn diagnose_ecs(id: &str, why: &str, snapshot: &EcsSnapshot) -> Vec<String> {
    let mut lines = vec![format!("{}: {why}", snapshot.service)];
    let mut texts: Vec<&str> = vec![why];
    stopped_tasks(id, snapshot, &mut lines, &mut texts);
    if let Some(primary) = snapshot.deployments.iter().find(|d| d.status == "PRIMARY")
        && primary.id != id
    {
        lines.push(format!(
            "  the service now runs {} (deployment {})",
            short(&primary.task_definition),
            primary.id
        ));
    }
    for alarm in snapshot.rollout.iter().flat_map(|r| &r.triggered_alarms) {
        lines.push(format!("  alarm that fired: {alarm}"));
    }
    let stage = snapshot.rollout.as_ref().and_then(|r| r.stage.as_deref());
    for (hook, status) in snapshot.rollout.iter().flat_map(|r| &r.hooks) {
        if status == "FAILED" || status == "TIMED_OUT" {
            let stage = stage
                .map(|stage| format!(" at {stage}"))
                .unwrap_or_default();
            lines.push(format!("  lifecycle hook {hook}: {status}{stage}"));
            lines.push(format!("    {HOOK_FIX}"));
        }
    }
    events(snapshot, &mut lines, &mut texts);
    lines.extend(causes(&texts));
    lines
}

/// The stopped tasks that `id` (a deployment or task set) started, one per distinct reason,
/// with each container's reason and exit code.
fn stopped_tasks<'a>(
    id: &str,
    snapshot: &'a EcsSnapshot,
    lines: &mut Vec<String>,
    texts: &mut Vec<&'a str>,
) {
    let ours: Vec<&StoppedTask> = snapshot
        .stopped
        .iter()
        .filter(|task| task.started_by.as_deref() == Some(id))
        .collect();
    let mut shown: Vec<&str> = Vec::new();
    for task in &ours {
        let reason = task.stopped_reason.as_deref().unwrap_or_default();
        if shown.contains(&reason) || shown.len() == TASKS {
            continue;
        }
        shown.push(reason);
        texts.push(reason);
        lines.push(format!("  {}", super::stopped_line(task)));
        for container in &task.containers {
            let code = container.exit_code.map_or_else(
                || "no exit code".to_owned(),
                |code| format!("exit code {code}"),
            );
            let reason = container.reason.as_deref().unwrap_or("no reason given");
            texts.push(reason);
            lines.push(format!(
                "    container {}: {code}, {reason}",
                container.name
            ));
        }
    }
    if ours.len() > shown.len() {
        lines.push(format!(
            "  ({} stopped tasks of this deployment in all)",
            ours.len()
        ));
    }
}

/// The service's last events, newest first.
fn events<'a>(snapshot: &'a EcsSnapshot, lines: &mut Vec<String>, texts: &mut Vec<&'a str>) {
    if !snapshot.events.is_empty() {
        lines.push("last service events:".to_owned());
    }
    for event in snapshot.events.iter().take(EVENTS) {
        texts.push(&event.message);
        lines.push(format!("  {} {}", event.at, event.message));
    }
}

/// The diagnosis of a failed CodeDeploy deployment: why, the lifecycle events that did not
/// succeed with the failing hook's Lambda function, the task sets, the stopped tasks of the
/// replacement (green) task set and the service's last events when `service` has them, and the
/// likely causes.
#[must_use]
pub fn diagnose_codedeploy(
    why: &str,
    deployment: &CodeDeployment,
    service: Option<&EcsSnapshot>,
) -> Vec<String> {
    let mut lines = vec![format!("CodeDeploy {}: {why}", deployment.id)];
    let mut texts: Vec<&str> = vec![why];
    if let Some((code, message)) = &deployment.error {
        texts.push(message);
        lines.push(format!("  error {code}: {message}"));
    }
    for event in deployment.events.iter().filter(|e| e.status == "Failed") {
        let hook = deployment
            .hooks
            .iter()
            .find(|(name, _)| *name == event.name)
            .map(|(_, function)| format!(" (hook Lambda function `{function}`)"))
            .unwrap_or_default();
        lines.push(format!("  lifecycle event {} failed{hook}", event.name));
        if let Some(diagnostics) = &event.diagnostics {
            texts.push(diagnostics);
            lines.push(format!("    {diagnostics}"));
        }
        if !hook.is_empty() {
            lines.push(format!("    {HOOK_FIX}"));
        }
    }
    for set in &deployment.task_sets {
        lines.push(format!(
            "  {} task set: {}/{} running, {} pending, {}% traffic",
            set.label.to_lowercase(),
            set.running,
            set.desired,
            set.pending,
            set.traffic
        ));
    }
    if let Some(snapshot) = service {
        let green = deployment.task_sets.iter().find(|set| set.label == "Green");
        if let Some(green) = green {
            stopped_tasks(&green.id, snapshot, &mut lines, &mut texts);
        }
        events(snapshot, &mut lines, &mut texts);
    }
    lines.extend(causes(&texts));
    lines
}

/// The likely causes behind `texts`, each once, with its fix and page.
fn causes(texts: &[&str]) -> Vec<String> {
    let mut found: Vec<&Cause> = Vec::new();
    for cause in texts.iter().filter_map(|text| classify(text)) {
        if !found.contains(&cause) {
            found.push(cause);
        }
    }
    found
        .iter()
        .flat_map(|cause| {
            [
                format!("likely cause ({}): {}", cause.name, cause.what),
                format!("  fix: {}", cause.fix),
                format!("  see {}", cause.doc),
            ]
        })
        .collect()
}
