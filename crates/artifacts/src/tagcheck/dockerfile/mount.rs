//! The `from=` of a `RUN --mount` flag, the image, stage or context a bind or cache mount
//! starts from (Dockerfile reference, "RUN --mount",
//! <https://docs.docker.com/reference/dockerfile/#run---mount>).
//!
//! The flag's value is one CSV record of `key=value` fields, as `BuildKit` reads it with Go's
//! `encoding/csv`: a field wholly in double quotes may hold commas, with `""` for a quote.
//! Keys are compared in lower case, and the last `from=` wins. Every mount type is read, not
//! only `bind` and `cache`: `BuildKit` pulls the `from=` image even of a `tmpfs` mount
//! (<https://github.com/moby/buildkit/issues/4912>).

/// The `from=` value of the mount written as `value`, and its byte offset in `value` (of its
/// first character, inside the quotes of a quoted field).
pub(super) fn from(value: &str) -> Option<(usize, String)> {
    let mut found = None;
    for (start, field) in fields(value) {
        let Some((key, from)) = field.split_once('=') else {
            continue;
        };
        if key.trim().eq_ignore_ascii_case("from") {
            found = Some((start + key.len() + 1, from.to_owned()));
        }
    }
    found
}

/// The fields of one CSV record, each with the byte offset of its text in `record`: a quoted
/// field is given without its quotes, its `""` read as `"`.
fn fields(record: &str) -> Vec<(usize, String)> {
    let mut fields = Vec::new();
    let mut start = 0;
    while start <= record.len() {
        let rest = &record[start..];
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut text = String::new();
            let mut chars = quoted.char_indices().peekable();
            let mut end = quoted.len();
            while let Some((index, c)) = chars.next() {
                if c != '"' {
                    text.push(c);
                } else if chars.peek().is_some_and(|(_, next)| *next == '"') {
                    text.push('"');
                    chars.next();
                } else {
                    end = index + 1;
                    break;
                }
            }
            fields.push((start + 1, text));
            // Past the closing quote and the comma after it.
            start += 1 + end + 1;
        } else {
            let len = rest.find(',').unwrap_or(rest.len());
            fields.push((start, rest[..len].to_owned()));
            start += len + 1;
        }
    }
    fields
}

#[cfg(test)]
mod tests;
