use serde_json::json;

use super::*;

const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

#[test]
fn provenance_reads_the_labels_the_kit_stamps_and_falls_back_to_the_tag() {
    let described = json!({
        "taskDefinition": {"containerDefinitions": [
            {"name": "web", "image": "web:1", "dockerLabels": {REVISION_LABEL: "abc1234"}},
            {"name": "log-router", "image": "fluent-bit:2"}
        ]},
        "tags": [{"key": REVISION_LABEL, "value": "def5678"}, {"key": BUILD_ID_TAG, "value": "web:42"}]
    });
    let (containers, build) = provenance(&described);
    assert_eq!(build.as_deref(), Some("web:42"));
    assert_eq!(containers[0].commit.as_deref(), Some("abc1234"));
    assert_eq!(containers[1].commit.as_deref(), Some("def5678"));
    assert_eq!(containers[1].image, "fluent-bit:2");
    let (bare, build) = provenance(
        &json!({"taskDefinition": {"containerDefinitions": [{"name": "web", "image": "web:1"}]}}),
    );
    assert_eq!((bare[0].commit.as_ref(), build), (None, None));
}

#[test]
fn the_pulled_digest_wins_over_the_pinned_one_and_the_reference() {
    let pinned = format!("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@{DIGEST}");
    assert_eq!(identity(&pinned, &[]), DIGEST);
    assert_eq!(identity("web:1.4.2", &[]), "web:1.4.2");
    let pulled = [
        "sha256:aa".to_owned(),
        "sha256:aa".to_owned(),
        "sha256:bb".to_owned(),
    ];
    assert_eq!(identity("web:1.4.2", &pulled), "sha256:aa, sha256:bb");
    assert_eq!(
        short_task_definition("arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42"),
        "web:42"
    );
    assert_eq!(short_task_definition("web:42"), "web:42");
}

fn deployed(service: &str, running: &[(&str, &str)], older: &[(&str, &str)]) -> Deployed {
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    Deployed {
        service: service.to_owned(),
        environment: None,
        running: pairs(running),
        deployed: [pairs(running), pairs(older)].concat(),
    }
}

#[test]
fn an_image_in_prod_that_no_deployment_of_dev_has_is_pointed_out() {
    let prod = deployed(
        "prod/web",
        &[("web", "sha256:bb"), ("log-router", "fb:2")],
        &[],
    );
    let dev = deployed(
        "dev/web",
        &[("web", "sha256:cc"), ("log-router", "fb:2")],
        &[("web", "sha256:bb")],
    );
    assert!(
        only_in(&[prod.clone(), dev])
            .iter()
            .all(|notice| !notice.contains("runs sha256:bb"))
    );
    let dev = deployed(
        "dev/web",
        &[("web", "sha256:cc"), ("log-router", "fb:2")],
        &[],
    );
    assert_eq!(
        only_in(&[prod, dev]),
        [
            "container `web` of prod/web runs sha256:bb, which is in none of the deployments of dev/web",
            "container `web` of dev/web runs sha256:cc, which is in none of the deployments of prod/web",
        ]
    );
}

#[test]
fn services_without_a_container_in_common_are_not_compared() {
    let web = deployed("prod/web", &[("web", "sha256:bb")], &[]);
    let worker = deployed("prod/worker", &[("worker", "sha256:dd")], &[]);
    assert!(only_in(&[web, worker]).is_empty());
}

#[test]
fn one_aligned_line_per_container() {
    let row = RunningRow {
        service: "prod/web".into(),
        task_definition: "web:42".into(),
        container: "web".into(),
        image: "sha256:bb".into(),
        commit: Some("abc1234".into()),
        build: None,
        since: Some("2026-12-07T10:00:00Z".into()),
        ..RunningRow::default()
    };
    assert_eq!(
        render_running(&[row]),
        "SERVICE   TASK DEFINITION  CONTAINER  IMAGE      COMMIT   BUILD  SINCE\n\
         prod/web  web:42           web        sha256:bb  abc1234  -      2026-12-07T10:00:00Z\n"
    );
}

fn labelled(environment: &str, deployed: Deployed) -> Deployed {
    Deployed {
        environment: Some(environment.to_owned()),
        ..deployed
    }
}

/// Labelled services are compared in the order their environments were named: prod with dev,
/// never dev with prod, two services of one environment not with each other, and an image that
/// ran in any service of dev counts as having run in dev.
#[test]
fn labelled_environments_are_compared_only_with_the_ones_named_before() {
    let dev = labelled("dev", deployed("dev/web", &[("web", "sha256:cc")], &[]));
    let dev_too = labelled("dev", deployed("dev/web-2", &[("web", "sha256:dd")], &[]));
    let prod = labelled("prod", deployed("prod/web", &[("web", "sha256:bb")], &[]));
    assert_eq!(
        only_in(&[dev.clone(), dev_too.clone(), prod]),
        [
            "container `web` of prod/web runs sha256:bb, which is in none of the deployments of dev/web, dev/web-2 (never in dev)"
        ]
    );
    let in_one_dev_service = labelled("prod", deployed("prod/web", &[("web", "sha256:dd")], &[]));
    assert!(only_in(&[dev.clone(), dev_too, in_one_dev_service]).is_empty());
    let promoted = labelled("prod", deployed("prod/web", &[("web", "sha256:cc")], &[]));
    assert!(only_in(&[dev, promoted]).is_empty());
}

#[test]
fn the_environment_and_execution_columns_appear_when_known() {
    let row = RunningRow {
        environment: Some("prod".into()),
        service: "prod/web".into(),
        task_definition: "web:42".into(),
        container: "web".into(),
        image: "sha256:bb".into(),
        execution: Some("e-7".into()),
        ..RunningRow::default()
    };
    assert_eq!(
        render_running(&[row]),
        "ENVIRONMENT  SERVICE   TASK DEFINITION  CONTAINER  IMAGE      COMMIT  BUILD  EXECUTION  SINCE\n\
         prod         prod/web  web:42           web        sha256:bb  -       -      e-7        -\n"
    );
}
