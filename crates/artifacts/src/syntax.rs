//! Reading JSON and YAML text, with the place of every syntax error.

use serde_json::Value;

use crate::finding::Finding;
use crate::location::{Column, Location, Position};

/// Reads bytes as a UTF-8 JSON document, as the AWS readers do: not UTF-8 is an error, a
/// byte-order mark a warning (RFC 8259 forbids it; some readers fail on it).
pub(crate) fn decode_json(bytes: &[u8]) -> Result<(Value, Vec<Finding>), Finding> {
    let mut findings = Vec::new();
    let text = utf8(bytes)?;
    let text = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => {
            findings.push(
                Finding::warning("byte-order-mark", "the file starts with a UTF-8 byte-order mark")
                    .at_line(1, None)
                    .help("JSON must not start with a byte-order mark (RFC 8259); write the file without one"),
            );
            rest
        }
        None => text,
    };
    parse_json(text)
        .map(|value| (value, findings))
        .map_err(|error| json_error(&error))
}

/// Parses JSON text, refusing a key given twice in one object. `serde_json` keeps the last
/// value silently, while other readers keep the first: a file whose meaning depends on the
/// reader (two `imageUri`s, two `name`s) is an error, never a guess.
pub(crate) fn parse_json(text: &str) -> Result<Value, serde_json::Error> {
    use serde::de::DeserializeSeed;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = UniqueKeys.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Builds a [`Value`] like `serde_json` does, but fails on a duplicate key; the error then
/// carries the line and column of the second one.
#[derive(Clone, Copy)]
struct UniqueKeys;

impl<'de> serde::de::DeserializeSeed<'de> for UniqueKeys {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for UniqueKeys {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "the key `{key}` is given twice in one object"
                )));
            }
            let value = map.next_value_seed(self)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// The text of `bytes`, or where it stops being UTF-8.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, Finding> {
    std::str::from_utf8(bytes).map_err(|error| {
        let offset = error.valid_up_to();
        let line = bytes[..offset].split(|b| *b == b'\n').count();
        Finding::error(
            "not-utf8",
            format!(
                "the file is not UTF-8: invalid byte 0x{:02X}",
                bytes[offset]
            ),
        )
        .at(Position {
            line,
            column: Some(Column::Byte(offset)),
        })
        .help("AWS reads these files as UTF-8: re-encode the file")
    })
}

/// serde-saphyr's options for every YAML document read here. Its limits are set here rather
/// than left to its defaults, so that an upgrade cannot loosen them: 64 levels of nesting,
/// 250,000 values, and 1,000,000 events replayed through aliases, which is what stops an
/// alias bomb (nine aliases of nine aliases … grow tenfold per line).
pub(crate) fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 64;
    budget.max_nodes = 250_000;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 1_000_000;
    options
}

/// What `serde_json` and serde-saphyr's scanner say when a document nests past their limit.
const RECURSION: &str = "recursion limit exceeded";

/// A JSON syntax error, with its line and column.
pub(crate) fn json_error(error: &serde_json::Error) -> Finding {
    let full = error.to_string();
    let reason = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(reason, _)| reason);
    // serde_json stops at 128 levels rather than exhaust the stack: say so in the file's terms.
    let reason = if reason == RECURSION {
        "it nests arrays and objects deeper than 128 levels"
    } else {
        reason
    };
    Finding::error(
        "invalid-json",
        format!("the file is not valid JSON: {reason}"),
    )
    .at_line(error.line(), Some(error.column()))
}

/// A YAML syntax error from serde-saphyr, which writes `error: line L column C: reason` and
/// then a source snippet, with its line and column.
pub(crate) fn yaml_error(error: &impl std::fmt::Display) -> Finding {
    let full = error.to_string();
    let first = full
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ");
    let (location, reason) = match first.split_once(": ") {
        Some((location, reason)) if location.starts_with("line ") => {
            (saphyr_position(location), reason)
        }
        _ => (None, first),
    };
    // serde-saphyr's own advice names its API, which means nothing to a user.
    let reason = reason
        .split_once(", set DuplicateKeyPolicy")
        .or_else(|| reason.split_once("; use from_str_multiple"))
        .map_or(reason, |(kept, _)| kept);
    // The scanner's limit on nested flow collections (`[[[…`, `{{{…`), and serde-saphyr's
    // budget (nesting, nodes, aliases: what stops an alias bomb), which it prints as a Rust value.
    let budget = reason.strip_prefix("budget breached: ").map(budget_breach);
    let reason = match budget {
        Some(breach) => breach,
        None if reason == RECURSION => "it nests lists and mappings too deep to read",
        None => saphyr_internal(reason).unwrap_or(reason),
    };
    let finding = Finding::error(
        "invalid-yaml",
        format!("the file is not valid YAML: {reason}"),
    );
    match location {
        Some(location) => finding.at(location),
        None => finding,
    }
}

/// What a serde-saphyr budget breach (`Nodes { nodes: 250001 }`) means for the file, in words.
fn budget_breach(breach: &str) -> &'static str {
    match breach.split([' ', '{']).next().unwrap_or_default() {
        "Depth" => "it nests deeper than 64 levels",
        "Nodes" => "it holds more than 250,000 values, or aliases that expand to them",
        "Events" => "it holds more than 1,000,000 parser events",
        "Aliases" | "Anchors" | "AliasAnchorRatio" => "it holds too many aliases or anchors",
        "Documents" => "it holds too many documents",
        _ => "it is too large or too complex to read",
    }
}

/// The file's fault in words, for the errors serde-saphyr words in its own terms
/// (serde-saphyr's `de/message_formatters.rs`): a recursive alias is refused as needing "weak
/// recursion types", an alias bomb by counters of its replay machinery.
fn saphyr_internal(reason: &str) -> Option<&'static str> {
    if reason == "recursive references require weak recursion types" {
        Some("an alias refers to the list or mapping it is part of")
    } else if reason.starts_with("alias replay") || reason.starts_with("alias expansion") {
        Some("it holds aliases that expand too far")
    } else if reason.starts_with("internal ") {
        Some("it is too complex to read")
    } else {
        None
    }
}

/// serde-saphyr's `line L column C`.
fn saphyr_position(text: &str) -> Option<Location> {
    let rest = text.strip_prefix("line ")?;
    let (line, column) = match rest.split_once(" column ") {
        Some((line, column)) => (line, Some(column.parse().ok()?)),
        None => (rest, None),
    };
    Some(Location::line(line.parse().ok()?, column))
}

/// A JSON type name for messages.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
