//! Runs the built programs in a scratch directory: files in, arguments and environment,
//! then the exit code, stdout, stderr and the files out.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// A run to set up.
pub(crate) struct Test {
    dir: TempDir,
    args: Vec<OsString>,
    env: Vec<(String, String)>,
}

impl Test {
    pub(crate) fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a scratch directory"),
            args: Vec::new(),
            env: Vec::new(),
        }
    }

    /// Writes a file into the scratch directory before the run.
    pub(crate) fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let full = self.dir.path().join(path);
        fs::create_dir_all(full.parent().expect("a parent")).expect("a directory");
        fs::write(full, contents).expect("a written file");
        self
    }

    pub(crate) fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub(crate) fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Passes on the local AWS endpoint and the dummy credentials `tests/run.sh` exported.
    pub(crate) fn with_aws(mut self) -> Self {
        super::local_aws::endpoint();
        for (name, value) in std::env::vars().filter(|(name, _)| name.starts_with("AWS_")) {
            self.env.push((name, value));
        }
        self
    }

    /// Sends every AWS call to `url`, a test endpoint of this process, with dummy credentials
    /// and no configuration files, so that nothing from the machine's own AWS setup is read and
    /// no call leaves `127.0.0.1` (the values `tests/local-aws.sh` exports for the local
    /// endpoint).
    pub(crate) fn with_test_endpoint(self, url: &str) -> Self {
        let none = self.dir.path().join("aws-none").display().to_string();
        self.env("AWS_ENDPOINT_URL", url)
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", &none)
            .env("AWS_SHARED_CREDENTIALS_FILE", &none)
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The command that runs `program` (a binary of this package) with only PATH, HOME and the
    /// given variables, so that nothing from the machine (a stray `CONTAINER_NAME`, an AWS
    /// profile) leaks in; for a test that starts it and acts while it runs.
    pub(crate) fn command(&self, program: &str) -> Command {
        let mut command = Command::new(binary(program));
        command
            .args(&self.args)
            .current_dir(self.dir.path())
            .env_clear();
        for name in ["PATH", "HOME"] {
            if let Some(value) = std::env::var_os(name) {
                command.env(name, value);
            }
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// Runs `program` as [`Test::command`] sets it up, to the end.
    pub(crate) fn run(self, program: &str) -> Outcome {
        let output = self
            .command(program)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
        Outcome {
            code: output.status.code().expect("an exit code, not a signal"),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
            dir: self.dir,
        }
    }
}

pub(crate) fn binary(program: &str) -> PathBuf {
    match program {
        "ecs-imagedefs" => PathBuf::from(env!("CARGO_BIN_EXE_ecs-imagedefs")),
        "ecs-taskdef" => PathBuf::from(env!("CARGO_BIN_EXE_ecs-taskdef")),
        "ecs-verify" => PathBuf::from(env!("CARGO_BIN_EXE_ecs-verify")),
        "ecs-appspec" => PathBuf::from(env!("CARGO_BIN_EXE_ecs-appspec")),
        "ecs-tagcheck" => PathBuf::from(env!("CARGO_BIN_EXE_ecs-tagcheck")),
        "ecs-bundle" => PathBuf::from(env!("CARGO_BIN_EXE_ecs-bundle")),
        "ecs-pipeline" => PathBuf::from(env!("CARGO_BIN_EXE_ecs-pipeline")),
        "ecs-scaling" => PathBuf::from(env!("CARGO_BIN_EXE_ecs-scaling")),
        other => panic!("no binary named {other}"),
    }
}

/// What a run did.
pub(crate) struct Outcome {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    dir: TempDir,
}

impl Outcome {
    /// The scratch directory the run was in.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    #[track_caller]
    pub(crate) fn code(self, expected: i32) -> Self {
        assert_eq!(
            self.code, expected,
            "exit code\n~~~ stdout\n{}~~~ stderr\n{}~~~",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn success(self) -> Self {
        self.code(0)
    }

    #[track_caller]
    pub(crate) fn stderr_has(self, needle: &str) -> Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn stderr_lacks(self, needle: &str) -> Self {
        assert!(
            !self.stderr.contains(needle),
            "stderr has {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn stdout_has(self, needle: &str) -> Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}",
            self.stdout
        );
        self
    }

    #[track_caller]
    pub(crate) fn stderr_is(self, expected: &str) -> Self {
        assert_eq!(self.stderr, expected);
        self
    }

    #[track_caller]
    pub(crate) fn stdout_is(self, expected: &str) -> Self {
        assert_eq!(self.stdout, expected);
        self
    }

    /// The contents of a file the run left.
    #[track_caller]
    pub(crate) fn file(&self, path: &str) -> String {
        fs::read_to_string(self.dir.path().join(path))
            .unwrap_or_else(|e| panic!("{path}: {e}\n{}", self.stderr))
    }

    /// The bytes of a file the run left (a zip).
    #[track_caller]
    pub(crate) fn bytes(&self, path: &str) -> Vec<u8> {
        fs::read(self.dir.path().join(path))
            .unwrap_or_else(|e| panic!("{path}: {e}\n{}", self.stderr))
    }

    /// Every file in the scratch directory, sorted, relative to it.
    pub(crate) fn files(&self) -> Vec<String> {
        let mut found = Vec::new();
        collect(self.dir.path(), self.dir.path(), &mut found);
        found.sort();
        found
    }
}

fn collect(root: &Path, dir: &Path, found: &mut Vec<String>) {
    for entry in fs::read_dir(dir).expect("a readable directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            collect(root, &path, found);
        } else {
            found.push(
                path.strip_prefix(root)
                    .expect("inside")
                    .display()
                    .to_string(),
            );
        }
    }
}

/// What no message may print: the libraries' own words (the zip writer's, serde-saphyr's, the
/// AWS SDK's error wrappers) and Rust's debug forms of their errors, which say nothing to a
/// user (docs/reliability.md, "Messages in the project's words").
pub(crate) const INTERNALS: [&str; 10] = [
    "ZipWriter",
    "zip::",
    "Io(",
    "Os {",
    "i/o error",
    "kind:",
    "weak recursion",
    "budget breached",
    "dispatch failure",
    "serde_saphyr",
];

/// Reports one figure of a test (`corpus: … runs, all passed`): on the test's output, and
/// appended to the file `DEPLOYKIT_FIGURES` names, which `tests/run.sh` prints after the run,
/// so the figures of docs/reliability.md come from the test run itself.
pub(crate) fn figure(line: &str) {
    #[expect(clippy::print_stdout, reason = "the figure is the test's report")]
    {
        println!("{line}");
    }
    if let Some(path) = std::env::var_os("DEPLOYKIT_FIGURES") {
        use std::io::Write as _;
        let appended = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut file| file.write_all(format!("{line}\n").as_bytes()));
        appended.unwrap_or_else(|error| panic!("cannot append to DEPLOYKIT_FIGURES: {error}"));
    }
}

/// A name of its own for an AWS resource of one test: unique per test process and per call,
/// so tests run in parallel on one local endpoint without resetting it.
pub(crate) fn unique(name: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static CALLS: AtomicU32 = AtomicU32::new(0);
    format!(
        "{name}-{}-{}",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    )
}

/// `len` bytes that are neither text nor a short repeating pattern (xorshift32), so they do
/// not compress: a zip of them is as large as the file.
pub(crate) fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}

/// Checks a `--help` page run with a variable set to a value containing `hidden`: every one of
/// `expected` is on the page (compared by words, since where clap wraps lines depends on the
/// terminal), and the variable's value is not.
pub(crate) fn assert_help_lists(test: Test, program: &str, args: &[&str], expected: &[&str]) {
    let outcome = test.args(args).run(program).success();
    let help = outcome
        .stdout
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for wanted in expected {
        assert!(help.contains(wanted), "{wanted}: {help}");
    }
    assert!(!help.contains("hidden"), "{help}");
}
