//! A program's plan: every file it will write, known whole before the first one is written.
//!
//! A program reads its inputs, makes one library call, and puts what it found into a [`Plan`];
//! only then does [`Plan::execute`] write. An error anywhere before that (a bad input, an AWS
//! lookup that fails on the third image) leaves every destination, inputs included, as it was.

use std::fmt;

use crate::error::CliError;
use std::path::PathBuf;

use crate::output::{self, Destination, Output, Staged};

/// The files a program will write, in order, with what each is for the build log.
#[derive(Default)]
pub struct Plan {
    files: Vec<Planned>,
}

struct Planned {
    output: Output,
    bytes: Vec<u8>,
    what: String,
}

impl fmt::Debug for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The bytes may be large, or hold what an input held: only the destinations are shown.
        f.debug_list()
            .entries(self.files.iter().map(|file| file.output.describe()))
            .finish()
    }
}

impl Plan {
    /// An empty plan.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Plans to write `bytes` to `output`; `what` names it in the build log (`wrote PATH what`).
    pub fn write(&mut self, output: Output, bytes: Vec<u8>, what: impl Into<String>) {
        self.files.push(Planned {
            output,
            bytes,
            what: what.into(),
        });
    }

    /// Whether nothing is to be written.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The destinations, in order.
    pub fn destinations(&self) -> impl Iterator<Item = &Output> {
        self.files.iter().map(|file| &file.output)
    }

    /// Writes every planned file. Each file is first written whole under a temporary name
    /// beside its destination; standard output comes next; only then are the files renamed
    /// into place, so a failure while writing leaves every destination as it was.
    pub fn execute(self) -> Result<(), CliError> {
        let mut staged: Vec<(Staged, &Planned)> = Vec::new();
        let mut through: Vec<(PathBuf, &Planned)> = Vec::new();
        for planned in &self.files {
            let Output::File(path) = &planned.output else {
                continue;
            };
            match output::resolve(path)? {
                Destination::Replace {
                    path: real,
                    existing,
                } => {
                    let ((), file) = output::stage(&real, existing, |file| {
                        output::write_all(file, path, &planned.bytes)
                    })?;
                    staged.push((file, planned));
                }
                Destination::Through(target) => through.push((target, planned)),
            }
        }
        for (target, planned) in through {
            output::write_all(&mut output::open_through(&target)?, &target, &planned.bytes)?;
        }
        for planned in &self.files {
            if planned.output == Output::Stdout {
                output::write_stdout(&planned.bytes)?;
            }
        }
        for (file, planned) in staged {
            file.commit()?;
            planned.output.announce(&planned.what);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn writes_every_file_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("a.json");
        fs::write(&first, b"old").unwrap();
        let mut plan = Plan::new();
        plan.write(Output::File(first.clone()), b"new".to_vec(), "a");
        // A destination that cannot be written: a directory.
        plan.write(Output::File(dir.path().to_owned()), b"x".to_vec(), "b");
        assert!(plan.execute().is_err());
        assert_eq!(
            fs::read(&first).unwrap(),
            b"old",
            "the first file is untouched"
        );
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left behind");

        let mut plan = Plan::new();
        let second = dir.path().join("out/b.json");
        plan.write(Output::File(first.clone()), b"new".to_vec(), "a");
        plan.write(Output::File(second.clone()), b"b".to_vec(), "b");
        assert_eq!(format!("{plan:?}").matches(".json").count(), 2);
        plan.execute().unwrap();
        assert_eq!(fs::read(&first).unwrap(), b"new");
        assert_eq!(fs::read(&second).unwrap(), b"b");
    }
}
