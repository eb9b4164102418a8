//! The rules of `references.rs`: for each, a definition that passes and one that breaks it.

mod firelens;
mod model;
mod proxy;

use serde_json::{Value, json};

use super::{only, remove, rules, run, set, web_and_sidecar, with};

const WEB: &str = "$.containerDefinitions[0]";
const ROUTER: &str = "$.containerDefinitions[1]";
const CHOOSE: &str = "use one of the task's containers: `web` or `log-router`";

/// The fixture on EC2 with `mode` (`None`: no `networkMode`, so `bridge`) and no port mappings.
pub(super) fn on_ec2(mode: Option<&str>) -> Value {
    let mut document = web_and_sidecar();
    set(&mut document, "/requiresCompatibilities", json!(["EC2"]));
    match mode {
        Some(mode) => set(&mut document, "/networkMode", json!(mode)),
        None => remove(&mut document, "/networkMode"),
    }
    remove(&mut document, "/containerDefinitions/0/portMappings");
    remove(&mut document, "/containerDefinitions/1/portMappings");
    document
}

/// The fixture where the web container waits for the log router under `condition`.
fn waiting(condition: &str) -> Value {
    with(
        "/containerDefinitions/0/dependsOn/0/condition",
        json!(condition),
    )
}

#[test]
fn depends_on_names_a_container() {
    assert_eq!(run(&web_and_sidecar()), []);
    let finding = only(
        run(&with(
            "/containerDefinitions/0/dependsOn/0/containerName",
            json!("db"),
        )),
        "depends-on-missing",
        &format!("{WEB}.dependsOn[0].containerName"),
    );
    assert_eq!(
        finding.message,
        "container `web` depends on `db`, which is not a container of this task definition"
    );
    assert_eq!(finding.help.as_deref(), Some(CHOOSE));
}

#[test]
fn complete_and_success_wait_for_a_non_essential_container() {
    for condition in ["COMPLETE", "SUCCESS"] {
        assert_eq!(run(&waiting(condition)), [], "{condition}");
        for essential in [Some(true), None] {
            let mut document = waiting(condition);
            match essential {
                Some(value) => set(
                    &mut document,
                    "/containerDefinitions/1/essential",
                    json!(value),
                ),
                None => remove(&mut document, "/containerDefinitions/1/essential"),
            }
            let finding = only(
                run(&document),
                "depends-on-essential",
                &format!("{WEB}.dependsOn[0].condition"),
            );
            assert_eq!(
                finding.message,
                format!(
                    "container `web` waits for container `log-router` to {condition}, but container \
                     `log-router` is essential; the COMPLETE and SUCCESS conditions can't name an \
                     essential container"
                )
            );
        }
    }
    // A wrong type is the `shape` check's finding.
    let mut document = waiting("SUCCESS");
    set(
        &mut document,
        "/containerDefinitions/1/essential",
        json!("true"),
    );
    assert_eq!(run(&document), []);
    // START and HEALTHY may name an essential container.
    let mut document = waiting("START");
    set(
        &mut document,
        "/containerDefinitions/1/essential",
        json!(true),
    );
    assert_eq!(run(&document), []);
}

#[test]
fn healthy_waits_for_a_container_with_a_health_check() {
    let mut document = waiting("HEALTHY");
    set(
        &mut document,
        "/containerDefinitions/1/healthCheck",
        json!({"command": ["CMD-SHELL", "curl -f http://localhost:2020/ || exit 1"]}),
    );
    assert_eq!(run(&document), []);
    let finding = only(
        run(&waiting("HEALTHY")),
        "depends-on-health-check",
        &format!("{WEB}.dependsOn[0].condition"),
    );
    assert_eq!(
        finding.message,
        "container `web` waits for container `log-router` to be HEALTHY, but container `log-router` has no `healthCheck`"
    );
}

#[test]
fn volumes_from_names_a_container() {
    let from = |source: &str| {
        with(
            "/containerDefinitions/0/volumesFrom",
            json!([{"sourceContainer": source, "readOnly": true}]),
        )
    };
    assert_eq!(run(&from("log-router")), []);
    let finding = only(
        run(&from("db")),
        "volumes-from-missing",
        &format!("{WEB}.volumesFrom[0].sourceContainer"),
    );
    assert_eq!(
        finding.message,
        "container `web` mounts the volumes of `db`, which is not a container of this task definition"
    );
    assert_eq!(finding.help.as_deref(), Some(CHOOSE));
}

#[test]
fn links_name_a_container() {
    for mode in [Some("bridge"), None] {
        let mut document = on_ec2(mode);
        set(
            &mut document,
            "/containerDefinitions/0/links",
            json!(["log-router:logs", "log-router"]),
        );
        assert_eq!(run(&document), [], "{mode:?}");
        set(
            &mut document,
            "/containerDefinitions/0/links",
            json!(["log-router", "db:database"]),
        );
        let finding = only(run(&document), "link-missing", &format!("{WEB}.links[1]"));
        assert_eq!(
            finding.message,
            "container `web` links to `db`, which is not a container of this task definition"
        );
    }
}

#[test]
fn mount_points_name_a_volume() {
    let mounted = |volumes: Value, source: &str| {
        let mut document = with("/volumes", volumes);
        set(
            &mut document,
            "/containerDefinitions/0/mountPoints",
            json!([{"sourceVolume": source, "containerPath": "/data"}]),
        );
        document
    };
    assert_eq!(run(&mounted(json!([{"name": "data"}]), "data")), []);
    let at = format!("{WEB}.mountPoints[0].sourceVolume");
    let finding = only(
        run(&mounted(
            json!([{"name": "data"}, {"name": "tmp"}]),
            "cache",
        )),
        "mount-volume-missing",
        &at,
    );
    assert_eq!(
        finding.message,
        "container `web` mounts the volume `cache`, which the task definition's `volumes` do not name"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("use one of the task's volumes, `data` or `tmp`, or add `cache` to `volumes`")
    );
    let finding = only(
        run(&mounted(json!([]), "cache")),
        "mount-volume-missing",
        &at,
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("add a volume named `cache` to the task's `volumes`")
    );
}

#[test]
fn a_container_does_not_wait_for_itself() {
    let finding = only(
        run(&with(
            "/containerDefinitions/0/dependsOn/0/containerName",
            json!("web"),
        )),
        "dependency-cycle",
        &format!("{WEB}.dependsOn[0].containerName"),
    );
    assert_eq!(
        finding.message,
        "container `web` depends on itself, so it can never start"
    );
    let finding = only(
        run(&with(
            "/containerDefinitions/1/volumesFrom",
            json!([{"sourceContainer": "log-router"}]),
        )),
        "dependency-cycle",
        &format!("{ROUTER}.volumesFrom[0].sourceContainer"),
    );
    assert_eq!(
        finding.message,
        "container `log-router` mounts the volumes of itself, so it can never start"
    );
}

#[test]
fn containers_do_not_wait_for_each_other_in_a_cycle() {
    // web waits for log-router (the fixture); log-router waiting for web closes a cycle.
    let finding = only(
        run(&with(
            "/containerDefinitions/1/dependsOn",
            json!([{"containerName": "web", "condition": "START"}]),
        )),
        "dependency-cycle",
        &format!("{ROUTER}.dependsOn[0].containerName"),
    );
    assert_eq!(
        finding.message,
        "containers wait for each other to start in a cycle: `web` → `log-router` → `web`; none of them can start first"
    );
    let finding = only(
        run(&with(
            "/containerDefinitions/1/volumesFrom",
            json!([{"sourceContainer": "web"}]),
        )),
        "dependency-cycle",
        &format!("{ROUTER}.volumesFrom[0].sourceContainer"),
    );
    assert!(finding.message.contains("`web` → `log-router` → `web`"));
    // A chain of three without a way back passes.
    let mut document = web_and_sidecar();
    let mut init = document["containerDefinitions"][1].clone();
    init["name"] = json!("init");
    let fields = init.as_object_mut().expect("an object");
    for key in ["firelensConfiguration", "portMappings", "cpu"] {
        fields.remove(key);
    }
    set(&mut document, "/containerDefinitions/2", init);
    set(
        &mut document,
        "/containerDefinitions/1/dependsOn",
        json!([{"containerName": "init", "condition": "START"}]),
    );
    assert_eq!(run(&document), []);
    set(
        &mut document,
        "/containerDefinitions/2/dependsOn",
        json!([{"containerName": "web", "condition": "START"}]),
    );
    let findings = run(&document);
    assert_eq!(
        rules(&findings),
        [(
            "dependency-cycle",
            "$.containerDefinitions[2].dependsOn[0].containerName".to_owned()
        )]
    );
    assert!(
        findings[0]
            .message
            .contains("`web` → `log-router` → `init` → `web`")
    );
}
