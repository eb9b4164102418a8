//! Mutation tests: each row of `mutations.tsv` changes the valid `AppSpec` ([`VALID`], or the
//! same file as JSON) so that it breaks one rule of `docs/ecs-rules.md`, and the check, given
//! the task definition (or not, for a base ending in `-alone`), must report that rule, at that
//! place, and no other error. Every rule id of the table's `AppSpec` section has a row.

use super::{VALID, check};
use crate::appspec::{ContainerPorts, TaskContainers};
use crate::rule_table::{
    TextMutation, assert_each_text_mutation_breaks_its_rule, assert_every_rule_has_a_text_mutation,
    replace,
};

const TABLE: &str = include_str!("mutations.tsv");

/// [`VALID`]'s required part as JSON.
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
        platform_needs: Vec::new(),
    }
}

/// The findings of one row, as `rule @ location` and whether each is an error.
fn findings(mutation: &TextMutation) -> Vec<(String, bool)> {
    let (text, name) = match mutation.base.trim_end_matches("-alone") {
        "yaml" => (VALID, "appspec.yaml"),
        "json" => (VALID_JSON, "appspec.json"),
        other => panic!("line {}: unknown base {other}", mutation.line),
    };
    let bytes = replace(text, &mutation.from, &mutation.to);
    let task = (!mutation.base.ends_with("-alone")).then(task);
    check(&bytes, Some(name), task.as_ref())
        .findings
        .iter()
        .map(|f| {
            let at = f.location_str().unwrap_or_default();
            (format!("{} @ {at}", f.rule), f.is_error())
        })
        .collect()
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
    assert_each_text_mutation_breaks_its_rule(TABLE, findings);
}

#[test]
fn every_documented_appspec_rule_has_a_mutation() {
    assert_every_rule_has_a_text_mutation(TABLE, "AppSpec", &[]);
}
