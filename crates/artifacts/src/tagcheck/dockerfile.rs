//! Dockerfiles: the images of `FROM` and `COPY --from`, with `ARG` defaults resolved.
//!
//! The parsing (line continuations, comments, `# escape=`, heredocs, `--platform`) is
//! parse-dockerfile's; it does not expand variables (`docs/aws/crates.md#dockerfiles-parse-dockerfile`), so
//! the `BuildKit` scoping is done here: ARGs before the first `FROM` are global and usable in
//! `FROM` lines; inside a stage an ARG is usable only after `ARG NAME` re-declares it, taking
//! the global value (or `--build-arg`) unless it sets its own default. Docker's reference,
//! "Understand how ARG and FROM interact" and "Scope". A later `FROM builder` names a stage,
//! not an image; `scratch` is no image at all (trivy DS-0001, `docs/aws/image-references.md#latest-untagged-and-pinned`).

use std::collections::HashMap;

use parse_dockerfile::{Instruction, UnescapedString};

use super::text::position;
use super::{Policy, Scan, check_text, rules, text_or_scan, unresolved_or_tag};
use crate::finding::Finding;
use crate::location::Location;

/// `BuildKit`'s automatic platform ARGs (Dockerfile reference, "Automatic platform ARGs in the
/// global scope"). They differ per platform but are never a tag on their own, so a stand-in
/// value is enough to judge the tag around them: `FROM base-${TARGETARCH}` is not untagged.
const PLATFORM_ARGS: &[(&str, &str)] = &[
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", "v1"),
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", "v1"),
];

/// Checks a Dockerfile.
#[must_use]
pub fn check(bytes: &[u8], policy: &Policy) -> Scan {
    let text = match text_or_scan(bytes) {
        Ok(text) => text,
        Err(scan) => return scan,
    };
    let mut scan = Scan::default();
    let dockerfile = match parse_dockerfile::parse(text) {
        Ok(dockerfile) => dockerfile,
        Err(error) => {
            // `{:#}` leaves out parse-dockerfile's own `at line L column C`: the place goes in
            // the location, and only what of it is right (see `parse_error_location`).
            let mut finding = Finding::error(
                rules::INVALID_FILE,
                format!("the Dockerfile cannot be parsed: {error:#}"),
            );
            if let Some(location) = parse_error_location(text, error.line(), error.column()) {
                finding = finding.at(location);
            }
            scan.findings.push(finding);
            return scan;
        }
    };
    let overrides: HashMap<&str, &str> = policy
        .build_args
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let mut global: HashMap<String, Option<String>> = PLATFORM_ARGS
        .iter()
        .map(|(name, value)| ((*name).to_owned(), Some((*value).to_owned())))
        .collect();
    let mut stage: Option<HashMap<String, Option<String>>> = None;
    let mut aliases: Vec<String> = Vec::new();
    for instruction in &dockerfile.instructions {
        match instruction {
            Instruction::Arg(arg) => {
                for (name, default) in declarations(&arg.arguments.value) {
                    let value = if let Some(value) = overrides.get(name.as_str()) {
                        Some((*value).to_owned())
                    } else if default.is_some() {
                        default
                    } else {
                        // `ARG NAME` inside a stage takes the global value.
                        global.get(&name).cloned().flatten()
                    };
                    // A default may use earlier ARGs of the same scope: `ARG IMAGE=golang:${GO}`.
                    let scope = stage.as_ref().unwrap_or(&global);
                    let value = value.map(|v| expand(&v, scope).unwrap_or(v));
                    stage.as_mut().unwrap_or(&mut global).insert(name, value);
                }
            }
            Instruction::From(from) => {
                check_image(text, &from.image, &global, &aliases, policy, &mut scan);
                if let Some((_, alias)) = &from.as_ {
                    aliases.push(alias.value.to_ascii_lowercase());
                }
                stage = Some(HashMap::new());
            }
            Instruction::Copy(copy) => {
                let scope = stage.as_ref().unwrap_or(&global);
                for flag in &copy.options {
                    if flag.name.value == "from"
                        && let Some(value) = &flag.value
                    {
                        check_image(text, value, scope, &aliases, policy, &mut scan);
                    }
                }
            }
            _ => {}
        }
    }
    scan
}

/// Where a parse error is, from parse-dockerfile 0.1.9's line and column. It gives line 0
/// for an error of the whole file (no `FROM` at all), which has no place. Its column is the
/// byte offset of the error on line 1, but from line 2 on it is the offset of the line's start
/// in the file (`find_location_from_pos` adds one to the last newline's index, not to the
/// distance from it), so a column is given only on line 1, and counted in characters as every
/// other location is.
fn parse_error_location(text: &str, line: usize, column: usize) -> Option<Location> {
    match line {
        0 => None,
        1 => match text.get(..column.saturating_sub(1)) {
            Some(before) => Some(Location::line(1, Some(before.chars().count() + 1))),
            None => Some(Location::line(1, None)),
        },
        line => Some(Location::line(line, None)),
    }
}

/// One `FROM` or `COPY --from` value: resolved, and checked unless it is a stage or `scratch`.
fn check_image(
    text: &str,
    image: &UnescapedString<'_>,
    scope: &HashMap<String, Option<String>>,
    aliases: &[String],
    policy: &Policy,
    scan: &mut Scan,
) {
    let location = position(text, image.span.start);
    let raw = image.value.as_ref();
    let resolved = match expand(raw, scope) {
        Ok(resolved) => resolved,
        Err(names) => {
            scan.findings
                .extend(unresolved_or_tag(raw, &names, &location, policy));
            return;
        }
    };
    let lower = resolved.to_ascii_lowercase();
    // `COPY --from=0` names a stage by index.
    if lower == "scratch" || aliases.contains(&lower) || lower.chars().all(|c| c.is_ascii_digit()) {
        return;
    }
    check_text(&resolved, location, false, policy, scan);
}

/// The `NAME[=default]` pairs of an `ARG` line; quotes around a default are dropped.
fn declarations(arguments: &str) -> Vec<(String, Option<String>)> {
    arguments
        .split_whitespace()
        .map(|word| match word.split_once('=') {
            Some((name, value)) => (
                name.to_owned(),
                Some(value.trim_matches(['"', '\'']).to_owned()),
            ),
            None => (word.to_owned(), None),
        })
        .collect()
}

/// Expands `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:+alt}` and
/// `${NAME+alt}` from `scope`, as the Dockerfile reference ("Environment replacement")
/// describes. Returns the names that have no value when the result would depend on them.
pub fn expand<S: std::hash::BuildHasher>(
    input: &str,
    scope: &HashMap<String, Option<String>, S>,
) -> Result<String, Vec<String>> {
    let mut out = String::new();
    let mut missing = Vec::new();
    let mut rest = input;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        let (name, modifier, consumed) = if let Some(inner) = after.strip_prefix('{') {
            let Some(close) = inner.find('}') else {
                out.push_str(&rest[dollar..]);
                rest = "";
                break;
            };
            let body = &inner[..close];
            let split = body.find([':', '-', '+']).unwrap_or(body.len());
            (&body[..split], Some(&body[split..]), close + 2)
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..len], None, len)
        };
        if name.is_empty() {
            out.push('$');
            rest = after;
            continue;
        }
        let value = scope.get(name).cloned().flatten();
        let modifier = modifier.unwrap_or_default();
        let (colon, modifier) = match modifier.strip_prefix(':') {
            Some(m) => (true, m),
            None => (false, modifier),
        };
        let set = value.as_ref().is_some_and(|v| !(colon && v.is_empty()));
        if let Some(default) = modifier.strip_prefix('-') {
            out.push_str(if set {
                value.as_deref().unwrap_or_default()
            } else {
                default
            });
        } else if let Some(alternative) = modifier.strip_prefix('+') {
            if set {
                out.push_str(alternative);
            }
        } else if let Some(value) = value {
            out.push_str(&value);
        } else {
            missing.push(name.to_owned());
        }
        rest = &after[consumed..];
    }
    out.push_str(rest);
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

#[cfg(test)]
mod tests;
