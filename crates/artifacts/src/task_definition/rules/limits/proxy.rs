//! The App Mesh proxy configuration: the properties ECS needs, and their number formats.

use serde_json::Value;

use super::super::and_list;
use crate::finding::Finding;
use crate::location::JsonPath;

/// The App Mesh properties ECS needs in `proxyConfiguration.properties`.
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ProxyConfiguration.html>:
/// `AppPorts`, `ProxyIngressPort` and `ProxyEgressPort` are "(Required)"; `IgnoredUID` and
/// `IgnoredGID` are each "(Required)", and one "can be empty" when the other is given.
const REQUIRED_PROXY_PROPERTIES: [&str; 3] = ["AppPorts", "ProxyIngressPort", "ProxyEgressPort"];

pub(super) fn check(document: &Value, findings: &mut Vec<Finding>) {
    let Some(proxy) = document.get("proxyConfiguration") else {
        return;
    };
    // `type` defaults to APPMESH, the only value the model allows.
    if proxy
        .get("type")
        .is_some_and(|kind| !kind.is_null() && kind != "APPMESH")
    {
        return;
    }
    // No `properties` at all lacks every required one; another type is `shape`'s finding.
    let properties = match proxy.get("properties") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(properties)) => properties,
        Some(_) => return,
    };
    let given = |name: &str| {
        properties.iter().any(|property| {
            property.get("name").and_then(Value::as_str) == Some(name)
                && property
                    .get("value")
                    .and_then(Value::as_str)
                    .is_some_and(|value| !value.trim().is_empty())
        })
    };
    let path = JsonPath::root().key("proxyConfiguration").key("properties");
    check_values(properties, &path, findings);
    let missing: Vec<String> = REQUIRED_PROXY_PROPERTIES
        .iter()
        .filter(|name| !given(name))
        .map(|name| format!("`{name}`"))
        .collect();
    if !missing.is_empty() {
        findings.push(
            Finding::error(
                "proxy-configuration-property",
                format!(
                    "the App Mesh `proxyConfiguration` has no {}",
                    and_list(&missing)
                ),
            )
            .at(path.clone())
            .help(
                "give `AppPorts` (the application's ports, comma-separated) and the Envoy \
                 `ProxyIngressPort` and `ProxyEgressPort`, such as 15000 and 15001",
            ),
        );
    }
    if !given("IgnoredUID") && !given("IgnoredGID") {
        findings.push(
            Finding::error(
                "proxy-configuration-property",
                "the App Mesh `proxyConfiguration` has neither `IgnoredUID` nor `IgnoredGID`",
            )
            .at(path)
            .help(
                "set `IgnoredUID` to the proxy container's `user` (1337 for the App Mesh Envoy \
                 image), so the proxy does not intercept its own traffic",
            ),
        );
    }
}

/// What each numeric App Mesh property holds: one port, a comma-separated list of ports (which
/// may be empty), or a user or group ID (empty when the other one is given).
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ProxyConfiguration.html>: `ProxyIngressPort`/`ProxyEgressPort` are "the
/// port" traffic is directed to, `AppPorts`/`EgressIgnoredPorts` "the list of ports",
/// `IgnoredUID`/`IgnoredGID` "the user ID (UID)"/"the group ID (GID)".
#[derive(Clone, Copy)]
enum Form {
    Port,
    Ports,
    Id,
}

const PROPERTY_FORMS: [(&str, Form); 6] = [
    ("ProxyIngressPort", Form::Port),
    ("ProxyEgressPort", Form::Port),
    ("AppPorts", Form::Ports),
    ("EgressIgnoredPorts", Form::Ports),
    ("IgnoredUID", Form::Id),
    ("IgnoredGID", Form::Id),
];

fn is_port(text: &str) -> bool {
    text.trim().parse::<u16>().is_ok_and(|port| port > 0)
}

fn check_values(properties: &[Value], path: &JsonPath, findings: &mut Vec<Finding>) {
    for (index, property) in properties.iter().enumerate() {
        let (Some(name), Some(value)) = (
            property.get("name").and_then(Value::as_str),
            property.get("value").and_then(Value::as_str),
        ) else {
            continue;
        };
        let Some((_, form)) = PROPERTY_FORMS.iter().find(|(known, _)| *known == name) else {
            continue;
        };
        let (valid, expected) = match form {
            Form::Port => (is_port(value), "a port number from 1 to 65535"),
            Form::Ports => (
                value.trim().is_empty() || value.split(',').all(is_port),
                "comma-separated port numbers from 1 to 65535",
            ),
            Form::Id => (
                value.trim().is_empty() || value.trim().parse::<u32>().is_ok(),
                "a numeric ID, such as 1337",
            ),
        };
        if !valid {
            findings.push(
                Finding::error(
                    "proxy-configuration-value",
                    format!("the App Mesh property `{name}` is `{value}`; it takes {expected}"),
                )
                .at(path.index(index).key("value"))
                .help(format!("write `{name}` as {expected}")),
            );
        }
    }
}
