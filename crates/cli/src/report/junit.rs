//! JUnit XML, the format CodeBuild test reports read: one test suite per file; in it, one
//! test case per finding, and one passing case named after the file when it has none, so a
//! report group shows every checked file. An error is a `failure` whose type is its rule and
//! whose text is the finding as the text report gives it: rule, place and fix. A warning
//! passes, its text in the case's `system-out`.
//!
//! Source: CodeBuild user guide, "Test reporting in AWS CodeBuild"
//! (<https://docs.aws.amazon.com/codebuild/latest/userguide/test-reporting.html>): JUnit XML is a
//! supported format; report groups read `testsuite`, `testcase` (`name`, `classname`, `time`)
//! and `failure` (`message`, `type`). The element and attribute names follow the common Ant
//! JUnit schema.

use std::fmt::Write as _;

use deploykit_artifacts::Severity;

use super::{FileReport, format_finding};

/// The JUnit document of one run of `tool` over `reports`.
pub(super) fn render(tool: &str, reports: &[FileReport]) -> String {
    let tests: usize = reports.iter().map(|r| r.findings.len().max(1)).sum();
    let failures = reports
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.severity == Severity::Error)
        .count();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        r#"<testsuites name="{}" tests="{tests}" failures="{failures}" errors="0" time="0">"#,
        escape(tool)
    );
    for report in reports {
        let path = escape(&report.path);
        let suite_failures = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let _ = writeln!(
            xml,
            r#"  <testsuite name="{path}" tests="{}" failures="{suite_failures}" errors="0" skipped="0" time="0">"#,
            report.findings.len().max(1)
        );
        if report.findings.is_empty() {
            let _ = writeln!(
                xml,
                r#"    <testcase classname="{path}" name="{path}" time="0"/>"#
            );
        }
        for finding in &report.findings {
            let name = match &finding.location {
                Some(location) => format!("{} at {location}", finding.rule),
                None => finding.rule.to_owned(),
            };
            let text = escape(&format_finding(finding, &report.path));
            let _ = writeln!(
                xml,
                r#"    <testcase classname="{path}" name="{}" time="0">"#,
                escape(&name)
            );
            match finding.severity {
                Severity::Error => {
                    let _ = writeln!(
                        xml,
                        r#"      <failure message="{}" type="{}">{text}</failure>"#,
                        escape(&finding.message),
                        finding.rule,
                    );
                }
                Severity::Warning => {
                    let _ = writeln!(xml, "      <system-out>{text}</system-out>");
                }
            }
            xml.push_str("    </testcase>\n");
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

/// The five XML special characters; control characters other than tab and newline, which XML
/// 1.0 cannot carry at all, become spaces.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use deploykit_artifacts::Finding;

    use super::*;

    #[test]
    fn one_case_per_finding_and_one_for_a_clean_file() {
        let reports = [
            FileReport {
                path: "out/imagedefinitions.json".into(),
                kind: None,
                findings: vec![
                    Finding::error("mutable-tag", "`web` has no tag")
                        .at(deploykit_artifacts::JsonPath::root()
                            .index(0)
                            .key("imageUri"))
                        .help("pin <it>"),
                    Finding::warning("unknown-key", "`x` & `y`"),
                ],
                text: None,
                file: None,
            },
            FileReport {
                path: "out/imageDetail.json".into(),
                kind: None,
                findings: vec![],
                text: None,
                file: None,
            },
        ];
        let xml = render("ecs-imagedefs", &reports);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ecs-imagedefs\" tests=\"3\" failures=\"1\" errors=\"0\" time=\"0\">\n"), "{xml}");
        assert!(xml.contains(r#"<testcase classname="out/imagedefinitions.json" name="mutable-tag at $[0].imageUri" time="0">"#), "{xml}");
        assert!(xml.contains(r#"<failure message="`web` has no tag" type="mutable-tag">error[mutable-tag]: `web` has no tag (out/imagedefinitions.json: $[0].imageUri)
help: pin &lt;it&gt;</failure>"#), "{xml}");
        assert!(
            xml.contains("<system-out>warning[unknown-key]: `x` &amp; `y` (out/imagedefinitions.json)</system-out>"),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<testcase classname="out/imageDetail.json" name="out/imageDetail.json" time="0"/>"#),
            "{xml}"
        );
        assert_eq!(escape("a\u{1}b"), "a b");
    }
}
