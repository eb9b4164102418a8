//! Comparing two task definitions the way ECS sees them, and showing the difference safely.
//!
//! ECS treats `environment`, `secrets`, port mappings, mount points, tags and the containers
//! themselves as sets: their order is not a change. Values that look like credentials are
//! replaced before any text is shown, so a diff in a build log never leaks one.

use serde_json::Value;
use similar::{Algorithm, TextDiff};

use super::render::to_pretty_json;
use crate::secrets::redact;

/// `document` with every set-like list in a canonical order.
#[must_use]
pub fn canonical(document: &Value) -> Value {
    let mut document = document.clone();
    sort_by(&mut document, "containerDefinitions", &["name"]);
    sort_by(&mut document, "tags", &["key"]);
    sort_by(&mut document, "volumes", &["name"]);
    if let Some(Value::Array(containers)) = document.get_mut("containerDefinitions") {
        for container in containers {
            sort_by(container, "environment", &["name"]);
            sort_by(container, "secrets", &["name"]);
            sort_by(container, "environmentFiles", &["value"]);
            sort_by(
                container,
                "portMappings",
                &["containerPort", "containerPortRange", "protocol"],
            );
            sort_by(container, "mountPoints", &["containerPath"]);
            sort_by(container, "volumesFrom", &["sourceContainer"]);
        }
    }
    document
}

fn sort_by(parent: &mut Value, key: &str, fields: &[&str]) {
    if let Some(Value::Array(items)) = parent.get_mut(key) {
        items.sort_by_key(|item| {
            fields
                .iter()
                .map(|field| item.get(*field).map(Value::to_string))
                .collect::<Vec<_>>()
        });
    }
}

/// A unified diff of the canonical, redacted forms of `old` and `new`, or `None` when ECS
/// would see no difference.
#[must_use]
pub fn unified_diff(old: &Value, new: &Value, old_name: &str, new_name: &str) -> Option<String> {
    let (mut old, mut new) = (canonical(old), canonical(new));
    if old == new {
        return None;
    }
    redact(&mut old);
    redact(&mut new);
    let (old_text, new_text) = (to_pretty_json(&old), to_pretty_json(&new));
    let (old_text, new_text) = (
        String::from_utf8_lossy(&old_text),
        String::from_utf8_lossy(&new_text),
    );
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_lines(old_text.as_ref(), new_text.as_ref());
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string();
    // Two different documents whose only differences were redacted still differ.
    Some(if text.is_empty() {
        format!("--- {old_name}\n+++ {new_name}\n(only redacted values differ)\n")
    } else {
        text
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn order_of_sets_is_not_a_change() {
        let a = json!({"containerDefinitions": [
            {"name": "web", "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
            {"name": "log-router"}]});
        let b = json!({"containerDefinitions": [
            {"name": "log-router"},
            {"name": "web", "environment": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}]}]});
        assert_eq!(unified_diff(&a, &b, "a", "b"), None);
    }

    #[test]
    fn shows_changes_and_hides_credentials() {
        let key = "AKIAIOSFODNN7EXAMPLE";
        let a = json!({"cpu": "256", "containerDefinitions": [{"name": "web", "environment": [{"name": "AWS_ACCESS_KEY_ID", "value": key}]}]});
        let b = json!({"cpu": "512", "containerDefinitions": [{"name": "web", "environment": [{"name": "AWS_ACCESS_KEY_ID", "value": "AKIAI44QH8DHBEXAMPLE"}]}]});
        let diff = unified_diff(&a, &b, "live", "rendered").unwrap();
        assert!(diff.starts_with("--- live\n+++ rendered\n"), "{diff}");
        assert!(
            diff.contains("-  \"cpu\": \"256\"\n+  \"cpu\": \"512\"\n"),
            "{diff}"
        );
        assert!(!diff.contains("AKIA"), "{diff}");
        let only_secret = json!({"containerDefinitions": [{"name": "web", "environment": [{"name": "AWS_ACCESS_KEY_ID", "value": "AKIAI44QH8DHBEXAMPLE"}]}]});
        let same_but_key = json!({"containerDefinitions": [{"name": "web", "environment": [{"name": "AWS_ACCESS_KEY_ID", "value": key}]}]});
        assert!(
            unified_diff(&only_secret, &same_but_key, "a", "b")
                .unwrap()
                .contains("only redacted values differ")
        );
    }
}
