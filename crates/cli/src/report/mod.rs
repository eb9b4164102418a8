//! How checkers report findings: readable text on stderr, or JSON, SARIF 2.1.0 (GitHub code
//! scanning) or JUnit XML (CodeBuild test reports) on stdout.

mod junit;
mod sarif;

use std::fmt::Write as _;

use deploykit_artifacts::{Finding, Severity};
use serde::Serialize;

use crate::error::{CliError, Exit};

/// Report formats, chosen with `--format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `error[rule]: message (file: where)` lines on stderr.
    #[default]
    Text,
    /// One JSON document on stdout.
    Json,
    /// SARIF 2.1.0 on stdout, for GitHub code scanning.
    Sarif,
    /// JUnit XML on stdout, for CodeBuild report groups.
    Junit,
}

/// The findings of one checked file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileReport {
    /// The file as the user named it.
    pub path: String,
    /// What the file was checked as, such as `image-definitions`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Errors and warnings, in the order found.
    pub findings: Vec<Finding>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    files: &'a [FileReport],
    errors: usize,
    warnings: usize,
}

/// One finding as text: `error[rule]: message (source: location)` and a `help:` line.
#[must_use]
pub fn format_finding(finding: &Finding, source: &str) -> String {
    let mut text = format!(
        "{}[{}]: {} (",
        finding.severity, finding.rule, finding.message
    );
    text.push_str(source);
    if let Some(location) = &finding.location {
        let _ = write!(text, ": {location}");
    }
    text.push(')');
    if let Some(help) = &finding.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    text
}

/// For programs that write: prints the warnings among `problems` (each with the source it came
/// from), and fails when there is any error, before anything is written. Exit `1` when only
/// policy rules refuse ([`Finding::is_policy`]), `2` when the input itself is wrong.
pub fn refuse_errors(problems: &[(Finding, String)], destination: &str) -> Result<(), CliError> {
    if problems.iter().any(|(finding, _)| finding.is_error()) {
        Err(refusal(problems, destination))
    } else {
        print_all(problems.iter());
        Ok(())
    }
}

/// The error for `problems` known to hold an error; their warnings and all but one error are
/// printed on the way.
#[must_use]
pub fn refusal(problems: &[(Finding, String)], destination: &str) -> CliError {
    print_all(
        problems
            .iter()
            .filter(|(f, _)| f.severity == Severity::Warning),
    );
    let errors: Vec<&(Finding, String)> = problems.iter().filter(|(f, _)| f.is_error()).collect();
    let only_policy = errors.iter().all(|(finding, _)| finding.is_policy());
    let error = match errors.as_slice() {
        [(finding, origin)] => CliError::from_finding(finding, origin),
        many => {
            print_all(many.iter().copied());
            CliError::new(format!(
                "{} problems; nothing was written to {destination}",
                many.len()
            ))
        }
    };
    if only_policy && !errors.is_empty() {
        error.as_refusal()
    } else {
        error
    }
}

fn print_all<'a>(problems: impl Iterator<Item = &'a (Finding, String)>) {
    for (finding, origin) in problems {
        crate::say(format_args!("{}", format_finding(finding, origin)));
    }
}

/// Prints the reports of checker `tool` and says how the program ends: `1` when any error
/// was found.
pub fn print(tool: &str, reports: &[FileReport], format: Format) -> Result<Exit, CliError> {
    let count = |severity| {
        reports
            .iter()
            .flat_map(|r| &r.findings)
            .filter(|f| f.severity == severity)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    match format {
        Format::Text => {
            for report in reports {
                for finding in &report.findings {
                    crate::say(format_args!("{}", format_finding(finding, &report.path)));
                }
            }
            let files = if reports.len() == 1 { "file" } else { "files" };
            crate::say(format_args!(
                "checked {} {files}: {errors} {}, {warnings} {}",
                reports.len(),
                plural(errors, "error"),
                plural(warnings, "warning")
            ));
        }
        Format::Json => {
            let report = JsonReport {
                files: reports,
                errors,
                warnings,
            };
            let mut text = serde_json::to_string_pretty(&report).expect("reports always serialize");
            text.push('\n');
            crate::Output::Stdout.write(text.as_bytes())?;
        }
        Format::Sarif => {
            let mut text = serde_json::to_string_pretty(&sarif::render(tool, reports))
                .expect("a JSON value always serializes");
            text.push('\n');
            crate::Output::Stdout.write(text.as_bytes())?;
        }
        Format::Junit => crate::Output::Stdout.write(junit::render(tool, reports).as_bytes())?,
    }
    Ok(if errors > 0 {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use deploykit_artifacts::JsonPath;

    use super::*;

    #[test]
    fn text_names_severity_rule_place_and_help() {
        let finding = Finding::warning("unknown-key", "`x` is ignored")
            .at(JsonPath::root().index(0).key("x"))
            .help("drop it");
        assert_eq!(
            format_finding(&finding, "imagedefinitions.json"),
            "warning[unknown-key]: `x` is ignored (imagedefinitions.json: $[0].x)\nhelp: drop it"
        );
        let bare = Finding::error("too-large", "too big");
        assert_eq!(
            format_finding(&bare, "a.json"),
            "error[too-large]: too big (a.json)"
        );
    }

    #[test]
    fn only_policy_findings_refuse_with_exit_1() {
        let policy = Finding::policy("mutable-tag", "`web:latest` is mutable");
        let broken = Finding::error("invalid-json", "the file is not valid JSON");
        let warning = Finding::warning("unknown-key", "ignored");
        let one = |findings: &[&Finding]| {
            let problems: Vec<(Finding, String)> = findings
                .iter()
                .map(|f| ((*f).clone(), "a.json".to_owned()))
                .collect();
            refusal(&problems, "out.json").exit()
        };
        assert_eq!(one(&[&policy, &warning]), Exit::Findings);
        assert_eq!(one(&[&policy, &policy]), Exit::Findings);
        assert_eq!(one(&[&policy, &broken]), Exit::Failure);
        assert_eq!(one(&[&broken]), Exit::Failure);
    }
}
