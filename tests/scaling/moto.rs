//! `ecs-scaling` against moto, which implements `RegisterScalableTarget` with `SuspendedState`
//! and checks the service exists in its own ECS (`docs/aws/local-endpoint.md#what-moto-lacks-or-accepts-wrongly`).

use serde_json::json;

use crate::support::harness::{Outcome, Test};
use crate::support::resources::{service, suspended_state};

fn scaling(command: &str, cluster: &str) -> Outcome {
    Test::new()
        .with_aws()
        .args([command, "--cluster", cluster, "--service", "web"])
        .run("ecs-scaling")
}

const ACTIVE: &str = "min 1, max 4; scale-in active, scale-out active, scheduled active";
const SUSPENDED: &str =
    "min 1, max 4; scale-in suspended, scale-out suspended, scheduled suspended";

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
