//! The constraints of this family that botocore's model already enforces: the `shape` check
//! reports them, and the rules stay silent so nothing is reported twice.

use serde_json::{Value, json};

use super::super::{rules, run, with};
use crate::task_definition::shape::check_structure;

/// The `shape` finding for `document`, and no rule finding.
#[track_caller]
fn model_only(document: &Value) -> (&'static str, String) {
    assert_eq!(run(document), []);
    let findings = check_structure(document);
    let found = rules(&findings);
    assert_eq!(found.len(), 1, "{findings:#?}");
    found.into_iter().next().expect("one finding")
}

#[test]
fn the_model_checks_dependency_conditions_and_names() {
    assert_eq!(
        model_only(&with(
            "/containerDefinitions/0/dependsOn/0/condition",
            json!("READY")
        )),
        (
            "invalid-enum",
            "$.containerDefinitions[0].dependsOn[0].condition".to_owned()
        )
    );
    assert_eq!(
        model_only(&with(
            "/containerDefinitions/0/dependsOn/0",
            json!({"containerName": "log-router"})
        )),
        (
            "missing-key",
            "$.containerDefinitions[0].dependsOn[0]".to_owned()
        )
    );
}

#[test]
fn the_model_checks_the_log_router_type() {
    let at = "$.containerDefinitions[1].firelensConfiguration";
    assert_eq!(
        model_only(&with(
            "/containerDefinitions/1/firelensConfiguration",
            json!({"type": "logstash"})
        )),
        ("invalid-enum", format!("{at}.type"))
    );
    assert_eq!(
        model_only(&with(
            "/containerDefinitions/1/firelensConfiguration",
            json!({"options": {"enable-ecs-log-metadata": "true"}})
        )),
        ("missing-key", at.to_owned())
    );
}

#[test]
fn the_model_checks_the_proxy_type_and_container() {
    let properties = json!([
        {"name": "IgnoredUID", "value": "1337"},
        {"name": "AppPorts", "value": "8080"},
        {"name": "ProxyIngressPort", "value": "15000"},
        {"name": "ProxyEgressPort", "value": "15001"}
    ]);
    assert_eq!(
        model_only(&with(
            "/proxyConfiguration",
            json!({"type": "ISTIO", "containerName": "log-router", "properties": properties})
        )),
        ("invalid-enum", "$.proxyConfiguration.type".to_owned())
    );
    assert_eq!(
        model_only(&with(
            "/proxyConfiguration",
            json!({"type": "APPMESH", "properties": properties})
        )),
        ("missing-key", "$.proxyConfiguration".to_owned())
    );
}
