//! `ecs-verify`'s flags as the configuration reads them: every flag is checked before any
//! artifact is read, so a bad flag is named even when an artifact is missing too.

use crate::support::harness::Test;

#[test]
fn service_json_with_the_blue_green_action_is_refused_before_any_artifact_is_read() {
    Test::new()
        .args([
            "--for",
            "blue-green",
            "missing",
            "--service-json",
            "service.json",
        ])
        .run("ecs-verify")
        .code(2)
        .stderr_is(
            "error: --service-json checks the target service of the ECS action, and this is the \
             Blue/Green action (--service-json)\n\
             help: drop it: the Blue/Green action deploys through CodeDeploy, whose deployment \
             group says how\n",
        );
}

#[test]
fn from_ecs_and_region_are_checked_before_any_artifact_is_read() {
    Test::new()
        .args(["--for", "ecs", "missing", "--from-ecs", "web"])
        .run("ecs-verify")
        .code(2)
        .stderr_is(
            "error: `--from-ecs web` is not `CLUSTER/SERVICE`\n\
             help: write `--from-ecs main/web-service`\n",
        );
    Test::new()
        .args([
            "--for",
            "ecs",
            "missing",
            "--from-ecs",
            "main/web",
            "--region",
            "EU",
        ])
        .run("ecs-verify")
        .code(2)
        .stderr_is(
            "error: invalid Region `EU` (--region)\n\
             help: give a Region code such as `us-east-1` or `eu-west-1`\n",
        );
}
