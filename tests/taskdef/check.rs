//! `ecs-taskdef check`, `diff` and `render --check`: comparing and judging task definitions.

use std::fs;

use super::render::{example, json};
use crate::support::fixtures::ECR;
use crate::support::harness::Test;

#[test]
fn describe_output_is_converted() {
    let describe =
        fs::read_to_string("tests/fixtures/taskdefs/describe-output-with-tags.json").unwrap();
    let outcome = Test::new()
        .file("describe.json", &describe)
        .args([
            "render",
            "describe.json",
            "-o",
            "-",
            "--image",
            &format!("checkout-api={ECR}/checkout-api:1.43.0"),
        ])
        .run("ecs-taskdef")
        .success()
        .stderr_has("warning[describe-only-key]: dropped `compatibilities`");
    let doc = json(&outcome.stdout);
    assert!(doc.get("taskDefinitionArn").is_none() && doc.get("revision").is_none());
    assert!(
        doc["tags"].as_array().is_some_and(|tags| !tags.is_empty()),
        "tags carried over"
    );
    Test::new()
        .file("describe.json", describe)
        .args(["check", "describe.json"])
        .run("ecs-taskdef")
        .code(1)
        .stderr_has("error[describe-output]: this is `aws ecs describe-task-definition` output")
        .stderr_has("checked 1 file: 1 error, 0 warnings");
}

#[test]
fn check_mode_compares_with_the_file_in_git() {
    let test = example()
        .args(["render", "taskdef.template.json"])
        .run("ecs-taskdef")
        .success();
    let rendered = test.file("taskdef.json");
    example()
        .file("taskdef.json", &rendered)
        .args(["render", "taskdef.template.json", "--check", "taskdef.json"])
        .run("ecs-taskdef")
        .success()
        .stderr_is("taskdef.json is up to date\n");
    let stale = example()
        .file("taskdef.json", &rendered)
        .args([
            "render",
            "taskdef.template.json",
            "--check",
            "taskdef.json",
            "--cpu",
            "512",
            "--memory",
            "1024",
        ])
        .run("ecs-taskdef")
        .code(1)
        .stderr_has("error: `taskdef.json` is out of date");
    assert!(
        stale
            .stdout
            .contains("-  \"cpu\": \"256\",\n+  \"cpu\": \"512\","),
        "{}",
        stale.stdout
    );
    assert_eq!(
        stale.file("taskdef.json"),
        rendered,
        "--check writes nothing"
    );
}

#[test]
fn diff_ignores_order_and_redacts_credentials() {
    let a = r#"{"family":"web","containerDefinitions":[{"name":"web","image":"web:1","environment":[{"name":"A","value":"1"},{"name":"AWS_ACCESS_KEY_ID","value":"AKIAIOSFODNN7EXAMPLE"}]}]}"#;
    let b = r#"{"family":"web","containerDefinitions":[{"name":"web","image":"web:2","environment":[{"name":"AWS_ACCESS_KEY_ID","value":"AKIAI44QH8DHBEXAMPLE"},{"name":"A","value":"1"}]}]}"#;
    let same = r#"{"containerDefinitions":[{"environment":[{"value":"AKIAIOSFODNN7EXAMPLE","name":"AWS_ACCESS_KEY_ID"},{"name":"A","value":"1"}],"image":"web:1","name":"web"}],"family":"web"}"#;
    Test::new()
        .file("a.json", a)
        .file("same.json", same)
        .args(["diff", "a.json", "same.json"])
        .run("ecs-taskdef")
        .success()
        .stdout_is("");
    let outcome = Test::new()
        .file("a.json", a)
        .file("b.json", b)
        .args(["diff", "a.json", "b.json"])
        .run("ecs-taskdef")
        .code(1);
    assert!(
        outcome
            .stdout
            .contains("-      \"image\": \"web:1\",\n+      \"image\": \"web:2\","),
        "{}",
        outcome.stdout
    );
    assert!(!outcome.stdout.contains("AKIA"), "{}", outcome.stdout);
    Test::new()
        .file("a.json", a)
        .args(["diff", "a.json", "missing.json"])
        .run("ecs-taskdef")
        .code(2)
        .stderr_has("cannot read `missing.json`");
}

#[test]
fn check_reports_every_problem_with_its_path() {
    let broken = r#"{"family":"web app","networkMode":"awsvpc","containerDefinitions":[
        {"name":"web","image":"Web:1","memory":64,"portMappings":[{"containerPort":80,"hostPort":8080}]},
        {"name":"web","image":"web:1","memory":"64"}]}"#;
    let outcome = Test::new()
        .file("taskdef.json", broken)
        .args(["check", "--format", "json", "taskdef.json"])
        .run("ecs-taskdef")
        .code(1);
    let report = json(&outcome.stdout);
    let rules: Vec<&str> = report["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for expected in [
        "family-name",
        "invalid-image",
        "host-port",
        "duplicate-container",
        "wrong-type",
    ] {
        assert!(
            rules.contains(&expected),
            "{expected} missing from {rules:?}"
        );
    }
    Test::new()
        .args(["check", "nowhere.json"])
        .run("ecs-taskdef")
        .code(2)
        .stderr_has("cannot read `nowhere.json`");
}

/// One scan, every report: the log on stderr, SARIF and JUnit to the files `--report` names.
#[test]
fn one_scan_writes_every_report() {
    let taskdef = "{\n  \"family\": \"web\",\n  \"containerDefinitions\": [\n    {\n      \"name\": \"web\",\n      \"image\": \"web:latest\",\n      \"essential\": true,\n      \"memory\": 512\n    }\n  ]\n}\n";
    let outcome = Test::new()
        .file("taskdef.json", taskdef)
        .args([
            "check",
            "--report",
            "sarif=reports/taskdef.sarif",
            "--report",
            "junit=reports/taskdef.xml",
            "taskdef.json",
        ])
        .run("ecs-taskdef")
        .code(1)
        .stdout_is("")
        .stderr_has("error[mutable-tag]: container `web`: `web:latest` uses the mutable tag")
        .stderr_has("checked 1 file: 1 error, 0 warnings");
    let sarif = json(&outcome.file("reports/taskdef.sarif"));
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "mutable-tag");
    // `"image"` is on line 6 of the pretty-printed file, its key at column 7.
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 6, "startColumn": 7})
    );
    let junit = outcome.file("reports/taskdef.xml");
    assert!(
        junit.contains(r#"<failure message="container `web`: `web:latest` uses the mutable tag"#),
        "{junit}"
    );
    // A report never replaces a file it reports on.
    let refused = Test::new()
        .file("taskdef.json", taskdef)
        .args(["check", "--report", "json=taskdef.json", "taskdef.json"])
        .run("ecs-taskdef")
        .code(2)
        .stderr_has("the output `taskdef.json` is the input `taskdef.json`");
    assert_eq!(refused.file("taskdef.json"), taskdef);
}
