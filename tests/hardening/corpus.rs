//! The malformed-input corpus (`tests/corpus/`) through every program that reads each kind of
//! file, and the bad flags and environment values of `tests/corpus/flags.tsv`.
//!
//! Every run must end with a clean refusal: exit `2`, or `1` from a checker (`check`
//! subcommands, `ecs-verify` of artifacts, `ecs-tagcheck`) for a file it could read and found
//! wrong, syntax errors included, since a checker reports each file as a finding. Zips that
//! cannot be opened safely and paths that are directories are failures (`2`) for everyone.
//! No run panics, every error names the file and a place in it, nothing is written, and the
//! input is left byte for byte as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use super::corpus_readers::{ACCEPTED, Checker, Reader, readers};
use crate::support::harness::{INTERNALS, binary};

const CORPUS: &str = "tests/corpus";
const FIXTURES: &str = "tests/fixtures/bundle";
/// Larger than any limit a program keeps for a name or a value.
const HUGE: usize = 2 << 20;

/// One case: its corpus name, kind and bytes (`None`: a directory stands where the file goes).
struct Case {
    name: String,
    kind: String,
    bytes: Option<Vec<u8>>,
}

fn corpus() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut kinds: Vec<_> = fs::read_dir(CORPUS)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    kinds.sort();
    for dir in kinds.iter().filter(|path| path.is_dir()) {
        // `taskdef/valid/` holds definitions that must pass, judged by `tests/taskdef/corpus.rs`.
        let mut files: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|path| path.is_file())
            .collect();
        files.sort();
        for file in files {
            let name = file.strip_prefix(CORPUS).unwrap().display().to_string();
            let mut kind = dir.file_name().unwrap().to_string_lossy().into_owned();
            if kind == "template" && file.extension().is_some_and(|ext| ext == "json") {
                "template.json".clone_into(&mut kind);
            }
            cases.push(Case {
                name,
                kind,
                bytes: Some(fs::read(&file).unwrap()),
            });
        }
    }
    let deep = |open: &str| open.repeat(100_000).into_bytes();
    let huge = "a".repeat(HUGE);
    for (name, kind, bytes) in [
        ("json/generated-deep-nesting", "json", deep("[")),
        ("json/generated-deep-objects", "json", deep("{\"a\":")),
        ("yaml/generated-deep-nesting", "yaml", deep("[")),
        ("yaml/generated-deep-block", "yaml", deep("- ")),
        (
            "json/generated-huge-unterminated-string",
            "json",
            format!("{{\"family\": \"{huge}").into_bytes(),
        ),
        (
            "json/generated-huge-value",
            "json",
            format!("{{\"family\": \"{huge}\"}}").into_bytes(),
        ),
        (
            "json/generated-huge-key",
            "json",
            format!("{{\"{huge}\": 1}}").into_bytes(),
        ),
        (
            "yaml/generated-huge-scalar",
            "yaml",
            format!("version: {huge}\nphases: [\n").into_bytes(),
        ),
    ] {
        cases.push(Case {
            name: name.to_owned(),
            kind: kind.to_owned(),
            bytes: Some(bytes),
        });
    }
    for kind in [
        "taskdef",
        "imagedefs",
        "imagedetail",
        "appspec",
        "dockerfile",
        "buildspec",
        "template",
        "zip",
    ] {
        cases.push(Case {
            name: format!("{kind}/directory"),
            kind: kind.to_owned(),
            bytes: None,
        });
    }
    cases
}

/// What a finished run left: its exit code (`None`: killed by a signal) and its output.
pub(crate) struct Ran {
    pub(crate) code: Option<i32>,
    #[allow(dead_code, reason = "read by the secrets test")]
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs `program` in `dir` with only PATH, HOME and `env`.
pub(crate) fn run_in(dir: &Path, program: &str, args: &[String], env: &[(String, String)]) -> Ran {
    let mut command = Command::new(binary(program));
    command.args(args).current_dir(dir).env_clear();
    for name in ["PATH", "HOME"] {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    command.envs(env.iter().map(|(k, v)| (k, v)));
    let output = command.output().expect("the program starts");
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The fixtures every run finds in `art/` and at the top of its folder.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("art")).unwrap();
    for name in [
        "taskdef.json",
        "appspec.yaml",
        "imagedefinitions.json",
        "imageDetail.json",
    ] {
        let bytes = fs::read(format!("{FIXTURES}/{name}")).unwrap();
        fs::write(dir.path().join(name), &bytes).unwrap();
        fs::write(dir.path().join("art").join(name), &bytes).unwrap();
    }
    dir
}

/// Every file under `dir` with its bytes, to see what a run wrote or changed.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(at) = stack.pop() {
        for entry in fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            let name = path.strip_prefix(dir).unwrap().display().to_string();
            if path.is_dir() {
                files.insert(format!("{name}/"), Vec::new());
                stack.push(path);
            } else {
                files.insert(name, fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// The panic, exit-code, naming and no-writes checks shared with the flags table.
fn judge(
    ran: &Ran,
    expected: i32,
    names: &[&str],
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut wrong = Vec::new();
    if ran.code.is_none_or(|code| code == 101)
        || ran.stderr.contains("panicked")
        || ran.stderr.contains("RUST_BACKTRACE")
    {
        wrong.push("panicked or died by a signal".to_owned());
    } else if ran.code != Some(expected) {
        wrong.push(format!("exit {:?}, expected {expected}", ran.code));
    }
    if let Some(missing) = names.iter().find(|name| !ran.stderr.contains(*name)) {
        wrong.push(format!("stderr does not name `{missing}`"));
    }
    if let Some(internal) = INTERNALS.iter().find(|word| ran.stderr.contains(*word)) {
        wrong.push(format!("stderr prints the library's `{internal}`"));
    }
    // A large input must not be echoed back whole.
    if ran.stderr.len() > 64 << 10 {
        wrong.push(format!("{} bytes of stderr", ran.stderr.len()));
    }
    if before != after {
        let changed: Vec<_> = after
            .keys()
            .filter(|k| before.get(*k) != after.get(*k))
            .chain(before.keys().filter(|k| !after.contains_key(*k)))
            .collect();
        wrong.push(format!("wrote or changed {changed:?}"));
    }
    wrong
}

/// Words that say where in a file: a line, a key path, an entry of a zip.
const LOCATIONS: &[&str] = &[
    "line ",
    "$",
    "entry `",
    "Resources.",
    "the file is empty",
    "is a directory",
    "not a readable zip",
];

/// Runs one case through one reader; `Some` says what went wrong.
fn walk(case: &Case, reader: &Reader) -> Option<String> {
    let dir = scratch();
    let slot = dir.path().join(reader.slot);
    if let Some(bytes) = &case.bytes {
        fs::write(&slot, bytes).unwrap();
    } else {
        let _ = fs::remove_file(&slot);
        fs::create_dir_all(slot.join("inside")).unwrap();
    }
    let args: Vec<String> = reader
        .args
        .iter()
        .map(|a| if *a == "@" { reader.slot } else { a }.to_owned())
        .collect();
    let before = snapshot(dir.path());
    let ran = run_in(dir.path(), reader.program, &args, &[]);
    let unreadable = case.kind == "zip" || case.bytes.is_none();
    // A producer refuses a mutable tag as a policy violation, which the contract of `README.md#the-contract-every-program-keeps` gives exit 1.
    let policy = case.name.contains("-latest") || case.name.contains("-untagged");
    let expected = if (reader.class == Checker || policy) && !unreadable {
        1
    } else {
        2
    };
    let file = Path::new(reader.slot).file_name()?.to_str()?;
    let mut wrong = judge(&ran, expected, &[file], &before, &snapshot(dir.path()));
    // A file past its kind's size limit is refused whole, before it is parsed: the limit, not
    // a place in it, is what the message names (`docs/reliability.md#input-limits`).
    let too_large = ran.stderr.contains("is larger than");
    if !too_large && !LOCATIONS.iter().any(|word| ran.stderr.contains(word)) {
        wrong.push("stderr gives no place in the file".to_owned());
    }
    let shown: String = ran.stderr.chars().take(600).collect();
    (!wrong.is_empty()).then(|| {
        format!(
            "{} | {} {}: {}\n{shown}",
            case.name,
            reader.program,
            args.join(" "),
            wrong.join("; ")
        )
    })
}

#[test]
fn corpus_walk() {
    let cases = corpus();
    let pairs: Vec<(&Case, Reader)> = cases
        .iter()
        .flat_map(|case| readers(&case.kind).into_iter().map(move |r| (case, r)))
        .filter(|(case, reader)| {
            let generic = case.name.rsplit('/').next().unwrap_or_default();
            !ACCEPTED.iter().any(|(name, program, _)| {
                (*name == case.name || *name == generic) && *program == reader.program
            })
        })
        .collect();
    // The runs are independent; spread them over the cores.
    let threads = std::thread::available_parallelism().map_or(4, usize::from);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = pairs
            .chunks(pairs.len().div_ceil(threads))
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|(c, r)| walk(c, r))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let runs = pairs.len();
    assert!(
        failures.is_empty(),
        "{} of {runs} runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    crate::support::harness::figure(&format!(
        "corpus: {} cases x programs = {runs} runs, all passed",
        cases.len()
    ));
}

#[test]
fn corpus_flags() {
    let table = fs::read_to_string(format!("{CORPUS}/flags.tsv")).unwrap();
    let mut failures = Vec::new();
    let mut rows = 0;
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let [program, args, env, code, names] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("flags.tsv: five tab-separated columns: {line}");
        };
        let args: Vec<String> = args
            .split(' ')
            .filter(|a| !a.is_empty() && *a != "-")
            .map(str::to_owned)
            .collect();
        let env: Vec<(String, String)> = env
            .split(';')
            .filter(|e| *e != "-")
            .map(|e| {
                let (k, v) = e.split_once('=').unwrap();
                (k.to_owned(), v.to_owned())
            })
            .collect();
        let dir = scratch();
        fs::write(
            dir.path().join("art.zip"),
            fs::read(format!("{CORPUS}/zip/path-traversal.zip")).unwrap(),
        )
        .unwrap();
        let before = snapshot(dir.path());
        let ran = run_in(dir.path(), program, &args, &env);
        rows += 1;
        let wrong = judge(
            &ran,
            code.parse().unwrap(),
            &[names],
            &before,
            &snapshot(dir.path()),
        );
        if !wrong.is_empty() {
            failures.push(format!(
                "{program} {} {env:?}: {}\n{}",
                args.join(" "),
                wrong.join("; "),
                ran.stderr
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {rows} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    crate::support::harness::figure(&format!("flags: {rows} rows, all passed"));
}
