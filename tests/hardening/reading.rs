//! What an input path names: a FIFO is refused at once instead of hanging the program, and a
//! link to an endless file (`/dev/zero`) or a file past its kind's limit is read to one byte
//! past the limit and refused, naming the limit.

use std::os::unix::fs::symlink;
use std::process::Command;

use crate::support::fixtures::SHA;
use crate::support::harness::Test;

/// Each reader, with the arguments that make it read `IN`.
fn readers() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("ecs-imagedefs", vec!["check", "IN"]),
        ("ecs-taskdef", vec!["check", "IN"]),
        ("ecs-taskdef", vec!["render", "IN", "-o", "out.json"]),
        ("ecs-appspec", vec!["check", "IN"]),
        ("ecs-tagcheck", vec!["IN"]),
        ("ecs-verify", vec!["pipeline-template", "IN"]),
        (
            "ecs-verify",
            vec!["--service-json", "IN", "--for", "ecs", "A=a"],
        ),
    ]
}

fn each_reader(input: &str, prepare: impl Fn(&Test), expected: &str) {
    for (program, args) in readers() {
        let test = Test::new().file(
            "a/imagedefinitions.json",
            format!("[{{\"name\":\"web\",\"imageUri\":\"web@{SHA}\"}}]"),
        );
        prepare(&test);
        let args: Vec<&str> = args
            .into_iter()
            .map(|arg| if arg == "IN" { input } else { arg })
            .collect();
        let outcome = test.args(&args).run(program).code(2).stderr_has(expected);
        assert!(
            !outcome.path().join("out.json").exists(),
            "{program} {args:?}: nothing is written"
        );
    }
}

#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    each_reader(
        "fifo",
        |test| {
            let status = Command::new("mkfifo")
                .arg(test.path().join("fifo"))
                .status()
                .unwrap();
            assert!(status.success());
        },
        "cannot read `fifo`: it is a FIFO, not a regular file",
    );
}

#[test]
fn a_link_to_an_endless_file_is_refused() {
    each_reader(
        "zero",
        |test| symlink("/dev/zero", test.path().join("zero")).unwrap(),
        "cannot read `zero`: it is a device, not a regular file",
    );
}

#[test]
fn a_file_past_its_limit_is_refused_naming_the_limit() {
    let big = "x".repeat(3_000_001);
    Test::new()
        .file("taskdef.json", &big)
        .args(["--taskdef", "taskdef.json", "-o", "appspec.yaml"])
        .run("ecs-appspec")
        .code(2)
        .stderr_has(
            "`taskdef.json` is larger than 3000000 bytes, the most a deploy action \
             reads in an input artifact (3 MB)",
        );
    // A checker reports it as a finding of that file and checks the others.
    Test::new()
        .file("imagedefinitions.json", &big)
        .file("imageDetail.json", "{\"ImageURI\": \"web:latest\"}")
        .args(["check", "imagedefinitions.json", "imageDetail.json"])
        .run("ecs-imagedefs")
        .code(1)
        .stderr_has(
            "error[artifact-too-large]: the file is 3000001 bytes; a deploy action reads at most \
             3000000 bytes of an input artifact (imagedefinitions.json)",
        )
        .stderr_has("(imageDetail.json")
        .stderr_has("checked 2 files:");
    // Exactly at the limit is read, and judged by the file's own rules.
    Test::new()
        .file("imagedefinitions.json", &big[1..])
        .args(["check", "imagedefinitions.json"])
        .run("ecs-imagedefs")
        .code(1)
        .stderr_has("the ECS action reads at most 100000");
}

/// The zip readers, with the arguments that make them read a FIFO: as a zip, or as the file an
/// artifact folder holds.
const ZIP_READERS: [(&str, [&str; 3]); 3] = [
    ("ecs-bundle", ["unpack", "fifo.zip", "--directory=out"]),
    ("ecs-verify", ["--for", "ecs", "fifo.zip"]),
    ("ecs-verify", ["--for", "ecs", "a"]),
];

/// A zip is read by seeking, not through the readers above: a FIFO named as a zip, or as a
/// file in an artifact folder, is refused at once too. Each run gets ten seconds, so a reader
/// that waits for a writer fails the test instead of hanging it.
#[test]
fn a_fifo_named_as_a_zip_is_refused_without_waiting() {
    for (program, args) in ZIP_READERS {
        let test = Test::new();
        std::fs::create_dir_all(test.path().join("a")).unwrap();
        for fifo in ["fifo.zip", "a/imagedefinitions.json"] {
            let status = Command::new("mkfifo")
                .arg(test.path().join(fifo))
                .status()
                .unwrap();
            assert!(status.success());
        }
        let test = test.args(args);
        let mut child = test
            .command(program)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if std::time::Instant::now() > deadline {
                child.kill().unwrap();
                panic!("{program} {args:?} waits on a FIFO");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert_eq!(status.code(), Some(2), "{program} {args:?}: {stderr}");
        assert!(
            stderr.contains("it is a FIFO, not a regular file"),
            "{program} {args:?}: {stderr}"
        );
        assert!(
            !test.path().join("out").exists(),
            "{program}: nothing unpacked"
        );
    }
}
