//! `ecs-tagcheck` without AWS: the fixture tree of every file kind, the config file, waivers,
//! the output formats, `--fail-on` and the exit codes.

use std::fs;
use std::path::Path;

use crate::support::fixtures::{ECR, SHA};
use crate::support::harness::Test;

const FIXTURES: &str = "tests/fixtures/tagcheck";

/// A test with the fixture tree copied into `tree/`.
pub(super) fn with_fixtures() -> Test {
    let mut test = Test::new();
    let mut stack = vec![Path::new(FIXTURES).to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("the fixtures") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(FIXTURES).unwrap().display().to_string();
                test = test.file(&format!("tree/{relative}"), fs::read(&path).unwrap());
            }
        }
    }
    test
}

/// `(file, rule, line)` of every finding in a JSON report.
fn findings(stdout: &str) -> Vec<(String, String, String)> {
    let report: serde_json::Value = serde_json::from_str(stdout).expect("a JSON report");
    let mut found = Vec::new();
    for file in report["files"].as_array().expect("files") {
        for finding in file["findings"].as_array().expect("findings") {
            let location = finding["location"].as_str().unwrap_or_default();
            let line = location.split(',').next().unwrap_or_default().to_owned();
            found.push((
                file["path"].as_str().unwrap().to_owned(),
                finding["rule"].as_str().unwrap().to_owned(),
                line,
            ));
        }
    }
    found
}

fn triple(file: &str, rule: &str, line: &str) -> (String, String, String) {
    (format!("tree/{file}"), rule.to_owned(), line.to_owned())
}

#[test]
fn the_fixture_tree_has_every_kind_and_every_finding() {
    let outcome = with_fixtures()
        .args(["--format", "json", "--strict", "tree"])
        .run("ecs-tagcheck")
        .code(1);
    assert_eq!(
        findings(&outcome.stdout),
        [
            triple("ci/buildspec.yml", "latest-fallback", "line 6"),
            triple("ci/buildspec.yml", "latest-tag", "line 9"),
            triple("ci/buildspec.yml", "latest-tag", "line 10"),
            triple("docker/Dockerfile", "unresolved-variable", "line 7"),
            triple("docker/Dockerfile", "untagged-image", "line 8"),
            triple("docker/Dockerfile", "latest-tag", "line 12"),
            triple(
                "infra/cloudformation/stack.yaml",
                "mutable-repository",
                "line 7"
            ),
            triple("infra/terraform/main.tf", "mutable-repository", "line 1"),
            triple("out/imagedefinitions.json", "untagged-image", "line 3"),
            triple("out/taskdef.json", "latest-tag", "line 5"),
            triple(
                "pipelines/pipeline.json",
                "ecr-source-tracks-latest",
                "line 9"
            ),
        ]
    );
    let report: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    let kinds: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "buildspec",
            "dockerfile",
            "cloudformation",
            "terraform",
            "image-detail",
            "image-definitions",
            "task-definition",
            "pipeline"
        ]
    );
}

#[test]
fn text_names_file_line_rule_and_help() {
    with_fixtures()
        .args(["--strict", "tree/docker/Dockerfile"])
        .run("ecs-tagcheck")
        .code(1)
        .stderr_has("error[untagged-image]: `localhost:5000/app` has no tag, so ECS pulls `latest`, whatever that is on the day (tree/docker/Dockerfile: line 8, column 6)")
        .stderr_has("warning[unresolved-variable]: `${BASE}` depends on `BASE`")
        .stderr_has("checked 1 file: 2 errors, 1 warning");
}

#[test]
fn exclude_config_and_severities() {
    let config = "exclude = [\"ci\", \"infra\", \"pipelines\", \"out\"]\n[severity]\nuntagged-image = \"off\"\nlatest-tag = \"warning\"\n";
    with_fixtures()
        .file(".ecs-tagcheck.toml", config)
        .args(["tree", "--strict"])
        .run("ecs-tagcheck")
        .success()
        .stderr_has("checked 1 file: 0 errors, 2 warnings");
    with_fixtures()
        .file(".ecs-tagcheck.toml", config)
        .args(["tree", "--fail-on", "warning"])
        .run("ecs-tagcheck")
        .code(1);
    with_fixtures()
        .args([
            "tree",
            "--exclude",
            "tree/**",
            "--exclude",
            "*.json",
            "--exclude",
            "ci",
            "--exclude",
            "docker",
            "--exclude",
            "infra",
        ])
        .run("ecs-tagcheck")
        .success()
        .stderr_has("checked 0 files");
}

#[test]
fn deny_allow_build_args_and_require_digest() {
    let dockerfile = "ARG TAG=stable\nFROM app:${TAG}\nFROM public.ecr.aws/aws-observability/aws-for-fluent-bit:stable\n";
    Test::new()
        .file("Dockerfile", dockerfile)
        .args([
            "Dockerfile",
            "--deny",
            "stable",
            "--allow",
            "public.ecr.aws/aws-observability/*",
        ])
        .run("ecs-tagcheck")
        .code(1)
        .stderr_has("error[denied-tag]: `app:stable` uses the mutable tag `stable`")
        .stderr_has("checked 1 file: 1 error, 0 warnings");
    Test::new()
        .file("Dockerfile", dockerfile)
        .args([
            "Dockerfile",
            "--deny",
            "stable",
            "--allow",
            "public.ecr.aws/*",
            "--build-arg",
            "TAG=1.0",
        ])
        .run("ecs-tagcheck")
        .success();
    Test::new()
        .file("Dockerfile", "FROM app:1.0\n")
        .args(["Dockerfile", "--require-digest"])
        .run("ecs-tagcheck")
        .code(1)
        .stderr_has("error[missing-digest]: `app:1.0` is not pinned by digest");
}

#[test]
fn waivers_need_a_reason_and_stale_ones_are_reported() {
    // Docker reads `#` as a comment only at the start of a line, so Dockerfile waivers go above.
    let dockerfile = "# ecs-tagcheck: ignore[latest-tag]\nFROM a:latest\n# ecs-tagcheck: ignore[untagged-image] nothing here any more\nFROM b:1.0\n";
    Test::new()
        .file("Dockerfile", dockerfile)
        .args(["Dockerfile"])
        .run("ecs-tagcheck")
        .code(1)
        .stderr_has("error[latest-tag]: `a:latest` uses the mutable tag `latest`, so nobody can tell which build it deploys (Dockerfile: line 2, column 6)")
        .stderr_has("error[invalid-waiver]: the waiver needs a rule id and a reason (Dockerfile: line 1, column 3)")
        .stderr_has("warning[stale-waiver]: the waiver for `untagged-image` matches no finding on this line or the next (Dockerfile: line 3, column 1)");
}

#[test]
fn sarif_and_junit_reports() {
    let sarif = with_fixtures()
        .args(["--format", "sarif", "--strict", "tree/docker"])
        .run("ecs-tagcheck")
        .code(1);
    let document: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("SARIF is JSON");
    assert_eq!(document["version"], "2.1.0");
    let results = document["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results[1]["ruleId"], "untagged-image");
    assert_eq!(
        results[1]["locations"][0]["physicalLocation"]["region"]["startLine"],
        8
    );
    let junit = with_fixtures()
        .args(["--format", "junit", "tree/out"])
        .run("ecs-tagcheck")
        .code(1);
    assert!(junit.stdout.starts_with("<?xml"), "{}", junit.stdout);
    assert!(junit.stdout.contains("untagged-image"), "{}", junit.stdout);
}

#[test]
fn clean_inputs_exit_zero() {
    Test::new()
        .file(
            "Dockerfile",
            "FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /a /a\n",
        )
        .file(
            "imageDetail.json",
            format!(r#"{{"ImageURI": "{ECR}/web:latest@{SHA}"}}"#),
        )
        .args(["."])
        .run("ecs-tagcheck")
        .success()
        .stderr_has("checked 2 files: 0 errors, 0 warnings");
}

#[test]
fn usage_errors_exit_two() {
    Test::new()
        .file("notes.txt", "hello")
        .args(["notes.txt"])
        .run("ecs-tagcheck")
        .code(2)
        .stderr_has("error: cannot tell what kind of file `notes.txt` is");
    Test::new()
        .args(["missing/Dockerfile"])
        .run("ecs-tagcheck")
        .code(2)
        .stderr_has("cannot read `missing/Dockerfile`");
    Test::new()
        .file(".ecs-tagcheck.toml", "[severity]\nlatest = \"off\"\n")
        .args(["."])
        .run("ecs-tagcheck")
        .code(2)
        .stderr_has("error: `[severity]` names `latest`, which is not a rule (.ecs-tagcheck.toml)");
    Test::new()
        .file("Dockerfile", "FROM a:1\n")
        .args(["Dockerfile", "--build-arg", "NOPE"])
        .run("ecs-tagcheck")
        .code(2)
        .stderr_has("error: `NOPE` is not a `NAME=VALUE` pair (--build-arg)");
}

#[test]
fn help_shows_examples() {
    let outcome = Test::new().args(["--help"]).run("ecs-tagcheck").success();
    assert!(
        outcome
            .stdout
            .contains("ecs-tagcheck --ecr --pin --keep-tag out/"),
        "{}",
        outcome.stdout
    );
}

#[test]
fn github_workflows_are_read_like_buildspecs() {
    Test::new()
        .file(
            ".github/workflows/deploy.yml",
            "on:\n  push:\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: docker push \"$REPO:${TAG:-latest}\"\n",
        )
        .file(".hidden/buildspec.yml", "phases:\n  build:\n    commands:\n      - docker push app:latest\n")
        .args(["."])
        .run("ecs-tagcheck")
        .code(1)
        .stderr_has("error[latest-fallback]: `${TAG:-latest}` falls back to `latest` when `TAG` is unset (.github/workflows/deploy.yml: line 7, column 33)")
        .stderr_has("checked 1 file: 1 error, 0 warnings");
}

/// A repository of templates that all use `${IMAGE_TAG}`: one note for the scan, not a warning
/// per file; `--strict` reports each, and `--var` gives the variable a value to check.
#[test]
fn unresolved_variables_are_one_note_unless_strict() {
    let template = |image: &str| {
        format!(
            "{{\"family\": \"web\", \"containerDefinitions\": [{{\"name\": \"web\", \"image\": \"{image}\"}}]}}"
        )
    };
    let repository = || {
        let mut test = Test::new();
        for service in ["a", "b", "c"] {
            test = test.file(
                &format!("{service}/taskdef.template.json"),
                template("${REPOSITORY_URI}:${IMAGE_TAG}"),
            );
        }
        test.file("d/taskdef.json", template("nginx:latest"))
    };
    repository()
        .args(["a", "b", "c", "d"])
        .run("ecs-tagcheck")
        .code(1)
        .stderr_is(
            "note: 3 image references in 3 files depend on variables this scan cannot resolve, so their tags are not checked: `IMAGE_TAG` (3 files), `REPOSITORY_URI` (3 files); give them values with --var NAME=VALUE, or --strict to report each\n\
             error[latest-tag]: `nginx:latest` uses the mutable tag `latest`, so nobody can tell which build it deploys (d/taskdef.json: line 1, column 69, $.containerDefinitions[0].image)\n\
             help: tag the image with the commit id (`$CODEBUILD_RESOLVED_SOURCE_VERSION`) or pin it by digest (`@sha256:…`); if it must stay, waive it with `# ecs-tagcheck: ignore[RULE] why`\n\
             checked 4 files: 1 error, 0 warnings\n",
        );
    repository()
        .args(["--strict", "a", "b", "c", "d"])
        .run("ecs-tagcheck")
        .code(1)
        .stderr_has("warning[unresolved-variable]: `${REPOSITORY_URI}:${IMAGE_TAG}` depends on `REPOSITORY_URI`, `IMAGE_TAG`")
        .stderr_has("checked 4 files: 1 error, 3 warnings");
    repository()
        .args([
            "--var",
            "IMAGE_TAG=latest",
            "--var",
            "REPOSITORY_URI=web",
            "a",
            "b",
        ])
        .run("ecs-tagcheck")
        .code(1)
        .stderr_has("error[latest-tag]: `web:latest` uses the mutable tag `latest`")
        .stderr_has("checked 2 files: 2 errors, 0 warnings");
    repository()
        .args([
            "--var",
            "IMAGE_TAG=1.4.2",
            "--var",
            "REPOSITORY_URI=web",
            "a",
        ])
        .run("ecs-tagcheck")
        .success()
        .stderr_is("checked 1 file: 0 errors, 0 warnings\n");
}
