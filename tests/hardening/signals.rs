//! SIGINT, SIGTERM and SIGHUP in the middle of a write: the program removes its temporary file
//! and dies of the signal (the shell sees `128 + n`), leaving the previous output as it was,
//! or no output where there was none; in the middle of an unpacking, it removes what it
//! unpacked.

use std::fs;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::crash_safety::{Rng, payload};
use crate::support::harness::{Test, binary, figure, noise};
use crate::support::signals::{ENDING, send, shell_status, temporaries, wait_until};

const OLD: &[u8] = b"the previous run's complete zip\n";

#[test]
fn a_signal_mid_write_removes_the_temporary_file() {
    let mut rng = Rng(0x0051_c7e5_7ea5);
    // 20 MiB of mostly compressible text: long enough to be caught half-way through the zip.
    let test = payload(Test::new(), &mut rng, 10, 2 << 20).args([
        "--for",
        "source",
        "payload",
        "-o",
        "artifact.zip",
    ]);
    let destination = test.path().join("artifact.zip");
    let mut tried = 0;
    for round in 0..3 {
        for (name, number) in ENDING {
            // The last round has no previous output: none may be left either.
            let old = (round < 2).then_some(OLD);
            match old {
                Some(old) => fs::write(&destination, old).expect("the previous zip"),
                None => drop(fs::remove_file(&destination)),
            }
            let mut child = test
                .command("ecs-bundle")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("ecs-bundle started");
            let writing = wait_until(&mut child, Duration::from_mins(1), || {
                !temporaries(test.path()).is_empty()
            });
            assert!(writing, "SIG{name}: no temporary file appeared");
            send(&child, name);
            let status = child.wait().expect("a reaped child");
            tried += 1;
            assert_eq!(
                shell_status(status),
                Some(128 + number),
                "SIG{name}: {status}"
            );
            assert_eq!(
                temporaries(test.path()),
                Vec::<String>::new(),
                "SIG{name} left a temporary file"
            );
            match old {
                Some(old) => assert!(
                    fs::read(&destination).expect("the previous zip") == old,
                    "SIG{name}: the previous zip changed"
                ),
                None => assert!(!destination.exists(), "SIG{name} left a zip"),
            }
        }
    }
    tried += signal_unpacking();
    figure(&format!(
        "signals: {tried} SIGINT/SIGTERM/SIGHUP mid-write or mid-unpack, 0 temporary or unpacked files left, every previous output intact"
    ));
}

/// `ecs-bundle unpack` of 40 MiB (stored noise, which no ratio check refuses) signalled once
/// the first folder is out: nothing of the unpacking stays. Returns the signals sent.
fn signal_unpacking() -> usize {
    let zipped = (0..8)
        .fold(Test::new(), |test, index| {
            test.file(&format!("payload/part-{index}.bin"), noise(5 << 20))
        })
        .args(["--for", "source", "payload", "-o", "art.zip"])
        .run("ecs-bundle")
        .success();
    let out = zipped.path().join("out");
    for (name, number) in ENDING {
        let mut child = Command::new(binary("ecs-bundle"))
            .args(["unpack", "art.zip", "-d", "out"])
            .current_dir(zipped.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ecs-bundle unpack started");
        let unpacking = wait_until(&mut child, Duration::from_mins(1), || {
            out.join("payload").exists()
        });
        assert!(unpacking, "SIG{name}: nothing was unpacked");
        send(&child, name);
        let status = child.wait().expect("a reaped child");
        assert_eq!(
            shell_status(status),
            Some(128 + number),
            "SIG{name}: {status}"
        );
        assert!(!out.exists(), "SIG{name} left {:?}", zipped.files());
    }
    ENDING.len()
}
