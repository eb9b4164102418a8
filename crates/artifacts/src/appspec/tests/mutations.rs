//! Mutation tests: each row of `mutations.tsv` changes the valid `AppSpec` ([`VALID`], or the
//! same file as JSON) so that it breaks one rule of `docs/ecs-rules.md`, and the check, given
//! the task definition (or not, for a base ending in `-alone`), must report that rule, at that
//! place, and no other error. Every rule id of the table's `AppSpec`
//! section has a row.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{VALID, check};
use crate::appspec::{ContainerPorts, TaskContainers};

const TABLE: &str = include_str!("mutations.tsv");

/// [`VALID`] as JSON.
const VALID_JSON: &str = r#"{
  "version": 0.0,
  "Resources": [
    {"TargetService": {
      "Type": "AWS::ECS::Service",
      "Properties": {
        "TaskDefinition": "<TASK_DEFINITION>",
        "LoadBalancerInfo": {"ContainerName": "web", "ContainerPort": 8080}
      }
    }}
  ]
}
"#;

/// The task definition the `AppSpec` deploys: Linux on `X86_64`, `web` listening on 8080.
fn task() -> TaskContainers {
    TaskContainers {
        family: Some("web".to_owned()),
        containers: vec![ContainerPorts {
            name: "web".to_owned(),
            ports: vec![8080],
        }],
        operating_system_family: Some("LINUX".to_owned()),
        cpu_architecture: Some("X86_64".to_owned()),
    }
}

/// `\n`, `\t`, `\\` and `\xHH` of a table cell as bytes.
fn unescape(cell: &str) -> Vec<u8> {
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
fn replace(base: &str, from: &[u8], to: &[u8]) -> Vec<u8> {
    let bytes = base.as_bytes();
    let start = bytes
        .windows(from.len())
        .position(|window| window == from)
        .unwrap_or_else(|| panic!("{:?} is not in the base", String::from_utf8_lossy(from)));
    [&bytes[..start], to, &bytes[start + from.len()..]].concat()
}

/// What went wrong with one row, if anything.
fn judge(line: usize, row: &str) -> Option<String> {
    let [base, rule, at, from, to] = row.split('\t').collect::<Vec<_>>()[..] else {
        panic!("mutations.tsv:{line}: five tab-separated columns");
    };
    let (text, name) = match base.trim_end_matches("-alone") {
        "yaml" => (VALID, "appspec.yaml"),
        "json" => (VALID_JSON, "appspec.json"),
        other => panic!("mutations.tsv:{line}: unknown base {other}"),
    };
    let bytes = replace(text, &unescape(from), &unescape(to));
    let task = (!base.ends_with("-alone")).then(task);
    let findings = check(&bytes, Some(name), task.as_ref()).findings;
    let shown = |finding: &crate::finding::Finding| {
        format!(
            "{} @ {}",
            finding.rule,
            finding.location_str().unwrap_or_default()
        )
    };
    let expected = format!("{rule} @ {at}");
    let caught = findings.iter().any(|finding| shown(finding) == expected);
    let others = findings
        .iter()
        .any(|finding| finding.is_error() && shown(finding) != expected);
    (!caught || others).then(|| {
        let mut all = String::new();
        for finding in &findings {
            let _ = write!(all, "\n    {}", shown(finding));
        }
        format!("mutations.tsv:{line}: expected {expected}, got{all}")
    })
}

fn rows() -> impl Iterator<Item = (usize, &'static str)> {
    TABLE
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line))
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
}

#[test]
fn the_bases_pass() {
    for (text, name) in [(VALID, "appspec.yaml"), (VALID_JSON, "appspec.json")] {
        let findings = check(text.as_bytes(), Some(name), Some(&task())).findings;
        assert_eq!(findings, [], "{name}");
    }
}

#[test]
fn each_mutation_breaks_its_rule_and_no_other() {
    let failures: Vec<String> = rows().filter_map(|(line, row)| judge(line, row)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_documented_appspec_rule_has_a_mutation() {
    let mutated: BTreeSet<&str> = rows()
        .filter_map(|(_, row)| row.split('\t').nth(1))
        .collect();
    let missing: Vec<String> = crate::rule_table::documented_rules("AppSpec")
        .into_iter()
        .filter(|id| !mutated.contains(id.as_str()))
        .collect();
    assert!(missing.is_empty(), "no mutation breaks {missing:?}");
}
