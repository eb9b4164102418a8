//! The App Mesh proxy configuration: the proxy container exists. Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ProxyConfiguration.html>

use serde_json::Value;

use super::Names;
use crate::finding::Finding;
use crate::location::JsonPath;

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
    // The required properties and their formats are the limits rules' (`proxy-configuration-property`).
}
