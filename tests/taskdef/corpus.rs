//! The valid corpus (`tests/corpus/taskdef/valid/`): task definitions at the boundaries of the
//! rules of `docs/ecs-rules.md` that ECS accepts. Each passes `ecs-taskdef check` with no
//! finding, comes out of `ecs-taskdef render` (which runs the same rules before it writes) as it
//! went in, and passes the library's check, which the mutation tests of `deploykit-artifacts`
//! start from. `ecs.rs` registers each of them through the AWS CLI.

use std::fs;

use deploykit_artifacts::task_definition::{rules, shape};

use super::render::json;
use crate::support::harness::{Test, figure};

const VALID: &str = "tests/corpus/taskdef/valid";

#[test]
fn every_valid_definition_passes_check_and_render_unchanged() {
    let mut files: Vec<_> = fs::read_dir(VALID)
        .expect("the valid corpus")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 13, "{} valid definitions", files.len());
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let text = fs::read_to_string(path).unwrap();
        Test::new()
            .file(name, &text)
            .args(["check", name])
            .run("ecs-taskdef")
            .success()
            .stderr_is("checked 1 file: 0 errors, 0 warnings\n");
        let rendered = Test::new()
            .file(name, &text)
            .args(["render", name, "--no-provenance", "-o", "rendered.json"])
            .run("ecs-taskdef")
            .success();
        let document = json(&text);
        assert_eq!(json(&rendered.file("rendered.json")), document, "{name}");
        let mut findings = shape::check_structure(&document);
        findings.extend(rules::check(&document, &rules::RuleOptions::default()));
        assert_eq!(findings, [], "{name}");
    }
    figure(&format!(
        "valid corpus: {} task definitions, all passed",
        files.len()
    ));
}
