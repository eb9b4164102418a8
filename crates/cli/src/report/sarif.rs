//! SARIF 2.1.0, the format GitHub code scanning reads.
//!
//! Source: OASIS "Static Analysis Results Interchange Format Version 2.1.0", sections 3.13
//! (sarifLog), 3.14 (run), 3.19 (toolComponent), 3.27 (result), 3.28 (location), 3.30 (region).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use deploykit_artifacts::locate::{line_count, position_of, position_of_named};
use deploykit_artifacts::location::{Column, Location};
use deploykit_artifacts::{Finding, Severity};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::FileReport;
use super::rules::{self, REPOSITORY};

/// The base the artifact URIs are relative to: the folder the program ran in, which for
/// GitHub code scanning is the checkout (<https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning>).
const SRCROOT: &str = "%SRCROOT%";

/// The SARIF log of one run of `tool` over `reports`, with URIs relative to `root`.
pub(super) fn render(tool: &str, reports: &[FileReport], root: &Path) -> Value {
    // Each rule once, in id order, described by its first finding.
    let mut first: BTreeMap<&str, &Finding> = BTreeMap::new();
    for finding in reports.iter().flat_map(|r| &r.findings) {
        first.entry(finding.rule).or_insert(finding);
    }
    let index: HashMap<&str, usize> = first.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules: Vec<Value> = first
        .iter()
        .map(|(id, finding)| {
            let doc = rules::describe(tool, id, Some(finding));
            json!({
                "id": id,
                "shortDescription": { "text": doc.short },
                "fullDescription": { "text": doc.full },
                "help": { "text": doc.help },
                "helpUri": doc.uri,
                "defaultConfiguration": { "level": level(finding.severity) },
            })
        })
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut results = Vec::new();
    for report in reports {
        let artifact = artifact_location(report.file.as_ref().unwrap_or(&report.path), root);
        for finding in &report.findings {
            let mut value = result(&artifact, report.text.as_deref(), finding);
            value["ruleIndex"] = json!(index[finding.rule]);
            // The same finding twice in one file (one image pulled twice) keeps two alerts.
            let key = fingerprint_key(&artifact, finding);
            let count = seen.entry(key.clone()).or_default();
            *count += 1;
            let hash = Sha256::digest(format!("{key}\u{0}{count}"));
            let hex = hash.iter().fold(String::new(), |mut hex, byte| {
                let _ = write!(hex, "{byte:02x}");
                hex
            });
            value["partialFingerprints"] = json!({ "ecsDeployKitFinding/v1": hex });
            results.push(value);
        }
    }
    let base = url::Url::from_directory_path(root)
        .map_or_else(|()| String::from("file:///"), String::from);
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": tool,
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": format!("{REPOSITORY}/blob/main/docs/programs/{tool}.md"),
                    "rules": rules,
                }
            },
            "originalUriBaseIds": { SRCROOT: { "uri": base } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// What identifies a finding across commits: its rule, file, path in the document and
/// message, not its line, which moves when lines above it change.
fn fingerprint_key(artifact: &Value, finding: &Finding) -> String {
    let path = finding
        .location
        .as_ref()
        .and_then(json_path)
        .unwrap_or_default();
    format!(
        "{}\u{0}{}\u{0}{path}\u{0}{}",
        finding.rule, artifact["uri"], finding.message
    )
}

fn result(artifact: &Value, text: Option<&str>, finding: &Finding) -> Value {
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let physical = json!({ "artifactLocation": artifact, "region": region(text, finding) });
    let mut location = json!({ "physicalLocation": physical });
    if let Some(path) = finding.location.as_ref().and_then(json_path) {
        location["logicalLocations"] = json!([{ "fullyQualifiedName": path }]);
    }
    json!({
        "ruleId": finding.rule,
        "level": level(finding.severity),
        "message": { "text": message },
        "locations": [location],
    })
}

/// Where in the file: the line (and column) the finding names, or the place its JSON path or
/// its CloudFormation place (`Resources.Pipeline.Stages[Build]…`) has in `text`, or else the
/// whole file.
fn region(text: Option<&str>, finding: &Finding) -> Value {
    let location = finding.location.as_ref();
    let named = location.and_then(line_and_column);
    let placed = || {
        let text = text?;
        let position = match (location?.path(), location?.named_place()) {
            (Some(path), _) => position_of(text, path),
            (None, Some(place)) => position_of_named(text, place),
            (None, None) => None,
        }?;
        line_and_column(&Location::at_position(position))
    };
    match named.or_else(placed) {
        Some((line, Some(column))) => json!({ "startLine": line, "startColumn": column }),
        Some((line, None)) => json!({ "startLine": line }),
        None => json!({ "startLine": 1, "endLine": text.map_or(1, line_count) }),
    }
}

/// The artifact location of `path`: relative to `%SRCROOT%` when it is under `root`, an
/// absolute `file:` URI otherwise. URIs are percent-encoded (RFC 3986), with forward slashes.
fn artifact_location(path: &str, root: &Path) -> Value {
    let absolute = normalize(&root.join(path));
    let file = url::Url::from_file_path(&absolute).ok();
    let base = url::Url::from_directory_path(root).ok();
    if absolute.starts_with(root)
        && let (Some(file), Some(base)) = (&file, &base)
        && let Some(relative) = base.make_relative(file)
    {
        return json!({ "uri": relative, "uriBaseId": SRCROOT });
    }
    match file {
        Some(file) => json!({ "uri": String::from(file) }),
        None => json!({ "uri": path.replace('\\', "/") }),
    }
}

/// `path` with its `.` and `..` steps taken, without asking the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The line and column of a finding's location, when it has a line. SARIF counts lines and
/// columns from 1, as the findings do; a byte offset is not a column.
pub(super) fn line_and_column(location: &Location) -> Option<(usize, Option<usize>)> {
    let position = location.position()?;
    let column = match position.column {
        Some(Column::Character(column)) => Some(column).filter(|c| *c > 0),
        Some(Column::Byte(_)) | None => None,
    };
    (position.line > 0).then_some((position.line, column))
}

/// The path within the document, such as `$.containerDefinitions[0].image`, with what follows
/// it. A place named in its own document's terms (a pipeline's `Stage/Action`, a CloudFormation
/// resource) may spell a JSON path of another document as text: it is shown from its `$` on.
fn json_path(location: &Location) -> Option<String> {
    let text = location.as_str();
    if let Some(path) = location.path() {
        let path = path.to_string();
        let start = text.find(&path).unwrap_or(0);
        return Some(text[start..].to_owned());
    }
    let place = location.named_place()?;
    place.find('$').map(|start| place[start..].to_owned())
}

#[cfg(test)]
mod tests {
    use deploykit_artifacts::JsonPath;

    use super::*;

    #[test]
    fn locations_become_regions_and_logical_paths() {
        let line = |line, column| Location::line(line, column);
        assert_eq!(line_and_column(&line(3, Some(7))), Some((3, Some(7))));
        let path = JsonPath::root().key("Resources").index(0);
        let both = line(8, None).with_path(path.clone());
        assert_eq!(line_and_column(&both), Some((8, None)));
        assert_eq!(json_path(&both).as_deref(), Some("$.Resources[0]"));
        assert_eq!(line_and_column(&path.into()), None);
        assert_eq!(line_and_column(&line(0, None)), None);
        let root = Path::new("/src/repo");
        let finding = Finding::error("latest-tag", "`web:latest` is mutable")
            .at_line(2, Some(6))
            .help("pin it");
        let artifact = artifact_location("./app/Dockerfile", root);
        assert_eq!(
            artifact,
            json!({"uri": "app/Dockerfile", "uriBaseId": "%SRCROOT%"})
        );
        let value = result(&artifact, None, &finding);
        assert_eq!(
            value["locations"][0]["physicalLocation"]["region"],
            json!({"startLine": 2, "startColumn": 6})
        );
        assert_eq!(
            value["message"]["text"],
            "`web:latest` is mutable\nhelp: pin it"
        );
        let json_finding =
            Finding::warning("unknown-key", "x").at(JsonPath::root().index(0).key("x"));
        let text = "[\n  {\"x\": 1}\n]\n";
        let value = result(&artifact, Some(text), &json_finding);
        assert_eq!(value["level"], "warning");
        assert_eq!(
            value["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "$[0].x"
        );
        assert_eq!(
            value["locations"][0]["physicalLocation"]["region"],
            json!({"startLine": 2, "startColumn": 4})
        );
        // No place: the whole file.
        let whole = result(&artifact, Some(text), &Finding::error("too-large", "big"));
        assert_eq!(
            whole["locations"][0]["physicalLocation"]["region"],
            json!({"startLine": 1, "endLine": 3})
        );
        // A CloudFormation place: its node in the template.
        let template = "Resources:\n  P:\n    Properties:\n      Stages:\n        - Name: Build\n";
        let named = Finding::error("primary-source", "x").at_place("Resources.P.Stages[Build]");
        assert_eq!(
            result(&artifact, Some(template), &named)["locations"][0]["physicalLocation"]["region"],
            json!({"startLine": 5, "startColumn": 11})
        );
    }

    #[test]
    fn uris_are_relative_to_the_root_or_absolute_file_uris() {
        let root = Path::new("/src/repo");
        assert_eq!(
            artifact_location("/src/repo/a b/../c#1.json", root),
            json!({"uri": "c%231.json", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("../other/x.json", root),
            json!({"uri": "file:///src/other/x.json"})
        );
    }

    #[test]
    fn every_result_has_a_rule_index_and_a_stable_fingerprint() {
        let report = |line| FileReport {
            path: "t.json".into(),
            kind: None,
            findings: vec![
                Finding::error("mutable-tag", "`a:latest`").at_line(line, None),
                Finding::error("mutable-tag", "`a:latest`").at_line(line + 1, None),
            ],
            text: None,
            file: None,
        };
        let root = Path::new("/src/repo");
        let fingerprints = |line| {
            let log = render("ecs-tagcheck", &[report(line)], root);
            let results = log["runs"][0]["results"].as_array().unwrap().clone();
            assert!(results.iter().all(|r| r["ruleIndex"] == 0));
            results
                .iter()
                .map(|r| r["partialFingerprints"].clone())
                .collect::<Vec<_>>()
        };
        let before = fingerprints(3);
        assert_ne!(before[0], before[1]);
        assert_eq!(before, fingerprints(9));
        let log = render("ecs-tagcheck", &[report(1)], root);
        let driver = &log["runs"][0]["tool"]["driver"];
        assert_eq!(driver["rules"][0]["id"], "mutable-tag");
        assert!(driver["rules"][0]["help"]["text"].is_string());
        assert_eq!(
            log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file:///src/repo/"
        );
    }
}
