//! A buildspec run the way CodeBuild runs one, on this machine: the project's environment and
//! the `CODEBUILD_*` variables set, `env.variables` and `env.exported-variables` honoured, the
//! phases in order in bash, each command in the shell state the earlier ones left (variables,
//! exports and the working directory carry over, as in buildspec version 0.2), `finally`
//! blocks, `on-failure`, and the artifacts and reports collected from `artifacts` and
//! `reports`.
//!
//! Phase transitions follow the CodeBuild user guide ("Build phase transitions"): a failed
//! `install` or `pre_build` ends the build; a failed `build` still runs `post_build` with
//! `CODEBUILD_BUILD_SUCCEEDING=0`; `on-failure: ABORT` ends the build after the phase, and
//! `CONTINUE` goes on to the next phase; artifacts are collected whatever happened.
//!
//! Each command runs in a fresh `bash` that first restores the state the last successful
//! command saved, so a command that kills its shell (`${VAR:?}`) fails like any other.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use deploykit_artifacts::tagcheck::glob::path_match;
use serde_json::Value;

const PHASES: [&str; 4] = ["install", "pre_build", "build", "post_build"];

/// Shell variables bash owns or recomputes; restoring them would fail or lie.
const BASH_OWNED: &str = "^(BASH.*|EUID|PPID|SHELLOPTS|UID|GROUPS|FUNCNAME|DIRSTACK|PIPESTATUS|\
RANDOM|SRANDOM|LINENO|SECONDS|EPOCHREALTIME|EPOCHSECONDS|HISTCMD|OPTIND|OPTERR|OPTARG|_|SHLVL|\
PWD|OLDPWD|COMP_WORDBREAKS|HOSTNAME|HOSTTYPE|MACHTYPE|OSTYPE|IFS|PS4|__.*)$";

/// Runs one command in the saved state and saves the state it leaves.
const DRIVER: &str = r#"
source "$__STATE"
eval "$__COMMAND"
__status=$?
{
  declare -p $(compgen -v | grep -Ev "$__BASH_OWNED")
  printf 'cd %q\n' "$PWD"
} > "$__STATE.next" 2>/dev/null && mv "$__STATE.next" "$__STATE"
exit $__status
"#;

/// A CodeBuild project running a buildspec as one CodePipeline action.
pub(crate) struct Project {
    /// The buildspec, a path relative to the primary source.
    pub(crate) buildspec: String,
    /// The primary source: `CODEBUILD_SRC_DIR`, where commands start.
    pub(crate) source: PathBuf,
    /// Secondary inputs, by artifact name: `CODEBUILD_SRC_DIR_<name>`.
    pub(crate) inputs: Vec<(String, PathBuf)>,
    /// The action's output artifact names.
    pub(crate) outputs: Vec<String>,
    /// The project's environment variables (they win over the buildspec's `env.variables`).
    pub(crate) env: Vec<(String, String)>,
    /// Where each output artifact's files are collected, one folder per name.
    pub(crate) out: PathBuf,
}

/// What a phase ended as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Succeeded,
    Failed,
}

/// A finished build.
#[derive(Debug)]
pub(crate) struct Build {
    /// The phases that ran, in order.
    pub(crate) phases: Vec<(String, Status)>,
    /// The build log: each command, then what it printed.
    pub(crate) log: String,
    /// `env.exported-variables` with their values after the last phase.
    pub(crate) exported: BTreeMap<String, String>,
    /// Output artifact name to the folder holding its files.
    pub(crate) artifacts: BTreeMap<String, PathBuf>,
    /// Report files, by report group.
    pub(crate) reports: BTreeMap<String, Vec<PathBuf>>,
}

impl Build {
    pub(crate) fn succeeded(&self) -> bool {
        self.phases
            .iter()
            .all(|(_, status)| *status == Status::Succeeded)
    }

    /// The names of the phases that ran.
    pub(crate) fn phase_names(&self) -> Vec<&str> {
        self.phases.iter().map(|(name, _)| name.as_str()).collect()
    }

    /// Panics with the log unless the build succeeded.
    pub(crate) fn assert_succeeded(&self) -> &Self {
        assert!(
            self.succeeded(),
            "the build failed: {:?}\n{}",
            self.phases,
            self.log
        );
        self
    }
}

impl Project {
    /// Runs the buildspec and collects its artifacts.
    pub(crate) fn run(&self) -> Build {
        let text = fs::read_to_string(self.source.join(&self.buildspec))
            .unwrap_or_else(|error| panic!("read {}: {error}", self.buildspec));
        let spec: Value = serde_saphyr::from_str(&text)
            .unwrap_or_else(|error| panic!("{} is not YAML: {error}", self.buildspec));
        assert_eq!(
            spec["version"].as_f64(),
            Some(0.2),
            "{}: version",
            self.buildspec
        );
        let scratch = tempfile::tempdir().expect("a scratch directory");
        let state = scratch.path().join("state");
        fs::write(&state, self.initial_state(&spec)).expect("the initial state");
        let mut build = Build {
            phases: Vec::new(),
            log: String::new(),
            exported: BTreeMap::new(),
            artifacts: BTreeMap::new(),
            reports: BTreeMap::new(),
        };
        for phase in PHASES {
            let Some(body) = spec["phases"].get(phase) else {
                continue;
            };
            let mut status = run_commands(&body["commands"], &state, &mut build.log);
            if body.get("finally").is_some()
                && run_commands(&body["finally"], &state, &mut build.log) == Status::Failed
            {
                status = Status::Failed;
            }
            build.phases.push((phase.to_owned(), status));
            if status == Status::Failed {
                append(&state, "CODEBUILD_BUILD_SUCCEEDING=0\n");
                let go_on = match body["on-failure"].as_str() {
                    Some("CONTINUE") => true,
                    Some("ABORT") => false,
                    Some(other) => panic!(
                        "{}: on-failure `{other}` is not supported here",
                        self.buildspec
                    ),
                    None => phase == "build",
                };
                if !go_on {
                    break;
                }
            }
        }
        build.exported = exported(&spec, &state);
        self.collect_artifacts(&spec, &mut build);
        build
    }

    /// The environment of a fresh build, as `declare` lines, and the start directory.
    fn initial_state(&self, spec: &Value) -> String {
        let mut env: Vec<(String, String)> = vec![
            ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
            (
                "CODEBUILD_SRC_DIR".into(),
                self.source.display().to_string(),
            ),
            ("CODEBUILD_BUILD_SUCCEEDING".into(), "1".into()),
            ("CODEBUILD_BUILD_NUMBER".into(), "7".into()),
            (
                "CODEBUILD_INITIATOR".into(),
                "codepipeline/model-pipeline".into(),
            ),
        ];
        // The endpoint by name, as CodeBuild reaches AWS: the programs resolve it through the
        // C library (statically linked in the release programs) and not by a literal address.
        env.extend(
            std::env::vars()
                .filter(|(name, _)| name.starts_with("AWS_"))
                .map(|(name, value)| {
                    let value = if name == "AWS_ENDPOINT_URL" {
                        value.replace("//127.0.0.1:", "//localhost:")
                    } else {
                        value
                    };
                    (name, value)
                }),
        );
        for (name, dir) in &self.inputs {
            env.push((
                format!("CODEBUILD_SRC_DIR_{name}"),
                dir.display().to_string(),
            ));
        }
        if let Some(variables) = spec["env"]["variables"].as_object() {
            for (name, value) in variables {
                let value = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                env.push((name.clone(), value));
            }
        }
        env.extend(self.env.iter().cloned());
        let mut state = String::new();
        for (name, value) in env {
            let _ = writeln!(state, "export {name}={}", quote(&value));
        }
        let _ = writeln!(state, "cd {}", quote(&self.source.display().to_string()));
        state
    }

    fn collect_artifacts(&self, spec: &Value, build: &mut Build) {
        let artifacts = &spec["artifacts"];
        let secondary = artifacts["secondary-artifacts"].as_object();
        for name in &self.outputs {
            // With one output the primary artifact is used; with more, each comes from the
            // secondary artifact of its name (CodePipeline action reference, CodeBuild).
            let section = if self.outputs.len() == 1 {
                artifacts
            } else {
                secondary
                    .and_then(|s| s.get(name))
                    .unwrap_or_else(|| panic!("{}: no secondary artifact `{name}`", self.buildspec))
            };
            let folder = self.out.join(name);
            fs::create_dir_all(&folder).expect("an artifact folder");
            for (relative, file) in self.matching(section) {
                let target = if section["discard-paths"].as_str() == Some("yes") {
                    folder.join(file.file_name().expect("a file name"))
                } else {
                    folder.join(&relative)
                };
                fs::create_dir_all(target.parent().expect("a parent")).expect("a folder");
                fs::copy(&file, &target).expect("an artifact file");
            }
            build.artifacts.insert(name.clone(), folder);
        }
        if let Some(groups) = spec["reports"].as_object() {
            for (group, section) in groups {
                let files = self
                    .matching(section)
                    .into_iter()
                    .map(|(_, file)| file)
                    .collect();
                build.reports.insert(group.clone(), files);
            }
        }
    }

    /// The files a `files` / `base-directory` / `exclude-paths` section selects: the path
    /// relative to the base directory, and the file.
    fn matching(&self, section: &Value) -> Vec<(String, PathBuf)> {
        let base = self
            .source
            .join(section["base-directory"].as_str().unwrap_or("."));
        let patterns = strings(&section["files"]);
        let excluded = strings(&section["exclude-paths"]);
        let mut found = Vec::new();
        for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry
                .path()
                .strip_prefix(&base)
                .expect("under the base")
                .to_string_lossy()
                .replace('\\', "/");
            let wanted = |list: &[String]| {
                list.iter()
                    .any(|p| p == &relative || path_match(p, &relative))
            };
            if wanted(&patterns) && !wanted(&excluded) {
                found.push((relative, entry.into_path()));
            }
        }
        found
    }
}

/// Runs each command of a list until one fails.
fn run_commands(commands: &Value, state: &Path, log: &mut String) -> Status {
    for command in strings(commands) {
        let _ = writeln!(log, "[Container] Running command {command}");
        let output = Command::new("bash")
            .args(["--noprofile", "--norc", "-c", DRIVER])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("__STATE", state)
            .env("__COMMAND", &command)
            .env("__BASH_OWNED", BASH_OWNED)
            .output()
            .expect("bash runs");
        log.push_str(&String::from_utf8_lossy(&output.stdout));
        log.push_str(&String::from_utf8_lossy(&output.stderr));
        if !output.status.success() {
            let _ = writeln!(
                log,
                "[Container] Command did not exit successfully {command} exit status {}",
                output.status.code().unwrap_or(-1)
            );
            return Status::Failed;
        }
    }
    Status::Succeeded
}

/// The values of `env.exported-variables` in the final state.
fn exported(spec: &Value, state: &Path) -> BTreeMap<String, String> {
    let names = strings(&spec["env"]["exported-variables"]);
    let script = names
        .iter()
        .map(|name| format!("printf '%s\\0' \"${{{name}-}}\""))
        .collect::<Vec<_>>()
        .join("; ");
    let output = Command::new("bash")
        .args([
            "--noprofile",
            "--norc",
            "-c",
            &format!("source \"$__STATE\"; {script}"),
        ])
        .env_clear()
        .env("__STATE", state)
        .output()
        .expect("bash runs");
    let values = String::from_utf8_lossy(&output.stdout);
    names
        .into_iter()
        .zip(values.split('\0').map(str::to_owned))
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(one) => vec![one.clone()],
        Value::Array(list) => list
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn append(path: &Path, line: &str) {
    let mut text = fs::read_to_string(path).expect("the state");
    text.push_str(line);
    fs::write(path, text).expect("the state");
}

/// Single-quotes a value for bash.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}
