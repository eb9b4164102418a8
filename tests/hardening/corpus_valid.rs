//! The valid corpus (`tests/corpus/taskdef/valid/`): task definitions at the boundaries of the
//! rules of `docs/ecs-rules.md` that ECS accepts. Each must pass `ecs-taskdef check` with no
//! finding (exit 0) and `ecs-taskdef render` (which runs the same rules before it writes), and
//! the library's check, which the mutation tests of `deploykit-artifacts` start from.
//! `tests/taskdef/ecs.rs` registers each of them through the AWS CLI.

use std::fs;
use std::path::PathBuf;

use deploykit_artifacts::task_definition::{rules, shape};

use super::corpus::run_in;

const VALID: &str = "tests/corpus/taskdef/valid";

/// The files of the valid corpus, in name order.
fn valid_definitions() -> Vec<PathBuf> {
    let mut files: Vec<_> = fs::read_dir(VALID)
        .expect("the valid corpus")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// What is wrong with one file, if anything.
fn judge(path: &std::path::Path) -> Vec<String> {
    let name = path.file_name().unwrap().to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    fs::copy(path, dir.path().join(name)).unwrap();
    let mut wrong = Vec::new();
    let check = run_in(
        dir.path(),
        "ecs-taskdef",
        &["check".to_owned(), name.to_owned()],
        &[],
    );
    if check.code != Some(0)
        || !check
            .stderr
            .contains("checked 1 file: 0 errors, 0 warnings")
    {
        wrong.push(format!("check: exit {:?}\n{}", check.code, check.stderr));
    }
    let args = ["render", name, "-o", "rendered.json"].map(str::to_owned);
    let render = run_in(dir.path(), "ecs-taskdef", &args, &[]);
    if render.code != Some(0) || !dir.path().join("rendered.json").is_file() {
        wrong.push(format!("render: exit {:?}\n{}", render.code, render.stderr));
    }
    let document: serde_json::Value =
        serde_json::from_slice(&fs::read(path).unwrap()).expect("JSON");
    let mut findings = shape::check_structure(&document);
    findings.extend(rules::check(&document, &rules::RuleOptions::default()));
    if !findings.is_empty() {
        wrong.push(format!("library: {findings:?}"));
    }
    wrong
        .into_iter()
        .map(|problem| format!("{name}: {problem}"))
        .collect()
}

#[test]
fn every_valid_definition_passes_check_and_render() {
    let files = valid_definitions();
    assert!(files.len() >= 13, "{} valid definitions", files.len());
    let failures: Vec<String> = files.iter().flat_map(|path| judge(path)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    crate::support::harness::figure(&format!(
        "valid corpus: {} task definitions, all passed",
        files.len()
    ));
}
