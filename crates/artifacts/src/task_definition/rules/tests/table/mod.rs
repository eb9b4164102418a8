//! How `docs/ecs-rules.md` is proved: the valid definitions of `tests/corpus/taskdef/valid/`
//! pass, every documented task-definition rule has a mutation of one of them that breaks it
//! alone (`mutations.tsv`), and generated definitions at each numeric and length boundary of the
//! table pass on the limit and fail one step past it (`boundaries.rs`).

mod boundaries;
mod container_limits;
mod limit;
mod limits;
mod mutations;
mod platforms;

use std::fs;
use std::path::Path;

use serde_json::Value;

use super::{run, run_template};
use crate::finding::Finding;
use crate::task_definition::shape::check_structure;

/// The valid definitions, shared with the programs' tests (`tests/taskdef/corpus.rs`).
const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/corpus/taskdef/valid"
);

/// Every file of the valid corpus, by name without `.json`, in name order.
fn corpus() -> Vec<(String, Value)> {
    let mut files: Vec<_> = fs::read_dir(CORPUS)
        .expect("the valid corpus")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let name = path.file_stem().expect("a name").to_string_lossy();
            (name.into_owned(), read(path))
        })
        .collect()
}

fn read(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One definition of the valid corpus.
fn base(name: &str) -> Value {
    read(&Path::new(CORPUS).join(format!("{name}.json")))
}

/// What `ecs-taskdef check` reports: the model's findings, then the rules'.
fn check_all(document: &Value, template: bool) -> Vec<Finding> {
    let mut findings = check_structure(document);
    findings.extend(if template {
        run_template(document)
    } else {
        run(document)
    });
    findings
}

/// `rule @ location` of a finding.
fn shown(finding: &Finding) -> String {
    let at = finding.shown_location().unwrap_or_default();
    format!("{} @ {at}", finding.rule)
}

/// `rule @ location` of each error.
fn errors(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.is_error())
        .map(shown)
        .collect()
}

#[test]
fn every_valid_definition_passes_every_rule() {
    let corpus = corpus();
    assert!(corpus.len() >= 13, "{} valid definitions", corpus.len());
    for (name, document) in &corpus {
        assert_eq!(check_all(document, false), [], "{name}");
    }
}
