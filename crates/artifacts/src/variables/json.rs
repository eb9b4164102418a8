//! Substitution over a parsed JSON document: string values only, with JSON paths as locations.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::iter::Peekable;

use serde_json::Value;

use super::{Expander, Substituted, SubstitutionError, Variables, name_problem};

/// Substitutes variables in every string value of `document`, in place.
///
/// On error the document is left exactly as it was: nothing is replaced unless every string
/// substitutes cleanly. Locations are JSON paths such as `$.containerDefinitions[0].image`, in
/// the order the document serializes.
pub fn substitute_strings<V: Variables + ?Sized>(
    document: &mut Value,
    vars: &V,
) -> Result<Substituted, SubstitutionError> {
    let mut expander = Expander::new(vars);
    // First pass: expand without touching the document, remembering the replacements by the
    // ordinal of their string, so that a failure leaves the input untouched.
    let mut changes = Vec::new();
    let mut ordinal = 0;
    collect(
        document,
        &mut Vec::new(),
        &mut expander,
        &mut changes,
        &mut ordinal,
    );
    let substituted = expander.finish()?;
    if !changes.is_empty() {
        apply(document, &mut changes.into_iter().peekable(), &mut 0);
    }
    Ok(substituted)
}

/// One step of a JSON path.
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// `$.containerDefinitions[0].environment[2].value`; keys that are not identifiers are quoted
/// (`$.options["awslogs-group"]`) so that every path reads back unambiguously.
fn format_path(path: &[Segment<'_>]) -> String {
    let mut out = String::from("$");
    for segment in path {
        match segment {
            Segment::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
            Segment::Key(key) if name_problem(key).is_none() => {
                out.push('.');
                out.push_str(key);
            }
            Segment::Key(key) => {
                let quoted = serde_json::to_string(key).expect("a string always serializes");
                let _ = write!(out, "[{quoted}]");
            }
        }
    }
    out
}

fn collect<'a, V: Variables + ?Sized>(
    value: &'a Value,
    path: &mut Vec<Segment<'a>>,
    expander: &mut Expander<'_, V>,
    changes: &mut Vec<(usize, String)>,
    ordinal: &mut usize,
) {
    match value {
        Value::String(text) => {
            if let Cow::Owned(new) = expander.expand(text, || format_path(path)) {
                changes.push((*ordinal, new));
            }
            *ordinal += 1;
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(Segment::Index(index));
                collect(item, path, expander, changes, ordinal);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                path.push(Segment::Key(key));
                collect(item, path, expander, changes, ordinal);
                path.pop();
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Walks the strings in the same order as [`collect`] and puts the replacements in.
fn apply(
    value: &mut Value,
    changes: &mut Peekable<std::vec::IntoIter<(usize, String)>>,
    ordinal: &mut usize,
) {
    match value {
        Value::String(text) => {
            if changes.peek().is_some_and(|(at, _)| at == ordinal) {
                *text = changes.next().expect("peeked").1;
            }
            *ordinal += 1;
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| apply(item, changes, ordinal)),
        Value::Object(map) => map
            .values_mut()
            .for_each(|item| apply(item, changes, ordinal)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}
