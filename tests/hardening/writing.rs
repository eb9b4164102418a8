//! Where `-o` points: every writer follows a symbolic link and replaces its target, writes
//! through what is not a regular file (a FIFO, `/dev/full`) instead of renaming over it, keeps a
//! replaced file's mode and hard links, appends to an open descriptor (`/dev/stdout`), gives a
//! new file the umask's permissions, and fails
//! (exit 2) when standard output is closed, full, or a pipe nobody reads.

use std::fs;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt, symlink};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::fixtures::SHA;
use crate::support::harness::{INTERNALS, Outcome, Test, binary};

/// A writer: the program, the arguments that write its file to `OUT`, the inputs it needs.
type Writer = (&'static str, Vec<String>, Vec<(&'static str, String)>);

/// Each writer.
fn writers() -> Vec<Writer> {
    let image = format!("web=nginx@{SHA}");
    let template = format!(
        r#"{{"family":"web","containerDefinitions":[{{"name":"web","image":"nginx@{SHA}","memory":512}}]}}"#
    );
    let strings = |args: &[&str]| args.iter().map(|arg| (*arg).to_owned()).collect();
    vec![
        ("ecs-imagedefs", strings(&[&image, "-o", "OUT"]), vec![]),
        (
            "ecs-taskdef",
            strings(&["render", "t.json", "-o", "OUT"]),
            vec![("t.json", template)],
        ),
        (
            "ecs-appspec",
            strings(&[
                "--container",
                "web",
                "--container-port",
                "8080",
                "-o",
                "OUT",
            ]),
            vec![],
        ),
        (
            "ecs-bundle",
            strings(&["a.txt", "-o", "OUT"]),
            vec![("a.txt", "hello\n".to_owned())],
        ),
    ]
}

/// Runs each writer with `OUT` replaced by `out`, in a folder prepared by `prepare`.
fn each_writer(out: &str, prepare: impl Fn(&Path), check: impl Fn(&str, &Path, Outcome)) {
    for (program, args, inputs) in writers() {
        let mut test = Test::new();
        for (name, contents) in &inputs {
            test = test.file(name, contents);
        }
        prepare(test.path());
        let args: Vec<String> = args
            .into_iter()
            .map(|arg| if arg == "OUT" { out.to_owned() } else { arg })
            .collect();
        let dir = test.path().to_owned();
        check(program, &dir, test.args(args).run(program));
    }
}

#[test]
fn a_symbolic_link_stays_a_link_and_its_target_is_replaced() {
    each_writer(
        "link",
        |dir| {
            fs::write(dir.join("real"), "old").unwrap();
            symlink("real", dir.join("link")).unwrap();
        },
        |program, dir, outcome| {
            let _kept = outcome.success();
            let link = fs::symlink_metadata(dir.join("link")).unwrap();
            assert!(link.file_type().is_symlink(), "{program}: the link is kept");
            assert_ne!(fs::read(dir.join("real")).unwrap(), b"old", "{program}");
        },
    );
}

#[test]
fn a_dangling_link_gets_its_target_created() {
    each_writer(
        "link",
        |dir| symlink("out/made", dir.join("link")).unwrap(),
        |program, dir, outcome| {
            let _kept = outcome.success();
            assert!(
                fs::symlink_metadata(dir.join("link"))
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert!(
                dir.join("out/made").is_file(),
                "{program}: the target is written"
            );
        },
    );
}

#[test]
fn a_replaced_file_keeps_its_mode_and_its_hard_links() {
    each_writer(
        "out",
        |dir| {
            fs::write(dir.join("out"), "old").unwrap();
            fs::set_permissions(dir.join("out"), fs::Permissions::from_mode(0o600)).unwrap();
            fs::hard_link(dir.join("out"), dir.join("other-name")).unwrap();
        },
        |program, dir, outcome| {
            let _kept = outcome.success();
            let out = fs::metadata(dir.join("out")).unwrap();
            assert_eq!(out.mode() & 0o777, 0o600, "{program}: the mode is kept");
            let other = fs::metadata(dir.join("other-name")).unwrap();
            assert_eq!(out.ino(), other.ino(), "{program}: one file, two names");
            assert_ne!(
                fs::read(dir.join("other-name")).unwrap(),
                b"old",
                "{program}"
            );
        },
    );
}

#[test]
fn a_new_file_gets_the_permissions_the_umask_allows() {
    for (program, args, inputs) in writers() {
        let dir = tempfile::tempdir().unwrap();
        for (name, contents) in &inputs {
            fs::write(dir.path().join(name), contents).unwrap();
        }
        let args: Vec<String> = args
            .into_iter()
            .map(|arg| if arg == "OUT" { "new".to_owned() } else { arg })
            .collect();
        let status = Command::new("sh")
            .arg("-c")
            .arg("umask 027 && exec \"$0\" \"$@\"")
            .arg(binary(program))
            .args(&args)
            .current_dir(dir.path())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{program}");
        let mode = fs::metadata(dir.path().join("new")).unwrap().mode() & 0o777;
        assert_eq!(mode, 0o640, "{program}: 0666 less the umask 027");
    }
}

#[test]
fn what_is_not_a_regular_file_is_written_through() {
    each_writer(
        "fifo",
        |dir| {
            let status = Command::new("mkfifo")
                .arg(dir.join("fifo"))
                .status()
                .unwrap();
            assert!(status.success());
            // A reader, so that opening the FIFO for writing does not wait for ever.
            let fifo = dir.join("fifo");
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                fs::File::open(fifo)
                    .unwrap()
                    .read_to_end(&mut bytes)
                    .unwrap();
            });
        },
        |program, dir, outcome| {
            let _kept = outcome.success();
            let kind = fs::symlink_metadata(dir.join("fifo")).unwrap().file_type();
            assert!(kind.is_fifo(), "{program}: the FIFO is still a FIFO");
        },
    );
    each_writer(
        "/dev/full",
        |_| {},
        |program, _, outcome| {
            outcome.code(2).stderr_has("No space left on device");
            let kind = fs::symlink_metadata("/dev/full").unwrap().file_type();
            assert!(
                kind.is_char_device(),
                "{program}: /dev/full is still a device"
            );
        },
    );
}

/// A zip bound for a device is staged in the temporary folder first: when `TMPDIR` cannot be
/// written, the error names that folder, not the device the zip was going to.
#[test]
fn a_temporary_folder_that_cannot_be_written_is_named() {
    let test = Test::new().file("a.txt", "hello\n");
    let missing = test.path().join("missing");
    let missing = missing.to_str().unwrap().to_owned();
    let outcome = test
        .env("TMPDIR", &missing)
        .args(["a.txt", "-o", "/dev/null"])
        .run("ecs-bundle");
    let outcome = outcome
        .code(2)
        .stderr_has(&format!("cannot create a temporary file in `{missing}`"))
        .stderr_has("help: set TMPDIR");
    assert!(!outcome.stderr.contains("/dev/null"), "{}", outcome.stderr);
}

/// `-o /dev/stdout` with stdout appended to a log (`>> build.log`): the output is appended
/// through the descriptor, and the log keeps its lines and its inode; renaming the output over
/// the file the descriptor pointed at threw the log away.
#[test]
fn an_open_descriptor_is_appended_to_not_replaced() {
    for out in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
        for (program, args, inputs) in writers() {
            let mut test = Test::new().file("build.log", "an earlier line\n");
            for (name, contents) in &inputs {
                test = test.file(name, contents);
            }
            let log = test.path().join("build.log");
            let inode = fs::metadata(&log).unwrap().ino();
            let args = args
                .into_iter()
                .map(|arg| if arg == "OUT" { out.to_owned() } else { arg });
            let appended = fs::OpenOptions::new().append(true).open(&log).unwrap();
            let test = test.args(args);
            let status = test.command(program).stdout(appended).status().unwrap();
            assert!(status.success(), "{program} -o {out}");
            let written = fs::read(&log).unwrap();
            assert!(
                written.starts_with(b"an earlier line\n") && written.len() > 16,
                "{program} -o {out}: {}",
                String::from_utf8_lossy(&written)
            );
            assert_eq!(
                fs::metadata(&log).unwrap().ino(),
                inode,
                "{program} -o {out}"
            );
        }
    }
}

/// A write that fails half-way: each writer with files limited to `ulimit -f 0` (and SIGXFSZ
/// ignored, so the write fails with `EFBIG` instead of killing the program), over a regular
/// file and over `/dev/full`. The zip is 1 MiB, more than its write buffer, so the zip library
/// itself meets the error. Exit 2, one error in the project's words, nothing left behind.
#[test]
fn a_failed_write_is_told_in_the_projects_words() {
    for out in ["out.file", "/dev/full"] {
        for (program, args, inputs) in writers() {
            let mut test = Test::new();
            for (name, contents) in &inputs {
                test = test.file(name, contents);
            }
            if program == "ecs-bundle" {
                test = test.file("a.txt", crate::support::harness::noise(1 << 20));
            }
            let args = args.iter().map(|arg| if arg == "OUT" { out } else { arg });
            let limit = if out == "/dev/full" {
                ""
            } else {
                "ulimit -f 0; "
            };
            let output = Command::new("sh")
                .arg("-c")
                .arg(format!("trap '' XFSZ; {limit}exec \"$0\" \"$@\""))
                .arg(binary(program))
                .args(args)
                .current_dir(test.path())
                .output()
                .unwrap();
            let stderr = String::from_utf8(output.stderr).unwrap();
            assert_eq!(
                output.status.code(),
                Some(2),
                "{program} -o {out}: {stderr}"
            );
            assert!(
                stderr.starts_with("error: cannot write"),
                "{program}: {stderr}"
            );
            assert_eq!(stderr.matches("error:").count(), 1, "{program}: {stderr}");
            for internal in INTERNALS {
                assert!(!stderr.contains(internal), "{program} -o {out}: {stderr}");
            }
            let mut left: Vec<String> = fs::read_dir(test.path())
                .unwrap()
                .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                .collect();
            left.retain(|name| !inputs.iter().any(|(input, _)| input == name));
            assert_eq!(left, Vec::<String>::new(), "{program} -o {out} left files");
        }
    }
}

/// `ecs-imagedefs -o -` with standard output set up by `shell` (`>&-`, `> /dev/full`).
fn to_stdout(redirect: &str) -> (i32, String) {
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("exec \"$0\" \"$@\" {redirect}"))
        .arg(binary("ecs-imagedefs"))
        .args([&format!("web=nginx@{SHA}"), "-o", "-"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    (output.status.code().unwrap(), stderr)
}

#[test]
fn standard_output_that_takes_nothing_is_an_error() {
    let (code, stderr) = to_stdout(">&-");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cannot write to standard output: it is closed"),
        "{stderr}"
    );
    let (code, stderr) = to_stdout("> /dev/full");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    // Discarding on purpose is the user's choice.
    let (code, stderr) = to_stdout("> /dev/null");
    assert_eq!(code, 0, "{stderr}");

    // A pipe whose reading end is already closed.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = Command::new(binary("ecs-imagedefs"))
        .args([&format!("web=nginx@{SHA}"), "-o", "-"])
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the reading end of the pipe is closed"),
        "{stderr}"
    );
}

#[test]
fn an_output_that_is_an_input_is_refused_before_anything_is_read() {
    let template = format!(
        r#"{{"family":"web","containerDefinitions":[{{"name":"web","image":"nginx@{SHA}","memory":512,"portMappings":[{{"containerPort":80}}]}}]}}"#
    );
    let image = format!("web=nginx@{SHA}");
    let cases: [(&str, Vec<&str>, &str); 5] = [
        (
            "ecs-taskdef",
            vec!["render", "t.json", "-o", "t.json"],
            "-o",
        ),
        // Another spelling, and a link, of the same file.
        (
            "ecs-taskdef",
            vec!["render", "t.json", "-o", "./link.json"],
            "-o",
        ),
        (
            "ecs-appspec",
            vec!["--taskdef", "t.json", "-o", "t.json"],
            "-o",
        ),
        (
            "ecs-imagedefs",
            vec![&image, "--taskdef", "t.json", "-o", "t.json"],
            "-o",
        ),
        (
            "ecs-verify",
            vec![
                "--for",
                "blue-green",
                "BuildArtifact=art",
                "--render-final",
                "art/taskdef.json",
            ],
            "--render-final",
        ),
    ];
    for (program, args, flag) in cases {
        let test = Test::new()
            .file("t.json", &template)
            .file("art/taskdef.json", &template);
        symlink("t.json", test.path().join("link.json")).unwrap();
        let outcome = test
            .args(&args)
            .run(program)
            .code(2)
            .stderr_has(&format!("writing it would destroy the input ({flag})"));
        assert_eq!(outcome.file("t.json"), template, "{program} {args:?}");
        assert_eq!(
            outcome.file("art/taskdef.json"),
            template,
            "{program} {args:?}"
        );
    }
}
