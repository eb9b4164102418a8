//! Reading the files a program is given.

use std::fs;
use std::io;
use std::path::Path;

use crate::codebuild;
use crate::error::CliError;

/// Reads a whole input file, resolved the CodeBuild way, with an error that names it.
pub fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    let resolved = codebuild::resolve(path);
    fs::read(&resolved).map_err(|error| {
        let shown = path.display();
        let cli_error = CliError::new(format!("cannot read `{shown}`: {}", describe(&error)));
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
    })
}

fn describe(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::IsADirectory => "it is a directory".to_owned(),
        _ => error.to_string(),
    }
}
