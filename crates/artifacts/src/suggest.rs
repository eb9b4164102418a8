//! Near-miss suggestions ("did you mean `image`?"), JSON paths and name lists for messages,
//! shared by every checker.

use std::fmt::Write as _;

/// `text` as a message quotes it: see [`crate::secrets::shown`], which hides credentials and
/// shortens what is long.
#[must_use]
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    crate::secrets::shown(text)
}

/// How far a near miss may be from the name it was meant to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// At most 2 edits: API member names, where 3 edits turn most names into most others.
    Short,
    /// A quarter of the name's length, at least 2: long compound names where a whole word
    /// goes missing (`AfterTestTraffic` for `AfterAllowTestTraffic`).
    Proportional,
}

/// The candidate closest to `word`, ignoring ASCII case, when it is a near miss within
/// `reach`; names of 3 characters or fewer allow 1 edit. Ties go to the first candidate.
pub(crate) fn similar<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    reach: Reach,
) -> Option<&'c str> {
    let word: Vec<char> = word.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut row = Vec::new();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let length = candidate.chars().count();
        let limit = match reach {
            _ if length.min(word.len()) <= 3 => 1,
            Reach::Short => 2,
            Reach::Proportional => (length / 4).max(2),
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

/// Appends a member to a JSON path: `.key`, or `['odd key']` for keys that are not names in
/// RFC 9535's member-name shorthand (a letter, `_` or non-ASCII first, then those or digits).
pub(crate) fn push_key(out: &mut String, key: &str) {
    let key = &*shown(key);
    let mut chars = key.chars();
    let shorthand = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || !c.is_ascii())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii());
    if shorthand {
        out.push('.');
        out.push_str(key);
        return;
    }
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

/// `` `a`, `b`, `c` `` for messages.
pub(crate) fn backticked<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses() {
        let events = [
            "BeforeInstall",
            "AfterInstall",
            "AfterAllowTestTraffic",
            "BeforeAllowTraffic",
            "AfterAllowTraffic",
        ];
        assert_eq!(
            similar("AfterTestTraffic", events, Reach::Proportional),
            Some("AfterAllowTestTraffic")
        );
        assert_eq!(similar("AfterTestTraffic", events, Reach::Short), None);
        assert_eq!(
            similar("AfterAllowTestTrafic", events, Reach::Proportional),
            Some("AfterAllowTestTraffic")
        );
        assert_eq!(
            similar("ApplicationStart", events, Reach::Proportional),
            None
        );
        assert_eq!(
            similar("afterinstall", events, Reach::Short),
            Some("AfterInstall")
        );
        assert_eq!(
            similar("imagee", ["image", "name"], Reach::Short),
            Some("image")
        );
        assert_eq!(similar("Typ", ["Type"], Reach::Short), Some("Type"));
        assert_eq!(similar("Foo", ["Type"], Reach::Proportional), None);
    }

    #[test]
    fn paths_and_lists() {
        let mut path = String::from("$");
        push_key(&mut path, "options");
        push_key(&mut path, "awslogs-group");
        push_key(&mut path, "it's");
        assert_eq!(path, "$.options['awslogs-group']['it\\'s']");
        assert_eq!(backticked(["a", "b"]), "`a`, `b`");
    }
}
