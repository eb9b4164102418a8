//! Near-miss suggestions ("did you mean `image`?") and JSON path formatting.

use std::fmt::Write as _;

use super::PathSegment;

/// The candidate closest to `word`, ignoring ASCII case, when it is a near miss: the same
/// apart from case, or at most 2 edits away (1 for names of 3 characters or fewer, where 2
/// edits would turn most names into most others). Ties go to the first candidate.
pub(super) fn similar<'c>(
    word: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    let word: Vec<char> = word.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut row = Vec::new();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let limit = if candidate.chars().count().min(word.len()) <= 3 {
            1
        } else {
            2
        };
        let distance = levenshtein(&word, candidate, &mut row);
        if distance <= limit && best.is_none_or(|(shortest, _)| distance < shortest) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Edit distance (insertions, deletions, substitutions) between `word`, already lowercased,
/// and `candidate`, compared in lowercase. Two-row dynamic programming; `row` is scratch space
/// reused across calls.
fn levenshtein(word: &[char], candidate: &str, row: &mut Vec<usize>) -> usize {
    row.clear();
    row.extend(0..=word.len());
    for (i, c) in candidate
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .enumerate()
    {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, w) in word.iter().enumerate() {
            let substitution = diagonal + usize::from(*w != c);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[word.len()]
}

/// A JSON path: `$.containerDefinitions[0].portMappings[1].hostPort`. Keys that are not
/// names in RFC 9535's member-name shorthand (a letter, `_` or non-ASCII first, then those or
/// digits) are written in brackets: `$.containerDefinitions[0].dockerLabels['com.example']`.
pub(super) fn json_path(path: &[PathSegment<'_>]) -> String {
    let mut out = String::from("$");
    for segment in path {
        match segment {
            PathSegment::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
            PathSegment::Key(key) if is_shorthand(key) => {
                out.push('.');
                out.push_str(key);
            }
            PathSegment::Key(key) => {
                out.push_str("['");
                for c in key.chars() {
                    match c {
                        '\'' | '\\' => {
                            out.push('\\');
                            out.push(c);
                        }
                        c if c.is_control() => {
                            let _ = write!(out, "\\u{:04x}", u32::from(c));
                        }
                        c => out.push(c),
                    }
                }
                out.push_str("']");
            }
        }
    }
    out
}

fn is_shorthand(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || !c.is_ascii())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii())
}

/// `` `a`, `b`, `c` `` for messages.
pub(super) fn backticked<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for name in names {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(name);
        out.push('`');
    }
    out
}
