//! `ecs-imagedefs check`: existing files, read as the deploy actions read them.

use crate::support::fixtures::SHA;
use crate::support::harness::Test;

fn good_definitions() -> String {
    format!("[{{\"name\":\"web\",\"imageUri\":\"web@{SHA}\"}}]\n")
}

fn good_detail() -> String {
    format!("{{\"ImageURI\":\"web@{SHA}\"}}\n")
}

#[test]
fn clean_files_pass() {
    Test::new()
        .file("imagedefinitions.json", good_definitions())
        .file("imageDetail.json", good_detail())
        .args(["check", "imagedefinitions.json", "imageDetail.json"])
        .run("ecs-imagedefs")
        .success()
        .stderr_is("checked 2 files: 0 errors, 0 warnings\n");
}

#[test]
fn every_malformed_file_is_a_finding() {
    let cases: [(&str, &str, &str); 14] = [
        (
            "imagedefinitions.json",
            "[{\"name\":\"web\",}]",
            "error[invalid-json]: the file is not valid JSON: trailing comma (imagedefinitions.json: line 1, column 16)",
        ),
        (
            "imagedefinitions.json",
            "\u{feff}[{\"name\":\"web\",\"imageUri\":\"web:1\"}]",
            "warning[byte-order-mark]",
        ),
        (
            "imagedefinitions.json",
            "{\"ImageURI\":\"web:1\"}",
            "error[wrong-file]: this is an imageDetail.json",
        ),
        (
            "imagedefinitions.json",
            "[]",
            "error[empty]: the array lists no containers",
        ),
        (
            "imagedefinitions.json",
            "[{\"name\":\"web\",\"imageURI\":\"web:1\"}]",
            "error[key-case]: the key `imageURI` is not read; the action reads `imageUri` (imagedefinitions.json: $[0].imageURI)",
        ),
        (
            "imagedefinitions.json",
            "[{\"name\":\"web\",\"imageUri\":\"web:1\",\"x\":1}]",
            "warning[unknown-key]",
        ),
        (
            "imagedefinitions.json",
            "[{\"name\":\"web\",\"imageUri\":\"web\"}]",
            "error[mutable-tag]",
        ),
        (
            "imagedefinitions.json",
            "[{\"name\":\"web\",\"imageUri\":\"web:1\"},{\"name\":\"web\",\"imageUri\":\"web:2\"}]",
            "error[duplicate-name]",
        ),
        (
            "imagedefinitions.json",
            "[{\"name\":\"web\",\"imageUri\":[\"web:1\"]}]",
            "error[wrong-type]: `imageUri` is an array, not a string",
        ),
        (
            "imageDetail.json",
            "[{\"name\":\"web\",\"imageUri\":\"web:1\"}]",
            "error[wrong-file]: this is imagedefinitions.json content",
        ),
        (
            "imageDetail.json",
            "{\"ImageUri\":\"web:1\"}",
            "help: rename `ImageUri` to `ImageURI`: key names are case-sensitive",
        ),
        (
            "imageDetail.json",
            "{\"ImageURI\":\"web:1\"}",
            "warning[not-pinned]",
        ),
        (
            "imageDetails.json",
            "{\"ImageURI\":\"web:1\"}",
            "error[file-name]: the Blue/Green action reads only `imageDetail.json`, not `imageDetails.json`",
        ),
        (
            "images.json",
            "[{\"name\":\"web\",\"imageUri\":\"web:1\"}]\u{0}",
            "error[invalid-json]",
        ),
    ];
    for (name, contents, expected) in cases {
        let outcome = Test::new()
            .file(name, contents)
            .args(["check", name])
            .run("ecs-imagedefs");
        let outcome = if expected.starts_with("warning") {
            outcome.success()
        } else {
            outcome.code(1)
        };
        outcome.stderr_has(expected);
    }
}

#[test]
fn not_utf8_is_named_with_its_place() {
    Test::new()
        .file("imagedefinitions.json", b"[{\"name\":\n\"w\xe9b\"}]".as_slice())
        .args(["check", "imagedefinitions.json"])
        .run("ecs-imagedefs")
        .code(1)
        .stderr_has("error[not-utf8]: the file is not UTF-8: invalid byte 0xE9 (imagedefinitions.json: line 2, byte 12)");
}

#[test]
fn too_large() {
    let padded = format!(
        "[{}{}]",
        &good_definitions()[1..good_definitions().len() - 2],
        " ".repeat(100_000)
    );
    Test::new()
        .file("imagedefinitions.json", padded)
        .args(["check", "imagedefinitions.json"])
        .run("ecs-imagedefs")
        .code(1)
        .stderr_has("error[too-large]");
}

#[test]
fn kind_can_be_forced() {
    Test::new()
        .file("build.json", good_detail())
        .args(["check", "--kind", "image-definitions", "build.json"])
        .run("ecs-imagedefs")
        .code(1)
        .stderr_has("error[wrong-file]");
}

#[test]
fn names_are_checked_against_a_task_definition() {
    Test::new()
        .file("imagedefinitions.json", good_definitions().replace("\"web\"", "\"api\""))
        .file("taskdef.json", r#"{"family":"f","containerDefinitions":[{"name":"web"}]}"#)
        .args(["check", "--taskdef", "taskdef.json", "imagedefinitions.json"])
        .run("ecs-imagedefs")
        .code(1)
        .stderr_has("error[unknown-container]: container `api` is not in the task definition; it has `web` (imagedefinitions.json: $[0].name)");
}

#[test]
fn json_report_on_stdout() {
    let outcome = Test::new()
        .file(
            "imagedefinitions.json",
            "[{\"name\":\"web\",\"imageUri\":\"web:latest\"}]",
        )
        .args(["check", "--format", "json", "imagedefinitions.json"])
        .run("ecs-imagedefs")
        .code(1)
        .stderr_is("");
    let report: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    assert_eq!(report["errors"], 1);
    assert_eq!(report["files"][0]["kind"], "image-definitions");
    assert_eq!(report["files"][0]["findings"][0]["rule"], "mutable-tag");
    assert_eq!(
        report["files"][0]["findings"][0]["location"],
        "$[0].imageUri"
    );
}

#[test]
fn unreadable_files_are_failures_not_findings() {
    Test::new()
        .args(["check", "nowhere.json"])
        .run("ecs-imagedefs")
        .code(2)
        .stderr_is("error: cannot read `nowhere.json`: no such file\nhelp: check the path; it is relative to the current directory\n");
    Test::new().args(["check"]).run("ecs-imagedefs").code(2);
}

#[test]
fn sarif_for_code_scanning_and_junit_for_codebuild_reports() {
    let file = "[{\"name\":\"web\",\"imageUri\":\"web:latest\"}]";
    let sarif = Test::new()
        .file("imagedefinitions.json", file)
        .args(["check", "--format", "sarif", "imagedefinitions.json"])
        .run("ecs-imagedefs")
        .code(1);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["tool"]["driver"]["name"], "ecs-imagedefs");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "mutable-tag");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"],
        serde_json::json!({"uri": "imagedefinitions.json", "uriBaseId": "%SRCROOT%"})
    );
    assert_eq!(
        result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "$[0].imageUri"
    );
    // The JSON path, placed in the file: line and column of the member's key.
    assert!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .is_some_and(|line| line >= 1),
        "{result}"
    );

    let junit = Test::new()
        .file("imagedefinitions.json", file)
        .file("imageDetail.json", good_detail())
        .args([
            "check",
            "--format",
            "junit",
            "imagedefinitions.json",
            "imageDetail.json",
        ])
        .run("ecs-imagedefs")
        .code(1);
    assert!(
        junit.stdout.contains(
            r#"<testsuites name="ecs-imagedefs" tests="2" failures="1" errors="0" time="0">"#
        ),
        "{}",
        junit.stdout
    );
    assert!(
        junit.stdout.contains(
            r#"<testcase classname="imageDetail.json" name="imageDetail.json" time="0"/>"#
        ),
        "{}",
        junit.stdout
    );
}
