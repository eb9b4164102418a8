//! `ecs-scaling` against moto, which implements `RegisterScalableTarget` with `SuspendedState`
//! and checks the service exists in its own ECS (`docs/aws/local-endpoint.md#what-moto-lacks-or-accepts-wrongly`).

use serde_json::{Value, json};

use crate::harness::{Outcome, Test};
use crate::local_aws::aws;

fn first_id(answer: &[u8], list: &str, field: &str) -> String {
    let answer: Value = serde_json::from_slice(answer).expect("JSON");
    answer[list][0][field]
        .as_str()
        .unwrap_or_else(|| panic!("no {list}[0].{field} in {answer}"))
        .to_owned()
}

/// Creates a cluster with a Fargate service `web` in moto's default VPC, and with `scalable`
/// a scalable target for its desired count (min 1, max 4); returns the cluster name.
pub(crate) fn service(scalable: bool) -> String {
    let cluster = crate::harness::unique("dk-scaling");
    aws(&["ecs", "create-cluster", "--cluster-name", &cluster]);
    let taskdef = json!({
        "family": cluster,
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": [{ "name": "web", "image": "nginx:1.27", "essential": true }],
    });
    aws(&[
        "ecs",
        "register-task-definition",
        "--cli-input-json",
        &taskdef.to_string(),
    ]);
    let subnet = first_id(&aws(&["ec2", "describe-subnets"]), "Subnets", "SubnetId");
    let group = first_id(
        &aws(&["ec2", "describe-security-groups"]),
        "SecurityGroups",
        "GroupId",
    );
    let network = format!(
        "awsvpcConfiguration={{subnets=[{subnet}],securityGroups=[{group}],assignPublicIp=DISABLED}}"
    );
    aws(&[
        "ecs",
        "create-service",
        "--cluster",
        &cluster,
        "--service-name",
        "web",
        "--task-definition",
        &cluster,
        "--desired-count",
        "2",
        "--launch-type",
        "FARGATE",
        "--network-configuration",
        &network,
    ]);
    if scalable {
        aws(&[
            "application-autoscaling",
            "register-scalable-target",
            "--service-namespace",
            "ecs",
            "--scalable-dimension",
            "ecs:service:DesiredCount",
            "--resource-id",
            &format!("service/{cluster}/web"),
            "--min-capacity",
            "1",
            "--max-capacity",
            "4",
        ]);
    }
    cluster
}

fn scaling(command: &str, cluster: &str) -> Outcome {
    Test::new()
        .with_aws()
        .args([command, "--cluster", cluster, "--service", "web"])
        .run("ecs-scaling")
}

const ACTIVE: &str = "min 1, max 4; scale-in active, scale-out active, scheduled active";
const SUSPENDED: &str =
    "min 1, max 4; scale-in suspended, scale-out suspended, scheduled suspended";

/// What the AWS CLI sees: the three switches, in the API's order.
pub(crate) fn suspended_state(cluster: &str) -> Value {
    let answer: Value = serde_json::from_slice(&aws(&[
        "application-autoscaling",
        "describe-scalable-targets",
        "--service-namespace",
        "ecs",
        "--resource-ids",
        &format!("service/{cluster}/web"),
    ]))
    .expect("JSON");
    answer["ScalableTargets"][0]["SuspendedState"].clone()
}

#[test]
fn suspend_and_resume_are_idempotent_and_show_before_and_after() {
    let cluster = service(true);
    scaling("status", &cluster)
        .success()
        .stdout_is(&format!("{ACTIVE}\n"));

    scaling("suspend", &cluster)
        .success()
        .stdout_is(&format!("before: {ACTIVE}\nafter:  {SUSPENDED}\n"));
    assert_eq!(
        suspended_state(&cluster),
        json!({
            "DynamicScalingInSuspended": true,
            "DynamicScalingOutSuspended": true,
            "ScheduledScalingSuspended": true,
        })
    );
    scaling("suspend", &cluster).success().stdout_is(&format!(
        "before: {SUSPENDED}\nafter:  {SUSPENDED} (unchanged)\n"
    ));

    scaling("resume", &cluster)
        .success()
        .stdout_is(&format!("before: {SUSPENDED}\nafter:  {ACTIVE}\n"));
    assert_eq!(
        suspended_state(&cluster)["DynamicScalingOutSuspended"],
        false
    );
    scaling("resume", &cluster)
        .success()
        .stdout_is(&format!("before: {ACTIVE}\nafter:  {ACTIVE} (unchanged)\n"));
}

#[test]
fn a_service_without_a_scalable_target_is_named() {
    let cluster = service(false);
    for command in ["suspend", "resume", "status"] {
        scaling(command, &cluster).code(2).stderr_is(&format!(
            "error: service `web` of cluster `{cluster}` has no scalable target for \
             `ecs:service:DesiredCount` (`service/{cluster}/web`)\n\
             help: check the cluster and service names and the Region; a service without auto \
             scaling needs no suspend or resume, so drop the step for it\n"
        ));
    }
}
