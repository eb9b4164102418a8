//! `ecs-taskdef prune` against moto: revisions registered and used with the AWS CLI, the ones
//! left ACTIVE read back with the CLI. The peers' bug of deregistering the revision a service
//! runs (fabfuel/ecs-deploy issue 185, kayac/ecspresso pull request 673) is the case: after a
//! rollback the service runs an old revision, which must survive however old; so must one that
//! only a task set of a blue/green service uses, or a task started outside any service.

use serde_json::{Value, json};

use crate::support::harness::{Test, unique};
use crate::support::local_aws::aws;

/// Registers `count` revisions of a new family; returns the family.
fn family(count: u32) -> String {
    let family = unique("dk-prune");
    for revision in 1..=count {
        let definition = json!({
            "family": family,
            "containerDefinitions": [{"name": "web", "image": format!("web:1.{revision}.0"), "memory": 128}],
        });
        aws(&[
            "ecs",
            "register-task-definition",
            "--cli-input-json",
            &definition.to_string(),
        ]);
    }
    family
}

fn active(family: &str) -> Vec<String> {
    let answer: Value = serde_json::from_slice(&aws(&[
        "ecs",
        "list-task-definitions",
        "--family-prefix",
        family,
        "--status",
        "ACTIVE",
    ]))
    .expect("JSON");
    let mut revisions: Vec<String> = answer["taskDefinitionArns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|arn| arn.as_str().unwrap().rsplit('/').next().unwrap().to_owned())
        .collect();
    revisions.sort();
    revisions
}

#[test]
fn keeps_the_newest_and_every_revision_a_service_or_task_uses() {
    let family = family(6);
    let cluster = unique("dk-prune");
    aws(&["ecs", "create-cluster", "--cluster-name", &cluster]);
    // The service runs revision 2, as after a rollback; a task runs revision 3.
    aws(&[
        "ecs",
        "create-service",
        "--cluster",
        &cluster,
        "--service-name",
        "web",
        "--task-definition",
        &format!("{family}:2"),
        "--desired-count",
        "0",
    ]);
    aws(&[
        "ecs",
        "run-task",
        "--cluster",
        &cluster,
        "--task-definition",
        &format!("{family}:3"),
        "--launch-type",
        "FARGATE",
    ]);
    let args = |dry_run: bool| {
        let mut args = vec![
            "prune",
            family.as_str(),
            "--keep",
            "2",
            "--cluster",
            &cluster,
        ];
        if dry_run {
            args.push("--dry-run");
        }
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let expected = |verb: &str| {
        format!(
            "kept {family}:6 (one of the 2 newest)\n\
             kept {family}:5 (one of the 2 newest)\n\
             {verb} {family}:4\n\
             kept {family}:3 (used by a task in cluster {cluster})\n\
             kept {family}:2 (used by a deployment of service {cluster}/web)\n\
             {verb} {family}:1\n"
        )
    };
    Test::new()
        .with_aws()
        .args(args(true))
        .run("ecs-taskdef")
        .success()
        .stdout_is(&expected("would deregister"));
    assert_eq!(active(&family).len(), 6, "--dry-run changes nothing");
    Test::new()
        .with_aws()
        .args(args(false))
        .run("ecs-taskdef")
        .success()
        .stdout_is(&expected("deregistered"));
    let left: Vec<String> = [2, 3, 5, 6].map(|n| format!("{family}:{n}")).to_vec();
    assert_eq!(active(&family), left);
}

/// A blue/green service's revisions live in its task sets, not its deployments: CodeDeploy
/// makes them for a `CODE_DEPLOY` service, the deploying tool for an `EXTERNAL` one. A task set
/// still serving traffic (or the one a rollback returns to) keeps its revision.
#[test]
fn keeps_every_revision_a_task_set_uses_under_either_controller() {
    let family = family(4);
    let cluster = unique("dk-prune");
    aws(&["ecs", "create-cluster", "--cluster-name", &cluster]);
    for (service, controller, revision) in [("web", "CODE_DEPLOY", 2), ("api", "EXTERNAL", 1)] {
        let mut create = vec![
            "ecs".to_owned(),
            "create-service".to_owned(),
            "--cluster".to_owned(),
            cluster.clone(),
            "--service-name".to_owned(),
            service.to_owned(),
            "--deployment-controller".to_owned(),
            format!("type={controller}"),
            "--desired-count".to_owned(),
            "0".to_owned(),
        ];
        if controller == "CODE_DEPLOY" {
            create.extend([
                "--task-definition".to_owned(),
                format!("{family}:{revision}"),
            ]);
        }
        aws(&create.iter().map(String::as_str).collect::<Vec<_>>());
        aws(&[
            "ecs",
            "create-task-set",
            "--cluster",
            &cluster,
            "--service",
            service,
            "--task-definition",
            &format!("{family}:{revision}"),
        ]);
    }
    Test::new()
        .with_aws()
        .args(["prune", &family, "--keep", "1", "--cluster", &cluster])
        .run("ecs-taskdef")
        .success()
        .stdout_has(&format!("deregistered {family}:3\n"))
        .stdout_has(&format!(
            "kept {family}:2 (used by a task set of service {cluster}/web)"
        ))
        .stdout_has(&format!(
            "kept {family}:1 (used by a task set of service {cluster}/api)"
        ));
    let left: Vec<String> = [1, 2, 4].map(|n| format!("{family}:{n}")).to_vec();
    assert_eq!(active(&family), left);
}

#[test]
fn looks_in_every_cluster_unless_told_and_keeps_only_the_family_named() {
    let family = family(3);
    let other = family.clone() + "-worker";
    let definition = json!({"family": other, "containerDefinitions": [{"name": "w", "image": "w:1", "memory": 128}]});
    aws(&[
        "ecs",
        "register-task-definition",
        "--cli-input-json",
        &definition.to_string(),
    ]);
    let cluster = unique("dk-prune");
    aws(&["ecs", "create-cluster", "--cluster-name", &cluster]);
    aws(&[
        "ecs",
        "create-service",
        "--cluster",
        &cluster,
        "--service-name",
        "web",
        "--task-definition",
        &format!("{family}:1"),
        "--desired-count",
        "0",
    ]);
    Test::new()
        .with_aws()
        .args(["prune", &family, "--keep", "0"])
        .run("ecs-taskdef")
        .success()
        .stdout_has(&format!(
            "kept {family}:1 (used by a deployment of service {cluster}/web)"
        ));
    assert_eq!(active(&family), [format!("{family}:1")]);
    assert_eq!(active(&other), [format!("{other}:1")]);
}

#[test]
fn refuses_a_revision_or_an_arn_for_a_family() {
    Test::new()
        .args(["prune", "web:3", "--keep", "5"])
        .run("ecs-taskdef")
        .code(2)
        .stderr_has("`web:3` is not a task-definition family");
}
