//! What following a deployment costs and how it waits: throttling, the timeout, and the calls
//! per poll that `docs/performance.md#following-a-deployment` counts.

use super::{EcsStep, NEW, deployment, ecs_pipeline, half_rolled_out, rollout, step, wait};
use crate::support::deploy_endpoint::Endpoint as Deploy;

#[test]
fn a_throttled_ecs_call_is_retried_later_not_reported() {
    let pipeline = ecs_pipeline(&["InProgress", "InProgress", "InProgress", "Succeeded"]);
    let deploy = Deploy::start()
        .ecs(vec![step(
            vec![deployment(
                "ecs-svc/2",
                "PRIMARY",
                NEW,
                "COMPLETED",
                [2, 2, 0, 0],
                5,
            )],
            vec![],
            vec![],
        )])
        .throttle(2);
    let outcome = wait(&pipeline, &deploy, &[])
        .success()
        .stderr_has(
            "`ecs:DescribeServices` failed with `ThrottlingException`: rate exceeded; polling \
             again in 20ms",
        )
        .stderr_has("polling again in 40ms")
        .stderr_has("the deployment completed");
    assert!(
        !outcome.stderr.contains("not following"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn a_timeout_of_hours_is_honoured_as_given() {
    let pipeline = ecs_pipeline(&["InProgress", "InProgress", "Succeeded"]);
    let deploy = Deploy::start().ecs(vec![step(
        vec![deployment(
            "ecs-svc/2",
            "PRIMARY",
            NEW,
            "IN_PROGRESS",
            [2, 1, 1, 0],
            5,
        )],
        vec![],
        vec![],
    )]);
    // The limit is said as given, not cut to the ECS action's own hour; a shorter one still
    // ends the wait (`wait_stops_at_the_timeout_with_the_last_known_state`).
    wait(&pipeline, &deploy, &["--timeout", "90m"])
        .success()
        .stderr_has("waiting for execution `e-1` for up to 90m:");
    wait(&pipeline, &deploy, &["--timeout", "2h"])
        .success()
        .stderr_has("for up to 2h:");
}

/// The calls one `wait` makes per poll while it follows an ECS deployment, from the endpoints'
/// request logs; `docs/performance.md#following-a-deployment` turns them into calls per minute
/// at the default interval.
#[test]
fn following_a_deployment_costs_five_calls_a_poll() {
    let pipeline = ecs_pipeline(&["InProgress"; 6]);
    let going = EcsStep {
        rollout: Some(rollout("IN_PROGRESS", "SCALE_UP", &[])),
        ..half_rolled_out()
    };
    let mut steps = vec![going; 6];
    steps.push(EcsStep {
        rollout: Some(rollout("ROLLBACK_IN_PROGRESS", "SCALE_UP", &[])),
        ..step(
            vec![deployment(
                "ecs-svc/2",
                "PRIMARY",
                NEW,
                "IN_PROGRESS",
                [2, 1, 1, 0],
                5,
            )],
            vec![],
            vec![],
        )
    });
    let deploy = Deploy::start().ecs(steps);
    let outcome = wait(&pipeline, &deploy, &[]).code(1);
    let polls = pipeline.requests("GetPipelineExecution").len();
    let pipeline_calls = polls + pipeline.requests("ListActionExecutions").len();
    let asked = deploy.requests();
    let count = |operation: &str| asked.iter().filter(|(op, _)| op == operation).count();
    assert_eq!(polls, 7, "{}", outcome.stderr);
    // Once: the pipeline's definition and the service deployment's ARN.
    assert_eq!(pipeline.requests("GetPipeline").len(), 1);
    assert_eq!(count("ListServiceDeployments"), 1);
    // Per poll: GetPipelineExecution and ListActionExecutions; DescribeServices, ListTasks and
    // DescribeServiceDeployments; DescribeTasks never, as no task stopped.
    assert_eq!(pipeline_calls, 2 * polls);
    for operation in [
        "DescribeServices",
        "ListTasks",
        "DescribeServiceDeployments",
    ] {
        assert_eq!(count(operation), polls, "{operation}");
    }
    assert_eq!(asked.len(), 3 * polls + 1);
}
