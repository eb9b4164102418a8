//! A buildspec, read for what the pipeline depends on: the artifacts it uploads, the variables
//! it exports, the input-artifact folders it reads.
//!
//! Source: CodeBuild "Build specification reference" (`docs/aws/codepipeline.md#the-buildspec`):
//! `artifacts/files` are paths or globs relative to the build folder or `base-directory`
//! (`**/*` is everything below it), `discard-paths: yes` puts every file at the artifact root,
//! `exclude-paths` takes files back out, `secondary-artifacts` maps an identifier to a block of
//! the same keys, and `env/exported-variables` lists what later actions can read.

use std::fmt::Write as _;

use serde_json::Value;

use super::INVALID;
use crate::finding::Finding;
use crate::syntax::type_name;
use crate::tagcheck::glob::whole_path_match;
use crate::tagcheck::text::{find_key, line_of};

/// A buildspec, as far as the pipeline depends on it.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildSpec {
    text: String,
    /// `version`, as written (`0.2`).
    pub(super) version: Option<String>,
    /// `artifacts` itself: `files` and its settings, when `files` is there.
    pub(super) primary: Option<ArtifactSpec>,
    /// `artifacts/secondary-artifacts`, by identifier, in file order.
    pub(super) secondary: Vec<(String, ArtifactSpec)>,
    /// `env/exported-variables`.
    pub(super) exported: Vec<String>,
}

/// One artifact block: which files go in, and where.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct ArtifactSpec {
    pub(super) files: Vec<String>,
    pub(super) base_directory: Option<String>,
    pub(super) discard_paths: bool,
    pub(super) exclude_paths: Vec<String>,
}

impl BuildSpec {
    /// Reads a buildspec. A file that is not YAML, or whose keys have the wrong types, is an
    /// error: CodeBuild would stop at `YAML_FILE_ERROR` before running anything.
    pub fn parse(bytes: &[u8]) -> Result<Self, Finding> {
        let text = crate::syntax::utf8(bytes)?;
        let value: Value = serde_saphyr::from_str(text)
            .map_err(|error| crate::syntax::yaml_error(&error).into_rule(INVALID))?;
        let wrong = |keys: &[&str], value: &Value, wanted: &str| {
            Finding::error(
                INVALID,
                format!(
                    "`{}` is {}, where CodeBuild takes {wanted}",
                    keys.join("."),
                    type_name(value)
                ),
            )
            .at_place(match Self::line_in(text, keys) {
                Some(line) => format!("line {line}, {}", keys.join(".")),
                None => keys.join("."),
            })
            .help(
                "CodeBuild stops with YAML_FILE_ERROR on it: see the build specification reference",
            )
        };
        let Value::Object(root) = &value else {
            return Err(Finding::error(
                INVALID,
                format!("the buildspec is {}, not a mapping", type_name(&value)),
            )
            .help("a buildspec is a mapping with `version: 0.2`, `phases` and `artifacts`"));
        };
        let version = root.get("version").map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let mut spec = Self {
            text: text.to_owned(),
            version,
            primary: None,
            secondary: Vec::new(),
            exported: Vec::new(),
        };
        if let Some(env) = root.get("env") {
            let Value::Object(env) = env else {
                return Err(wrong(&["env"], env, "a mapping"));
            };
            if let Some(list) = env.get("exported-variables") {
                spec.exported = strings(list).ok_or_else(|| {
                    wrong(
                        &["env", "exported-variables"],
                        list,
                        "a list of variable names",
                    )
                })?;
            }
        }
        let Some(artifacts) = root.get("artifacts") else {
            return Ok(spec);
        };
        let Value::Object(artifacts) = artifacts else {
            return Err(wrong(&["artifacts"], artifacts, "a mapping"));
        };
        if artifacts.contains_key("files") {
            spec.primary = Some(artifact_spec(artifacts, &["artifacts"], &wrong)?);
        }
        if let Some(secondary) = artifacts.get("secondary-artifacts") {
            let Value::Object(secondary) = secondary else {
                return Err(wrong(
                    &["artifacts", "secondary-artifacts"],
                    secondary,
                    "a mapping of artifact identifiers",
                ));
            };
            for (id, block) in secondary {
                let keys = ["artifacts", "secondary-artifacts", id.as_str()];
                let Value::Object(block) = block else {
                    return Err(wrong(&keys, block, "a mapping with `files`"));
                };
                spec.secondary
                    .push((id.clone(), artifact_spec(block, &keys, &wrong)?));
            }
            // serde_json's map sorts keys; the file's order reads better in messages.
            spec.secondary.sort_by_key(|(id, _)| {
                Self::line_in(text, &["secondary-artifacts", id]).unwrap_or(usize::MAX)
            });
        }
        Ok(spec)
    }

    /// The artifact block for identifier `id` of `secondary-artifacts`.
    pub(super) fn secondary(&self, id: &str) -> Option<&ArtifactSpec> {
        self.secondary
            .iter()
            .find(|(name, _)| name == id)
            .map(|(_, spec)| spec)
    }

    /// The line of the key path `keys`, each key searched after the one before.
    pub(super) fn line(&self, keys: &[&str]) -> Option<usize> {
        Self::line_in(&self.text, keys)
    }

    fn line_in(text: &str, keys: &[&str]) -> Option<usize> {
        let mut offset = 0;
        let mut found = None;
        for key in keys {
            let at = find_key(text, offset, key)?;
            offset = at + key.len();
            found = Some(at);
        }
        found.map(|at| line_of(text, at).0)
    }

    /// The lines that are not whole-line comments, with their numbers.
    fn code_lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.text
            .lines()
            .enumerate()
            .map(|(index, line)| (index + 1, line))
            .filter(|(_, line)| !line.trim_start().starts_with('#'))
    }

    /// `CODEBUILD_SRC_DIR_<name>` references: each name with its line.
    pub(super) fn source_dirs(&self) -> Vec<(String, usize)> {
        const PREFIX: &str = "CODEBUILD_SRC_DIR_";
        let mut found = Vec::new();
        for (number, line) in self.code_lines() {
            for (at, _) in line.match_indices(PREFIX) {
                let name: String = line[at + PREFIX.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                if !name.is_empty() {
                    found.push((name, number));
                }
            }
        }
        found
    }

    /// True when `word` is in the commands or settings (not only in comments).
    pub(super) fn mentions(&self, word: &str) -> bool {
        self.code_lines().any(|(_, line)| line.contains(word))
    }

    /// How often `ecs-taskdef render … --placeholder CONTAINER` gives out the next
    /// `<IMAGEn_NAME>`: the count of `--placeholder` flags.
    pub(super) fn placeholder_flags(&self) -> usize {
        self.code_lines()
            .map(|(_, line)| line.matches("--placeholder").count())
            .sum()
    }
}

fn strings(value: &Value) -> Option<Vec<String>> {
    match value {
        // CodeBuild takes a single path for a one-element list.
        Value::String(text) => Some(vec![text.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => None,
    }
}

fn artifact_spec(
    block: &serde_json::Map<String, Value>,
    keys: &[&str],
    wrong: &dyn Fn(&[&str], &Value, &str) -> Finding,
) -> Result<ArtifactSpec, Finding> {
    let key_path = |key: &'static str| {
        let mut path = keys.to_vec();
        path.push(key);
        path
    };
    let mut spec = ArtifactSpec::default();
    if let Some(files) = block.get("files") {
        spec.files =
            strings(files).ok_or_else(|| wrong(&key_path("files"), files, "a list of paths"))?;
    }
    if let Some(exclude) = block.get("exclude-paths") {
        spec.exclude_paths = strings(exclude)
            .ok_or_else(|| wrong(&key_path("exclude-paths"), exclude, "a list of paths"))?;
    }
    if let Some(base) = block.get("base-directory") {
        let Value::String(base) = base else {
            return Err(wrong(&key_path("base-directory"), base, "a path"));
        };
        spec.base_directory = Some(base.clone());
    }
    if let Some(discard) = block.get("discard-paths") {
        spec.discard_paths = match discard {
            Value::Bool(flag) => *flag,
            Value::String(word) if word.eq_ignore_ascii_case("yes") || word == "true" => true,
            Value::String(word) if word.eq_ignore_ascii_case("no") || word == "false" => false,
            other => return Err(wrong(&key_path("discard-paths"), other, "`yes` or `no`")),
        };
    }
    Ok(spec)
}

impl ArtifactSpec {
    /// True when some file the build could write would be at `path` inside the artifact. A
    /// glob counts when a file it matches would land there; shell variables in a pattern
    /// match anything.
    pub(super) fn could_hold(&self, path: &str) -> bool {
        let path = path.trim_start_matches("./");
        self.files.iter().any(|pattern| {
            let pattern = variables_as_wildcards(pattern);
            let source = if self.discard_paths {
                // The file keeps only its name: any folder the pattern allows will do.
                if path.contains('/') {
                    return false;
                }
                let (folder, name) = pattern.rsplit_once('/').unwrap_or(("", &pattern));
                if !(name == "**" || whole_path_match(name, path)) {
                    return false;
                }
                if folder.is_empty() {
                    path.to_owned()
                } else {
                    format!("{folder}/{path}")
                }
            } else {
                if !whole_path_match(&pattern, path) {
                    return false;
                }
                path.to_owned()
            };
            !self
                .exclude_paths
                .iter()
                .any(|exclude| whole_path_match(&variables_as_wildcards(exclude), &source))
        })
    }

    /// ``files `a`, `b` `` with the settings that move them, for messages.
    pub(super) fn describe(&self) -> String {
        let mut text = if self.files.is_empty() {
            "no `files`".to_owned()
        } else {
            format!(
                "files {}",
                crate::suggest::backticked(self.files.iter().map(String::as_str))
            )
        };
        if let Some(base) = &self.base_directory {
            let _ = write!(text, " under base-directory `{base}`");
        }
        if self.discard_paths {
            text.push_str(" with discard-paths");
        }
        if !self.exclude_paths.is_empty() {
            let excluded = self.exclude_paths.iter().map(String::as_str);
            let _ = write!(text, " excluding {}", crate::suggest::backticked(excluded));
        }
        text
    }
}

/// `$NAME` and `${NAME}` become `*`: the build may set them to anything.
fn variables_as_wildcards(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'{') {
            for c in chars.by_ref() {
                if c == '}' {
                    break;
                }
            }
        } else {
            while chars
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                chars.next();
            }
        }
        out.push('*');
    }
    out
}

#[cfg(test)]
mod tests;
