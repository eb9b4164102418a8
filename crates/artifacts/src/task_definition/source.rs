//! Reading a task definition from JSON or YAML.

use serde_json::Value;

use crate::finding::Finding;
use crate::syntax::{decode_json, utf8, yaml_error};

/// The syntax of a task-definition file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    /// JSON, the format ECS, the AWS CLI and the Blue/Green action read.
    Json,
    /// YAML, for templates kept by hand; rendered output is always JSON.
    Yaml,
}

impl SourceFormat {
    /// `.yaml` and `.yml` files are YAML; everything else is JSON.
    #[must_use]
    pub fn from_file_name(name: &str) -> Self {
        let extension = std::path::Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if extension.eq_ignore_ascii_case("yaml") || extension.eq_ignore_ascii_case("yml") {
            Self::Yaml
        } else {
            Self::Json
        }
    }
}

/// Parses `bytes` into a document, with the line and column of a syntax error.
pub fn parse(bytes: &[u8], format: SourceFormat) -> Result<(Value, Vec<Finding>), Finding> {
    match format {
        SourceFormat::Json => decode_json(bytes),
        SourceFormat::Yaml => {
            let text = utf8(bytes)?;
            serde_saphyr::from_str::<Value>(text.strip_prefix('\u{FEFF}').unwrap_or(text))
                .map(|value| (value, Vec::new()))
                .map_err(|error| yaml_error(&error))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_yaml_with_the_place_of_an_error() {
        let (value, _) = parse(
            b"family: web\ncpu: '256'\ncontainerDefinitions:\n  - name: web\n",
            SourceFormat::Yaml,
        )
        .unwrap();
        assert_eq!(value["cpu"], "256");
        let error = parse(b"family: [web\ncpu: 1\n", SourceFormat::Yaml).unwrap_err();
        assert_eq!(error.rule, "invalid-yaml");
        assert_eq!(error.location_str(), Some("line 2, column 4"), "{error:?}");
        let duplicate = parse(b"family: a\nfamily: b\n", SourceFormat::Yaml).unwrap_err();
        assert!(
            duplicate.message.contains("duplicate mapping key"),
            "{duplicate:?}"
        );
    }

    #[test]
    fn json_errors_have_lines_too() {
        let error = parse(b"{\n  \"family\": \"web\",\n}", SourceFormat::Json).unwrap_err();
        assert_eq!(error.location_str(), Some("line 3, column 1"));
        assert_eq!(
            SourceFormat::from_file_name("taskdef.YML"),
            SourceFormat::Yaml
        );
        assert_eq!(
            SourceFormat::from_file_name("taskdef.json"),
            SourceFormat::Json
        );
    }
}
