//! The structural walk behind [`super::check_structure`].
//!
//! One pass over the document beside the model tree. The path is a stack of borrowed keys and
//! indexes; strings are only built for findings, so a clean document costs no allocation
//! beyond the stack.

use std::cmp::Ordering;
use std::fmt::Write as _;

use serde_json::{Map, Number, Value};

use super::PathSegment;
use super::ShapeType;
use super::model::{Bound, Kind, Model, Shape};
use super::suggest::{Reach, backticked, json_path, similar};
use crate::finding::Finding;
use crate::location::JsonPath;

pub(super) fn check(model: &'static Model, document: &Value) -> Vec<Finding> {
    let mut walker = Walker {
        model,
        path: Vec::with_capacity(8),
        findings: Vec::new(),
    };
    walker.value(document, model.root(), false);
    walker.findings
}

struct Walker<'d> {
    model: &'static Model,
    path: Vec<PathSegment<'d>>,
    findings: Vec<Finding>,
}

impl<'d> Walker<'d> {
    fn value(&mut self, value: &'d Value, shape: &'static Shape, sensitive: bool) {
        let sensitive = sensitive || shape.sensitive;
        let expected = shape.shape_type();
        if !type_matches(expected, value) {
            self.wrong_type(expected, value, sensitive);
            return;
        }
        match (&shape.kind, value) {
            (Kind::Structure { .. }, Value::Object(object)) => {
                self.structure(shape, object, sensitive);
            }
            (Kind::List(member), Value::Array(items)) => {
                self.bounds(shape, &Number::from(items.len()), "entries");
                let member = self.model.shape(*member);
                for (index, item) in items.iter().enumerate() {
                    self.path.push(PathSegment::Index(index));
                    self.value(item, member, sensitive);
                    self.path.pop();
                }
            }
            (Kind::Map { value: member }, Value::Object(object)) => {
                self.bounds(shape, &Number::from(object.len()), "entries");
                let member = self.model.shape(*member);
                for (key, item) in object {
                    self.path.push(PathSegment::Key(key));
                    self.value(item, member, sensitive);
                    self.path.pop();
                }
            }
            (_, Value::String(text)) => self.string(shape, text, sensitive),
            (_, Value::Number(number)) => self.number(expected, shape, number),
            _ => {}
        }
    }

    fn structure(
        &mut self,
        shape: &'static Shape,
        object: &'d Map<String, Value>,
        sensitive: bool,
    ) {
        if let Kind::Structure { required, .. } = &shape.kind {
            for name in required.iter().filter(|name| !object.contains_key(**name)) {
                let message = if self.path.is_empty() {
                    format!("missing required key `{name}`")
                } else {
                    format!("missing required key `{name}` in `{}`", self.subject())
                };
                let help = format!(
                    "`{}` requires {}",
                    shape.name,
                    backticked(required.iter().copied())
                );
                let finding = Finding::error("missing-key", message).at(self.here());
                self.findings.push(finding.help(help));
            }
        }
        for (key, item) in object {
            self.path.push(PathSegment::Key(key));
            match shape.member(key) {
                Some(member) => {
                    let target = self.model.shape(member.shape);
                    if let Some(reason) = member.deprecated.as_ref().or(target.deprecated.as_ref())
                        && !is_empty(item)
                    {
                        let message = format!("`{key}` is deprecated: {reason}");
                        let finding = Finding::warning("deprecated-key", message).at(self.here());
                        self.findings.push(finding.help(format!("remove `{key}`")));
                    }
                    self.value(item, target, sensitive);
                }
                None => self.unknown_key(shape, key),
            }
            self.path.pop();
        }
    }

    /// `key` (already on the path) is not a member of `shape`.
    fn unknown_key(&mut self, shape: &Shape, key: &str) {
        let at_root = self.path.len() == 1;
        if at_root && self.model.is_describe_only(key) {
            let message = format!(
                "`{key}` is DescribeTaskDefinition output, which RegisterTaskDefinition rejects"
            );
            let help = "`ecs-taskdef` drops the describe-only keys when it reads describe output; or delete the key";
            self.findings.push(
                Finding::error("describe-only-key", message)
                    .at(self.here())
                    .help(help),
            );
            return;
        }
        let help = if at_root && key == "taskDefinition" {
            "this looks like `aws ecs describe-task-definition` output: `ecs-taskdef` turns it into register input".to_owned()
        } else if let Some(near) = similar(key, shape.member_names(), Reach::Short) {
            format!("did you mean `{near}`?")
        } else {
            format!("`{}` has {}", shape.name, backticked(shape.member_names()))
        };
        let message = format!(
            "unknown key `{}` in `{}`",
            crate::suggest::shown(key),
            shape.name
        );
        self.findings.push(
            Finding::error("unknown-key", message)
                .at(self.here())
                .help(help),
        );
    }

    fn string(&mut self, shape: &Shape, text: &str, sensitive: bool) {
        if !shape.enum_values.is_empty() && !shape.enum_values.contains(&text) {
            let valid = backticked(shape.enum_values.iter().copied());
            let message = if sensitive {
                format!("`{}` is not one of {valid}", self.subject())
            } else {
                format!(
                    "`{}` is `{}`, which is not one of {valid}",
                    self.subject(),
                    shown(text)
                )
            };
            let help = similar(text, shape.enum_values.iter().copied(), Reach::Short).map(|near| {
                if near.eq_ignore_ascii_case(text) {
                    format!("did you mean `{near}`? values are case-sensitive")
                } else {
                    format!("did you mean `{near}`?")
                }
            });
            let finding = Finding::error("invalid-enum", message).at(self.here());
            self.findings.push(finding.maybe_help(help.as_deref()));
        }
        if shape.min.is_some() || shape.max.is_some() {
            self.bounds(shape, &Number::from(text.chars().count()), "characters");
        }
    }

    fn number(&mut self, expected: ShapeType, shape: &Shape, number: &Number) {
        let (fits, bits) = match expected {
            ShapeType::Integer => (
                number.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
                32,
            ),
            ShapeType::Long => (number.as_i64().is_some(), 64),
            _ => (true, 0),
        };
        if !fits {
            let message = format!(
                "`{}` is {number}, which does not fit in a signed {bits}-bit integer",
                self.subject()
            );
            self.findings
                .push(Finding::error("out-of-range", message).at(self.here()));
            return;
        }
        if expected != ShapeType::Timestamp {
            self.bounds(shape, number, "");
        }
    }

    /// The model's `min`/`max` for a count (`unit` names what is counted) or a number (`""`).
    fn bounds(&mut self, shape: &Shape, measured: &Number, unit: &str) {
        let (min, max) = (
            shape.min.and_then(Bound::number),
            shape.max.and_then(Bound::number),
        );
        let (limit, bound) = match (&min, &max) {
            (Some(min), _) if compare(measured, min) == Some(Ordering::Less) => ("minimum", min),
            (_, Some(max)) if compare(measured, max) == Some(Ordering::Greater) => ("maximum", max),
            _ => return,
        };
        let subject = self.subject();
        let message = if unit.is_empty() {
            format!("`{subject}` is {measured}; the {limit} is {bound}")
        } else {
            format!("`{subject}` has {measured} {unit}; the {limit} is {bound}")
        };
        self.findings
            .push(Finding::error("out-of-range", message).at(self.here()));
    }

    fn wrong_type(&mut self, expected: ShapeType, value: &Value, sensitive: bool) {
        let subject = if self.path.is_empty() {
            "the task definition".to_owned()
        } else {
            format!("`{}`", self.subject())
        };
        let message = format!(
            "{subject} must be {}, not {}",
            expected_words(expected),
            actual_words(value, sensitive)
        );
        let help = type_help(expected, value, sensitive, &subject);
        let finding = Finding::error("wrong-type", message).at(self.here());
        self.findings.push(finding.maybe_help(help.as_deref()));
    }

    fn here(&self) -> JsonPath {
        json_path(&self.path)
    }

    /// What messages call the current value: the last key, with the index when inside a list
    /// (`portMappings[1]`).
    fn subject(&self) -> String {
        let mut subject = String::new();
        let start = self
            .path
            .iter()
            .rposition(|segment| matches!(segment, PathSegment::Key(_)))
            .unwrap_or(0);
        for segment in &self.path[start..] {
            match segment {
                PathSegment::Key(key) => subject.push_str(&crate::suggest::shown(key)),
                PathSegment::Index(index) => {
                    let _ = write!(subject, "[{index}]");
                }
            }
        }
        subject
    }
}

fn type_matches(expected: ShapeType, value: &Value) -> bool {
    match (expected, value) {
        (ShapeType::Structure | ShapeType::Map, Value::Object(_))
        | (ShapeType::List, Value::Array(_))
        | (ShapeType::String | ShapeType::Blob, Value::String(_))
        | (ShapeType::Boolean, Value::Bool(_))
        | (ShapeType::Double | ShapeType::Float, Value::Number(_))
        | (ShapeType::Timestamp, Value::Number(_) | Value::String(_)) => true,
        // A JSON integer: `80`, not `80.0`, `"80"` or `true`. botocore lets `true` through
        // only because Python's bool is an int; JSON and the model keep the two apart.
        (ShapeType::Integer | ShapeType::Long, Value::Number(number)) => {
            number.is_i64() || number.is_u64()
        }
        _ => false,
    }
}

fn expected_words(expected: ShapeType) -> &'static str {
    match expected {
        ShapeType::Structure | ShapeType::Map => "an object",
        ShapeType::List => "an array",
        ShapeType::String => "a string",
        ShapeType::Integer | ShapeType::Long => "an integer",
        ShapeType::Boolean => "`true` or `false`",
        ShapeType::Double | ShapeType::Float => "a number",
        ShapeType::Timestamp => "a timestamp (a number or a string)",
        ShapeType::Blob => "a base64 string",
    }
}

fn actual_words(value: &Value, sensitive: bool) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) if sensitive => "a boolean".to_owned(),
        Value::Bool(flag) => format!("`{flag}`"),
        Value::Number(_) if sensitive => "a number".to_owned(),
        Value::Number(number) => format!("the number `{number}`"),
        Value::String(_) if sensitive => "a string".to_owned(),
        Value::String(text) => format!("the string `\"{}\"`", shown(text)),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// What to write instead, for the mistakes people make: numbers where ECS wants strings
/// (task `cpu`/`memory`), quoted numbers and booleans, a single object instead of a list.
fn type_help(expected: ShapeType, value: &Value, sensitive: bool, subject: &str) -> Option<String> {
    let shown_or = |text: String| {
        if sensitive {
            String::new()
        } else {
            format!(": `{text}`")
        }
    };
    match (expected, value) {
        (_, Value::Null) => Some(format!(
            "remove the key, or give {}; the AWS CLI rejects null",
            expected_words(expected)
        )),
        (ShapeType::String, Value::Number(_) | Value::Bool(_)) => {
            Some(format!("quote it{}", shown_or(format!("\"{value}\""))))
        }
        (ShapeType::Integer | ShapeType::Long, Value::String(text))
            if text.trim().parse::<i64>().is_ok() =>
        {
            Some(format!(
                "remove the quotes{}",
                shown_or(text.trim().to_owned())
            ))
        }
        (ShapeType::Integer | ShapeType::Long, Value::Number(number))
            if number.as_f64().is_some_and(|n| n.fract() == 0.0) =>
        {
            let whole = number.as_f64().map_or(String::new(), |n| format!("{n:.0}"));
            Some(format!("write it without a fraction{}", shown_or(whole)))
        }
        (ShapeType::Boolean, Value::String(text)) if text == "true" || text == "false" => {
            Some(format!("remove the quotes: `{text}`"))
        }
        (
            ShapeType::List,
            Value::Object(_) | Value::String(_) | Value::Number(_) | Value::Bool(_),
        ) => Some(format!(
            "{subject} takes an array: wrap the value in `[` and `]`"
        )),
        _ => None,
    }
}

/// Text for a message, cut at 60 characters.
fn shown(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(object) => object.is_empty(),
        _ => false,
    }
}

fn compare(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (a.as_u64(), b.as_u64()) {
        return Some(a.cmp(&b));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}
