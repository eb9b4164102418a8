//! How checkers report findings: readable text on stderr, or JSON, SARIF 2.1.0 (GitHub code
//! scanning) or JUnit XML (CodeBuild test reports) on stdout, and any of them to files too
//! (`--report FORMAT=PATH`).

mod junit;
mod rules;
mod sarif;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;

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
    /// The file's text, when it was read: reports that give lines place the findings' JSON
    /// paths and CloudFormation places in it.
    #[serde(skip)]
    pub text: Option<String>,
    /// The file on disk, when `path` names it otherwise (a file in an artifact, shown by the
    /// artifact's name): reports that link to files link to this one.
    #[serde(skip)]
    pub file: Option<String>,
}

impl FileReport {
    /// The report of file `path`, checked as `kind`, with `findings` and no text.
    #[must_use]
    pub fn new(path: impl Into<String>, kind: &str, findings: Vec<Finding>) -> Self {
        Self {
            path: path.into(),
            kind: Some(kind.to_owned()),
            findings,
            text: None,
            file: None,
        }
    }

    /// The same report, with the file's `bytes` to place findings in.
    #[must_use]
    pub fn with_text(mut self, bytes: &[u8]) -> Self {
        self.text = Some(String::from_utf8_lossy(bytes).into_owned());
        self
    }
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

/// A report written to a file as well: `--report FORMAT=PATH`, repeatable, so that one run
/// gives its log, a CodeBuild report and a SARIF file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFile {
    /// What to write.
    pub format: Format,
    /// Where, as given (`-` is stdout).
    pub path: PathBuf,
}

impl FromStr for ReportFile {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let names = "text, json, sarif, junit";
        let (format, path) = text.split_once('=').ok_or_else(|| {
            format!(
                "`{text}` is not FORMAT=PATH, such as sarif=reports/checks.sarif; formats: {names}"
            )
        })?;
        let format = <Format as clap::ValueEnum>::from_str(format, false)
            .map_err(|_| format!("`{format}` is no report format; formats: {names}"))?;
        if path.is_empty() {
            return Err(format!("`{text}` names no file: give FORMAT=PATH"));
        }
        Ok(Self {
            format,
            path: PathBuf::from(path),
        })
    }
}

/// Prints the reports of checker `tool` in `format` (text on stderr, the others on stdout),
/// writes each of `files`, and says how the program ends: `1` when any error was found.
pub fn print(
    tool: &str,
    reports: &[FileReport],
    format: Format,
    files: &[ReportFile],
) -> Result<Exit, CliError> {
    let count = |severity| {
        reports
            .iter()
            .flat_map(|r| &r.findings)
            .filter(|f| f.severity == severity)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let root = || {
        std::env::current_dir()
            .map_err(|error| CliError::new(format!("cannot read the current folder: {error}")))
    };
    let render = |format| -> Result<String, CliError> {
        Ok(match format {
            Format::Text => text(reports, errors, warnings),
            Format::Json => {
                let report = JsonReport {
                    files: reports,
                    errors,
                    warnings,
                };
                let mut text =
                    serde_json::to_string_pretty(&report).expect("reports always serialize");
                text.push('\n');
                text
            }
            Format::Sarif => {
                let mut text =
                    serde_json::to_string_pretty(&sarif::render(tool, reports, &root()?))
                        .expect("a JSON value always serializes");
                text.push('\n');
                text
            }
            Format::Junit => junit::render(tool, reports),
        })
    };
    // Every file first: a report that cannot be written fails the run before the log says
    // it is clean.
    for file in files {
        let output = crate::Output::from_arg(&file.path);
        let inputs = reports
            .iter()
            .map(|r| Path::new(r.file.as_ref().unwrap_or(&r.path)));
        output.refuse_inputs("--report", inputs)?;
        output.write(render(file.format)?.as_bytes())?;
    }
    match format {
        Format::Text => crate::say(format_args!("{}", render(Format::Text)?.trim_end())),
        other => crate::Output::Stdout.write(render(other)?.as_bytes())?,
    }
    Ok(if errors > 0 {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

/// The text report: each finding, then the count.
fn text(reports: &[FileReport], errors: usize, warnings: usize) -> String {
    let mut text = String::new();
    for report in reports {
        for finding in &report.findings {
            let _ = writeln!(text, "{}", format_finding(finding, &report.path));
        }
    }
    let files = if reports.len() == 1 { "file" } else { "files" };
    let _ = writeln!(
        text,
        "checked {} {files}: {errors} {}, {warnings} {}",
        reports.len(),
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    text
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
    fn report_files_are_format_and_path() {
        let file: ReportFile = "sarif=out/a=b.sarif".parse().unwrap();
        assert_eq!(
            file,
            ReportFile {
                format: Format::Sarif,
                path: PathBuf::from("out/a=b.sarif")
            }
        );
        let refused = |text: &str| text.parse::<ReportFile>().unwrap_err();
        assert_eq!(
            refused("xml=a.xml"),
            "`xml` is no report format; formats: text, json, sarif, junit"
        );
        assert!(refused("a.sarif").contains("is not FORMAT=PATH"));
        assert!(refused("junit=").contains("names no file"));
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
