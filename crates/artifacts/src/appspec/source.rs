//! Reading an `AppSpec` into a tree that remembers where each value was.
//!
//! AWS's tools read JSON first and YAML second (aws-cli `filehelpers.parse_appspec`;
//! `docs/aws/codedeploy.md#reading-rules`). So does this: a document that is valid JSON is JSON; one that starts like JSON (`{` or
//! `[`) but is not valid is reported as a JSON error, with JSON's line and column, rather than
//! read as YAML flow syntax, which would accept trailing commas and unquoted keys. Anything else
//! is YAML.
//!
//! Both are parsed with serde-saphyr (YAML 1.2 is a superset of JSON) to know the line of every
//! key and value. Should serde-saphyr refuse a document `serde_json` accepted, the tree is built
//! from `serde_json`'s value instead, without lines.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::finding::Finding;
use crate::syntax::{json_error, utf8, yaml_error};

/// A value and the line it starts on (1-based), when known.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub(crate) kind: Kind,
    pub(crate) line: Option<u32>,
}

/// A mapping key as written, and its line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Key {
    pub(crate) text: String,
    pub(crate) line: Option<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

impl Kind {
    /// A type name for messages, in YAML's words.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Self::Null => "empty",
            Self::Bool(_) => "a boolean",
            Self::Int(_) => "an integer",
            Self::Float(_) => "a decimal number",
            Self::Str(_) => "a string",
            Self::Seq(_) => "a list",
            Self::Map(_) => "a mapping",
        }
    }
}

/// The syntax a document was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Syntax {
    Json,
    Yaml,
}

/// Parses `bytes` as what its extension and content say it is. A `.json` file is JSON and
/// nothing else. Any other is JSON when it parses as JSON, else YAML, since AWS documents
/// AppSpec files as YAML or JSON and YAML 1.2 is a superset of JSON: a YAML file in flow style
/// (`{version: 0.0, Resources: [...]}`) starts with `{` and is YAML. When neither parses, the
/// error is the JSON one for a file that starts like JSON and is not named `.yaml`/`.yml`.
pub(crate) fn parse(
    bytes: &[u8],
    file_name: Option<&str>,
) -> Result<(Node, Syntax, Vec<Finding>), Finding> {
    let mut findings = Vec::new();
    let text = utf8(bytes)?;
    let text = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => {
            findings.push(
                Finding::warning(
                    "byte-order-mark",
                    "the file starts with a UTF-8 byte-order mark",
                )
                .at_line(1, None)
                .help("write the file without one; JSON readers refuse it (RFC 8259)"),
            );
            rest
        }
        None => text,
    };
    let extension_is = |wanted: &[&str]| {
        file_name
            .and_then(|name| std::path::Path::new(name).extension())
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| wanted.iter().any(|w| extension.eq_ignore_ascii_case(w)))
    };
    let json_only = extension_is(&["json"]);
    let starts_like_json = matches!(text.trim_start().chars().next(), Some('{' | '['));
    let json_error_first = json_only || (starts_like_json && !extension_is(&["yaml", "yml"]));
    match serde_json::from_str::<Value>(text) {
        Ok(value) => match serde_saphyr::from_str::<Spanned<Raw>>(text) {
            Ok(node) => Ok((Node::from(node), Syntax::Json, findings)),
            // serde_json keeps the last of two equal keys without a word; JSON.parse (GHA) and
            // Python (aws-cli) do the same, and what CodeDeploy does is not documented.
            Err(error) if error.to_string().contains("duplicate mapping key") => {
                let yaml = yaml_error(&error);
                let reason = yaml
                    .message
                    .trim_start_matches("the file is not valid YAML: ")
                    .replacen("mapping key", "key", 1);
                let finding = Finding::error(
                    "invalid-json",
                    format!("{reason}; a reader keeps only one of the two"),
                );
                Err(match yaml.location {
                    Some(location) => finding.at(location),
                    None => finding,
                })
            }
            Err(_) => Ok((from_json(&value), Syntax::Json, findings)),
        },
        Err(error) if json_only => Err(json_error(&error)),
        Err(json) => serde_saphyr::from_str::<Spanned<Raw>>(text)
            .map(|node| (Node::from(node), Syntax::Yaml, findings))
            .map_err(|error| {
                if json_error_first {
                    json_error(&json)
                } else {
                    yaml_error(&error)
                }
            }),
    }
}

/// The tree serde-saphyr deserializes, every child with its span.
enum Raw {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML or JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Raw, D::Error> {
        Raw::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Raw, E> {
        Ok(Raw::Int(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Raw, E> {
        Ok(Raw::Int(value.into()))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Raw, E> {
        Ok(Raw::Int(value))
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Raw, E> {
        Ok(i128::try_from(value).map_or(Raw::Float(f64::INFINITY), Raw::Int))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Raw, E> {
        Ok(Raw::Float(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Raw, E> {
        Ok(Raw::Str(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Raw, E> {
        Ok(Raw::Str(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = access.next_element()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = access.next_entry()? {
            entries.push(entry);
        }
        Ok(Raw::Map(entries))
    }
}

/// Line 0 is serde-saphyr's "unknown".
fn line_of(location: serde_saphyr::Location) -> Option<u32> {
    u32::try_from(location.line()).ok().filter(|line| *line > 0)
}

impl From<Spanned<Raw>> for Node {
    fn from(spanned: Spanned<Raw>) -> Self {
        let kind = match spanned.value {
            Raw::Null => Kind::Null,
            Raw::Bool(value) => Kind::Bool(value),
            Raw::Int(value) => Kind::Int(value),
            Raw::Float(value) => Kind::Float(value),
            Raw::Str(value) => Kind::Str(value),
            Raw::Seq(items) => Kind::Seq(items.into_iter().map(Node::from).collect()),
            Raw::Map(entries) => Kind::Map(
                entries
                    .into_iter()
                    .map(|(key, value)| {
                        let key = Key {
                            line: line_of(key.referenced),
                            text: key.value,
                        };
                        (key, Node::from(value))
                    })
                    .collect(),
            ),
        };
        Node {
            kind,
            line: line_of(spanned.referenced),
        }
    }
}

fn from_json(value: &Value) -> Node {
    let kind = match value {
        Value::Null => Kind::Null,
        Value::Bool(value) => Kind::Bool(*value),
        Value::Number(number) => match number.as_i64() {
            Some(int) => Kind::Int(int.into()),
            None => number.as_u64().map_or_else(
                || Kind::Float(number.as_f64().unwrap_or(f64::NAN)),
                |int| Kind::Int(int.into()),
            ),
        },
        Value::String(text) => Kind::Str(text.clone()),
        Value::Array(items) => Kind::Seq(items.iter().map(from_json).collect()),
        Value::Object(entries) => Kind::Map(
            entries
                .iter()
                .map(|(key, value)| {
                    let key = Key {
                        text: key.clone(),
                        line: None,
                    };
                    (key, from_json(value))
                })
                .collect(),
        ),
    };
    Node { kind, line: None }
}
