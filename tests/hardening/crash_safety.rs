//! Crash safety: the writing programs killed with SIGKILL at many points while they replace an
//! existing file.
//!
//! After every kill the destination must hold the old file or the complete new one (compared
//! byte for byte with a run left to finish), never part of one. SIGKILL leaves the temporary
//! file behind, since nothing runs after it; the next run of a program writing the same
//! destination removes those of writers that are gone, so after a run that completes no
//! temporary file is left beside the destination.
//!
//! Kill points come from a seeded generator, so a failure repeats: some after a sleep from
//! nothing to the length of a whole run, some as soon as the temporary file appears, when the
//! writer is surely in the middle of writing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::support::fixtures::{ECR, SHA};
use crate::support::harness::{Test, binary};

const TEMPLATE: &str = include_str!("../../examples/web-service/taskdef.template.json");
const OLD: &[u8] = b"the previous run's complete file\n";

/// xorshift64: enough to spread kill points, and the same points on every run.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A duration from zero to `max`.
    fn up_to(&mut self, max: Duration) -> Duration {
        let micros = u64::try_from(max.as_micros()).unwrap_or(u64::MAX).max(1);
        Duration::from_micros(self.next() % (micros + 1))
    }
}

/// One writing program, its working directory and its destination inside it.
struct Writer<'a> {
    program: &'a str,
    dir: &'a Path,
    args: Vec<String>,
    env: Vec<(&'a str, &'a str)>,
    destination: &'a str,
}

#[derive(Default)]
struct Tally {
    /// What went wrong, for the assertion message.
    problems: Vec<String>,
    kills: usize,
    partial: usize,
    stale: usize,
}

impl Writer<'_> {
    fn spawn(&self) -> Child {
        let mut command = Command::new(binary(self.program));
        command
            .args(&self.args)
            .current_dir(self.dir)
            .env_clear()
            .envs(self.env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(path) = std::env::var_os("PATH") {
            command.env("PATH", path);
        }
        command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.program))
    }

    fn destination(&self) -> PathBuf {
        self.dir.join(self.destination)
    }

    /// The temporary files beside the destination, by the naming `crates/cli` uses.
    fn temporaries(&self) -> Vec<String> {
        let prefix = format!(".{}.", self.destination);
        fs::read_dir(self.dir)
            .expect("a readable directory")
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| {
                name.strip_prefix(&prefix)
                    .is_some_and(|rest| rest.strip_suffix(".tmp").is_some())
            })
            .collect()
    }

    /// Runs to the end over the old file; returns what it wrote and how long it took.
    fn reference(&self) -> (Vec<u8>, Duration) {
        fs::write(self.destination(), OLD).expect("the old file");
        let started = Instant::now();
        let status = self.spawn().wait().expect("a finished run");
        let took = started.elapsed();
        assert!(status.success(), "{} failed: {status}", self.program);
        let new = fs::read(self.destination()).expect("the new file");
        assert_ne!(new, OLD, "{} wrote nothing new", self.program);
        (new, took)
    }

    /// Kills the program `kills` times over the old file and checks what is left each time.
    fn kill_repeatedly(&self, kills: usize, rng: &mut Rng, tally: &mut Tally) {
        let (new, full_run) = self.reference();
        for point in 0..kills {
            fs::write(self.destination(), OLD).expect("the old file");
            let mut child = self.spawn();
            if point % 4 == 3 {
                self.wait_for_temporary(&mut child, full_run * 4);
            } else {
                sleep(rng.up_to(full_run));
            }
            // The run may have finished already; the destination is checked either way.
            let _ = child.kill();
            child.wait().expect("a reaped child");
            tally.kills += 1;
            let left = fs::read(self.destination()).expect("a destination, old or new");
            if left != OLD && left != new {
                tally.partial += 1;
                tally.problems.push(format!(
                    "{}: kill point {point} left {} bytes, neither old ({}) nor new ({})",
                    self.program,
                    left.len(),
                    OLD.len(),
                    new.len()
                ));
            }
        }
        let status = self.spawn().wait().expect("a finished run");
        assert!(status.success(), "{} failed after the kills", self.program);
        assert!(
            fs::read(self.destination()).expect("the new file") == new,
            "{}: the run after the kills wrote other bytes",
            self.program
        );
        let stale = self.temporaries();
        if !stale.is_empty() {
            tally
                .problems
                .push(format!("{}: left {stale:?}", self.program));
        }
        tally.stale += stale.len();
    }

    /// Polls until the program's temporary file appears (or it ends, or `limit` passes).
    fn wait_for_temporary(&self, child: &mut Child, limit: Duration) {
        let started = Instant::now();
        while started.elapsed() < limit
            && self.temporaries().is_empty()
            && matches!(child.try_wait(), Ok(None))
        {
            sleep(Duration::from_micros(200));
        }
    }
}

/// `count` files of `size` bytes each: all but the last are repetitive text, which deflate
/// goes through quickly; the last is incompressible, so the zip also grows in large steps.
pub(crate) fn payload(test: Test, rng: &mut Rng, count: usize, size: usize) -> Test {
    (0..count).fold(test, |test, index| {
        let bytes: Vec<u8> = if index + 1 < count {
            b"a line of a build log, padded to a round length...\n"
                .iter()
                .copied()
                .cycle()
                .take(size)
                .collect()
        } else {
            (0..size / 8)
                .flat_map(|_| rng.next().to_le_bytes())
                .collect()
        };
        test.file(&format!("payload/part-{index:02}.bin"), bytes)
    })
}

#[test]
fn killed_writers_leave_the_old_file_or_the_new_one() {
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let mut tally = Tally::default();

    // 20 MiB in 10 files: long enough to be killed half-way through the zip.
    let bundle = payload(Test::new(), &mut rng, 10, 2 << 20);
    Writer {
        program: "ecs-bundle",
        dir: bundle.path(),
        args: ["--for", "source", "payload", "-o", "artifact.zip"]
            .map(String::from)
            .into(),
        env: vec![],
        destination: "artifact.zip",
    }
    .kill_repeatedly(40, &mut rng, &mut tally);

    let taskdef = Test::new().file("taskdef.template.json", TEMPLATE);
    Writer {
        program: "ecs-taskdef",
        dir: taskdef.path(),
        args: ["render", "taskdef.template.json", "-o", "taskdef.json"]
            .map(String::from)
            .into(),
        env: vec![
            ("AWS_ACCOUNT_ID", "123456789012"),
            ("AWS_REGION", "eu-west-1"),
        ],
        destination: "taskdef.json",
    }
    .kill_repeatedly(20, &mut rng, &mut tally);

    let imagedefs = Test::new();
    Writer {
        program: "ecs-imagedefs",
        dir: imagedefs.path(),
        args: vec![
            format!("web={ECR}/web@{SHA}"),
            format!("api={ECR}/api:abc123"),
            "-o".into(),
            "imagedefinitions.json".into(),
        ],
        env: vec![],
        destination: "imagedefinitions.json",
    }
    .kill_repeatedly(20, &mut rng, &mut tally);

    let appspec = Test::new().file("taskdef.template.json", TEMPLATE);
    Writer {
        program: "ecs-appspec",
        dir: appspec.path(),
        args: ["--taskdef", "taskdef.template.json", "-o", "appspec.yaml"]
            .map(String::from)
            .into(),
        env: vec![],
        destination: "appspec.yaml",
    }
    .kill_repeatedly(20, &mut rng, &mut tally);

    crate::support::harness::figure(&format!(
        "crash safety: {} kill points, {} partial files seen, {} stale temp files left",
        tally.kills, tally.partial, tally.stale
    ));
    assert_eq!(tally.partial, 0, "{}", tally.problems.join("\n"));
    assert_eq!(tally.stale, 0, "{}", tally.problems.join("\n"));
}
