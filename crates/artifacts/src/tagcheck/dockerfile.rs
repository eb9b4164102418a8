//! Dockerfiles: every image the build pulls, with `ARG` defaults resolved: `FROM`,
//! `COPY --from`, the `from=` of `RUN --mount`, the same two in `ONBUILD` triggers, and the
//! frontend of the `# syntax=` parser directive.
//!
//! The parsing (line continuations, comments, `# escape=`, heredocs, `--platform`, flags,
//! parser directives) is parse-dockerfile's; it does not expand variables (`docs/aws/crates.md#dockerfiles-parse-dockerfile`), so
//! the `BuildKit` scoping is done here: ARGs before the first `FROM` are global and usable in
//! `FROM` lines; inside a stage an ARG is usable only after `ARG NAME` re-declares it, taking
//! the global value (or `--build-arg`) unless it sets its own default. Docker's reference,
//! "Understand how ARG and FROM interact" and "Scope". A later `FROM builder` names a stage,
//! not an image; `scratch` is no image at all (trivy DS-0001, `docs/aws/image-references.md#latest-untagged-and-pinned`).
//!
//! The `# syntax=` frontend is pulled before anything else is read and is never expanded
//! (<https://docs.docker.com/reference/dockerfile/#syntax>). An `ONBUILD` trigger runs in a
//! later build (<https://docs.docker.com/reference/dockerfile/#onbuild>): its variables and
//! stages are that build's, so a bare name that could be one of its stages is not judged.

use std::collections::HashMap;

use parse_dockerfile::Instruction;

use super::text::position;
use super::{Policy, Scan, check_text, rules, text_or_scan, trust, unresolved_or_tag};
use crate::finding::Finding;
use crate::location::Location;

mod mount;

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
    // An `ONBUILD` trigger sees only what every build has.
    let later_build = global.clone();
    let mut stage: Option<HashMap<String, Option<String>>> = None;
    let mut aliases: Vec<String> = Vec::new();
    if let Some(syntax) = &dockerfile.parser_directives.syntax {
        let location = position(text, syntax.value.span.start);
        check_pulled(syntax.value.value, location, policy, &mut scan);
    }
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
                let image = (from.image.span.start, from.image.value.to_string());
                let names = Names {
                    scope: &global,
                    stages: Stages::Known(&aliases),
                };
                check_image(text, &image, &names, policy, &mut scan);
                if let Some((_, alias)) = &from.as_ {
                    aliases.push(alias.value.to_ascii_lowercase());
                }
                stage = Some(HashMap::new());
            }
            Instruction::Onbuild(onbuild) => {
                let names = Names {
                    scope: &later_build,
                    stages: Stages::LaterBuild,
                };
                for image in pulled_from(text, &onbuild.instruction) {
                    check_image(text, &image, &names, policy, &mut scan);
                }
            }
            instruction => {
                let names = Names {
                    scope: stage.as_ref().unwrap_or(&global),
                    stages: Stages::Known(&aliases),
                };
                for image in pulled_from(text, instruction) {
                    check_image(text, &image, &names, policy, &mut scan);
                }
            }
        }
    }
    scan
}

/// The `COPY --from=` and `RUN --mount=…,from=` values of `instruction`, each with the byte
/// offset in `text` where it is written.
fn pulled_from(text: &str, instruction: &Instruction<'_>) -> Vec<(usize, String)> {
    match instruction {
        Instruction::Copy(copy) => copy
            .options
            .iter()
            .filter(|flag| flag.name.value == "from")
            .filter_map(|flag| flag.value.as_ref())
            .map(|value| (value.span.start, value.value.to_string()))
            .collect(),
        Instruction::Run(run) => run
            .options
            .iter()
            .filter(|flag| flag.name.value == "mount")
            .filter_map(|flag| flag.value.as_ref())
            .filter_map(|value| {
                let (offset, from) = mount::from(&value.value)?;
                // The offset is in the unescaped value; it is the file's only when the value
                // is written without a line continuation, else the flag's start is used.
                let written = text.get(value.span.clone()) == Some(value.value.as_ref());
                let start = value.span.start + if written { offset } else { 0 };
                Some((start, from))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Which names a `from` value can be a stage of.
enum Stages<'a> {
    /// The stages named so far in this file (lower case).
    Known(&'a [String]),
    /// Those of a build not written yet: any name a stage can have.
    LaterBuild,
}

/// The variables and stages a value is read with.
struct Names<'a> {
    scope: &'a HashMap<String, Option<String>>,
    stages: Stages<'a>,
}

/// Whether `name` can name a stage: `BuildKit`'s stage names are `[a-z][a-z0-9-_.]*`, and
/// `COPY --from=0` names one by index.
fn could_be_stage(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
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

/// One pulled value, written at byte `offset`: resolved, and checked unless it is a stage or
/// `scratch`.
fn check_image(
    text: &str,
    (offset, raw): &(usize, String),
    names: &Names<'_>,
    policy: &Policy,
    scan: &mut Scan,
) {
    let location = position(text, *offset);
    let resolved = match expand(raw, names.scope) {
        Ok(resolved) => resolved,
        Err(missing) => {
            scan.findings
                .extend(unresolved_or_tag(raw, &missing, &location, policy));
            return;
        }
    };
    let lower = resolved.to_ascii_lowercase();
    let stage = match names.stages {
        Stages::Known(aliases) => aliases.contains(&lower),
        Stages::LaterBuild => could_be_stage(&lower),
    };
    if lower == "scratch" || stage || lower.chars().all(|c| c.is_ascii_digit()) {
        return;
    }
    check_pulled(&resolved, location, policy, scan);
}

/// Checks the image `reference` that the build pulls: its tag, and its registry when the
/// policy names trusted ones.
fn check_pulled(reference: &str, location: Location, policy: &Policy, scan: &mut Scan) {
    let seen = scan.images.len();
    check_text(reference, location, false, policy, scan);
    if let Some(image) = scan.images.get(seen) {
        scan.findings
            .extend(trust::check(&image.reference, &image.location, policy));
    }
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
