//! `ecs-pipeline wait --service`: the deployment of an ECS service followed without a pipeline,
//! as the model pipelines' CodeBuild deploy steps do after `aws ecs update-service`; the same
//! progress lines, failure detection and diagnosis as under a pipeline.

use super::{NEW, OLD, deployment, half_rolled_out, rolled_back, steady, step, stopped};
use crate::support::deploy_endpoint::Endpoint as Deploy;
use crate::support::harness::{Outcome, Test};

fn wait_service(deploy: &Deploy, extra: &[&str]) -> Outcome {
    let args = [
        &["wait", "--service", "prod/web", "--interval", "10ms"][..],
        extra,
    ]
    .concat();
    Test::new()
        .with_test_endpoint(&deploy.url)
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(&args)
        .run("ecs-pipeline")
}

#[test]
fn a_service_deployment_of_a_task_definition_is_followed_to_success() {
    let deploy = Deploy::start().ecs(vec![half_rolled_out(), steady()]);
    let outcome = wait_service(&deploy, &["--task-definition", NEW, "--timeout", "2h"]).success();
    let lines: Vec<&str> = outcome.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            &format!(
                "waiting for the deployment of `{NEW}` of service `prod/web` for up to 2h: \
                 https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/web/\
                 deployments?region=us-east-1"
            ),
            "prod/web: deployment ecs-svc/2 (web:8) IN_PROGRESS: running 1/2, pending 1, failed 0",
            "prod/web: deployment ecs-svc/2 (web:8) COMPLETED: running 2/2, pending 0, failed 0",
            "the deployment completed",
        ],
        "{}",
        outcome.stderr
    );
    // ECS alone is asked: no pipeline.
    assert!(
        deploy
            .requests()
            .iter()
            .all(|(op, _)| !op.contains("Pipeline")),
        "{:?}",
        deploy.requests()
    );
}

#[test]
fn a_circuit_breaker_rollback_of_a_service_deployment_ends_with_its_diagnosis() {
    let deploy = Deploy::start().ecs(rolled_back(
        "ECS deployment circuit breaker: tasks failed to start.",
        vec![
            stopped("a1", "Essential container in task exited", Some(1)),
            stopped("a2", "Essential container in task exited", Some(1)),
        ],
    ));
    wait_service(&deploy, &["--task-definition", NEW])
        .code(1)
        .stderr_has("task a1 (web:8) stopped: Essential container in task exited")
        .stderr_has("diagnosis:")
        .stderr_has("    container web: exit code 1, Essential container in task exited")
        .stderr_has("the service now runs web:7 (deployment ecs-svc/3)")
        .stderr_has("likely cause (application exited)")
        .stderr_has(
            "error: deployment `ecs-svc/2` failed: ECS deployment circuit breaker: tasks failed \
             to start. (service `prod/web`)",
        );
}

#[test]
fn a_deployment_the_service_does_not_list_is_a_failure_that_says_what_runs() {
    let deploy = Deploy::start().ecs(vec![step(
        vec![deployment(
            "ecs-svc/3",
            "PRIMARY",
            OLD,
            "COMPLETED",
            [2, 2, 0, 0],
            90,
        )],
        vec![],
        vec![],
    )]);
    wait_service(&deploy, &["--deployment", "ecs-svc/2"])
        .code(1)
        .stderr_has(&format!(
            "the service lists no deployment `ecs-svc/2`: it runs `{OLD}`"
        ));
}

#[test]
fn wait_takes_a_service_or_an_execution_not_both() {
    let deploy = Deploy::start();
    for args in [
        &["--execution-id", "e-1"][..],
        &["--pipeline", "web-prod", "--execution-id", "e-1"],
        &["--deployment", "ecs-svc/2", "--task-definition", NEW],
    ] {
        wait_service(&deploy, args)
            .code(2)
            .stderr_has("cannot be used with");
    }
    for args in [
        &["wait", "--deployment", "ecs-svc/2"][..],
        &["wait", "--service", "web"],
    ] {
        Test::new()
            .with_test_endpoint(&deploy.url)
            .args(args)
            .run("ecs-pipeline")
            .code(2);
    }
    assert!(deploy.requests().is_empty(), "refused before any call");
}
