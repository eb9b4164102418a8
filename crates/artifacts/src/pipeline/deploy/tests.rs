use super::*;

/// Real messages as ECS and its users reported them (public GitHub issues), each with the cause
/// it must be classified as.
const REAL: &[(&str, &str)] = &[
    // usdigitalresponse/usdr-gost pull request 4036.
    (
        "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to \
         resolve ref ghcr.io/usdigitalresponse/usdr-gost-arpa-exporter:9f3f04b@sha256:cca4a767: \
         not found",
        "image pull",
    ),
    // Releem/releem-agent issue 195.
    (
        "ResourceInitializationError: unable to pull secrets or registry auth: execution \
         resource retrieval failed: unable to retrieve secret from asm: service call has been \
         retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:us-west-2:*:secret:\
         DBPasswordSecret-* from secrets manager: RequestCanceled: request context canceled \
         caused by: context deadline exceeded. Please check your task network configuration.",
        "secrets",
    ),
    // aws/copilot-cli issue 3104.
    (
        "ResourceInitializationError: unable to pull secrets or registry auth: execution \
         resource retrieval failed: unable to retrieve secrets from ssm: service call has been \
         retried 1 time(s): AccessDeniedException: User: …",
        "secrets",
    ),
    (
        "ResourceInitializationError: unable to pull secrets or registry auth: execution \
         resource retrieval failed: unable to retrieve ecr registry auth: service call has been \
         retried 3 time(s): RequestError: send request failed caused by: Post \
         \"https://api.ecr.us-east-1.amazonaws.com/\": dial tcp 52.46.145.220:443: i/o timeout",
        "image pull",
    ),
    // diem/diem pull request 1099.
    (
        "service cluster-test-validator-2cc0e46f was unable to place a task because no \
         container instance met all of its requirements. The closest matching \
         container-instance 23442007570c4f25964925a1b22aca20 has insufficient memory available. \
         For more information, see the Troubleshooting section.",
        "insufficient capacity",
    ),
    // blog.jakubholy.net, "Troubleshooting the dreaded `service .. is unhealthy`".
    (
        "service my-awesome-service (port 8081) is unhealthy in target-group \
         my-custer-my-awesome-service due to (reason Health checks failed with these codes: \
         [502]).",
        "health checks",
    ),
    (
        "(service web) (port 8080) is unhealthy in target-group web-tg due to (reason Request \
         timed out).",
        "port mismatch",
    ),
    (
        "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:\
         123456789012:targetgroup/web/0123456789abcdef)",
        "health checks",
    ),
    // aws/containers-roadmap issue 1488 names the reason; the stopped reason is ECS's own.
    ("Essential container in task exited", "application exited"),
    (
        "OutOfMemoryError: Container killed due to memory usage",
        "out of memory",
    ),
    (
        "Capacity is unavailable at this time. Please try again later or in a different \
         availability zone",
        "insufficient capacity",
    ),
];

#[test]
fn real_messages_are_classified_as_their_known_cause() {
    for (text, name) in REAL {
        assert_eq!(
            classify(text).map(|cause| cause.name),
            Some(*name),
            "{text}"
        );
    }
    assert_eq!(
        classify("ECS deployment circuit breaker: tasks failed to start."),
        None
    );
    assert_eq!(
        classify("Scaling activity initiated by (deployment ecs-svc/1)"),
        None
    );
}

#[test]
fn every_cause_cites_an_aws_page() {
    for (text, _) in REAL {
        let cause = classify(text).expect("classified");
        assert!(
            cause.doc.starts_with("https://docs.aws.amazon.com/"),
            "{}",
            cause.doc
        );
        assert!(!cause.fix.is_empty());
    }
}

fn deployment(id: &str, status: &str, created: i64, rollout: Option<&str>) -> EcsDeployment {
    EcsDeployment {
        id: id.to_owned(),
        status: status.to_owned(),
        task_definition: format!(
            "arn:aws:ecs:us-east-1:123456789012:task-definition/web:{created}"
        ),
        created_at: Some(created),
        rollout_state: rollout.map(str::to_owned),
        desired: 2,
        ..EcsDeployment::default()
    }
}

fn snapshot(deployments: Vec<EcsDeployment>) -> EcsSnapshot {
    EcsSnapshot {
        service: "prod/web".to_owned(),
        deployments,
        ..EcsSnapshot::default()
    }
}

#[test]
fn the_action_s_deployment_is_the_newest_since_it_started() {
    let all = [
        deployment("ecs-svc/2", "PRIMARY", 1_000, Some("IN_PROGRESS")),
        deployment("ecs-svc/1", "ACTIVE", 100, Some("COMPLETED")),
    ];
    assert_eq!(
        started_deployment(&all, 1_030).map(|d| d.id.as_str()),
        Some("ecs-svc/2")
    );
    assert_eq!(
        started_deployment(&all, 1_100),
        None,
        "too old for this action"
    );
}

#[test]
fn a_rolled_back_deployment_is_a_failure_even_when_the_service_is_steady() {
    let rolled_back = snapshot(vec![deployment(
        "ecs-svc/3",
        "PRIMARY",
        2_000,
        Some("COMPLETED"),
    )]);
    assert_eq!(
        ecs_outcome("ecs-svc/2", &rolled_back),
        Outcome::Failed(
            "deployment `ecs-svc/2` was rolled back or replaced: the service runs `web:2000`"
                .to_owned()
        )
    );
    let mut failed = deployment("ecs-svc/2", "ACTIVE", 1_000, Some("FAILED"));
    failed.rollout_reason =
        Some("ECS deployment circuit breaker: tasks failed to start.".to_owned());
    let breaking = snapshot(vec![
        deployment("ecs-svc/3", "PRIMARY", 2_000, Some("IN_PROGRESS")),
        failed,
    ]);
    assert_eq!(
        ecs_outcome("ecs-svc/2", &breaking),
        Outcome::Failed("ECS deployment circuit breaker: tasks failed to start.".to_owned())
    );
}

#[test]
fn the_service_deployment_tells_a_rollback_or_an_alarm_first() {
    let mut seen = snapshot(vec![deployment(
        "ecs-svc/2",
        "PRIMARY",
        1_000,
        Some("IN_PROGRESS"),
    )]);
    seen.rollout = Some(ServiceRollout {
        status: "IN_PROGRESS".to_owned(),
        stage: Some("TEST_TRAFFIC_SHIFT".to_owned()),
        ..ServiceRollout::default()
    });
    assert_eq!(ecs_outcome("ecs-svc/2", &seen), Outcome::Running);
    assert!(ecs_progress("ecs-svc/2", &seen).ends_with(", stage TEST_TRAFFIC_SHIFT"));
    let rollout = seen.rollout.as_mut().expect("set above");
    rollout.hooks = vec![(
        "arn:aws:lambda:us-east-1:123456789012:function:smoke".to_owned(),
        "IN_PROGRESS".to_owned(),
    )];
    assert_eq!(ecs_outcome("ecs-svc/2", &seen), Outcome::Running);
    let rollout = seen.rollout.as_mut().expect("set above");
    rollout.hooks[0].1 = "TIMED_OUT".to_owned();
    assert_eq!(
        ecs_outcome("ecs-svc/2", &seen),
        Outcome::Failed(
            "lifecycle hook `arn:aws:lambda:us-east-1:123456789012:function:smoke` TIMED_OUT"
                .to_owned()
        )
    );
    let rollout = seen.rollout.as_mut().expect("set above");
    rollout.hooks.clear();
    rollout.status = "ROLLBACK_IN_PROGRESS".to_owned();
    rollout.reason = Some("Rolling back: the post-test-traffic hook failed".to_owned());
    assert_eq!(
        ecs_outcome("ecs-svc/2", &seen),
        Outcome::Failed("Rolling back: the post-test-traffic hook failed".to_owned())
    );
    let rollout = seen.rollout.as_mut().expect("set above");
    rollout.triggered_alarms = vec!["web-5xx".to_owned()];
    let why = "alarm `web-5xx` went into ALARM";
    assert_eq!(
        ecs_outcome("ecs-svc/2", &seen),
        Outcome::Failed(why.to_owned())
    );
    let lines = diagnose_ecs("ecs-svc/2", why, &seen);
    assert!(
        lines.contains(&"  alarm that fired: web-5xx".to_owned()),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("likely cause (alarm)")),
        "{lines:#?}"
    );
}

#[test]
fn completed_or_alone_and_full_is_success() {
    let done = snapshot(vec![deployment(
        "ecs-svc/2",
        "PRIMARY",
        1_000,
        Some("COMPLETED"),
    )]);
    assert_eq!(ecs_outcome("ecs-svc/2", &done), Outcome::Succeeded);
    let mut plain = deployment("ecs-svc/2", "PRIMARY", 1_000, None);
    plain.running = 2;
    assert_eq!(
        ecs_outcome("ecs-svc/2", &snapshot(vec![plain.clone()])),
        Outcome::Succeeded
    );
    let old = deployment("ecs-svc/1", "ACTIVE", 100, None);
    assert_eq!(
        ecs_outcome("ecs-svc/2", &snapshot(vec![plain, old])),
        Outcome::Running
    );
}

fn stopped(id: &str, started_by: &str, reason: &str) -> StoppedTask {
    StoppedTask {
        arn: format!("arn:aws:ecs:us-east-1:123456789012:task/prod/{id}"),
        task_definition: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:8".to_owned(),
        started_by: Some(started_by.to_owned()),
        stop_code: Some("TaskFailedToStart".to_owned()),
        stopped_reason: Some(reason.to_owned()),
        containers: vec![StoppedContainer {
            name: "web".to_owned(),
            reason: Some(reason.to_owned()),
            exit_code: None,
        }],
    }
}

#[test]
fn the_diagnosis_shows_each_reason_once_and_the_fix() {
    let pull = "CannotPullContainerError: pull image manifest has been retried 5 time(s): \
                failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2: not found";
    let mut seen = snapshot(vec![deployment(
        "ecs-svc/3",
        "PRIMARY",
        2_000,
        Some("IN_PROGRESS"),
    )]);
    seen.stopped = vec![
        stopped("a1", "ecs-svc/2", pull),
        stopped("a2", "ecs-svc/2", pull),
        stopped(
            "b1",
            "ecs-svc/1",
            "Scaling activity initiated by (deployment ecs-svc/1)",
        ),
    ];
    seen.events = vec![ServiceEvent {
        at: "2026-12-07T12:00:00Z".to_owned(),
        message: "(service web) rolling back to deployment ecs-svc/3.".to_owned(),
    }];
    let lines = diagnose_ecs("ecs-svc/2", "tasks failed to start", &seen);
    assert_eq!(lines[0], "prod/web: tasks failed to start");
    assert_eq!(lines[1], format!("  task a1 (web:8) stopped: {pull}"));
    assert_eq!(lines[2], format!("    container web: no exit code, {pull}"));
    assert_eq!(lines[3], "  (2 stopped tasks of this deployment in all)");
    assert_eq!(
        lines[4],
        "  the service now runs web:2000 (deployment ecs-svc/3)"
    );
    assert!(lines.contains(&"likely cause (image pull): the image could not be pulled".to_owned()));
    assert!(
        !lines.iter().any(|line| line.contains("task b1")),
        "another deployment's task"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|line| line.starts_with("likely cause"))
            .count(),
        1
    );
}

#[test]
fn a_failed_hook_decides_before_the_deployment_and_names_its_function() {
    let appspec = "version: 0.0\nResources: []\nHooks:\n  - AfterAllowTestTraffic: \
                   arn:aws:lambda:us-east-1:123456789012:function:smoke-test\n";
    let mut deployment = CodeDeployment {
        id: "d-1".to_owned(),
        status: "InProgress".to_owned(),
        hooks: appspec_hooks(appspec),
        events: vec![
            LifecycleEvent {
                name: "Install".to_owned(),
                status: "Succeeded".to_owned(),
                diagnostics: None,
            },
            LifecycleEvent {
                name: "AfterAllowTestTraffic".to_owned(),
                status: "Failed".to_owned(),
                diagnostics: Some("LifecycleEventHookFailed: smoke test returned 500".to_owned()),
            },
        ],
        ..CodeDeployment::default()
    };
    assert_eq!(
        codedeploy_outcome(&deployment),
        Outcome::Failed("lifecycle event `AfterAllowTestTraffic` failed".to_owned())
    );
    let lines = diagnose_codedeploy(
        "lifecycle event `AfterAllowTestTraffic` failed",
        &deployment,
        None,
    );
    assert!(
        lines.contains(
            &"  lifecycle event AfterAllowTestTraffic failed (hook Lambda function \
          `arn:aws:lambda:us-east-1:123456789012:function:smoke-test`)"
                .to_owned()
        ),
        "{lines:#?}"
    );
    deployment.events.clear();
    assert_eq!(codedeploy_outcome(&deployment), Outcome::Running);
    deployment.status = "Stopped".to_owned();
    deployment.error = Some((
        "ALARM_ACTIVE".to_owned(),
        "One or more alarms have been activated".to_owned(),
    ));
    assert_eq!(
        codedeploy_outcome(&deployment),
        Outcome::Failed("ALARM_ACTIVE: One or more alarms have been activated".to_owned())
    );
}

#[test]
fn progress_lines_show_counts_events_and_traffic() {
    let mut d = deployment("ecs-svc/2", "PRIMARY", 1_000, Some("IN_PROGRESS"));
    d.running = 1;
    d.pending = 1;
    assert_eq!(
        ecs_progress("ecs-svc/2", &snapshot(vec![d])),
        "prod/web: deployment ecs-svc/2 (web:1000) IN_PROGRESS: running 1/2, pending 1, failed 0"
    );
    let deployment = CodeDeployment {
        id: "d-1".to_owned(),
        status: "InProgress".to_owned(),
        events: vec![
            LifecycleEvent {
                name: "Install".to_owned(),
                status: "Succeeded".to_owned(),
                diagnostics: None,
            },
            LifecycleEvent {
                name: "AllowTraffic".to_owned(),
                status: "Pending".to_owned(),
                diagnostics: None,
            },
        ],
        task_sets: vec![TaskSetInfo {
            id: "ecs-svc/9".to_owned(),
            label: "Green".to_owned(),
            desired: 2,
            running: 2,
            pending: 0,
            traffic: 0.0,
        }],
        ..CodeDeployment::default()
    };
    assert_eq!(
        codedeploy_progress(&deployment),
        "CodeDeploy d-1 InProgress; Install Succeeded; green 2/2 running, 0 pending, 0% traffic"
    );
}
