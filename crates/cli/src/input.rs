//! Reading the files a program is given: regular files only, and never more than a limit.
//!
//! A FIFO would hang the program at the first read and a link to `/dev/zero` would grow it
//! without end, so every input is opened without blocking, refused unless it is a regular file,
//! and read to at most one byte past the limit of its kind (`docs/reliability.md#input-limits`).

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use deploykit_artifacts::Finding;
use deploykit_artifacts::actions::blue_green::MAX_ARTIFACT_BYTES;

use crate::codebuild;
use crate::error::CliError;

/// How much of a file of one kind a program reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    bytes: u64,
    why: &'static str,
}

impl Limit {
    /// A file a deploy action reads, or that an AWS API answered: the Blue/Green action's
    /// input artifact quota, 3 MB, the larger of the two actions' limits
    /// (<https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html>).
    pub const DEPLOY_FILE: Self = Self {
        bytes: MAX_ARTIFACT_BYTES,
        why: "the most a deploy action reads in an input artifact (3 MB)",
    };
    /// A CloudFormation template: 1 MB, the largest template CloudFormation accepts
    /// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html>).
    pub const TEMPLATE: Self = Self {
        bytes: 1_000_000,
        why: "the largest template CloudFormation accepts (1 MB)",
    };
    /// A file of a repository that is scanned (a Dockerfile, a buildspec, a workflow, a
    /// Terraform file, a configuration file): 16 MiB, far beyond any such file written by hand.
    pub const SCANNED: Self = Self {
        bytes: 16 << 20,
        why: "the most read of one scanned file (16 MiB)",
    };

    /// The limit in bytes.
    #[must_use]
    pub fn bytes(self) -> u64 {
        self.bytes
    }
}

/// Reads a whole input file, resolved the CodeBuild way, with an error that names it: at
/// most `limit`, and only from a regular file.
pub fn read(path: &Path, limit: Limit) -> Result<Vec<u8>, CliError> {
    let resolved = codebuild::resolve(path);
    let shown = path.display();
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(limit.bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| cannot_read(path, &resolved, &error))?;
    if bytes.len() as u64 > limit.bytes {
        return Err(CliError::new(format!(
            "`{shown}` is larger than {} bytes, {}",
            limit.bytes, limit.why
        ))
        .help("check that this is the file you meant"));
    }
    Ok(bytes)
}

/// For checkers, which report each file: the bytes of the deploy-action file at `path`, or,
/// when it is larger than a deploy action reads ([`Limit::DEPLOY_FILE`]), the
/// `artifact-too-large` finding that says so, so the other files are still checked.
pub fn read_checked(path: &Path) -> Result<Result<Vec<u8>, Finding>, CliError> {
    let limit = Limit::DEPLOY_FILE;
    match read(path, limit) {
        Ok(bytes) => Ok(Ok(bytes)),
        Err(error) => {
            let size = fs::metadata(codebuild::resolve(path)).map_or(0, |m| m.len());
            if size <= limit.bytes {
                return Err(error);
            }
            Ok(Err(Finding::error(
                "artifact-too-large",
                format!(
                    "the file is {size} bytes; a deploy action reads at most {} bytes of an input artifact",
                    limit.bytes
                ),
            )
            .help("the action fails on it as if the file could not be read: keep the file to what the action reads")))
        }
    }
}

/// Opens an input file, resolved the CodeBuild way, for a reader that seeks in it (a zip):
/// opened without waiting and refused unless it is a regular file, as [`read`] does, so a
/// FIFO named as a zip fails at once instead of hanging the program.
pub fn open_regular(path: &Path) -> Result<fs::File, CliError> {
    let resolved = codebuild::resolve(path);
    let not_regular = |metadata: &fs::Metadata| {
        CliError::new(format!(
            "cannot read `{}`: it is {}, not a regular file",
            path.display(),
            kind(metadata)
        ))
        .help("give the path of a file; to read a command's output, write it to a file first")
    };
    let file = open(&resolved).map_err(|error| {
        // A socket cannot be opened at all (`ENXIO`): say what it is rather than the errno.
        match fs::metadata(&resolved) {
            Ok(metadata) if !metadata.is_file() && !metadata.is_dir() => not_regular(&metadata),
            _ => cannot_read(path, &resolved, &error),
        }
    })?;
    let metadata = file
        .metadata()
        .map_err(|error| cannot_read(path, &resolved, &error))?;
    if !metadata.is_file() {
        return Err(not_regular(&metadata));
    }
    Ok(file)
}

/// Opens `path` for reading without waiting: opening a FIFO with no writer would block.
fn open(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// What a file that is not a regular file is, for messages.
fn kind(metadata: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let file_type = metadata.file_type();
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if metadata.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

fn cannot_read(path: &Path, resolved: &Path, error: &io::Error) -> CliError {
    let shown = path.display();
    let cli_error = CliError::new(format!("cannot read `{shown}`: {}", describe(error)));
    match error.kind() {
        io::ErrorKind::NotFound if resolved != path => cli_error.help(format!(
            "relative paths are read from CODEBUILD_SRC_DIR: looked for `{}`",
            resolved.display()
        )),
        io::ErrorKind::NotFound => {
            cli_error.help("check the path; it is relative to the current directory")
        }
        _ => cli_error,
    }
}

fn describe(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::IsADirectory => "it is a directory".to_owned(),
        _ => error.to_string(),
    }
}
