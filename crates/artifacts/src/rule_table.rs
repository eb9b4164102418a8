//! The rule ids of `docs/ecs-rules.md`, read by the tests that hold the checks to the table,
//! and the text edits of the mutation tables of files that are not JSON documents.

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

/// `\n`, `\t`, `\\` and `\xHH` of a table cell as bytes.
pub(crate) fn unescape(cell: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut rest = cell.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        rest = tail;
        if first != b'\\' {
            bytes.push(first);
            continue;
        }
        let (&kind, tail) = rest.split_first().expect("an escape");
        rest = tail;
        match kind {
            b'n' => bytes.push(b'\n'),
            b't' => bytes.push(b'\t'),
            b'\\' => bytes.push(b'\\'),
            b'x' => {
                let hex = std::str::from_utf8(&rest[..2]).expect("two hex digits");
                bytes.push(u8::from_str_radix(hex, 16).expect("two hex digits"));
                rest = &rest[2..];
            }
            other => panic!("unknown escape \\{}", char::from(other)),
        }
    }
    bytes
}

/// `base` with the first `from` replaced by `to`.
pub(crate) fn replace(base: &str, from: &[u8], to: &[u8]) -> Vec<u8> {
    let bytes = base.as_bytes();
    let start = bytes
        .windows(from.len())
        .position(|window| window == from)
        .unwrap_or_else(|| panic!("{:?} is not in the base", String::from_utf8_lossy(from)));
    [&bytes[..start], to, &bytes[start + from.len()..]].concat()
}

/// One row of a mutation table of text files: the base it edits, the rule id and location it
/// must break, and the text to replace (its first occurrence) with the replacement, unescaped.
pub(crate) struct TextMutation {
    pub(crate) line: usize,
    pub(crate) base: &'static str,
    pub(crate) rule: &'static str,
    pub(crate) at: &'static str,
    pub(crate) from: Vec<u8>,
    pub(crate) to: Vec<u8>,
}

/// The rows of `table`: five tab-separated cells; `#` starts a comment line.
pub(crate) fn text_mutations(table: &'static str) -> Vec<TextMutation> {
    table
        .lines()
        .enumerate()
        .filter(|(_, row)| !row.starts_with('#') && !row.trim().is_empty())
        .map(|(index, row)| {
            let [base, rule, at, from, to] = row.split('\t').collect::<Vec<_>>()[..] else {
                panic!("line {}: five tab-separated cells", index + 1);
            };
            TextMutation {
                line: index + 1,
                base,
                rule,
                at,
                from: unescape(from),
                to: unescape(to),
            }
        })
        .collect()
}

/// What is wrong when the mutation on `line` meant to break `rule @ at` got `findings` (each
/// `rule @ location` and whether it is an error): the finding is missing, or another error came.
pub(crate) fn wrong(
    line: usize,
    rule: &str,
    at: &str,
    findings: &[(String, bool)],
) -> Option<String> {
    let expected = format!("{rule} @ {at}");
    let caught = findings.iter().any(|(shown, _)| *shown == expected);
    let others = findings
        .iter()
        .any(|(shown, error)| *error && *shown != expected);
    (!caught || others).then(|| {
        let got: Vec<&str> = findings.iter().map(|(shown, _)| shown.as_str()).collect();
        format!("line {line}: expected {expected}, got {got:?}")
    })
}

/// The rule ids of `prefix`'s sections that are not in `mutated`, leaving out `exceptions`.
pub(crate) fn unmutated(
    prefix: &str,
    mutated: &[&str],
    exceptions: &[(&str, &str)],
) -> Vec<String> {
    documented_rules(prefix)
        .into_iter()
        .filter(|id| !mutated.contains(&id.as_str()))
        .filter(|id| !exceptions.iter().any(|(rule, _)| rule == id))
        .collect()
}

/// Fails naming each row of `table` whose text mutation, judged by `findings`, does not break
/// exactly its rule: the one check every text-mutation table makes.
pub(crate) fn assert_each_text_mutation_breaks_its_rule(
    table: &'static str,
    findings: impl Fn(&TextMutation) -> Vec<(String, bool)>,
) {
    let failures: Vec<String> = text_mutations(table)
        .iter()
        .filter_map(|m| wrong(m.line, m.rule, m.at, &findings(m)))
        .collect();
    assert!(
        failures.is_empty(),
        "mutations.tsv:\n{}",
        failures.join("\n")
    );
}

/// Fails naming each rule id of `prefix`'s sections that no row of `table` breaks, leaving out
/// `exceptions`.
pub(crate) fn assert_every_rule_has_a_text_mutation(
    table: &'static str,
    prefix: &str,
    exceptions: &[(&str, &str)],
) {
    let mutations = text_mutations(table);
    let mutated: Vec<&str> = mutations.iter().map(|m| m.rule).collect();
    let missing = unmutated(prefix, &mutated, exceptions);
    assert!(missing.is_empty(), "no mutation breaks {missing:?}");
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
