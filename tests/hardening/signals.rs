//! SIGINT, SIGTERM and SIGHUP in the middle of a write: the program removes its temporary file
//! and dies of the signal (the shell sees `128 + n`), leaving the previous output as it was,
//! or no output where there was none.

use std::fs;
use std::process::Stdio;
use std::time::Duration;

use super::crash_safety::{Rng, payload};
use crate::support::harness::{Test, figure};
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
    figure(&format!(
        "signals: {tried} SIGINT/SIGTERM/SIGHUP mid-write, 0 temporary files left, every previous output intact"
    ));
}
