//! The rule ids of `docs/ecs-rules.md`, read by the tests that hold the checks to the table.

use std::collections::BTreeSet;
use std::fs;

/// The table of documented rules.
const TABLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/ecs-rules.md");

/// The rule ids of the table's sections whose heading starts with `prefix`: the first cell of
/// each row, which may name several ids (`` `invalid-yaml`, `invalid-json` ``).
pub(crate) fn documented_rules(prefix: &str) -> BTreeSet<String> {
    let table = fs::read_to_string(TABLE).expect("docs/ecs-rules.md");
    let mut inside = false;
    let mut rules = BTreeSet::new();
    for line in table.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            inside = heading.starts_with(prefix);
            continue;
        }
        let Some(row) = line.strip_prefix("| ").filter(|_| inside) else {
            continue;
        };
        let first = row.split(" |").next().unwrap_or_default();
        for id in first.split(", ") {
            let id = id.trim_matches('`');
            let is_id = !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if is_id {
                rules.insert(id.to_owned());
            }
        }
    }
    rules
}

#[test]
fn the_table_is_read_whole() {
    let rules = documented_rules("Task definitions:");
    for id in [
        "family-name",
        "ephemeral-storage",
        "fargate-links",
        "role-arn",
    ] {
        assert!(
            rules.contains(id),
            "{id} not read from the table: {rules:?}"
        );
    }
    assert!(!rules.contains("rule-id") && !rules.contains("---"));
    assert!(documented_rules("AppSpec").contains("hook-order"));
}
