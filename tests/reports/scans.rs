//! Every program that writes reports, run over the malformed-input corpus (`tests/corpus/`)
//! and the valid fixtures (`tests/fixtures/`), one file per run, each run writing its SARIF and
//! JUnit reports with `--report` in one scan.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::harness::binary;

/// The repository: checked files are named from here, as a CI job names them.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files of `paths` (folders, or files themselves) under the repository, sorted; not the
/// folders' READMEs.
fn files(paths: &[&str]) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = paths
        .iter()
        .flat_map(|path| {
            let path = root().join(path);
            if path.is_dir() {
                fs::read_dir(path)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .collect()
            } else {
                vec![path]
            }
        })
        .filter(|path| path.is_file() && path.extension().is_none_or(|e| e != "md"))
        .map(|path| path.strip_prefix(root()).unwrap().to_path_buf())
        .collect();
    found.sort();
    found
}

/// One run that wrote its reports: what it was, and the reports' paths.
pub(crate) struct Scan {
    pub(crate) what: String,
    /// The files the run checked, as it names them.
    pub(crate) checked: Vec<String>,
    pub(crate) sarif: PathBuf,
    pub(crate) junit: PathBuf,
}

/// Runs `program` with `args` in `cwd`, writing its reports into `out`; a run that could not
/// do its job (exit 2, such as a file no checker can tell the kind of) writes none and is left
/// out. Exit `0` and `1` must come with both reports.
fn scan(
    program: &str,
    args: &[String],
    cwd: &Path,
    out: &Path,
    checked: Vec<String>,
) -> Option<Scan> {
    let number = fs::read_dir(out).unwrap().count();
    let sarif = out.join(format!("{number:03}-{program}.sarif"));
    let junit = out.join(format!("{number:03}-{program}.xml"));
    let output = Command::new(binary(program))
        .args(args)
        .arg("--report")
        .arg(format!("sarif={}", sarif.display()))
        .arg("--report")
        .arg(format!("junit={}", junit.display()))
        .current_dir(cwd)
        .env_remove("CODEBUILD_SRC_DIR")
        .output()
        .unwrap();
    let what = format!("{program} {}", args.join(" "));
    let code = output.status.code();
    assert!(
        matches!(code, Some(0..=2)),
        "{what}: exit {code:?}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    if code == Some(2) {
        assert!(
            !sarif.exists() && !junit.exists(),
            "{what}: exit 2 with reports"
        );
        return None;
    }
    assert!(sarif.is_file() && junit.is_file(), "{what}: no reports");
    Some(Scan {
        what,
        checked,
        sarif,
        junit,
    })
}

/// Every scan, its reports in `out`. `scratch` holds the artifact folders and repositories
/// that `ecs-verify` reads.
pub(crate) fn all(out: &Path, scratch: &Path) -> Vec<Scan> {
    let mut scans = Vec::new();
    let root = root();
    let checkers: [(&str, &[&str], &[&str]); 4] = [
        (
            "ecs-taskdef",
            &["check"],
            &[
                "tests/corpus/taskdef",
                "tests/corpus/json",
                "tests/fixtures/taskdefs",
            ],
        ),
        (
            "ecs-imagedefs",
            &["check"],
            &[
                "tests/corpus/imagedefs",
                "tests/corpus/imagedetail",
                "tests/fixtures/bundle/imagedefinitions.json",
                "tests/fixtures/bundle/imageDetail.json",
            ],
        ),
        (
            "ecs-appspec",
            &["check"],
            &[
                "tests/corpus/appspec",
                "tests/corpus/yaml",
                "tests/fixtures/appspec",
            ],
        ),
        (
            "ecs-tagcheck",
            &[],
            &[
                "tests/corpus/dockerfile",
                "tests/corpus/buildspec",
                "tests/corpus/taskdef",
                "tests/corpus/imagedefs",
                "tests/corpus/imagedetail",
                "tests/corpus/template",
                "tests/corpus/yaml",
            ],
        ),
    ];
    for (program, before, dirs) in checkers {
        for file in files(dirs) {
            let shown = file.display().to_string();
            let mut args: Vec<String> = before.iter().map(ToString::to_string).collect();
            args.push(shown.clone());
            scans.extend(scan(program, &args, &root, out, vec![shown]));
        }
    }
    let tagcheck = ["tests/fixtures/tagcheck".to_owned()];
    scans.extend(scan("ecs-tagcheck", &tagcheck, &root, out, Vec::new()));
    scans.extend(verify(out, scratch));
    scans.extend(templates(out, scratch));
    scans
}

/// `ecs-verify` over the bundle fixtures, and over them with each corpus file of a kind the
/// actions read in its place.
fn verify(out: &Path, scratch: &Path) -> Vec<Scan> {
    let mut scans = Vec::new();
    let slots = [
        ("tests/corpus/taskdef", "taskdef.json", "blue-green"),
        ("tests/corpus/appspec", "appspec.yaml", "blue-green"),
        ("tests/corpus/imagedetail", "imageDetail.json", "blue-green"),
        ("tests/corpus/imagedefs", "imagedefinitions.json", "ecs"),
    ];
    let mut cases: Vec<(Option<PathBuf>, &str, &str)> =
        vec![(None, "", "blue-green"), (None, "", "ecs")];
    for (dir, slot, action) in slots {
        cases.extend(
            files(&[dir])
                .into_iter()
                .map(|file| (Some(file), slot, action)),
        );
    }
    for (index, (file, slot, action)) in cases.into_iter().enumerate() {
        let cwd = scratch.join(format!("verify-{index}"));
        let art = cwd.join("art");
        fs::create_dir_all(&art).unwrap();
        for fixture in files(&["tests/fixtures/bundle"]) {
            fs::copy(
                root().join(&fixture),
                art.join(fixture.file_name().unwrap()),
            )
            .unwrap();
        }
        if let Some(file) = file {
            fs::copy(root().join(file), art.join(slot)).unwrap();
        }
        let args = ["--for".to_owned(), action.to_owned(), "art".to_owned()];
        scans.extend(scan("ecs-verify", &args, &cwd, out, Vec::new()));
    }
    scans
}

/// `ecs-verify pipeline-template` over the model pipelines, and over one whose buildspec does
/// not give the artifacts its build action declares.
fn templates(out: &Path, scratch: &Path) -> Vec<Scan> {
    let mut scans = Vec::new();
    for broken in [false, true] {
        let cwd = scratch.join(format!("templates-{broken}"));
        let fixtures = root().join("tests/fixtures/pipeline-templates");
        fs::create_dir_all(cwd.join("buildspecs")).unwrap();
        for name in ["dev.yaml", "prod.yaml"] {
            fs::copy(fixtures.join(name), cwd.join(name)).unwrap();
        }
        for spec in fs::read_dir(fixtures.join("buildspecs")).unwrap() {
            let spec = spec.unwrap().path();
            let mut text = fs::read_to_string(&spec).unwrap();
            if broken {
                text = text.replace("    ImageArtifact:", "    ImageArtifacts:");
            }
            fs::write(cwd.join("buildspecs").join(spec.file_name().unwrap()), text).unwrap();
        }
        let args = ["pipeline-template", "dev.yaml", "prod.yaml"].map(str::to_owned);
        let checked = vec!["dev.yaml".to_owned(), "prod.yaml".to_owned()];
        scans.extend(scan("ecs-verify", &args, &cwd, out, checked));
    }
    scans
}
