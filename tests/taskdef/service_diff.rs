//! `ecs-taskdef diff` with `service:CLUSTER/SERVICE` as a side, against moto: the service runs
//! revision 1 (its PRIMARY deployment); revision 2, what a deploy would register, changes the
//! image and a credential, which the diff shows redacted.

use serde_json::json;

use crate::support::harness::{Test, unique};
use crate::support::local_aws::aws;

fn register(family: &str, image: &str, key: &str) {
    let definition = json!({
        "family": family,
        "containerDefinitions": [{"name": "web", "image": image, "memory": 128,
            "environment": [{"name": "AWS_ACCESS_KEY_ID", "value": key}]}],
    });
    aws(&[
        "ecs",
        "register-task-definition",
        "--cli-input-json",
        &definition.to_string(),
    ]);
}

#[test]
fn a_running_service_is_either_side_of_a_diff() {
    let cluster = unique("dk-diff");
    register(&cluster, "web:1", "AKIAIOSFODNN7EXAMPLE");
    register(&cluster, "web:2", "AKIAI44QH8DHBEXAMPLE");
    aws(&["ecs", "create-cluster", "--cluster-name", &cluster]);
    aws(&[
        "ecs",
        "create-service",
        "--cluster",
        &cluster,
        "--service-name",
        "web",
        "--task-definition",
        &format!("{cluster}:1"),
        "--desired-count",
        "0",
    ]);
    let running = format!("service:{cluster}/web");
    Test::new()
        .with_aws()
        .args(["diff", &running, &format!("ecs:{cluster}:1")])
        .run("ecs-taskdef")
        .success()
        .stdout_is("");
    let outcome = Test::new()
        .with_aws()
        .args(["diff", &running, &format!("ecs:{cluster}:2")])
        .run("ecs-taskdef")
        .code(1);
    assert!(
        outcome.stdout.contains("\"image\": \"web:1\"")
            && outcome.stdout.contains("\"image\": \"web:2\""),
        "{}",
        outcome.stdout
    );
    assert!(outcome.stdout.contains(&running), "{}", outcome.stdout);
    assert!(!outcome.stdout.contains("AKIA"), "{}", outcome.stdout);
    Test::new()
        .with_aws()
        .env("AWS_MAX_ATTEMPTS", "1")
        .args([
            "diff",
            &format!("service:{cluster}/missing"),
            &format!("ecs:{cluster}:2"),
        ])
        .run("ecs-taskdef")
        .code(2)
        .stderr_has(&format!("service `missing` in cluster `{cluster}`"));
}
