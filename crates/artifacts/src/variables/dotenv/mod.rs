//! `--vars-file`: variables from a dotenv file.
//!
//! The format is the common subset that Docker Compose's `env_file`, python-dotenv and the
//! shell's `source` agree on, so one file serves all three:
//!
//! - `NAME=value` and `export NAME=value`, one per line. The line splits at the first `=`, so
//!   values may contain `=` (base64, connection strings). Spaces around `=` are allowed.
//! - Blank lines and lines starting with `#` are skipped; in an unquoted value, a `#` after a
//!   space starts a comment (`A=b#c` keeps `b#c`, `A=b #c` gives `b`).
//! - Unquoted values are trimmed. `'single quotes'` keep everything literally. `"double
//!   quotes"` understand `\n`, `\r`, `\t`, `\"`, `\\` and `\$`; any other backslash stays as it
//!   is, so Windows paths survive. A quoted value ends on its own line: a newline is written
//!   `\n` inside double quotes.
//! - CRLF line ends and a UTF-8 byte order mark are tolerated, since Windows editors add them.
//! - Nothing is expanded: `A=${B}` is the five characters `${B}`. A value is also never scanned
//!   again when it is substituted, so it stays literal all the way through.
//!
//! Names follow the template syntax (`[A-Za-z_][A-Za-z0-9_]*`), because a name a template
//! cannot refer to is a typo. We hand-write this rather than use `dotenvy`, which reads into the
//! process environment and accepts more syntax (multi-line values, expansion) than we want.

use std::fmt;

use super::name_problem;

/// A line of a dotenv file that could not be read, and why. Never quotes a value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{problem} (line {line})")]
pub struct DotenvError {
    /// The line number, from 1.
    pub line: usize,
    /// What is wrong with it.
    pub problem: DotenvProblem,
}

impl DotenvError {
    /// What the user can do about it.
    #[must_use]
    pub fn help(&self) -> &'static str {
        match self.problem {
            DotenvProblem::MissingEquals | DotenvProblem::InvalidName { .. } => {
                "each line is `NAME=value`, `export NAME=value`, a `# comment` or blank"
            }
            DotenvProblem::UnterminatedQuote { .. } => {
                "close the quote on the same line; write a newline as \\n inside double quotes"
            }
            DotenvProblem::TextAfterQuote { .. } => {
                "quote the whole value, or put a space before a trailing `# comment`"
            }
        }
    }
}

/// What is wrong with a line of a dotenv file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DotenvProblem {
    /// A line that is neither blank, a comment, nor an assignment.
    #[error("expected `NAME=value`, but the line has no `=`")]
    MissingEquals,
    /// The text before `=` is not a variable name.
    #[error("`{name}` is not a valid variable name: {reason}")]
    InvalidName {
        /// The text before `=`.
        name: String,
        /// Why it is not a name.
        reason: &'static str,
    },
    /// A quoted value whose closing quote is missing from the line.
    #[error("the value opens a {quote} quote that is not closed on the same line")]
    UnterminatedQuote {
        /// Which quote.
        quote: DotenvQuote,
    },
    /// Something other than a comment after a quoted value.
    #[error("unexpected text after the closing {quote} quote")]
    TextAfterQuote {
        /// Which quote.
        quote: DotenvQuote,
    },
}

/// The two kinds of quotes a value may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DotenvQuote {
    /// `'…'`: literal.
    Single,
    /// `"…"`: with backslash escapes.
    Double,
}

impl fmt::Display for DotenvQuote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Single => "`'`",
            Self::Double => "`\"`",
        })
    }
}

/// The `NAME=value` pairs of a dotenv file, in file order.
///
/// A name given twice appears twice; collecting into a map lets the later line win, as with
/// `source`. Stops at the first bad line, since the lines after it may be misread too.
pub fn parse_dotenv(text: &str) -> Result<Vec<(String, String)>, DotenvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut pairs = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        match parse_line(line) {
            Ok(Some(pair)) => pairs.push(pair),
            Ok(None) => {}
            Err(problem) => {
                return Err(DotenvError {
                    line: index + 1,
                    problem,
                });
            }
        }
    }
    Ok(pairs)
}

fn parse_line(line: &str) -> Result<Option<(String, String)>, DotenvProblem> {
    let line = line.trim_start();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let line = match line.strip_prefix("export") {
        // `export=1` and `exported=1` assign variables named `export…`.
        Some(rest) if rest.starts_with([' ', '\t']) => rest.trim_start(),
        _ => line,
    };
    let (name, raw) = line.split_once('=').ok_or(DotenvProblem::MissingEquals)?;
    let name = name.trim_end();
    if let Some(reason) = name_problem(name) {
        return Err(DotenvProblem::InvalidName {
            name: super::error::shorten(name),
            reason,
        });
    }
    Ok(Some((name.to_owned(), parse_value(raw)?)))
}

fn parse_value(raw: &str) -> Result<String, DotenvProblem> {
    let value = raw.trim_start();
    if let Some(body) = value.strip_prefix('\'') {
        let quote = DotenvQuote::Single;
        let (content, after) = body
            .split_once('\'')
            .ok_or(DotenvProblem::UnterminatedQuote { quote })?;
        check_after_quote(after, quote)?;
        return Ok(content.to_owned());
    }
    if let Some(body) = value.strip_prefix('"') {
        return double_quoted(body);
    }
    // A `#` starts a comment only after white space, as in the shell: `A=#x` is `#x`.
    let mut end = raw.len();
    let mut previous_is_space = false;
    for (index, c) in raw.char_indices() {
        if c == '#' && previous_is_space {
            end = index;
            break;
        }
        previous_is_space = c.is_whitespace();
    }
    Ok(raw[..end].trim().to_owned())
}

fn double_quoted(body: &str) -> Result<String, DotenvProblem> {
    let quote = DotenvQuote::Double;
    let mut value = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => {
                check_after_quote(&body[index + 1..], quote)?;
                return Ok(value);
            }
            '\\' => match chars.next() {
                Some((_, 'n')) => value.push('\n'),
                Some((_, 'r')) => value.push('\r'),
                Some((_, 't')) => value.push('\t'),
                Some((_, escaped @ ('"' | '\\' | '$'))) => value.push(escaped),
                Some((_, other)) => {
                    value.push('\\');
                    value.push(other);
                }
                None => break,
            },
            c => value.push(c),
        }
    }
    Err(DotenvProblem::UnterminatedQuote { quote })
}

fn check_after_quote(after: &str, quote: DotenvQuote) -> Result<(), DotenvProblem> {
    let rest = after.trim_start();
    let spaced_comment = rest.starts_with('#') && rest.len() < after.len();
    if rest.is_empty() || spaced_comment {
        Ok(())
    } else {
        Err(DotenvProblem::TextAfterQuote { quote })
    }
}

#[cfg(test)]
mod tests;
