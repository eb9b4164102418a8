//! The eight programs as one file, the way the release tarball ships them: the program that
//! runs is the one named by the file name it is started under (`bin/ecs-verify` is a hard link
//! to the same file as `bin/ecs-bundle`). One copy of the AWS SDK instead of eight makes the
//! tarball a fraction of the size and the release build one link instead of eight
//! (`docs/performance.md`, "One program"). The programs are the ones in `src/bin/`, unchanged.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// A program's `main`.
type Main = fn() -> ExitCode;

include!(concat!(env!("OUT_DIR"), "/programs.rs"));

fn main() -> ExitCode {
    let started_as = std::env::args_os().next().unwrap_or_default();
    let name = Path::new(&started_as).file_name().unwrap_or_default();
    if let Some((_, main)) = PROGRAMS.iter().find(|(program, _)| name == *program) {
        return main();
    }
    let names: Vec<&str> = PROGRAMS.iter().map(|(program, _)| *program).collect();
    let _ = writeln!(
        std::io::stderr(),
        "error: this file holds the programs {}; start it under one of those names, not `{}`\n\
         help: install the release tarball with buildspecs/install.sh, which unpacks one link per program",
        names.join(", "),
        name.to_string_lossy()
    );
    ExitCode::from(2)
}
