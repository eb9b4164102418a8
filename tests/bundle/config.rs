//! `ecs-bundle`: the build's variables as the fallbacks of their flags, and the AWS flags.

use std::io::Cursor;

use crate::support::harness::{Test, assert_help_lists};

#[test]
fn help_names_each_variable_and_hides_its_value() {
    assert_help_lists(
        Test::new().env("CODEBUILD_BUILD_ID", "web-service:hidden"),
        "ecs-bundle",
        &["--help"],
        &[
            "[env: SOURCE_DATE_EPOCH]",
            "[env: CODEBUILD_RESOLVED_SOURCE_VERSION]",
            "[env: CODEBUILD_BUILD_ID]",
            "--region <REGION>",
            "--profile <NAME>",
        ],
    );
}

/// The year of the entry of a zip of one file, made with `variables` and `args`.
fn year(variables: &[(&str, &str)], args: &[&str]) -> u16 {
    let mut test = Test::new().file("a.txt", "a");
    for (name, value) in variables {
        test = test.env(name, value);
    }
    let outcome = test
        .args([&["a.txt", "-o", "a.zip"], args].concat())
        .run("ecs-bundle")
        .success();
    let mut archive = zip::ZipArchive::new(Cursor::new(outcome.bytes("a.zip"))).unwrap();
    archive.by_index(0).unwrap().last_modified().unwrap().year()
}

#[test]
fn the_flag_wins_over_source_date_epoch_and_empty_counts_as_unset() {
    let epoch = [("SOURCE_DATE_EPOCH", "1700000000")];
    assert_eq!(year(&epoch, &[]), 2023);
    assert_eq!(year(&epoch, &["--source-date-epoch", "1000000000"]), 2001);
    assert_eq!(year(&[("SOURCE_DATE_EPOCH", "")], &[]), 1980);
}

#[test]
fn bad_aws_flags_are_refused_before_anything_is_written() {
    let outcome = Test::new()
        .file("a.txt", "a")
        .args([
            "a.txt",
            "-o",
            "a.zip",
            "--upload",
            "s3://artifacts/a.zip",
            "--region",
            "Europe",
        ])
        .run("ecs-bundle")
        .code(2)
        .stderr_is(
            "error: invalid Region `Europe` (--region)\nhelp: give a Region code such as \
             `us-east-1` or `eu-west-1`\n",
        );
    assert_eq!(outcome.files(), ["a.txt"]);
    // The flags belong to every subcommand.
    Test::new()
        .args([
            "fetch",
            "s3://artifacts/a.zip",
            "-o",
            "a.zip",
            "--profile",
            "",
        ])
        .run("ecs-bundle")
        .code(2)
        .stderr_has("error: the profile name is empty (--profile)");
}
