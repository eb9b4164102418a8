//! Everything a substitution found wrong, reported together. Names and locations only: a
//! variable's value never appears here, because values are often secrets.

use std::fmt;

use crate::finding::Finding;

/// A variable that is used without a default and is not set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingVariable {
    /// The variable's name.
    pub name: String,
    /// Every place it is used, in document order, each once (JSON paths such as
    /// `$.executionRoleArn`). Empty when the caller gave no locations.
    pub locations: Vec<String>,
}

/// A `${` that does not start a valid `${NAME}` or `${NAME:-default}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed {
    /// Where the string is, when the caller said.
    pub location: Option<String>,
    /// The offending text from `${` to the closing `}` (or the end of the string), shortened
    /// when it is long.
    pub text: String,
    /// Why it is not a variable reference.
    pub reason: String,
}

/// Why a substitution failed: every unset variable and every malformed reference at once.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct SubstitutionError {
    /// Unset variables without a default, in order of first use, each once.
    pub missing: Vec<MissingVariable>,
    /// Malformed references, in document order.
    pub malformed: Vec<Malformed>,
}

impl SubstitutionError {
    /// What the user can do about it.
    #[must_use]
    pub fn help(&self) -> String {
        let mut help = Vec::new();
        if !self.missing.is_empty() {
            let them = if self.missing.len() == 1 {
                "it"
            } else {
                "them"
            };
            help.push(format!(
                "set {them} in the environment, with --var NAME=VALUE or --vars-file, or give a \
                 default: ${{NAME:-value}} (write $${{NAME}} to pass ${{NAME}} through to the \
                 container unchanged)"
            ));
        }
        if !self.malformed.is_empty() {
            help.push(
                "write ${NAME} or ${NAME:-default}, NAME being ASCII letters, digits and `_` not \
                 starting with a digit; write $${ for a literal ${"
                    .to_owned(),
            );
        }
        help.join("; ")
    }

    /// One error finding per place, for the checkers' text, JSON, SARIF and JUnit reports.
    #[must_use]
    pub fn findings(&self) -> Vec<Finding> {
        let help = self.help();
        let mut findings = Vec::new();
        for missing in &self.missing {
            let message = format!("variable `{}` is not set", missing.name);
            if missing.locations.is_empty() {
                findings.push(Finding::error("unset-variable", message.clone()).help(&help));
            }
            for location in &missing.locations {
                findings.push(
                    Finding::error("unset-variable", message.clone())
                        .at_place(location.clone())
                        .help(&help),
                );
            }
        }
        for malformed in &self.malformed {
            let finding = Finding::error(
                "invalid-variable-reference",
                format!(
                    "`{}` is not a valid variable reference: {}",
                    malformed.text, malformed.reason
                ),
            )
            .help(&help);
            findings.push(match &malformed.location {
                Some(location) => finding.at_place(location.clone()),
                None => finding,
            });
        }
        findings
    }
}

impl fmt::Display for SubstitutionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.missing.as_slice() {
            [] => {}
            [one] => write!(f, "variable {}", Missing(one))?,
            many => {
                write!(f, "{} variables are not set: ", many.len())?;
                for (index, missing) in many.iter().enumerate() {
                    let separator = if index == 0 { "" } else { ", " };
                    write!(f, "{separator}`{}`", missing.name)?;
                    write_locations(f, &missing.locations)?;
                }
            }
        }
        if !self.missing.is_empty() && !self.malformed.is_empty() {
            f.write_str("; ")?;
        }
        match self.malformed.as_slice() {
            [] => Ok(()),
            [one] => write!(
                f,
                "`{}` is not a valid variable reference: {}{}",
                one.text,
                one.reason,
                At(one.location.as_deref())
            ),
            many => {
                write!(f, "{} variable references are not valid: ", many.len())?;
                for (index, malformed) in many.iter().enumerate() {
                    let separator = if index == 0 { "" } else { "; " };
                    write!(
                        f,
                        "{separator}`{}`: {}{}",
                        malformed.text,
                        malformed.reason,
                        At(malformed.location.as_deref())
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// "`NAME` is not set (at …)" for the one-variable message.
struct Missing<'a>(&'a MissingVariable);

impl fmt::Display for Missing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not set", self.0.name)?;
        write_locations(f, &self.0.locations)
    }
}

/// " (at $.a)" or nothing.
struct At<'a>(Option<&'a str>);

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(location) => write!(f, " (at {location})"),
            None => Ok(()),
        }
    }
}

fn write_locations(f: &mut fmt::Formatter<'_>, locations: &[String]) -> fmt::Result {
    if locations.is_empty() {
        return Ok(());
    }
    write!(f, " (at {})", locations.join(", "))
}

/// Long malformed text (a `${` with no `}` in a long command) is cut so the message stays one
/// readable line.
pub(super) fn shorten(text: &str) -> String {
    crate::suggest::shown(text).into_owned()
}
