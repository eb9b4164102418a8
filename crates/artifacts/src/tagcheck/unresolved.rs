//! References that depend on variables this scan cannot resolve: `${IMAGE_TAG}` in a task
//! definition template, `ARG BASE` without a default. `--var NAME=VALUE` gives them values;
//! what stays unresolved is one `unresolved-variable` warning per reference, which
//! [`summary`] folds into one note for a whole scan (unless `--strict`), so a repository of
//! templates that all use `${IMAGE_TAG}` does not bury its real findings.

use std::collections::BTreeMap;

use super::{Policy, check_reference, literal_tag, rules};
use crate::finding::{Finding, Severity};
use crate::image_reference::ImageReference;
use crate::location::Location;

/// What an unresolved reference's message says before and after the variables' names.
const DEPENDS_ON: &str = " depends on ";
const CANNOT_RESOLVE: &str = ", which cannot be resolved here, so its tag is not checked";

/// The findings for a reference that still contains variables after resolution: judged by
/// its literal tag when it has one, else reported as unresolved.
pub(super) fn unresolved_or_tag(
    text: &str,
    names: &[String],
    location: &Location,
    policy: &Policy,
) -> Vec<Finding> {
    let resolved = substitute(text, &policy.variables);
    if resolved != text && !resolved.contains('$') {
        // Every variable has a value from `--var`: the reference it makes is judged as written.
        return match ImageReference::parse(&resolved) {
            Ok(reference) => check_reference(&reference, location, policy),
            Err(error) => vec![super::invalid_reference(&resolved, location, &error)],
        };
    }
    let names: Vec<String> = names
        .iter()
        .filter(|name| !policy.variables.iter().any(|(known, _)| known == *name))
        .cloned()
        .collect();
    let (text, names) = (resolved.as_str(), names.as_slice());
    literal_tag(text, location, policy).unwrap_or_else(|| {
        // Name the variables the tag depends on, not the account and region around it.
        let tail = text.rsplit('/').next().unwrap_or(text);
        let in_tag: Vec<String> = names
            .iter()
            .filter(|name| {
                tail.contains(&format!("${{{name}}}")) || tail.contains(&format!("${name}"))
            })
            .cloned()
            .collect();
        let names = if in_tag.is_empty() { names } else { &in_tag };
        vec![unresolved(text, names, location)]
    })
}

/// The names of the `${NAME}` references in `text`, or `text` itself when it has none.
pub(super) fn variable_names(text: &str) -> Vec<String> {
    let names: Vec<String> = text
        .split("${")
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_owned()))
        .collect();
    if names.is_empty() {
        vec![text.to_owned()]
    } else {
        names
    }
}

/// How many variable names a finding lists, and the scan's note.
const NAMES_SHOWN: usize = 5;
const NOTE_NAMES_SHOWN: usize = 10;

/// `names` quoted and joined, at most [`NAMES_SHOWN`] of them, each shortened
/// (`secrets::shown`): a line of a hostile file can hold a megabyte of `${${${…`.
fn listed(names: &[String]) -> String {
    let listed = names
        .iter()
        .take(NAMES_SHOWN)
        .map(|name| format!("`{}`", crate::secrets::shown(name)))
        .collect::<Vec<_>>()
        .join(", ");
    match names.len().checked_sub(NAMES_SHOWN) {
        Some(more) if more > 0 => format!("{listed} and {more} more"),
        _ => listed,
    }
}

/// Where a list that leaves names out goes on: after the last quoted name.
const AND_MORE: &str = "` and ";

/// The finding for a reference that still contains variables after resolution; the reference
/// is quoted shortened too.
fn unresolved(text: &str, names: &[String], location: &Location) -> Finding {
    let names = listed(names);
    Finding::warning(
        rules::UNRESOLVED_VARIABLE,
        format!(
            "`{}`{DEPENDS_ON}{names}{CANNOT_RESOLVE}",
            crate::secrets::shown(text)
        ),
    )
    .at(location)
    .help("give the variable a default, pass `--build-arg NAME=VALUE`, or check the rendered file instead")
}

/// `text` with each `${NAME}` and `$NAME` of `variables` replaced by its value.
fn substitute(text: &str, variables: &[(String, String)]) -> String {
    let mut text = text.to_owned();
    for (name, value) in variables {
        text = text.replace(&format!("${{{name}}}"), value);
        let bare = format!("${name}");
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find(&bare) {
            let after = &rest[at + bare.len()..];
            out.push_str(&rest[..at]);
            // `$NAME` ends where a name cannot go on: `$TAG-arm64`, not `$TAGS`.
            if after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                out.push_str(&bare);
            } else {
                out.push_str(value);
            }
            rest = after;
        }
        out.push_str(rest);
        text = out;
    }
    text
}

/// Takes the `unresolved-variable` warnings out of `files` (each a file's name and findings)
/// and says what they were in one note: which variables, in how many files. `None` when there
/// were none. Findings a policy raised to errors stay where they are.
pub fn summary<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a mut Vec<Finding>)>,
) -> Option<String> {
    let mut by_name: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
    let (mut references, mut in_files) = (0, 0);
    for (file, findings) in files {
        let before = findings.len();
        findings.retain(|finding| {
            let folded =
                finding.rule == rules::UNRESOLVED_VARIABLE && finding.severity == Severity::Warning;
            if folded {
                for name in names_in(&finding.message) {
                    let files = by_name.entry(name).or_default();
                    if files.last() != Some(&file) {
                        files.push(file);
                    }
                }
            }
            !folded
        });
        let folded = before - findings.len();
        references += folded;
        in_files += usize::from(folded > 0);
    }
    if references == 0 {
        return None;
    }
    let mut names: Vec<String> = by_name
        .iter()
        .take(NOTE_NAMES_SHOWN)
        .map(|(name, files)| {
            let count = files.len();
            format!(
                "`{name}` ({count} {})",
                if count == 1 { "file" } else { "files" }
            )
        })
        .collect();
    if let Some(more) = by_name
        .len()
        .checked_sub(NOTE_NAMES_SHOWN)
        .filter(|&more| more > 0)
    {
        names.push(format!("and {more} more"));
    }
    Some(format!(
        "{references} image {} in {in_files} {} depend on variables this scan cannot resolve, so their tags are not checked: {}; give them values with --var NAME=VALUE, or --strict to report each",
        if references == 1 {
            "reference"
        } else {
            "references"
        },
        if in_files == 1 { "file" } else { "files" },
        names.join(", ")
    ))
}

/// The variables an `unresolved-variable` message names.
fn names_in(message: &str) -> Vec<String> {
    let Some(start) = message.rfind(DEPENDS_ON) else {
        return Vec::new();
    };
    let rest = &message[start + DEPENDS_ON.len()..];
    let list = rest.strip_suffix(CANNOT_RESOLVE).unwrap_or(rest);
    // The names a finding left out (`… and 3 more`) are not counted in the note.
    let list = match list.rsplit_once(AND_MORE) {
        Some((names, more))
            if more
                .strip_suffix(" more")
                .is_some_and(|count| count.bytes().all(|b| b.is_ascii_digit())) =>
        {
            names
        }
        _ => list,
    };
    list.split("`, `")
        .map(|name| name.trim_matches('`').to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::JsonPath;

    fn policy(variables: &[(&str, &str)]) -> Policy {
        Policy {
            variables: variables
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            ..Policy::default()
        }
    }

    #[test]
    fn variables_given_with_var_resolve_the_reference() {
        let at: Location = JsonPath::root().into();
        let names = variable_names("${REPO}:${IMAGE_TAG}");
        let open = unresolved_or_tag("${REPO}:${IMAGE_TAG}", &names, &at, &policy(&[]));
        assert_eq!(open[0].rule, rules::UNRESOLVED_VARIABLE);
        assert_eq!(names_in(&open[0].message), ["REPO", "IMAGE_TAG"]);
        let given = policy(&[("REPO", "web"), ("IMAGE_TAG", "latest")]);
        let resolved = unresolved_or_tag("${REPO}:${IMAGE_TAG}", &names, &at, &given);
        assert_eq!(resolved[0].rule, rules::LATEST_TAG);
        let pinned = policy(&[("REPO", "web"), ("IMAGE_TAG", "1.4.2")]);
        assert!(unresolved_or_tag("${REPO}:${IMAGE_TAG}", &names, &at, &pinned).is_empty());
        // One given, one not: the other is still named.
        let half = unresolved_or_tag(
            "$REPO:${TAG}",
            &variable_names("$REPO:${TAG}"),
            &at,
            &policy(&[("REPO", "web")]),
        );
        assert_eq!(names_in(&half[0].message), ["TAG"]);
        assert_eq!(
            substitute("$TAG-arm64 $TAGS", &[("TAG".into(), "1".into())]),
            "1-arm64 $TAGS"
        );
    }

    #[test]
    fn one_note_for_every_unresolved_reference() {
        let at: Location = JsonPath::root().into();
        let finding = |text: &str| unresolved(text, &variable_names(text), &at);
        let mut a = vec![
            finding("web:${IMAGE_TAG}"),
            Finding::error("latest-tag", "x"),
        ];
        let mut b = vec![finding("${REPO}:${IMAGE_TAG}-${ARCH}")];
        let mut raised = finding("web:${IMAGE_TAG}");
        raised.severity = Severity::Error;
        let mut c = vec![raised];
        let note = summary([("a.json", &mut a), ("b.json", &mut b), ("c.json", &mut c)]).unwrap();
        assert_eq!(
            note,
            "2 image references in 2 files depend on variables this scan cannot resolve, so their tags are not checked: `ARCH` (1 file), `IMAGE_TAG` (2 files), `REPO` (1 file); give them values with --var NAME=VALUE, or --strict to report each"
        );
        assert_eq!((a.len(), b.len(), c.len()), (1, 0, 1));
        assert_eq!(summary([("a.json", &mut a)]), None);
    }
}
