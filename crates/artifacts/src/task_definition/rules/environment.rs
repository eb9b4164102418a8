//! `environment` and `secrets`: credentials in plain text, repeated names, secret references.
//!
//! A value found to look like a credential is never put in a finding (`README.md#the-contract-every-program-keeps`).

use std::collections::HashMap;

use serde_json::Value;

use super::Container;
use crate::finding::Finding;
use crate::location::JsonPath;
use crate::secrets::{credential_kind, shown_value_from, value_from_problem};

/// Checks one container's variables and secrets; returns about how many bytes they take in
/// the document, to point at the biggest when the task definition is too large.
pub(crate) fn check_container(container: &Container<'_>, findings: &mut Vec<Finding>) -> usize {
    let mut bytes = 0;
    let environment = container.list("environment");
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(environment.len());
    for (index, entry) in environment.iter().enumerate() {
        let Value::Object(entry) = entry else {
            continue;
        };
        let name = entry.get("name").and_then(Value::as_str);
        let value = entry.get("value").and_then(Value::as_str);
        // `{"name":"","value":""},` is 24 bytes around the two strings.
        bytes += 24 + name.map_or(0, str::len) + value.map_or(0, str::len);
        let Some(name) = name else {
            continue;
        };
        // Docker gets both and one silently wins; which one ECS passes last is undocumented, so
        // a repeat is a mistake either way [INFERRED].
        if let Some(first) = seen.insert(name, index) {
            seen.insert(name, first);
            findings.push(
                Finding::error(
                    "duplicate-environment",
                    format!("{container} sets `{name}` twice, in `environment` entries {first} and {index}"),
                )
                .at(container.path().key("environment").index(index).key("name"))
                .help("keep one of them"),
            );
        }
        if let Some(value) = value
            && let Some(looks_like) = credential_kind(name, value)
        {
            findings.push(
                Finding::warning(
                    "credential-in-environment",
                    format!("{container} sets `{name}` in `environment` to what looks like {looks_like}"),
                )
                .at(container.path().key("environment").index(index).key("value"))
                .help("move it to `secrets` with `valueFrom` an SSM parameter or a Secrets Manager ARN: \
                       `environment` is plain text to anyone who can describe the task definition"),
            );
        }
    }
    for (index, secret) in container.list("secrets").iter().enumerate() {
        let at = container.path().key("secrets").index(index);
        bytes += check_secret(container, secret, &at, findings);
    }
    if let Some(Value::Object(logging)) = container.get("logConfiguration") {
        // `logConfiguration.secretOptions` takes the same references (BC-ECS `Secret`).
        if let Some(Value::Array(options)) = logging.get("secretOptions") {
            for (index, secret) in options.iter().enumerate() {
                let at = container
                    .path()
                    .key("logConfiguration")
                    .key("secretOptions")
                    .index(index);
                bytes += check_secret(container, secret, &at, findings);
            }
        }
    }
    bytes
}

/// Checks one secret reference at `at`; returns about how many bytes it takes.
fn check_secret(
    container: &Container<'_>,
    secret: &Value,
    at: &JsonPath,
    findings: &mut Vec<Finding>,
) -> usize {
    let Value::Object(secret) = secret else {
        return 0;
    };
    let name = secret.get("name").and_then(Value::as_str).unwrap_or("");
    let Some(value_from) = secret.get("valueFrom").and_then(Value::as_str) else {
        return 28 + name.len();
    };
    if let Some(problem) = value_from_problem(value_from) {
        let secret_name = if name.is_empty() {
            String::new()
        } else {
            format!(" `{name}`")
        };
        findings.push(
            Finding::error(
                "secret-value-from",
                format!("{container}'s secret{secret_name} has `valueFrom` `{}`, which {problem}", shown_value_from(value_from)),
            )
            .at(at.key("valueFrom"))
            .help("use `arn:aws:secretsmanager:<region>:<account>:secret:<name>`, \
                   `arn:aws:ssm:<region>:<account>:parameter/<name>`, or a parameter name in the task's region"),
        );
    }
    28 + name.len() + value_from.len()
}
