//! Positions in text: byte offsets to lines and columns, and keys found in JSON or YAML text.

use crate::location::{JsonPath, Location};

/// The 1-based line and column (in characters) of byte `offset` in `text`.
#[must_use]
pub fn line_of(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The line and column of byte `offset` in `text`, which reports turn into a SARIF region.
pub(crate) fn position(text: &str, offset: usize) -> Location {
    let (line, column) = line_of(text, offset);
    Location::line(line, Some(column))
}

/// The byte offset of the first `needle` at or after `from`.
pub(crate) fn find_from(text: &str, from: usize, needle: &str) -> Option<usize> {
    text.get(from..)?.find(needle).map(|found| from + found)
}

/// The offset of a key `key` (as `key:` in YAML or `"key"` in JSON) at or after `from`.
pub(crate) fn find_key(text: &str, from: usize, key: &str) -> Option<usize> {
    let quoted = find_from(text, from, &format!("\"{key}\""));
    let mut search = from;
    let plain = loop {
        let Some(found) = find_from(text, search, key) else {
            break None;
        };
        let before_ok = found == 0
            || text[..found]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_whitespace() || c == '-' || c == '{' || c == ',');
        let after = &text[found + key.len()..];
        if before_ok && after.trim_start_matches([' ', '\t']).starts_with(':') {
            break Some(found);
        }
        search = found + key.len();
    };
    match (quoted, plain) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The position of the path of keys `keys`, each searched after the previous one, with the
/// JSON path appended: `line 3, column 5, $.Resources.Repo.Properties.ImageTagMutability`.
pub(crate) fn locate(text: &str, keys: &[&str], path: &JsonPath) -> Location {
    let mut offset = 0;
    let mut found = None;
    for key in keys {
        match find_key(text, offset, key).or_else(|| find_from(text, offset, key)) {
            Some(at) => {
                offset = at + key.len();
                found = Some(at);
            }
            None => break,
        }
    }
    match found {
        Some(at) => position(text, at).with_path(path.clone()),
        None => Location::from(path.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "a\nbé c\n";
        assert_eq!(line_of(text, 0), (1, 1));
        assert_eq!(line_of(text, 5), (2, 3));
    }

    #[test]
    fn keys_are_found_in_yaml_and_json() {
        let yaml = "Resources:\n  Repo:\n    Properties:\n      Mode: MUTABLE\n";
        assert_eq!(
            locate(
                yaml,
                &["Repo", "Mode"],
                &JsonPath::root()
                    .key("Resources")
                    .key("Repo")
                    .key("Properties")
                    .key("Mode")
            )
            .to_string(),
            "line 4, column 7, $.Resources.Repo.Properties.Mode"
        );
        let json = "{\"Repo\": {\"Mode\": 1}}";
        assert_eq!(
            locate(json, &["Repo", "Mode"], &JsonPath::root()).to_string(),
            "line 1, column 11, $"
        );
    }
}
