//! Inline waivers: `# ecs-tagcheck: ignore[RULE] reason` (also after `//` in Terraform).
//!
//! A waiver applies to findings on its own line (a trailing comment) or on the next line (a
//! comment above), as hadolint's `# hadolint ignore=DL3006` does (`docs/aws/image-references.md#inline-waivers`).
//! Unlike hadolint, a reason is required, so that a waiver says why it exists, and a waiver
//! that matches nothing is reported (`stale-waiver`) so that waivers do not outlive their cause.

use super::rules;
use crate::finding::Finding;
use crate::location::Location;

const MARKER: &str = "ecs-tagcheck: ignore[";

/// One waiver as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiver {
    /// The 1-based line of the comment.
    pub line: usize,
    /// The rule ids it names.
    pub rules: Vec<String>,
    /// Why, as written; empty when missing.
    pub reason: String,
    /// A comment on a line of its own, which covers the next line; a trailing comment covers
    /// only its own line.
    pub standalone: bool,
}

/// Every waiver in `text`, with the findings about malformed ones.
#[must_use]
pub fn parse(text: &str) -> (Vec<Waiver>, Vec<Finding>) {
    let mut waivers = Vec::new();
    let mut findings = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some(start) = line.find(MARKER) else {
            continue;
        };
        // Only inside a comment: after `#` or `//`.
        let before = &line[..start];
        if !(before.contains('#') || before.contains("//")) {
            continue;
        }
        let number = index + 1;
        let location = Location::line(number, Some(before.chars().count() + 1));
        let rest = &line[start + MARKER.len()..];
        let Some((ids, reason)) = rest.split_once(']') else {
            findings.push(
                Finding::error(rules::INVALID_WAIVER, "the waiver has no closing `]`")
                    .at(location)
                    .help("write `# ecs-tagcheck: ignore[latest-tag] why it is acceptable`"),
            );
            continue;
        };
        let ids: Vec<String> = ids
            .split(',')
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty())
            .collect();
        let unknown: Vec<&String> = ids.iter().filter(|id| rules::find(id).is_none()).collect();
        let reason = reason.trim().to_owned();
        if let Some(id) = unknown.first() {
            findings.push(
                Finding::error(
                    rules::INVALID_WAIVER,
                    format!("the waiver names `{id}`, which is not a rule"),
                )
                .at(location)
                .help(format!(
                    "the rules are {}",
                    rules::RULES
                        .iter()
                        .map(|r| format!("`{}`", r.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        } else if ids.is_empty() || reason.is_empty() {
            findings.push(
                Finding::error(rules::INVALID_WAIVER, "the waiver needs a rule id and a reason")
                    .at(location)
                    .help("write `# ecs-tagcheck: ignore[latest-tag] why it is acceptable`; a waiver without a reason is not applied"),
            );
        } else {
            let standalone =
                before.trim_start().starts_with('#') || before.trim_start().starts_with("//");
            waivers.push(Waiver {
                standalone,
                line: number,
                rules: ids,
                reason,
            });
        }
    }
    (waivers, findings)
}

/// Drops the findings the waivers in `text` cover, adds findings for malformed waivers and a
/// `stale-waiver` for each waiver (or rule id in one) that matched nothing.
#[must_use]
pub fn apply(text: &str, findings: Vec<Finding>) -> Vec<Finding> {
    let (waivers, mut invalid) = parse(text);
    let mut used = vec![vec![false; 0]; waivers.len()];
    for (slot, waiver) in used.iter_mut().zip(&waivers) {
        *slot = vec![false; waiver.rules.len()];
    }
    let mut kept = Vec::with_capacity(findings.len());
    for finding in findings {
        let line = finding
            .location
            .as_ref()
            .and_then(Location::position)
            .map(|at| at.line);
        let covering = line.and_then(|line| {
            waivers.iter().enumerate().find_map(|(w, waiver)| {
                let applies = waiver.line == line || (waiver.standalone && waiver.line + 1 == line);
                let rule = waiver.rules.iter().position(|id| id == finding.rule)?;
                applies.then_some((w, rule))
            })
        });
        match covering {
            Some((w, rule)) => used[w][rule] = true,
            None => kept.push(finding),
        }
    }
    for (waiver, used) in waivers.iter().zip(&used) {
        for (id, used) in waiver.rules.iter().zip(used) {
            if !used {
                kept.push(
                    Finding::warning(
                        rules::STALE_WAIVER,
                        format!(
                            "the waiver for `{id}` matches no finding on this line or the next"
                        ),
                    )
                    .at_line(waiver.line, Some(1))
                    .help("remove the waiver; what it excused has been fixed or moved"),
                );
            }
        }
    }
    kept.append(&mut invalid);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rule: &'static str, line: usize) -> Finding {
        Finding::error(rule, "x").at_line(line, Some(1))
    }

    #[test]
    fn waivers_cover_their_line_and_the_next() {
        let text = "# ecs-tagcheck: ignore[latest-tag] base image pinned by the vendor\nFROM a:latest\nFROM b:latest # ecs-tagcheck: ignore[latest-tag] same\nFROM c:latest\n";
        let kept = apply(
            text,
            vec![
                at("latest-tag", 2),
                at("latest-tag", 3),
                at("latest-tag", 4),
            ],
        );
        assert_eq!(kept, vec![at("latest-tag", 4)]);
    }

    #[test]
    fn stale_and_invalid_waivers_are_reported() {
        let text = "# ecs-tagcheck: ignore[latest-tag,untagged-image] vendor image\nFROM a:latest\n# ecs-tagcheck: ignore[latest-tag]\n# ecs-tagcheck: ignore[no-such] why\n";
        let kept = apply(text, vec![at("latest-tag", 2)]);
        let rules: Vec<&str> = kept.iter().map(|f| f.rule).collect();
        assert_eq!(rules, ["stale-waiver", "invalid-waiver", "invalid-waiver"]);
        assert!(kept[0].message.contains("`untagged-image`"));
        assert!(kept[2].message.contains("`no-such`"));
    }

    #[test]
    fn the_marker_outside_a_comment_is_not_a_waiver() {
        let (waivers, findings) = parse("RUN echo 'ecs-tagcheck: ignore[latest-tag] x'\n");
        assert!(waivers.is_empty() && findings.is_empty());
    }
}
