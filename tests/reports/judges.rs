//! The programs' reports, judged by independent readers over the malformed-input corpus and
//! the valid fixtures (`scans.rs`): every SARIF report by Microsoft's SARIF Multitool
//! (`validate --rule-kind "Gh;Sarif"`: the rules of the SARIF 2.1.0 specification and the
//! ones GitHub code scanning applies on upload), which must find no error and no warning;
//! every JUnit report by junitparser, as CodeBuild report groups read it
//! (<https://docs.aws.amazon.com/codebuild/latest/userguide/test-reporting.html>).
//!
//! `tests/run.sh` installs both: the validator with `tests/sarif-validator.sh`, which sets
//! `SARIF_MULTITOOL`, and junitparser into `.venv`, whose `python3` comes first on its `PATH`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use super::scans::{self, Scan};

/// The scans, run once for both judges, their reports under the target's scratch folder.
fn scans() -> &'static (PathBuf, Vec<Scan>) {
    static SCANS: OnceLock<(PathBuf, Vec<Scan>)> = OnceLock::new();
    SCANS.get_or_init(|| {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-judges");
        let _ = fs::remove_dir_all(&base);
        let (out, scratch) = (base.join("reports"), base.join("scratch"));
        fs::create_dir_all(&out).unwrap();
        fs::create_dir_all(&scratch).unwrap();
        let scans = scans::all(&out, &scratch);
        (out, scans)
    })
}

/// A SARIF log that GitHub refuses (a rule with only its id): the validator must flag it, so
/// a validator that checks nothing fails the test.
const CONTROL: &str = r#"{"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
"runs": [{"tool": {"driver": {"name": "control", "rules": [{"id": "x"}]}}, "results": []}]}"#;

#[test]
fn every_sarif_report_passes_microsofts_validator() {
    let (out, scans) = scans();
    assert!(
        scans.len() > 100,
        "only {} scans wrote reports",
        scans.len()
    );
    let validator = std::env::var_os("SARIF_MULTITOOL").expect(
        "SARIF_MULTITOOL is not set: run the tests with tests/run.sh, which installs Microsoft's SARIF validator",
    );
    let control = out.join("control.sarif");
    fs::write(&control, CONTROL).unwrap();
    let verdict = out.join("validation.sarif.json");
    let _ = fs::remove_file(&verdict);
    let run = Command::new(&validator)
        .args(["validate", "--rule-kind", "Gh;Sarif", "--output"])
        .arg(&verdict)
        .arg(out.join("*.sarif"))
        // The validator is a .NET program: no ICU library needed for what it compares.
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .env("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
        .output()
        .unwrap();
    let log: Value = serde_json::from_slice(&fs::read(&verdict).unwrap_or_default())
        .unwrap_or_else(|_| {
            panic!(
                "the validator wrote no log ({}):\n{}{}",
                run.status,
                String::from_utf8_lossy(&run.stdout),
                String::from_utf8_lossy(&run.stderr)
            )
        });
    let run = &log["runs"][0];
    let default_level = |id: &str| {
        run["tool"]["driver"]["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|rule| rule["id"] == id)
            .and_then(|rule| rule["defaultConfiguration"]["level"].as_str())
            .unwrap_or("warning")
            .to_owned()
    };
    let mut problems = Vec::new();
    let mut control_flagged = false;
    for result in run["results"].as_array().into_iter().flatten() {
        let rule = result["ruleId"].as_str().unwrap_or_default();
        let level = result["level"]
            .as_str()
            .map_or_else(|| default_level(rule), str::to_owned);
        let file = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or_default();
        if file.ends_with("/control.sarif") {
            control_flagged |= rule == "GH2012" && level == "error";
        } else if level == "error" || level == "warning" {
            let what = scans
                .iter()
                .find(|scan| file.ends_with(&scan.sarif.display().to_string()))
                .map_or("", |scan| scan.what.as_str());
            problems.push(format!(
                "{level} {rule} in {file} ({what}): {}",
                result["message"]
            ));
        }
    }
    assert!(
        control_flagged,
        "the validator did not flag the control log: {log}"
    );
    assert!(
        problems.is_empty(),
        "{} problems, the first:\n{}",
        problems.len(),
        problems[..problems.len().min(20)].join("\n")
    );
}

/// Every JUnit report as junitparser reads it, by the report's path: its test cases.
fn junit_cases() -> &'static BTreeMap<String, Vec<Value>> {
    static READ: OnceLock<BTreeMap<String, Vec<Value>>> = OnceLock::new();
    READ.get_or_init(|| {
        let (_, scans) = scans();
        let output = Command::new("python3")
            .arg(scans::root().join("tests/reports/read_junit.py"))
            .args(scans.iter().map(|scan| &scan.junit))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "junitparser could not read the reports (tests/run.sh installs it into .venv):\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    })
}

/// A finding that has a place (its JUnit case is named `rule at place`) has a line in SARIF,
/// not the whole file. The reports list the findings in the same order.
#[test]
fn every_finding_with_a_place_has_a_line_in_sarif() {
    let (_, scans) = scans();
    let mut unplaced = Vec::new();
    for scan in scans {
        let sarif: Value = serde_json::from_slice(&fs::read(&scan.sarif).unwrap()).unwrap();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        let findings = junit_cases()[&scan.junit.display().to_string()]
            .iter()
            .filter(|case| case["name"] != case["classname"]);
        for (case, result) in findings.zip(results) {
            let name = case["name"].as_str().unwrap_or_default();
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert!(
                name.starts_with(result["ruleId"].as_str().unwrap_or("?")),
                "{}: the reports list findings in different orders: {name}, {result}",
                scan.what
            );
            if name.contains(" at ")
                && (region["endLine"].is_number() || !region["startLine"].is_number())
            {
                unplaced.push(format!("{}: {name}: {region}", scan.what));
            }
        }
    }
    assert!(
        unplaced.is_empty(),
        "{} findings with a place span their whole file in SARIF:\n{}",
        unplaced.len(),
        unplaced[..unplaced.len().min(20)].join("\n")
    );
}

#[test]
fn every_junit_report_reads_as_codebuild_reads_it() {
    let (_, scans) = scans();
    let read = junit_cases();
    for scan in scans {
        let cases = &read[&scan.junit.display().to_string()];
        let what = &scan.what;
        assert!(!cases.is_empty(), "{what}: no test case");
        for checked in &scan.checked {
            assert!(
                cases
                    .iter()
                    .any(|case| case["classname"] == checked.as_str()),
                "{what}: `{checked}` is no test case: {cases:?}"
            );
        }
        let sarif: Value = serde_json::from_slice(&fs::read(&scan.sarif).unwrap()).unwrap();
        let errors = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|result| result["level"] == "error")
            .count();
        let failures: Vec<&Value> = cases
            .iter()
            .flat_map(|case| case["results"].as_array().unwrap())
            .filter(|result| result["kind"] == "failure")
            .collect();
        assert_eq!(
            failures.len(),
            errors,
            "{what}: one failure per error: {cases:?}"
        );
        for case in cases {
            assert!(
                case["name"].as_str().is_some_and(|name| !name.is_empty())
                    && case["classname"].as_str().is_some_and(|c| !c.is_empty()),
                "{what}: a test case without its name: {case}"
            );
            for failure in case["results"].as_array().unwrap() {
                let rule = failure["type"].as_str().unwrap_or_default();
                let text = failure["text"].as_str().unwrap_or_default();
                assert!(
                    !rule.is_empty()
                        && failure["message"].as_str().is_some_and(|m| !m.is_empty())
                        && text.contains(&format!("[{rule}]")),
                    "{what}: a failure without its rule, message and text: {failure}"
                );
            }
        }
    }
}
