//! SARIF 2.1.0, the format GitHub code scanning reads.
//!
//! Source: OASIS "Static Analysis Results Interchange Format Version 2.1.0", sections 3.13
//! (sarifLog), 3.14 (run), 3.19 (toolComponent), 3.27 (result), 3.28 (location), 3.30 (region).

use std::collections::BTreeSet;

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
    if let Some((line, column)) = finding.location.as_deref().and_then(line_and_column) {
        let mut region = json!({ "startLine": line });
        if let Some(column) = column {
            region["startColumn"] = json!(column);
        }
        physical["region"] = region;
    }
    let mut location = json!({ "physicalLocation": physical });
    if let Some(path) = finding.location.as_deref().and_then(json_path) {
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

/// `line 3, column 7` (or `line 3, …`) at the start of a finding's location. SARIF counts
/// lines and columns from 1, as the findings do.
pub(super) fn line_and_column(location: &str) -> Option<(u64, Option<u64>)> {
    let rest = location.strip_prefix("line ")?;
    let digits = |text: &str| -> Option<(u64, usize)> {
        let end = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        text[..end].parse().ok().map(|n| (n, end))
    };
    let (line, end) = digits(rest)?;
    let column = rest[end..]
        .strip_prefix(", column ")
        .and_then(digits)
        .map(|(n, _)| n);
    (line > 0).then_some((line, column.filter(|c| *c > 0)))
}

/// The JSON path in a location, such as `$.containerDefinitions[0].image`.
fn json_path(location: &str) -> Option<&str> {
    location.find('$').map(|start| &location[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_become_regions_and_logical_paths() {
        assert_eq!(line_and_column("line 3, column 7"), Some((3, Some(7))));
        assert_eq!(line_and_column("line 8, $.Resources[0]"), Some((8, None)));
        assert_eq!(line_and_column("$[0].imageUri"), None);
        assert_eq!(line_and_column("line 0"), None);
        let finding = Finding::error("latest-tag", "`web:latest` is mutable")
            .at("line 2, column 6")
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
        let json_finding = Finding::warning("unknown-key", "x").at("$[0].x");
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
