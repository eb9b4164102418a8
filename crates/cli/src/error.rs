//! Errors, exit codes and the one place that prints them.

use std::fmt;
use std::process::ExitCode;

use deploykit_artifacts::Finding;

/// How a program ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// `0`: done, and nothing wrong was found.
    Clean,
    /// `1`: the input was read and a check found problems.
    Findings,
    /// `2`: the program could not do its job.
    Failure,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        match exit {
            Exit::Clean => Self::SUCCESS,
            Exit::Findings => Self::from(1),
            Exit::Failure => Self::from(2),
        }
    }
}

/// An error for the user: what went wrong, where, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    message: String,
    location: Option<String>,
    help: Option<String>,
    exit: Exit,
}

impl CliError {
    /// The program could not do its job (exit `2`).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            location: None,
            help: None,
            exit: Exit::Failure,
        }
    }

    /// The input was read, and the policy or a check refuses it (exit `1`).
    pub fn refused(message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Findings,
            ..Self::new(message)
        }
    }

    /// The same error, ending the program as a refusal (exit `1`) rather than a failure.
    #[must_use]
    pub fn as_refusal(mut self) -> Self {
        self.exit = Exit::Findings;
        self
    }

    /// Where the problem is: a file and line, a key path, a container, an argument.
    #[must_use]
    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// What the user can do about it.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// An error from a finding, located in `source` (a file name or an argument).
    #[must_use]
    pub fn from_finding(finding: &Finding, source: &str) -> Self {
        let location = match &finding.location {
            Some(location) => format!("{source}: {location}"),
            None => source.to_owned(),
        };
        let error = Self::new(finding.message.clone()).at(location);
        match &finding.help {
            Some(help) => error.help(help.clone()),
            None => error,
        }
    }

    /// The exit status this error ends the program with.
    #[must_use]
    pub fn exit(&self) -> Exit {
        self.exit
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        if let Some(location) = &self.location {
            write!(f, " ({location})")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CliError {}

/// Runs a program's body and turns its result into the process exit code, printing the error.
pub fn run(body: impl FnOnce() -> Result<Exit, CliError>) -> ExitCode {
    match body() {
        Ok(exit) => exit.into(),
        Err(error) => {
            crate::say(format_args!("{error}"));
            error.exit().into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_what_where_and_help() {
        let error = CliError::new("container `api` is not in the task definition")
            .at("taskdef.json")
            .help("use `web`");
        assert_eq!(
            error.to_string(),
            "error: container `api` is not in the task definition (taskdef.json)\nhelp: use `web`"
        );
        assert_eq!(error.exit(), Exit::Failure);
        assert_eq!(CliError::refused("x").exit(), Exit::Findings);
        assert_eq!(CliError::new("plain").to_string(), "error: plain");
    }

    #[test]
    fn locates_a_finding_in_its_source() {
        let finding = Finding::error("duplicate-name", "listed twice")
            .at(deploykit_artifacts::JsonPath::root().index(1).key("name"))
            .help("once");
        let error = CliError::from_finding(&finding, "imagedefinitions.json");
        assert_eq!(
            error.to_string(),
            "error: listed twice (imagedefinitions.json: $[1].name)\nhelp: once"
        );
    }
}
