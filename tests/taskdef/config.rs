//! `ecs-taskdef`: the CodeBuild variables as the fallbacks of the provenance flags, and the
//! AWS flags.

use super::render::{example, json};
use crate::support::harness::assert_help_lists;

#[test]
fn help_names_each_variable_and_hides_its_value() {
    assert_help_lists(
        example().env("CODEBUILD_BUILD_ID", "web-service:hidden"),
        "ecs-taskdef",
        &["render", "--help"],
        &[
            "[env: CODEBUILD_RESOLVED_SOURCE_VERSION]",
            "[env: CODEBUILD_SOURCE_REPO_URL]",
            "[env: CODEBUILD_BUILD_ID]",
            "--region <REGION>",
            "--profile <NAME>",
        ],
    );
}

/// The stamps of a render of the example with `variables` and `args`: the web container's
/// revision label and the build-id tag.
fn stamps(variables: &[(&str, &str)], args: &[&str]) -> (serde_json::Value, bool) {
    let mut test = example();
    for (name, value) in variables {
        test = test.env(name, value);
    }
    let outcome = test
        .args([&["render", "taskdef.template.json", "-o", "-"], args].concat())
        .run("ecs-taskdef")
        .success();
    let doc = json(&outcome.stdout);
    let revision =
        doc["containerDefinitions"][0]["dockerLabels"]["org.opencontainers.image.revision"].clone();
    let build_tag = doc["tags"]
        .as_array()
        .is_some_and(|tags| tags.iter().any(|tag| tag["key"] == "codebuild-build-id"));
    (revision, build_tag)
}

#[test]
fn variables_stamp_flags_win_and_empty_counts_as_unset() {
    let codebuild = [
        ("CODEBUILD_RESOLVED_SOURCE_VERSION", "4f2a9c1"),
        ("CODEBUILD_BUILD_ID", "web-service:0c1d"),
    ];
    assert_eq!(stamps(&codebuild, &[]), (json("\"4f2a9c1\""), true));
    assert_eq!(
        stamps(&codebuild, &["--revision", "0b7d6a5"]),
        (json("\"0b7d6a5\""), true)
    );
    assert_eq!(
        stamps(
            &[
                ("CODEBUILD_RESOLVED_SOURCE_VERSION", ""),
                ("CODEBUILD_BUILD_ID", "")
            ],
            &[]
        ),
        (serde_json::Value::Null, false)
    );
    // Inside CodeBuild the variables are always set: --no-provenance still turns them off.
    assert_eq!(
        stamps(&codebuild, &["--no-provenance"]),
        (serde_json::Value::Null, false)
    );
}

#[test]
fn a_bad_region_is_refused_before_anything_is_read() {
    example()
        .args(["render", "missing.json", "--region", "Europe"])
        .run("ecs-taskdef")
        .code(2)
        .stderr_is(
            "error: invalid Region `Europe` (--region)\nhelp: give a Region code such as \
             `us-east-1` or `eu-west-1`\n",
        );
}
