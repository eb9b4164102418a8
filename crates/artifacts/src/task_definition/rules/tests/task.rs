use serde_json::{Value, json};

use super::{only, remove, run, run_template, set, template, web_and_sidecar, with};
use crate::finding::Severity;

#[test]
fn family_names() {
    for good in ["web", "Web_API-2", &"a".repeat(255)] {
        assert_eq!(run(&with("/family", json!(good))), [], "{good}");
    }
    let finding = only(
        run(&with("/family", json!("my.app"))),
        "family-name",
        "$.family",
    );
    assert_eq!(
        finding.message,
        "family `my.app` contains `.`; ECS allows letters, digits, `_` and `-`"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("rename the family, such as `my-app`")
    );
    let finding = only(run(&with("/family", json!(""))), "family-name", "$.family");
    assert_eq!(
        finding.message,
        "`family` is empty; ECS needs 1 to 255 letters, digits, `_` or `-`"
    );
    let long = "a".repeat(256);
    let finding = only(
        run(&with("/family", json!(long))),
        "family-name",
        "$.family",
    );
    assert_eq!(
        finding.message,
        "`family` is 256 characters long; ECS allows at most 255"
    );
}

#[test]
fn container_names() {
    let at = "$.containerDefinitions[1].name";
    let finding = only(run(&renamed(json!("log.router"))), "container-name", at);
    assert_eq!(
        finding.message,
        "the container name `log.router` contains `.`; ECS allows letters, digits, `_` and `-`"
    );
    let finding = only(run(&renamed(json!(""))), "container-name", at);
    assert_eq!(finding.message, "container 1 has an empty `name`");
    let long = "n".repeat(256);
    let finding = only(run(&renamed(json!(long))), "container-name", at);
    assert!(finding.message.contains("256 characters long"));

    let mut document = web_and_sidecar();
    set(
        &mut document,
        "/containerDefinitions/1/name",
        json!("n".repeat(255)),
    );
    set(
        &mut document,
        "/containerDefinitions/0/dependsOn",
        json!([]),
    );
    assert_eq!(run(&document), []);

    let mut document = renamed(json!(null));
    remove(&mut document, "/containerDefinitions/1/name");
    let finding = only(
        run(&document),
        "container-name",
        "$.containerDefinitions[1]",
    );
    assert_eq!(finding.message, "container 1 has no `name`");
}

#[test]
fn container_names_are_unique() {
    let finding = only(
        run(&renamed(json!("web"))),
        "duplicate-container",
        "$.containerDefinitions[1].name",
    );
    assert_eq!(
        finding.message,
        "container name `web` is used by containers 0 and 1; names must be unique within a task definition"
    );
}

#[test]
fn one_to_ten_containers() {
    let finding = only(
        run(&with("/containerDefinitions", json!([]))),
        "container-count",
        "$.containerDefinitions",
    );
    assert_eq!(
        finding.message,
        "the task definition has no containers; ECS needs 1 to 10"
    );

    let worker = |index: usize| {
        json!({
            "name": format!("worker-{index}"),
            "image": format!("{}/worker@{}", super::ECR, super::SHA),
            "essential": false,
        })
    };
    let mut document = web_and_sidecar();
    for index in 2..10 {
        set(
            &mut document,
            &format!("/containerDefinitions/{index}"),
            worker(index),
        );
    }
    assert_eq!(run(&document), []);
    set(&mut document, "/containerDefinitions/10", worker(10));
    let finding = only(run(&document), "container-count", "$.containerDefinitions");
    assert_eq!(
        finding.message,
        "the task definition has 11 containers; ECS allows at most 10"
    );
}

#[test]
fn at_least_one_essential_container() {
    let document = with("/containerDefinitions/0/essential", json!(false));
    let finding = only(
        run(&document),
        "no-essential-container",
        "$.containerDefinitions",
    );
    assert_eq!(
        finding.message,
        "no container is essential: all 2 set `essential` to false; ECS needs at least one"
    );
    // An absent `essential` counts as true.
    let mut document = document;
    remove(&mut document, "/containerDefinitions/1/essential");
    assert_eq!(run(&document), []);
}

/// The fixture padded with one environment variable to exactly `size` compact bytes.
fn sized(mut document: serde_json::Value, size: usize) -> serde_json::Value {
    let pointer = "/containerDefinitions/0/environment/3";
    set(
        &mut document,
        pointer,
        json!({"name": "PADDING", "value": ""}),
    );
    let base = serde_json::to_vec(&document).unwrap().len();
    set(
        &mut document,
        pointer,
        json!({"name": "PADDING", "value": "x".repeat(size - base)}),
    );
    assert_eq!(serde_json::to_vec(&document).unwrap().len(), size);
    document
}

#[test]
fn size_limit_is_64_kib_of_compact_json() {
    assert_eq!(run(&sized(web_and_sidecar(), 65_536)), []);
    let finding = only(run(&sized(web_and_sidecar(), 65_537)), "too-large", "$");
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(
        finding.message,
        "the task definition is 65,537 bytes as compact JSON; ECS accepts at most 65,536"
    );
    let help = finding.help.unwrap();
    assert!(
        help.starts_with("large `environment` or `secrets` lists are the usual cause; container `web` carries about 64,"),
        "{help}"
    );
    assert!(help.contains("`environmentFiles`"), "{help}");
}

#[test]
fn placeholders_count_at_their_replaced_length() {
    // Two placeholders may grow by up to 327 - 13 = 314 bytes each once replaced.
    assert_eq!(run_template(&sized(template(), 65_536 - 628)), []);
    let findings = run_template(&sized(template(), 65_536 - 627));
    let finding = only(findings, "too-large", "$");
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(
        finding.message,
        "the task definition is 64,909 bytes as compact JSON; with image URIs in place of its \
         placeholders it can reach 65,537, over ECS's limit of 65,536"
    );
}

/// The fixture with the log router renamed, and no `dependsOn` on its old name, so that only
/// the name's own finding remains.
fn renamed(name: Value) -> Value {
    let mut document = with("/containerDefinitions/1/name", name);
    set(
        &mut document,
        "/containerDefinitions/0/dependsOn",
        json!([]),
    );
    document
}
