//! Following the deployment a deploy action started: the snapshot `ecs-pipeline wait` gathers
//! of an ECS service or a CodeDeploy deployment, whether its outcome is known, and the progress
//! line to print when it changed. `docs/programs/ecs-pipeline.md#following-the-deployment`.

mod diagnosis;

pub use diagnosis::{Cause, classify, diagnose_codedeploy, diagnose_ecs};

/// A deployment is taken as the action's when ECS created it at most this many seconds before
/// the action started: the action's clock and ECS's are not the same one, and the action calls
/// `UpdateService` right after it starts.
pub const SLACK_SECONDS: i64 = 60;

/// One deployment of a service, as `DescribeServices` lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EcsDeployment {
    /// `ecs-svc/…`; the service's tasks carry it as `startedBy`.
    pub id: String,
    /// `PRIMARY`, `ACTIVE` or `INACTIVE`.
    pub status: String,
    /// The task definition's ARN.
    pub task_definition: String,
    /// When ECS created it, in seconds since the epoch.
    pub created_at: Option<i64>,
    /// `IN_PROGRESS`, `COMPLETED` or `FAILED`.
    pub rollout_state: Option<String>,
    /// Why it is in that state, such as the circuit breaker's message.
    pub rollout_reason: Option<String>,
    /// Tasks wanted, running, pending, and failed to start.
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    pub failed: i32,
}

/// A service event, newest first as ECS lists them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceEvent {
    /// When, RFC 3339 in UTC.
    pub at: String,
    pub message: String,
}

/// A container of a stopped task.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoppedContainer {
    pub name: String,
    /// Why it stopped or never started, such as `CannotPullContainerError: …`.
    pub reason: Option<String>,
    pub exit_code: Option<i32>,
}

/// A stopped task of the service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoppedTask {
    /// The task's ARN.
    pub arn: String,
    /// The task definition's ARN.
    pub task_definition: String,
    /// The deployment that started it (`ecs-svc/…`).
    pub started_by: Option<String>,
    /// `TaskFailedToStart`, `EssentialContainerExited`, …
    pub stop_code: Option<String>,
    pub stopped_reason: Option<String>,
    pub containers: Vec<StoppedContainer>,
}

/// The service deployment (`DescribeServiceDeployments`) of the followed deployment: what
/// ECS-native blue/green, linear and canary deployments, and alarms, add to `DescribeServices`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceRollout {
    /// `PENDING`, `IN_PROGRESS`, `SUCCESSFUL`, `STOP_REQUESTED`, `STOPPED`,
    /// `ROLLBACK_REQUESTED`, `ROLLBACK_IN_PROGRESS`, `ROLLBACK_SUCCESSFUL`, `ROLLBACK_FAILED`.
    pub status: String,
    /// `SCALE_UP`, `TEST_TRAFFIC_SHIFT`, `BAKE_TIME`, …
    pub stage: Option<String>,
    /// Why it is in that state, or why it rolled back.
    pub reason: Option<String>,
    /// The deployment's CloudWatch alarms that went into `ALARM`.
    pub triggered_alarms: Vec<String>,
    /// The lifecycle hooks that ran: the Lambda function's ARN (or the hook's type) and
    /// `IN_PROGRESS`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `AWAITING_ACTION`.
    pub hooks: Vec<(String, String)>,
}

/// What one poll saw of an ECS service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EcsSnapshot {
    pub service: String,
    pub deployments: Vec<EcsDeployment>,
    pub events: Vec<ServiceEvent>,
    /// The service's stopped tasks, of any deployment.
    pub stopped: Vec<StoppedTask>,
    /// The followed deployment's service deployment, when ECS has one.
    pub rollout: Option<ServiceRollout>,
}

/// A CodeDeploy lifecycle event of the ECS target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LifecycleEvent {
    /// `BeforeInstall`, `Install`, `AfterAllowTestTraffic`, …
    pub name: String,
    /// `Pending`, `InProgress`, `Succeeded`, `Failed`, `Skipped`, `Unknown`.
    pub status: String,
    /// The diagnostics' error code and message, when it failed.
    pub diagnostics: Option<String>,
}

/// A task set of the CodeDeploy ECS target.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskSetInfo {
    /// The task set's id (`ecs-svc/…`); its tasks carry it as `startedBy`.
    pub id: String,
    /// `Blue` or `Green`.
    pub label: String,
    pub desired: i64,
    pub running: i64,
    pub pending: i64,
    /// The share of production traffic, in percent.
    pub traffic: f64,
}

/// What one poll saw of a CodeDeploy deployment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CodeDeployment {
    pub id: String,
    /// `Created`, `Queued`, `InProgress`, `Baking`, `Ready`, `Succeeded`, `Failed`, `Stopped`.
    pub status: String,
    /// `errorInformation`: code and message.
    pub error: Option<(String, String)>,
    pub events: Vec<LifecycleEvent>,
    pub task_sets: Vec<TaskSetInfo>,
    /// The AppSpec's hooks: lifecycle event and Lambda function.
    pub hooks: Vec<(String, String)>,
    /// The ECS service of the target, `(cluster, service)`.
    pub service: Option<(String, String)>,
}

/// How the followed deployment stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Not over yet.
    Running,
    /// Over and deployed.
    Succeeded,
    /// Over, or certain to end, without the new version: why.
    Failed(String),
}

/// The deployment the action started: the newest one created no earlier than
/// [`SLACK_SECONDS`] before `since` (seconds since the epoch).
#[must_use]
pub fn started_deployment(deployments: &[EcsDeployment], since: i64) -> Option<&EcsDeployment> {
    deployments
        .iter()
        .filter(|deployment| {
            deployment
                .created_at
                .is_some_and(|at| at >= since - SLACK_SECONDS)
        })
        .max_by_key(|deployment| deployment.created_at)
}

/// Which deployment of a service to follow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pick {
    /// The one a deploy action started at this time, in seconds since the epoch
    /// ([`started_deployment`]).
    Started(i64),
    /// The one with this id (`ecs-svc/…`).
    Id(String),
    /// The newest one of this task definition ARN: the one `UpdateService` started with it.
    TaskDefinition(String),
    /// The service's newest one.
    Newest,
}

impl Pick {
    /// The deployment picked among those the service lists, if it lists it.
    #[must_use]
    pub fn find<'a>(&self, deployments: &'a [EcsDeployment]) -> Option<&'a EcsDeployment> {
        let newest = |wanted: &dyn Fn(&EcsDeployment) -> bool| {
            deployments
                .iter()
                .filter(|deployment| wanted(deployment))
                .max_by_key(|deployment| deployment.created_at)
        };
        match self {
            Self::Started(since) => started_deployment(deployments, *since),
            Self::Id(id) => newest(&|deployment| deployment.id == *id),
            Self::TaskDefinition(arn) => newest(&|deployment| deployment.task_definition == *arn),
            Self::Newest => newest(&|_| true),
        }
    }
}

/// Judges the deployment `id` of an ECS service. A deployment that the service no longer lists
/// while another is primary was rolled back or replaced: a failure, whatever the service's
/// state (the circuit breaker's rollback ends in a steady service that runs the old version).
/// The service deployment says so first: an alarm that fired, a rollback requested or under
/// way (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html>).
/// `docs/aws/ecs-services.md`; <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html>.
#[must_use]
pub fn ecs_outcome(id: &str, snapshot: &EcsSnapshot) -> Outcome {
    if let Some(rollout) = &snapshot.rollout {
        if let Some(alarm) = rollout.triggered_alarms.first() {
            return Outcome::Failed(format!("alarm `{alarm}` went into ALARM"));
        }
        if let Some((hook, status)) = rollout
            .hooks
            .iter()
            .find(|(_, status)| status == "FAILED" || status == "TIMED_OUT")
        {
            return Outcome::Failed(format!("lifecycle hook `{hook}` {status}"));
        }
        if rollout.status.starts_with("ROLLBACK") || rollout.status.starts_with("STOP") {
            return Outcome::Failed(
                rollout
                    .reason
                    .clone()
                    .unwrap_or_else(|| format!("the service deployment is {}", rollout.status)),
            );
        }
    }
    let Some(deployment) = snapshot.deployments.iter().find(|d| d.id == id) else {
        let primary = snapshot
            .deployments
            .iter()
            .find(|d| d.status == "PRIMARY")
            .map_or_else(String::new, |d| {
                format!(": the service runs `{}`", short(&d.task_definition))
            });
        return Outcome::Failed(format!(
            "deployment `{id}` was rolled back or replaced{primary}"
        ));
    };
    match deployment.rollout_state.as_deref() {
        Some("FAILED") => Outcome::Failed(
            deployment
                .rollout_reason
                .clone()
                .unwrap_or_else(|| format!("deployment `{id}` failed")),
        ),
        Some("COMPLETED") => Outcome::Succeeded,
        // A deployment that is no longer primary lost to a newer one: the rollback's.
        _ if deployment.status != "PRIMARY" => Outcome::Failed(format!(
            "deployment `{id}` is no longer the primary one: it was rolled back or replaced"
        )),
        // Without the circuit breaker there is no rollout state: done when it alone runs
        // every task it wants.
        None if snapshot.deployments.len() == 1
            && deployment.running == deployment.desired
            && deployment.pending == 0 =>
        {
            Outcome::Succeeded
        }
        _ => Outcome::Running,
    }
}

/// Judges a CodeDeploy deployment: a failed lifecycle event decides before the deployment's
/// own status says so; an alarm of the deployment group that fires stops it with
/// `ALARM_ACTIVE`. <https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentInfo.html>.
#[must_use]
pub fn codedeploy_outcome(deployment: &CodeDeployment) -> Outcome {
    if let Some(event) = deployment.events.iter().find(|e| e.status == "Failed") {
        return Outcome::Failed(format!("lifecycle event `{}` failed", event.name));
    }
    match deployment.status.as_str() {
        "Succeeded" => Outcome::Succeeded,
        "Failed" | "Stopped" => Outcome::Failed(deployment.error.as_ref().map_or_else(
            || format!("deployment `{}` {}", deployment.id, deployment.status),
            |(code, message)| format!("{code}: {message}"),
        )),
        _ => Outcome::Running,
    }
}

/// The progress line of an ECS deployment: rollout state and the new tasks' counts.
#[must_use]
pub fn ecs_progress(id: &str, snapshot: &EcsSnapshot) -> String {
    let Some(deployment) = snapshot.deployments.iter().find(|d| d.id == id) else {
        return format!("{}: deployment {id} is gone", snapshot.service);
    };
    let stage = snapshot
        .rollout
        .as_ref()
        .and_then(|rollout| rollout.stage.as_deref())
        .map(|stage| format!(", stage {stage}"))
        .unwrap_or_default();
    format!(
        "{}: deployment {id} ({}) {}: running {}/{}, pending {}, failed {}{stage}",
        snapshot.service,
        short(&deployment.task_definition),
        deployment
            .rollout_state
            .as_deref()
            .unwrap_or("(no rollout state)"),
        deployment.running,
        deployment.desired,
        deployment.pending,
        deployment.failed,
    )
}

/// The line of a stopped task, the first time it is seen.
#[must_use]
pub fn stopped_line(task: &StoppedTask) -> String {
    let id = task.arn.rsplit('/').next().unwrap_or(&task.arn);
    let reason = task.stopped_reason.as_deref().unwrap_or("no reason given");
    format!(
        "task {id} ({}) stopped: {reason}",
        short(&task.task_definition)
    )
}

/// The progress line of a CodeDeploy deployment: status, lifecycle events, task sets and the
/// traffic shift.
#[must_use]
pub fn codedeploy_progress(deployment: &CodeDeployment) -> String {
    let events: Vec<String> = deployment
        .events
        .iter()
        .filter(|event| event.status != "Pending")
        .map(|event| format!("{} {}", event.name, event.status))
        .collect();
    let sets: Vec<String> = deployment
        .task_sets
        .iter()
        .map(|set| {
            format!(
                "{} {}/{} running, {} pending, {}% traffic",
                set.label.to_lowercase(),
                set.running,
                set.desired,
                set.pending,
                set.traffic
            )
        })
        .collect();
    let mut line = format!("CodeDeploy {} {}", deployment.id, deployment.status);
    for part in [events.join(", "), sets.join("; ")] {
        if !part.is_empty() {
            line.push_str("; ");
            line.push_str(&part);
        }
    }
    line
}

/// `family:revision` of a task definition ARN.
#[must_use]
pub fn short(task_definition: &str) -> &str {
    task_definition
        .rsplit_once('/')
        .map_or(task_definition, |(_, name)| name)
}

/// The Lambda functions of an AppSpec's `Hooks` (YAML or JSON), by lifecycle event.
#[must_use]
pub fn appspec_hooks(appspec: &str) -> Vec<(String, String)> {
    let Ok(document) = serde_saphyr::from_str::<serde_json::Value>(appspec) else {
        return Vec::new();
    };
    let hooks = document
        .get("Hooks")
        .and_then(serde_json::Value::as_array)
        .cloned()
        .unwrap_or_default();
    hooks
        .iter()
        .filter_map(serde_json::Value::as_object)
        .flat_map(|hook| {
            hook.iter()
                .filter_map(|(event, function)| {
                    Some((event.clone(), function.as_str()?.to_owned()))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests;
