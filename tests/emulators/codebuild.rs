//! The buildspec runner itself, on small buildspecs: the CodeBuild semantics the model
//! pipelines' end-to-end tests rely on.

use std::fs;

use crate::support::codebuild::{Build, Project, Status};

fn run(buildspec: &str, outputs: &[&str]) -> (Build, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a scratch directory");
    let source = dir.path().join("src");
    fs::create_dir_all(&source).expect("a source folder");
    fs::write(source.join("buildspec.yml"), buildspec).expect("a buildspec");
    let build = Project {
        buildspec: "buildspec.yml".into(),
        source,
        inputs: vec![("Other".into(), dir.path().join("other"))],
        outputs: outputs.iter().map(|name| (*name).to_owned()).collect(),
        env: vec![("FROM_PROJECT".into(), "project".into())],
        out: dir.path().join("out"),
    }
    .run();
    (build, dir)
}

#[test]
fn state_carries_over_between_commands_and_phases() {
    let (build, _dir) = run(
        "version: 0.2\nenv:\n  variables:\n    FROM_PROJECT: buildspec\n    PLAIN: one\n  exported-variables: [SHELL_VAR, FROM_PROJECT, PLAIN, WHERE]\n\
         phases:\n  install:\n    commands:\n      - SHELL_VAR=\"not exported\"\n      - mkdir sub && cd sub\n\
         \x20 build:\n    commands:\n      - 'test \"$SHELL_VAR\" = \"not exported\"'\n      - WHERE=$(basename \"$PWD\")\n\
         \x20     - test \"$CODEBUILD_SRC_DIR_Other\" != \"\"\n",
        &[],
    );
    build.assert_succeeded();
    assert_eq!(build.phase_names(), ["install", "build"]);
    assert_eq!(build.exported["SHELL_VAR"], "not exported");
    // The project's environment wins over the buildspec's `env.variables`.
    assert_eq!(build.exported["FROM_PROJECT"], "project");
    assert_eq!(build.exported["PLAIN"], "one");
    assert_eq!(build.exported["WHERE"], "sub");
}

#[test]
fn a_failed_command_stops_its_phase_and_finally_still_runs() {
    let (build, dir) = run(
        "version: 0.2\nphases:\n  pre_build:\n    commands:\n      - 'false'\n      - touch never\n    finally:\n      - touch cleaned\n\
         \x20 build:\n    commands:\n      - touch built\n",
        &[],
    );
    assert_eq!(build.phases, [("pre_build".to_owned(), Status::Failed)]);
    let source = dir.path().join("src");
    assert!(source.join("cleaned").exists());
    assert!(!source.join("never").exists() && !source.join("built").exists());
    assert!(
        build
            .log
            .contains("Command did not exit successfully false exit status 1"),
        "{}",
        build.log
    );
}

#[test]
fn a_failed_build_phase_still_runs_post_build_unless_it_aborts() {
    let spec = |on_failure: &str| {
        format!(
            "version: 0.2\nenv:\n  exported-variables: [SEEN]\nphases:\n  build:\n{on_failure}    commands:\n      - 'false'\n\
             \x20 post_build:\n    commands:\n      - SEEN=$CODEBUILD_BUILD_SUCCEEDING\n"
        )
    };
    let (build, _dir) = run(&spec(""), &[]);
    assert_eq!(build.phase_names(), ["build", "post_build"]);
    assert_eq!(build.exported["SEEN"], "0");
    let (build, _dir) = run(&spec("    on-failure: ABORT\n"), &[]);
    assert_eq!(build.phase_names(), ["build"]);
    let (build, _dir) = run(
        "version: 0.2\nphases:\n  install:\n    on-failure: CONTINUE\n    commands:\n      - 'false'\n  build:\n    commands:\n      - 'true'\n",
        &[],
    );
    assert_eq!(
        build.phases,
        [
            ("install".to_owned(), Status::Failed),
            ("build".to_owned(), Status::Succeeded)
        ]
    );
}

#[test]
fn a_command_that_kills_its_shell_fails_and_leaves_the_state() {
    let (build, _dir) = run(
        "version: 0.2\nenv:\n  exported-variables: [KEPT]\nphases:\n  build:\n    commands:\n      - KEPT=yes\n      - 'TAG=${NO_SUCH_VARIABLE:?is unset}'\n",
        &[],
    );
    assert_eq!(build.phases, [("build".to_owned(), Status::Failed)]);
    assert_eq!(build.exported["KEPT"], "yes");
    assert!(
        build.log.contains("NO_SUCH_VARIABLE: is unset"),
        "{}",
        build.log
    );
}

#[test]
fn artifacts_come_from_the_secondary_artifact_of_each_name() {
    let spec = "version: 0.2\nphases:\n  build:\n    commands:\n      - mkdir -p out/a/deep out/b && echo 1 > out/a/one.json && echo 2 > out/a/deep/two.json && echo 3 > out/b/three.txt\n\
                artifacts:\n  files: ['**/*']\n  base-directory: out\n  secondary-artifacts:\n    First:\n      base-directory: out/a\n      files: ['**/*.json']\n      exclude-paths: ['deep/*']\n\
                \x20   Second:\n      base-directory: out\n      files: [b/three.txt]\n      discard-paths: 'yes'\n";
    let (build, _dir) = run(spec, &["First", "Second"]);
    build.assert_succeeded();
    assert_eq!(listing_of(&build, "First"), ["one.json"]);
    assert_eq!(listing_of(&build, "Second"), ["three.txt"]);
    let (build, _dir) = run(spec, &["Only"]);
    assert_eq!(
        listing_of(&build, "Only"),
        ["a/deep/two.json", "a/one.json", "b/three.txt"]
    );
}

fn listing_of(build: &Build, name: &str) -> Vec<String> {
    walkdir::WalkDir::new(&build.artifacts[name])
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&build.artifacts[name])
                .unwrap()
                .display()
                .to_string()
        })
        .collect()
}
