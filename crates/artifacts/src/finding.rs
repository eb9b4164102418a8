//! Findings: what a check found wrong in an input, with where it is and what to do.

use std::fmt;

use serde::Serialize;

use crate::location::{JsonPath, Location};

/// How bad a finding is. Errors fail a check; warnings are reported and pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported; the check still passes.
    Warning,
    /// The deploy action would fail, or the policy forbids it.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// What a finding's error refuses, which decides how a program that refuses it ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Class {
    /// The input is wrong: the action would fail on it (exit `2` from a program that writes).
    #[default]
    Input,
    /// The input is valid, and a policy forbids it, such as a mutable image tag (exit `1`).
    Policy,
}

/// One problem found in an input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// A stable identifier of the rule, such as `duplicate-name`, for filters and reports.
    pub rule: &'static str,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// Where within the input: a JSON path such as `$[1].imageUri`, or `line 3, column 7`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// What to do about it, when there is something specific to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Whether the rule that made it is a policy or about a broken input.
    #[serde(skip)]
    pub class: Class,
}

impl Finding {
    /// An error finding.
    pub fn error(rule: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            rule,
            message: message.into(),
            location: None,
            help: None,
            class: Class::Input,
        }
    }

    /// An error finding of a policy rule: the input is valid, and the policy forbids it.
    pub fn policy(rule: &'static str, message: impl Into<String>) -> Self {
        Self {
            class: Class::Policy,
            ..Self::error(rule, message)
        }
    }

    /// A warning finding.
    pub fn warning(rule: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(rule, message)
        }
    }

    /// Sets where the finding is.
    #[must_use]
    pub fn at(mut self, location: impl Into<Location>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// Sets where the finding is: a path into the document.
    #[must_use]
    pub fn at_path(self, path: JsonPath) -> Self {
        self.at(path)
    }

    /// Sets where the finding is: a line of the text, and a column when known.
    #[must_use]
    pub fn at_line(self, line: usize, column: Option<usize>) -> Self {
        self.at(Location::line(line, column))
    }

    /// Sets where the finding is: a command-line flag and its value, such as `--set /cpu`.
    #[must_use]
    pub fn at_flag(self, flag: impl Into<String>, value: impl Into<String>) -> Self {
        self.at(Location::flag(flag, value))
    }

    /// Sets where the finding is: a place named as its document names it (see
    /// [`Location::place`]).
    #[must_use]
    pub fn at_place(self, text: impl Into<String>) -> Self {
        self.at(Location::place(text))
    }

    /// Where the finding is, as users read it.
    #[must_use]
    pub fn shown_location(&self) -> Option<String> {
        self.location.as_ref().map(ToString::to_string)
    }

    /// Where the finding is, as users read it, borrowed.
    #[must_use]
    pub fn location_str(&self) -> Option<&str> {
        self.location.as_ref().map(Location::as_str)
    }

    /// Sets what to do about it.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help only if there is one.
    #[must_use]
    pub fn maybe_help(mut self, help: Option<&str>) -> Self {
        self.help = help.map(str::to_owned);
        self
    }

    /// The same finding under another rule id, for callers that report a shared reader's
    /// finding (`not-utf8`, `invalid-json`) under their own rule.
    #[must_use]
    pub fn into_rule(mut self, rule: &'static str) -> Self {
        self.rule = rule;
        self
    }

    /// True for errors.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// True for findings of a policy rule (see [`Class`]).
    #[must_use]
    pub fn is_policy(&self) -> bool {
        self.class == Class::Policy
    }
}

/// True when any finding is an error.
#[must_use]
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}
