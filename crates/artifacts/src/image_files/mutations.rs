//! Mutation tests: each row of `mutations.tsv` changes a valid `imagedefinitions.json` or
//! `imageDetail.json` so that it breaks one rule of `docs/ecs-rules.md`, and the check must
//! report that rule, at that place, and no other error. Every rule id of the table's image-file
//! section has a row, or is one of [`NOT_MUTATED`] with the reason.

use super::{definitions, detail};
use crate::actions::blue_green::IMAGE_DETAIL;
use crate::rule_table::{
    TextMutation, assert_each_text_mutation_breaks_its_rule, assert_every_rule_has_a_text_mutation,
    replace,
};
use crate::tag_policy::TagPolicy;

const TABLE: &str = include_str!("mutations.tsv");

/// Rule ids of the section that no row breaks, and why.
const NOT_MUTATED: &[(&str, &str)] = &[(
    "too-large",
    "a row would hold 100 KB; `definitions::size_limit` checks exactly 100,000 bytes and past it",
)];

/// The ECS action's file: a service container and its log router, one pinned by digest.
const DEFINITIONS: &str = r#"[{"name":"web","imageUri":"123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},{"name":"log-router","imageUri":"public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4"}]"#;

/// The Blue/Green action's file as the ECR source action writes it.
const DETAIL: &str = r#"{"ImageURI":"123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","ImageDigest":"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","RepositoryName":"web","RegistryId":"123456789012","ImageTags":["1.4.2"]}"#;

/// The containers of the service's task definition.
const CONTAINERS: [&str; 2] = ["web", "log-router"];

/// The findings of one row, as `rule @ location` and whether each is an error. A base
/// `definitions` is also checked against the task definition's containers (the location of
/// `unknown-container` is the entry); `definitions-alone` is not; `detail:NAME` is read as a
/// file named `NAME`.
fn findings(mutation: &TextMutation) -> Vec<(String, bool)> {
    let shown = |f: &crate::finding::Finding| {
        let at = f.location_str().unwrap_or_default();
        (format!("{} @ {at}", f.rule), f.is_error())
    };
    if let Some(name) = mutation.base.strip_prefix("detail") {
        let name = name.strip_prefix(':').unwrap_or(IMAGE_DETAIL);
        let bytes = replace(DETAIL, &mutation.from, &mutation.to);
        let checked = detail::check(&bytes, Some(name), TagPolicy::default());
        return checked.findings.iter().map(shown).collect();
    }
    let bytes = replace(DEFINITIONS, &mutation.from, &mutation.to);
    let checked = definitions::check(&bytes, TagPolicy::default());
    let mut found: Vec<(String, bool)> = checked.findings.iter().map(shown).collect();
    if mutation.base == "definitions" {
        let containers = CONTAINERS.map(str::to_owned);
        let entries = checked.value.unwrap_or_default();
        for (index, finding) in definitions::check_against_containers(&entries, &containers) {
            found.push((format!("{} @ $[{index}]", finding.rule), finding.is_error()));
        }
    }
    found
}

#[test]
fn the_bases_pass() {
    let definitions = definitions::check(DEFINITIONS.as_bytes(), TagPolicy::default());
    assert_eq!(definitions.findings, []);
    let names: Vec<String> = definitions
        .value
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names, CONTAINERS);
    let detail = detail::check(DETAIL.as_bytes(), Some(IMAGE_DETAIL), TagPolicy::default());
    assert_eq!(detail.findings, []);
}

#[test]
fn each_mutation_breaks_its_rule_and_no_other() {
    assert_each_text_mutation_breaks_its_rule(TABLE, findings);
}

#[test]
fn every_documented_image_file_rule_has_a_mutation() {
    assert_every_rule_has_a_text_mutation(TABLE, "`imagedefinitions.json`", NOT_MUTATED);
}
