//! The App Mesh proxy configuration: the proxy container exists and the required properties are
//! given. Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ProxyConfiguration.html>

use serde_json::Value;

use super::Names;
use crate::finding::Finding;
use crate::location::JsonPath;
use crate::task_definition::rules::and_list;

/// Properties the APPMESH type marks "(Required)"; `IgnoredUID` and `IgnoredGID` are checked as
/// a pair, since either may be empty when the other is given.
const REQUIRED: [&str; 3] = ["AppPorts", "ProxyIngressPort", "ProxyEgressPort"];

pub(super) fn check(document: &Value, names: &Names<'_, '_>, findings: &mut Vec<Finding>) {
    let Some(proxy) = document.get("proxyConfiguration").filter(|p| p.is_object()) else {
        return;
    };
    let at = JsonPath::root().key("proxyConfiguration");
    if let Some(name) = proxy.get("containerName").and_then(Value::as_str)
        && names.get(name).is_none()
    {
        findings.push(
            Finding::error(
                "proxy-container-missing",
                format!("the App Mesh proxy is container `{name}`, which is not a container of this task definition"),
            )
            .at(at.key("containerName"))
            .help(names.choose()),
        );
    }
    // `APPMESH` is the only proxy type; another value is the `shape` check's finding.
    if proxy
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|kind| kind != "APPMESH")
    {
        return;
    }
    let (properties, where_) = match proxy.get("properties") {
        Some(Value::Array(properties)) => (properties.as_slice(), at.key("properties")),
        None | Some(Value::Null) => (&[][..], at.clone()),
        Some(_) => return,
    };
    let given = |name: &str| {
        properties.iter().any(|property| {
            property.get("name").and_then(Value::as_str) == Some(name)
                && property
                    .get("value")
                    .and_then(Value::as_str)
                    .is_some_and(|value| !value.is_empty())
        })
    };
    let mut missing: Vec<String> = REQUIRED
        .iter()
        .filter(|name| !given(name))
        .map(|name| format!("`{name}`"))
        .collect();
    if !given("IgnoredUID") && !given("IgnoredGID") {
        missing.push("`IgnoredUID` or `IgnoredGID`".to_owned());
    }
    if missing.is_empty() {
        return;
    }
    findings.push(
        Finding::error(
            "proxy-properties",
            format!(
                "the App Mesh proxy configuration lacks {}, which App Mesh requires",
                and_list(&missing)
            ),
        )
        .at(where_)
        .help("add them as `{\"name\": ..., \"value\": ...}` properties: the application's ports, the proxy's ingress and egress ports, and the proxy container's user or group id"),
    );
}
