//! `ecs-bundle` without AWS: reproducible zips, the checks before writing, links, names, and
//! unpacking zips made to hurt.

use std::fs;
use std::io::{Cursor, Read, Write};

use crate::support::fixtures::{ECR, bundle_file};
use crate::support::harness::Test;

/// The names and contents of a zip, in stored order.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|index| {
            let mut file = archive.by_index(index).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().unwrap().into_owned(), content)
        })
        .collect()
}

fn blue_green_files(test: Test) -> Test {
    test.file("out/taskdef.json", bundle_file("taskdef.json"))
        .file("out/appspec.yaml", bundle_file("appspec.yaml"))
        .file("out/imageDetail.json", bundle_file("imageDetail.json"))
}

#[test]
fn two_runs_with_other_mtimes_and_order_give_identical_bytes() {
    let first = blue_green_files(Test::new())
        .args([
            "--for",
            "blue-green",
            "--base-dir",
            "out",
            "taskdef.json",
            "appspec.yaml",
            "imageDetail.json",
        ])
        .args(["-o", "a.zip"])
        .run("ecs-bundle")
        .success()
        .stderr_has("wrote ");
    // Written in another order, a while later, listed in another order.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = Test::new()
        .file("out/imageDetail.json", bundle_file("imageDetail.json"))
        .file("out/appspec.yaml", bundle_file("appspec.yaml"))
        .file("out/taskdef.json", bundle_file("taskdef.json"))
        .args([
            "--for",
            "blue-green",
            "--base-dir",
            "out",
            "imageDetail.json",
            "appspec.yaml",
            "taskdef.json",
        ])
        .args(["-o", "b.zip"])
        .run("ecs-bundle")
        .success();
    let (a, b) = (first.bytes("a.zip"), second.bytes("b.zip"));
    assert!(a == b, "the two zips differ");
    let names: Vec<String> = entries(&a).into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["appspec.yaml", "imageDetail.json", "taskdef.json"]);
}

#[test]
fn folders_keep_their_paths_under_the_base_directory_and_empty_ones_are_left_out() {
    let test = Test::new()
        .file("deploy/scripts/run.sh", "#!/bin/sh\n")
        .file("deploy/config/app.json", "{}");
    fs::create_dir_all(test.path().join("deploy/empty")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let script = test.path().join("deploy/scripts/run.sh");
        fs::set_permissions(script, fs::Permissions::from_mode(0o700)).unwrap();
    }
    let outcome = test
        .args(["--base-dir", "deploy", ".", "-o", "source.zip"])
        .run("ecs-bundle")
        .success();
    let bytes = outcome.bytes("source.zip");
    let names: Vec<String> = entries(&bytes).into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["config/app.json", "scripts/run.sh"]);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    assert_eq!(archive.by_index(1).unwrap().unix_mode(), Some(0o100_755));
    assert_eq!(archive.by_index(0).unwrap().unix_mode(), Some(0o100_644));
}

#[test]
fn source_date_epoch_sets_the_timestamp() {
    let outcome = Test::new()
        .file("a.txt", "a")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["a.txt", "-o", "a.zip"])
        .run("ecs-bundle")
        .success();
    let mut archive = zip::ZipArchive::new(Cursor::new(outcome.bytes("a.zip"))).unwrap();
    let time = archive.by_index(0).unwrap().last_modified().unwrap();
    assert_eq!((time.year(), time.month(), time.day()), (2023, 11, 14));
    Test::new()
        .file("a.txt", "a")
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .args(["a.txt", "-o", "a.zip"])
        .run("ecs-bundle")
        .code(2)
        .stderr_has(
            "error: `SOURCE_DATE_EPOCH` is `yesterday`, not a number of seconds since 1970",
        );
}

#[test]
fn an_ecs_zip_needs_valid_image_definitions_and_nothing_is_written_otherwise() {
    let outcome = Test::new()
        .file("out/taskdef.json", bundle_file("taskdef.json"))
        .args(["--for", "ecs", "--base-dir", "out", ".", "-o", "out/deploy.zip"])
        .run("ecs-bundle")
        .code(2)
        .stderr_has("error: the zip would have no `imagedefinitions.json` at its root; it has `taskdef.json`");
    assert_eq!(outcome.files(), ["out/taskdef.json"]);
    let outcome = Test::new()
        .file(
            "imagedefinitions.json",
            format!(r#"[{{"name":"web","imageUri":"{ECR}/web:latest"}}]"#),
        )
        .args(["--for", "ecs", "imagedefinitions.json", "-o", "deploy.zip"])
        .run("ecs-bundle")
        .code(1)
        .stderr_has("imagedefinitions.json");
    assert_eq!(outcome.files(), ["imagedefinitions.json"]);
}

#[test]
fn a_blue_green_zip_checks_the_appspec_against_the_task_definition() {
    let appspec = String::from_utf8(bundle_file("appspec.yaml")).unwrap();
    let wrong = appspec.replace("ContainerName: web", "ContainerName: api");
    assert_ne!(wrong, appspec, "the fixture names the `web` container");
    let outcome = Test::new()
        .file("taskdef.json", bundle_file("taskdef.json"))
        .file("appspec.yaml", wrong)
        .args([
            "--for",
            "blue-green",
            "taskdef.json",
            "appspec.yaml",
            "-o",
            "bg.zip",
        ])
        .run("ecs-bundle")
        .code(2)
        .stderr_has("`api`");
    assert!(!outcome.files().contains(&"bg.zip".to_owned()));
    Test::new()
        .file("appspec.yaml", bundle_file("appspec.yaml"))
        .args(["--for", "blue-green", "appspec.yaml", "-o", "bg.zip"])
        .run("ecs-bundle")
        .code(2)
        .stderr_has("`taskdef.json` is not in the task-definition artifact");
}

#[test]
fn a_blue_green_zip_over_3_mb_is_refused() {
    // Incompressible, so the zip is as large as the file.
    let mut state = 0x1234_5678_u32;
    let noise: Vec<u8> = (0..3_300_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect();
    let outcome = blue_green_files(Test::new())
        .file("out/logo.png", noise)
        .args([
            "--for",
            "blue-green",
            "--base-dir",
            "out",
            ".",
            "-o",
            "bg.zip",
        ])
        .run("ecs-bundle")
        .code(1)
        .stderr_has(
            "over the 3 MB (3000000 bytes) the Blue/Green action reads; nothing was written",
        );
    assert_eq!(
        outcome.files().len(),
        4,
        "only the inputs: {:?}",
        outcome.files()
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_refused_unless_followed() {
    let test = Test::new().file("real/config.json", "{}");
    std::os::unix::fs::symlink("real/config.json", test.path().join("link.json")).unwrap();
    let test = test.args(["link.json", "-o", "a.zip"]);
    test.run("ecs-bundle")
        .code(2)
        .stderr_has("link.json` is a symbolic link")
        .stderr_has("--follow-symlinks");
    let test = Test::new().file("real/config.json", "{}");
    std::os::unix::fs::symlink("real/config.json", test.path().join("link.json")).unwrap();
    let outcome = test
        .args(["--follow-symlinks", "link.json", "-o", "a.zip"])
        .run("ecs-bundle")
        .success();
    assert_eq!(
        entries(&outcome.bytes("a.zip")),
        [("link.json".to_owned(), b"{}".to_vec())]
    );
}

#[test]
fn paths_outside_the_base_directory_are_refused() {
    Test::new()
        .file("out/a.json", "{}")
        .file("secret.txt", "x")
        .args(["--base-dir", "out", "../secret.txt", "-o", "a.zip"])
        .run("ecs-bundle")
        .code(2)
        .stderr_has("is outside the base directory");
}

/// A zip with `name` holding `content`, written by the library with no checks of ours.
fn evil_zip(name: &str, content: &[u8]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
    writer.start_file(name, options).unwrap();
    writer.write_all(content).unwrap();
    writer.finish().unwrap().into_inner()
}

#[test]
fn unpacking_refuses_an_entry_that_climbs_out_and_writes_nothing() {
    let outcome = Test::new()
        .file("evil.zip", evil_zip("../../evil.sh", b"rm -rf /"))
        .args(["unpack", "evil.zip", "-d", "into"])
        .run("ecs-bundle")
        .code(2)
        .stderr_has("error: entry `../../evil.sh` would be written outside the folder: it contains `..` (evil.zip)")
        .stderr_has("nothing was unpacked");
    assert_eq!(outcome.files(), ["evil.zip"]);
}

#[test]
fn unpacking_refuses_a_bomb() {
    Test::new()
        .file("bomb.zip", evil_zip("zeros", &vec![0; 8 * 1024 * 1024]))
        .args(["unpack", "bomb.zip", "-d", "into"])
        .run("ecs-bundle")
        .code(2)
        .stderr_has("a ratio over the limit of 200:1");
}

#[test]
fn a_bundle_unpacks_to_the_files_that_went_in_and_never_overwrites() {
    let outcome = blue_green_files(Test::new())
        .args(["--base-dir", "out", ".", "-o", "bg.zip"])
        .run("ecs-bundle")
        .success();
    let test = Test::new().file("bg.zip", outcome.bytes("bg.zip"));
    let unpacked = test
        .args(["unpack", "bg.zip", "-d", "into"])
        .run("ecs-bundle")
        .success()
        .stderr_has("unpacked 3 files");
    assert_eq!(
        unpacked.file("into/taskdef.json").as_bytes(),
        bundle_file("taskdef.json")
    );
    Test::new()
        .file("bg.zip", outcome.bytes("bg.zip"))
        .file("into/appspec.yaml", "mine")
        .args(["unpack", "bg.zip", "-d", "into"])
        .run("ecs-bundle")
        .code(2)
        .stderr_has("existing files are never overwritten");
}

#[test]
fn a_failed_upload_leaves_no_zip_and_no_wrote_line() {
    // An old zip stays as it was; a new one is never put in place.
    for old in [None, Some("the previous zip")] {
        let mut test = Test::new().file("app.txt", "hello\n");
        if let Some(old) = old {
            test = test.file("app.zip", old);
        }
        // Port 9 (discard) refuses the connection: the upload fails at once.
        let outcome = test
            .with_test_endpoint("http://127.0.0.1:9")
            .env("AWS_MAX_ATTEMPTS", "1")
            .args([
                "app.txt",
                "-o",
                "app.zip",
                "--upload",
                "s3://bucket/app.zip",
            ])
            .run("ecs-bundle")
            .code(2)
            .stderr_has("error: `s3:PutObject` failed");
        assert!(!outcome.stderr.contains("wrote"), "{}", outcome.stderr);
        match old {
            None => assert!(
                !outcome.files().iter().any(|name| name.contains("app.zip")),
                "{:?}",
                outcome.files()
            ),
            Some(old) => assert_eq!(outcome.file("app.zip"), old),
        }
    }
}

#[test]
fn a_small_upload_whose_answer_is_not_s3s_is_not_done() {
    use crate::support::fault_proxy::{Fault, Plan, Proxy};
    for body in [
        "",
        "{}",
        "garbage",
        "<?xml version=\"1.0\"?><PutObjectResult",
    ] {
        // Nothing is forwarded: the proxy answers every request with HTTP 200 and `body`.
        let proxy = Proxy::start("http://127.0.0.1:9", Plan::always(Fault::Answer(body)));
        let outcome = Test::new()
            .file("app.txt", "hello\n")
            .with_test_endpoint(&proxy.url)
            .env("AWS_MAX_ATTEMPTS", "1")
            .args([
                "app.txt",
                "-o",
                "app.zip",
                "--upload",
                "s3://bucket/app.zip",
            ])
            .run("ecs-bundle")
            .code(2)
            .stderr_has("error: `s3:PutObject` failed: the answer has no `ETag`");
        assert!(!outcome.stderr.contains("uploaded"), "{}", outcome.stderr);
    }
}
