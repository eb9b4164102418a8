//! The local account the model pipelines run against, beyond what each test creates: what
//! `ecs-verify --live` asks about the example application, and what a service runs.

use serde_json::Value;

static LIVE_ACCOUNT: std::sync::Once = std::sync::Once::new();

/// Creates, once per run, what every build's `ecs-verify --live` asks about.
pub(crate) fn prepare() {
    LIVE_ACCOUNT.call_once(live_account);
}

/// The task definition ARN the service `web` of `cluster` is set to run.
pub(crate) fn service_task_definition(cluster: &str) -> String {
    let services: Value = serde_json::from_slice(&crate::support::local_aws::aws(&[
        "ecs",
        "describe-services",
        "--cluster",
        cluster,
        "--services",
        "web",
    ]))
    .expect("the AWS CLI's JSON");
    services["services"][0]["taskDefinition"]
        .as_str()
        .expect("the service's task definition")
        .to_owned()
}

/// What `ecs-verify --live` asks the account about the example application's task definition
/// (`docs/aws/build-role.md`): its two roles, trusting ECS tasks, and the log router's `awslogs`
/// group. Created once per run; one that another run created is kept.
fn live_account() {
    let trust = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    .to_string();
    let calls: [&[&str]; 3] = [
        &[
            "iam",
            "create-role",
            "--role-name",
            "web-service-task",
            "--assume-role-policy-document",
            &trust,
        ],
        &[
            "iam",
            "create-role",
            "--role-name",
            "web-service-execution",
            "--assume-role-policy-document",
            &trust,
        ],
        &[
            "logs",
            "create-log-group",
            "--log-group-name",
            "/ecs/web-service/firelens",
        ],
    ];
    for args in calls {
        let output = std::process::Command::new("aws")
            .arg("--endpoint-url")
            .arg(crate::support::local_aws::endpoint())
            .args(args)
            .output()
            .expect("the AWS CLI");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() || stderr.contains("AlreadyExists"),
            "`aws {}`: {stderr}",
            args.join(" ")
        );
    }
}
