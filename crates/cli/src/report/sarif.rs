//! SARIF 2.1.0, the format GitHub code scanning reads.
//!
//! Source: OASIS "Static Analysis Results Interchange Format Version 2.1.0", sections 3.13
//! (sarifLog), 3.14 (run), 3.19 (toolComponent), 3.27 (result), 3.28 (location), 3.30 (region).

use std::collections::BTreeSet;

use deploykit_artifacts::location::{Column, Location};
use deploykit_artifacts::{Finding, Severity};
use serde_json::{Value, json};

use super::FileReport;

/// The SARIF log of one run of `tool` over `reports`.
pub(super) fn render(tool: &str, reports: &[FileReport]) -> Value {
    let rules: BTreeSet<&str> = reports
        .iter()
        .flat_map(|r| &r.findings)
        .map(|f| f.rule)
        .collect();
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|report| {
            report
                .findings
                .iter()
                .map(move |finding| result(&report.path, finding))
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": tool,
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(),
                }
            },
            "results": results,
        }]
    })
}

fn result(path: &str, finding: &Finding) -> Value {
    let mut text = finding.message.clone();
    if let Some(help) = &finding.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut physical = json!({ "artifactLocation": { "uri": uri(path) } });
    if let Some((line, column)) = finding.location.as_ref().and_then(line_and_column) {
        let mut region = json!({ "startLine": line });
        if let Some(column) = column {
            region["startColumn"] = json!(column);
        }
        physical["region"] = region;
    }
    let mut location = json!({ "physicalLocation": physical });
    if let Some(path) = finding.location.as_ref().and_then(json_path) {
        location["logicalLocations"] = json!([{ "fullyQualifiedName": path }]);
    }
    json!({
        "ruleId": finding.rule,
        "level": match finding.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "message": { "text": text },
        "locations": [location],
    })
}

/// SARIF artifact locations are URI references: forward slashes, no leading `./`.
fn uri(path: &str) -> String {
    path.replace('\\', "/").trim_start_matches("./").to_owned()
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
        let finding = Finding::error("latest-tag", "`web:latest` is mutable")
            .at_line(2, Some(6))
            .help("pin it");
        let value = result("./app/Dockerfile", &finding);
        assert_eq!(
            value["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "app/Dockerfile"
        );
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
        let value = result("imagedefinitions.json", &json_finding);
        assert_eq!(value["level"], "warning");
        assert_eq!(
            value["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "$[0].x"
        );
        assert!(
            value["locations"][0]["physicalLocation"]
                .get("region")
                .is_none()
        );
    }
}
