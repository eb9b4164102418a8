//! Mutation tests: each row of `mutations.tsv` changes one valid definition of the corpus so
//! that it breaks one documented rule, and the check must report that rule, at that place, and
//! no other error. Every task-definition rule id of `docs/ecs-rules.md` has a row, or is one of
//! [`NOT_MUTATED`] with the reason.

use serde_json::Value;

use super::{base, check_all, shown};
use crate::rule_table::{unmutated, wrong};
use crate::task_definition::rules::tests::{remove, set};

const TABLE: &str = include_str!("mutations.tsv");

/// Rule ids of the task-definition sections that no row breaks, and why.
const NOT_MUTATED: &[(&str, &str)] = &[(
    "platform-version",
    "judged against an AppSpec's PlatformVersion, not a definition alone: appspec/tests/versions.rs",
)];

/// One row: the base, the rule and place it must break, and the edits.
struct Mutation {
    line: usize,
    base: &'static str,
    template: bool,
    rule: &'static str,
    at: &'static str,
    edits: Vec<&'static str>,
}

fn mutations() -> Vec<Mutation> {
    TABLE
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
        .map(|(index, line)| {
            let mut columns = line.split('\t');
            let mut next = || columns.next().unwrap_or_default();
            let (base, rule, at) = (next(), next(), next());
            let (template, base) = match base.strip_prefix("template:") {
                Some(base) => (true, base),
                None => (false, base),
            };
            let edits: Vec<&str> = columns.collect();
            assert!(
                !rule.is_empty() && at.starts_with('$') && !edits.is_empty(),
                "mutations.tsv:{}: base, rule, location and at least one edit",
                index + 1
            );
            Mutation {
                line: index + 1,
                base,
                template,
                rule,
                at,
                edits,
            }
        })
        .collect()
}

/// A value of the table: JSON, or `"c"*N` for a string of N times `c`.
fn value(text: &str) -> Value {
    if let Some((unit, count)) = text
        .strip_prefix('"')
        .and_then(|rest| rest.split_once("\"*"))
    {
        return Value::from(unit.repeat(count.parse().expect("a count")));
    }
    serde_json::from_str(text).unwrap_or_else(|e| panic!("`{text}` is not JSON: {e}"))
}

/// Applies one edit: `/pointer VALUE` sets (adding a last key or index), `-/pointer` removes.
fn apply(document: &mut Value, edit: &str) {
    if let Some(pointer) = edit.strip_prefix('-') {
        remove(document, pointer);
    } else {
        let (pointer, text) = edit.split_once(' ').expect("`/pointer VALUE`");
        set(document, pointer, value(text));
    }
}

/// What went wrong with one row, if anything.
fn judge(mutation: &Mutation) -> Option<String> {
    let mut document = base(mutation.base);
    for edit in &mutation.edits {
        apply(&mut document, edit);
    }
    let findings: Vec<(String, bool)> = check_all(&document, mutation.template)
        .iter()
        .map(|f| (shown(f), f.is_error()))
        .collect();
    wrong(mutation.line, mutation.rule, mutation.at, &findings)
        .map(|problem| format!("{problem} ({} on {})", mutation.edits[0], mutation.base))
}

#[test]
fn each_mutation_breaks_its_rule_and_no_other() {
    let mutations = mutations();
    let failures: Vec<String> = mutations.iter().filter_map(judge).collect();
    assert!(
        failures.is_empty(),
        "mutations.tsv, {} of {} rows:\n{}",
        failures.len(),
        mutations.len(),
        failures.join("\n")
    );
}

#[test]
fn every_documented_task_definition_rule_has_a_mutation() {
    let mutations = mutations();
    let mutated: Vec<&str> = mutations.iter().map(|m| m.rule).collect();
    let missing = unmutated("Task definitions:", &mutated, NOT_MUTATED);
    assert!(missing.is_empty(), "no mutation breaks {missing:?}");
    for (rule, _) in NOT_MUTATED {
        assert!(!mutated.contains(rule), "{rule} has a mutation now");
    }
}
