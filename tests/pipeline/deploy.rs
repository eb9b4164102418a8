//! `ecs-pipeline wait` following the deployment its deploy action started, through the real
//! SDK clients: CodePipeline on its test endpoint (`support/codepipeline_endpoint.rs`), ECS and
//! CodeDeploy on theirs (`support/deploy_endpoint.rs`), with the timelines moto never plays: a
//! rollout that fails, the circuit breaker's rollback, tasks stopped with their reasons, and
//! CodeDeploy lifecycle events.

use serde_json::{Value, json};

use crate::support::codepipeline_endpoint::{DEPLOY_STARTED, Endpoint as Pipeline};
use crate::support::deploy_endpoint::{EcsStep, Endpoint as Deploy};
use crate::support::harness::{Outcome, Test};

mod codedeploy;
mod native;
mod polling;
mod service;

pub(super) const TESTED: &str = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
pub(super) const NEW: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:8";
pub(super) const OLD: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7";
pub(super) const PULL: &str = "CannotPullContainerError: pull image manifest has been retried 5 time(s): \
                    failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2: \
                    123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2: not found";

/// A pipeline whose deploy action is the ECS action on `prod/web`, whose execution `e-1`
/// goes through `statuses`.
pub(super) fn ecs_pipeline(statuses: &[&'static str]) -> Pipeline {
    Pipeline::start("web-prod")
        .execution("e-1", TESTED, statuses)
        .deploy_action(
            "Rolling",
            "ECS",
            json!({ "ClusterName": "prod", "ServiceName": "web", "FileName": "imagedefinitions.json" }),
            None,
        )
}

pub(super) fn wait(pipeline: &Pipeline, deploy: &Deploy, extra: &[&str]) -> Outcome {
    let args = [
        &[
            "wait",
            "--pipeline",
            "web-prod",
            "--execution-id",
            "e-1",
            "--interval",
            "10ms",
        ][..],
        extra,
    ]
    .concat();
    Test::new()
        .with_test_endpoint(&pipeline.url)
        .env("AWS_ENDPOINT_URL_CODEPIPELINE", &pipeline.url)
        .env("AWS_ENDPOINT_URL_ECS", &deploy.url)
        .env("AWS_ENDPOINT_URL_CODEDEPLOY", &deploy.url)
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(&args)
        .run("ecs-pipeline")
}

/// A deployment as `DescribeServices` lists it, `seconds` after the action started.
pub(super) fn deployment(
    id: &str,
    status: &str,
    task_definition: &str,
    rollout: &str,
    counts: [i32; 4],
    seconds: i64,
) -> Value {
    let [desired, running, pending, failed] = counts;
    json!({
        "id": id, "status": status, "taskDefinition": task_definition,
        "desiredCount": desired, "runningCount": running, "pendingCount": pending, "failedTasks": failed,
        "createdAt": DEPLOY_STARTED + seconds, "rolloutState": rollout,
    })
}

pub(super) fn old_deployment() -> Value {
    deployment(
        "ecs-svc/1",
        "ACTIVE",
        OLD,
        "COMPLETED",
        [2, 2, 0, 0],
        -86_400,
    )
}

pub(super) fn event(seconds: i64, message: &str) -> Value {
    json!({ "id": format!("e{seconds}"), "createdAt": DEPLOY_STARTED + seconds, "message": message })
}

/// A task of the new deployment that stopped with `reason`.
pub(super) fn stopped(id: &str, reason: &str, exit_code: Option<i32>) -> Value {
    json!({
        "taskArn": format!("arn:aws:ecs:us-east-1:123456789012:task/prod/{id}"),
        "taskDefinitionArn": NEW, "startedBy": "ecs-svc/2", "lastStatus": "STOPPED",
        "stopCode": if exit_code.is_some() { "EssentialContainerExited" } else { "TaskFailedToStart" },
        "stoppedReason": if exit_code.is_some() { "Essential container in task exited" } else { reason },
        "containers": [{ "name": "web", "reason": reason, "exitCode": exit_code }],
    })
}

/// `ecs-svc/2` with one of its two tasks running, beside the old deployment.
pub(super) fn half_rolled_out() -> EcsStep {
    step(
        vec![
            deployment("ecs-svc/2", "PRIMARY", NEW, "IN_PROGRESS", [2, 1, 1, 0], 5),
            old_deployment(),
        ],
        vec![],
        vec![],
    )
}

/// `ecs-svc/2` completed, alone, and the service's steady-state event.
pub(super) fn steady() -> EcsStep {
    step(
        vec![deployment(
            "ecs-svc/2",
            "PRIMARY",
            NEW,
            "COMPLETED",
            [2, 2, 0, 0],
            5,
        )],
        vec![event(60, "(service web) has reached a steady state.")],
        vec![],
    )
}

pub(super) fn step(deployments: Vec<Value>, events: Vec<Value>, stopped: Vec<Value>) -> EcsStep {
    EcsStep {
        deployments,
        events,
        stopped,
        rollout: None,
    }
}

/// The service deployment of `ecs-svc/2`, ECS-native blue/green, in `status` at `stage`.
pub(super) fn rollout(status: &str, stage: &str, triggered: &[&str]) -> Value {
    json!({
        "serviceDeploymentArn": "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/2",
        "createdAt": DEPLOY_STARTED + 5, "status": status, "lifecycleStage": stage,
        "alarms": { "status": if triggered.is_empty() { "MONITORING" } else { "TRIGGERED" },
                    "alarmNames": ["web-5xx", "web-latency"], "triggeredAlarmNames": triggered },
    })
}

#[test]
fn a_rolling_deploy_is_followed_to_success() {
    let pipeline = ecs_pipeline(&[
        "InProgress",
        "InProgress",
        "InProgress",
        "InProgress",
        "Succeeded",
    ]);
    let deploy = Deploy::start().ecs(vec![
        step(
            vec![
                deployment("ecs-svc/2", "PRIMARY", NEW, "IN_PROGRESS", [2, 0, 2, 0], 5),
                old_deployment(),
            ],
            vec![],
            vec![],
        ),
        half_rolled_out(),
        steady(),
    ]);
    let outcome = wait(&pipeline, &deploy, &[]).success();
    let lines: Vec<&str> = outcome.stderr.lines().skip(1).collect();
    assert_eq!(
        lines,
        [
            "Source/Source: Succeeded",
            "Deploy/Rolling: InProgress: deployment d-1 <https://example.com/d-1>",
            "Deploy/Rolling: following ECS service prod/web",
            "prod/web: deployment ecs-svc/2 (web:8) IN_PROGRESS: running 0/2, pending 2, failed 0",
            "prod/web: deployment ecs-svc/2 (web:8) IN_PROGRESS: running 1/2, pending 1, failed 0",
            "prod/web: deployment ecs-svc/2 (web:8) COMPLETED: running 2/2, pending 0, failed 0",
            "the deployment completed",
            "Deploy/Rolling: Succeeded: deployment d-1 <https://example.com/d-1>",
            "execution `e-1` succeeded",
        ],
        "{}",
        outcome.stderr
    );
    // Once the deployment completed, only the pipeline is asked.
    let asked = deploy.requests();
    assert_eq!(
        asked
            .iter()
            .filter(|(op, _)| op == "DescribeServices")
            .count(),
        3
    );
    assert_eq!(
        pipeline.requests("GetPipeline").len(),
        1,
        "the definition is read once"
    );
}

/// The circuit breaker's rollback, as ECS shows it: the new deployment FAILED, a rollback
/// deployment PRIMARY, tasks that exited.
pub(super) fn rolled_back(reason: &str, tasks: Vec<Value>) -> Vec<EcsStep> {
    let mut failed = deployment("ecs-svc/2", "ACTIVE", NEW, "FAILED", [2, 0, 0, 3], 5);
    failed["rolloutStateReason"] = json!(reason);
    vec![
        step(
            vec![
                deployment("ecs-svc/2", "PRIMARY", NEW, "IN_PROGRESS", [2, 0, 2, 0], 5),
                old_deployment(),
            ],
            vec![],
            vec![],
        ),
        step(
            vec![
                deployment("ecs-svc/2", "PRIMARY", NEW, "IN_PROGRESS", [2, 0, 2, 2], 5),
                old_deployment(),
            ],
            vec![event(
                30,
                "(service web) has started 2 tasks: (task a1) (task a2).",
            )],
            tasks[..1].to_vec(),
        ),
        step(
            vec![
                deployment("ecs-svc/3", "PRIMARY", OLD, "IN_PROGRESS", [2, 2, 0, 0], 90),
                failed,
            ],
            vec![
                event(90, "(service web) rolling back to deployment ecs-svc/3."),
                event(
                    89,
                    "(service web) deployment ecs-svc/2 deployment failed: tasks failed to start.",
                ),
                event(
                    30,
                    "(service web) has started 2 tasks: (task a1) (task a2).",
                ),
            ],
            tasks,
        ),
    ]
}

#[test]
fn a_circuit_breaker_rollback_fails_the_wait_before_the_pipeline_says_so() {
    let pipeline = ecs_pipeline(&["InProgress"]);
    let crash = stopped("a1", "Essential container in task exited", Some(1));
    let deploy = Deploy::start().ecs(rolled_back(
        "ECS deployment circuit breaker: tasks failed to start.",
        vec![
            crash.clone(),
            stopped("a2", "Essential container in task exited", Some(1)),
        ],
    ));
    let outcome = wait(&pipeline, &deploy, &[])
        .code(1)
        .stderr_has(
            "error: deployment `ecs-svc/2` failed: ECS deployment circuit breaker: tasks failed \
             to start. (pipeline `web-prod`, execution `e-1`)",
        )
        .stderr_has("task a1 (web:8) stopped: Essential container in task exited")
        .stderr_has("    container web: exit code 1, Essential container in task exited")
        .stderr_has("the service now runs web:7 (deployment ecs-svc/3)")
        .stderr_has("(service web) rolling back to deployment ecs-svc/3.")
        .stderr_has("likely cause (application exited)");
    // The pipeline still said InProgress at every poll: the wait did not wait for it.
    assert!(
        !outcome.stderr.contains("ended `Failed`"),
        "{}",
        outcome.stderr
    );
    assert_eq!(pipeline.requests("GetPipelineExecution").len(), 3);
}

#[test]
fn an_image_that_cannot_be_pulled_is_named_with_its_fix() {
    let pipeline = ecs_pipeline(&["InProgress"]);
    let deploy = Deploy::start().ecs(rolled_back(
        "ECS deployment circuit breaker: tasks failed to start.",
        vec![stopped("a1", PULL, None), stopped("a2", PULL, None)],
    ));
    let outcome = wait(&pipeline, &deploy, &[])
        .code(1)
        .stderr_has(&format!("task a1 (web:8) stopped: {PULL}"))
        .stderr_has("likely cause (image pull): the image could not be pulled")
        .stderr_has("https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html");
    // The diagnosis shows one task per distinct reason: the other says the same.
    let diagnosis = outcome
        .stderr
        .split("diagnosis:")
        .nth(1)
        .unwrap_or_default();
    assert_eq!(
        diagnosis.matches("    task a").count(),
        1,
        "{}",
        outcome.stderr
    );
    assert!(diagnosis.contains("(2 stopped tasks of this deployment in all)"));
}

#[test]
fn a_task_stopped_between_two_polls_is_still_seen() {
    let pipeline = ecs_pipeline(&[
        "InProgress",
        "InProgress",
        "InProgress",
        "InProgress",
        "Succeeded",
    ]);
    // Between the first and second poll a task was placed, went PENDING and STOPPED: no poll
    // saw it pending or running; the deployment then completes with a replacement.
    let secret = "ResourceInitializationError: unable to pull secrets or registry auth: execution \
                  resource retrieval failed: unable to retrieve secret from asm: service call has \
                  been retried 1 time(s): AccessDeniedException";
    let deploy = Deploy::start().ecs(vec![
        step(
            vec![
                deployment("ecs-svc/2", "PRIMARY", NEW, "IN_PROGRESS", [1, 0, 0, 0], 5),
                old_deployment(),
            ],
            vec![],
            vec![],
        ),
        step(
            vec![
                deployment("ecs-svc/2", "PRIMARY", NEW, "IN_PROGRESS", [1, 0, 0, 1], 5),
                old_deployment(),
            ],
            vec![],
            vec![stopped("b7", secret, None)],
        ),
        step(
            vec![deployment(
                "ecs-svc/2",
                "PRIMARY",
                NEW,
                "COMPLETED",
                [1, 1, 0, 1],
                5,
            )],
            vec![],
            vec![stopped("b7", secret, None)],
        ),
    ]);
    let outcome = wait(&pipeline, &deploy, &[]).success();
    let line = format!("task b7 (web:8) stopped: {secret}");
    assert_eq!(
        outcome.stderr.matches(&line).count(),
        1,
        "{}",
        outcome.stderr
    );
    let described = deploy
        .requests()
        .iter()
        .filter(|(op, _)| op == "DescribeTasks")
        .count();
    assert_eq!(described, 1, "a stopped task is described once");
}
