//! `${NAME}` variables in templates, substituted inside JSON string values only.
//!
//! Substitution runs on the parsed document, one string value at a time, and never on the raw
//! text: a value can therefore never break JSON quoting or add keys, which is the injection risk
//! of running `envsubst` over a whole file. Object keys are not substituted; a `${` in a key is
//! left as it is.
//!
//! The syntax is the shell's, cut down to what a deployment template needs:
//!
//! | template | result |
//! |---|---|
//! | `${NAME}` | the value of `NAME`; an error when `NAME` is unset (set but empty gives `""`) |
//! | `${NAME:-default}` | the value of `NAME` when set and non-empty, else `default` |
//! | `$${` | a literal `${` (so `$${HOME}` reaches the container's shell as `${HOME}`) |
//! | `$$${NAME}` | a literal `$` then the value of `NAME`: before `{`, each `$$` is one `$` |
//! | `$HOME`, `$1`, `$$`, `price $5` | unchanged: a `$` not followed by `{` is plain text |
//! | `<IMAGE1_NAME>`, `<TASK_DEFINITION>` | unchanged: CodeDeployToECS replaces those later |
//!
//! `NAME` is `[A-Za-z_][A-Za-z0-9_]*`. A default is literal text up to the first `}`: it may be
//! empty, cannot contain `}`, and cannot nest another `${…}` (that is reported rather than
//! silently cut at the inner `}`). Values are inserted as they are and never scanned again, so a
//! value containing `${` stays literal. Every other form (`${1A}`, `${ NAME }`, `${NAME`,
//! `${NAME:=x}`, `${#NAME}`) is an error that quotes the text and says why.
//!
//! Errors are collected, not returned at the first one: every unset variable is reported once,
//! with every place it occurs, so one run tells the user everything to fix. Error messages carry
//! names and locations only, never a variable's value, because values are often secrets.

mod dotenv;
mod error;
mod json;
mod syntax;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::BuildHasher;

pub use dotenv::{DotenvError, DotenvProblem, DotenvQuote, parse_dotenv};
pub use error::{Malformed, MissingVariable, SubstitutionError};
pub use json::substitute_strings;

use syntax::name_problem;
use syntax::parse_reference;

/// Where variable values come from: the environment, `--var` flags, a `--vars-file`, or a map
/// that merges them (the caller decides the precedence).
pub trait Variables {
    /// The value of `name`, or `None` when it is unset.
    fn get(&self, name: &str) -> Option<Cow<'_, str>>;
}

impl<F: Fn(&str) -> Option<String> + ?Sized> Variables for F {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        self(name).map(Cow::Owned)
    }
}

impl<S: BuildHasher> Variables for HashMap<String, String, S> {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        HashMap::get(self, name).map(|value| Cow::Borrowed(value.as_str()))
    }
}

impl Variables for BTreeMap<String, String> {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        BTreeMap::get(self, name).map(|value| Cow::Borrowed(value.as_str()))
    }
}

/// What a successful substitution drew on, for provenance logs. Names only, never values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Substituted {
    /// Names that were looked up and set (possibly to the empty string), sorted, each once.
    pub used: Vec<String>,
    /// Names whose `${NAME:-default}` fell back to the default, sorted, each once.
    pub defaulted: Vec<String>,
}

/// Substitutes variables in one string, for callers without a JSON document (appspec lines,
/// buildspec commands). Errors carry no locations; callers that know one can use [`Expander`].
pub fn substitute_str<V: Variables + ?Sized>(
    text: &str,
    vars: &V,
) -> Result<String, SubstitutionError> {
    let mut expander = Expander::new(vars);
    let result = expander
        .expand_at(text, &mut Location::<fn() -> String>::unknown())
        .into_owned();
    expander.finish().map(|_| result)
}

/// Substitutes many strings against one set of variables and reports every problem at the end.
///
/// This is what [`substitute_strings`] uses for each string value; other formats (YAML, line
/// based files) can drive it the same way with their own locations.
pub struct Expander<'v, V: ?Sized> {
    vars: &'v V,
    used: BTreeSet<String>,
    defaulted: BTreeSet<String>,
    missing: Vec<MissingVariable>,
    // Index into `missing` by name, so that reporting stays linear however many are unset.
    missing_index: HashMap<String, usize>,
    malformed: Vec<Malformed>,
}

impl<V: ?Sized> std::fmt::Debug for Expander<'_, V> {
    // Deliberately leaves out the variables: their values may be secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expander")
            .field("used", &self.used)
            .field("defaulted", &self.defaulted)
            .field("missing", &self.missing)
            .field("malformed", &self.malformed)
            .finish_non_exhaustive()
    }
}

impl<'v, V: Variables + ?Sized> Expander<'v, V> {
    /// An expander that looks names up in `vars`.
    pub fn new(vars: &'v V) -> Self {
        Self {
            vars,
            used: BTreeSet::new(),
            defaulted: BTreeSet::new(),
            missing: Vec::new(),
            missing_index: HashMap::new(),
            malformed: Vec::new(),
        }
    }

    /// Substitutes one string found at `location` (called only when there is a problem).
    ///
    /// A string with a problem comes back unchanged; [`Expander::finish`] reports the problem.
    pub fn expand<'t>(&mut self, text: &'t str, location: impl FnOnce() -> String) -> Cow<'t, str> {
        self.expand_at(text, &mut Location::lazy(location))
    }

    /// What the strings so far drew on, or every problem found in them.
    pub fn finish(self) -> Result<Substituted, SubstitutionError> {
        if self.missing.is_empty() && self.malformed.is_empty() {
            Ok(Substituted {
                used: self.used.into_iter().collect(),
                defaulted: self.defaulted.into_iter().collect(),
            })
        } else {
            Err(SubstitutionError {
                missing: self.missing,
                malformed: self.malformed,
            })
        }
    }

    fn expand_at<'t, L: FnOnce() -> String>(
        &mut self,
        text: &'t str,
        location: &mut Location<L>,
    ) -> Cow<'t, str> {
        // Every expansion and every escape contains `${`; most strings have none.
        if !text.contains("${") {
            return Cow::Borrowed(text);
        }
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut failed = false;
        // `copied` is the end of the text already in `out`; `at` is where scanning resumes.
        let (mut copied, mut at) = (0, 0);
        while let Some(offset) = text[at..].find('$') {
            let run_start = at + offset;
            let run_end = run_start
                + bytes[run_start..]
                    .iter()
                    .take_while(|&&b| b == b'$')
                    .count();
            at = run_end;
            if bytes.get(run_end) != Some(&b'{') {
                continue; // `$HOME`, `$$`, a trailing `$`: plain text.
            }
            // Before `{`, pairs of `$` are escaped dollars; an odd one left over opens `${`.
            out.push_str(&text[copied..run_start]);
            let run = run_end - run_start;
            out.extend(std::iter::repeat_n('$', run / 2));
            at = run_end + 1;
            copied = at;
            if run % 2 == 0 {
                out.push('{');
                continue;
            }
            let open = run_end - 1;
            let Some(close) = text[at..].find('}').map(|close| at + close) else {
                self.malformed_at(location, &text[open..], "there is no closing `}`".into());
                failed = true;
                copied = text.len();
                break;
            };
            (at, copied) = (close + 1, close + 1);
            match parse_reference(&text[open + 2..close]) {
                Ok((name, default)) => {
                    if let Some(value) = self.lookup(name, default, location) {
                        out.push_str(&value);
                    } else {
                        failed = true;
                    }
                }
                Err(reason) => {
                    self.malformed_at(location, &text[open..=close], reason);
                    failed = true;
                }
            }
        }
        if failed {
            return Cow::Borrowed(text);
        }
        out.push_str(&text[copied..]);
        Cow::Owned(out)
    }

    /// The text `${name…}` stands for, or `None` (and a report) when `name` is unset.
    fn lookup<L: FnOnce() -> String>(
        &mut self,
        name: &str,
        default: Option<&str>,
        location: &mut Location<L>,
    ) -> Option<Cow<'v, str>> {
        let value = self.vars.get(name);
        if value.is_some() && !self.used.contains(name) {
            self.used.insert(name.to_owned());
        }
        match (value, default) {
            (Some(value), Some(_)) if !value.is_empty() => Some(value),
            (Some(value), None) => Some(value),
            (_, Some(default)) => {
                if !self.defaulted.contains(name) {
                    self.defaulted.insert(name.to_owned());
                }
                Some(Cow::Owned(default.to_owned()))
            }
            (None, None) => {
                let location = location.get();
                let index = *self
                    .missing_index
                    .entry(name.to_owned())
                    .or_insert_with(|| {
                        self.missing.push(MissingVariable {
                            name: name.to_owned(),
                            locations: Vec::new(),
                        });
                        self.missing.len() - 1
                    });
                let locations = &mut self.missing[index].locations;
                // A name unset twice in one string is one place to fix, not two.
                if let Some(location) = location
                    && locations.last() != Some(&location)
                {
                    locations.push(location);
                }
                None
            }
        }
    }

    fn malformed_at<L: FnOnce() -> String>(
        &mut self,
        location: &mut Location<L>,
        text: &str,
        reason: String,
    ) {
        self.malformed.push(Malformed {
            location: location.get(),
            text: error::shorten(text),
            reason,
        });
    }
}

/// Where the string being expanded is, computed at most once and only if a problem needs it.
struct Location<L> {
    make: Option<L>,
    known: Option<String>,
}

impl<L: FnOnce() -> String> Location<L> {
    fn unknown() -> Self {
        Self {
            make: None,
            known: None,
        }
    }

    fn lazy(make: L) -> Self {
        Self {
            make: Some(make),
            known: None,
        }
    }

    fn get(&mut self) -> Option<String> {
        if let Some(make) = self.make.take() {
            self.known = Some(make());
        }
        self.known.clone()
    }
}

#[cfg(test)]
mod tests;
