//! The App Mesh proxy configuration.

use serde_json::{Value, json};

use super::super::{only, run, with};

/// The fixture with an App Mesh proxy in `container` and `properties`.
fn proxied(container: &str, properties: &Value) -> Value {
    with(
        "/proxyConfiguration",
        json!({"type": "APPMESH", "containerName": container, "properties": properties}),
    )
}

fn property(name: &str, value: &str) -> Value {
    json!({"name": name, "value": value})
}

fn complete() -> Vec<Value> {
    vec![
        property("IgnoredUID", "1337"),
        property("AppPorts", "8080"),
        property("ProxyIngressPort", "15000"),
        property("ProxyEgressPort", "15001"),
        property("EgressIgnoredIPs", "169.254.170.2,169.254.169.254"),
    ]
}

#[test]
fn the_proxy_is_a_container_of_the_task() {
    assert_eq!(run(&proxied("log-router", &json!(complete()))), []);
    let finding = only(
        run(&proxied("envoy", &json!(complete()))),
        "proxy-container-missing",
        "$.proxyConfiguration.containerName",
    );
    assert_eq!(
        finding.message,
        "the App Mesh proxy is container `envoy`, which is not a container of this task definition"
    );
}
