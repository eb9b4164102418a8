//! The two image files of CodePipeline's ECS deploy actions.
//!
//! - `imagedefinitions.json`, read by the ECS (rolling) action: `[{"name": …, "imageUri": …}]`.
//! - `imageDetail.json`, read by the CodeDeployToECS (Blue/Green) action: `{"ImageURI": …}`.
//!
//! Both are read the way the actions read them (CodePipeline user guide, "Image definitions file
//! reference"), and the checks recognise the usual mix-ups between the two.

pub mod definitions;
pub mod detail;
#[cfg(test)]
mod mutations;

use serde_json::Value;

use crate::actions::{blue_green, ecs};
use crate::finding::Finding;
use crate::image_reference::ImageReference;
pub(crate) use crate::syntax::{decode_json, type_name};
use crate::tag_policy::{MUTABLE_TAG_HELP, TagPolicy, mutable_tag_problem};

/// A check's result: the value when the file's structure could be read, and every finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked<T> {
    /// The value read, when the structure was readable (even with findings).
    pub value: Option<T>,
    /// Everything found, errors and warnings.
    pub findings: Vec<Finding>,
}

impl<T> Checked<T> {
    /// A check that could not read the file's structure.
    fn failed(findings: Vec<Finding>) -> Self {
        Self {
            value: None,
            findings,
        }
    }
}

/// Which of the two files a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImageFileKind {
    /// `imagedefinitions.json` for the ECS (rolling) action.
    ImageDefinitions,
    /// `imageDetail.json` for the CodeDeployToECS (Blue/Green) action.
    ImageDetail,
}

impl ImageFileKind {
    /// Decides which file a document is meant to be, from its file name and, for names that
    /// say nothing, its top-level JSON type.
    #[must_use]
    pub fn guess(file_name: &str, bytes: &[u8]) -> Self {
        let lower = file_name.to_ascii_lowercase();
        // `imageDetails.json` is the usual misspelling: the check then says so.
        if lower.eq_ignore_ascii_case(blue_green::IMAGE_DETAIL) || lower == "imagedetails.json" {
            Self::ImageDetail
        } else if lower.eq_ignore_ascii_case(ecs::IMAGE_DEFINITIONS) {
            Self::ImageDefinitions
        } else if bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(bytes)
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            == Some(&b'{')
        {
            Self::ImageDetail
        } else {
            Self::ImageDefinitions
        }
    }
}

/// [`decode_json`] for checkers: the value, with its findings added to `findings`.
fn decode_into(bytes: &[u8], findings: &mut Vec<Finding>) -> Option<Value> {
    match decode_json(bytes) {
        Ok((value, decode_findings)) => {
            findings.extend(decode_findings);
            Some(value)
        }
        Err(finding) => {
            findings.push(finding);
            None
        }
    }
}

/// Container names as ECS accepts them: 1 to 255 letters, digits, `_` and `-`.
/// Source: `ContainerDefinition.name` in the ECS API model.
#[must_use]
pub fn container_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the container name is empty".to_owned());
    }
    if name.len() > 255 {
        return Some(format!(
            "the container name is {} characters long; ECS allows 255",
            name.len()
        ));
    }
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
        .map(|bad| format!("the container name `{name}` contains `{bad}`; ECS allows letters, digits, `_` and `-`"))
}

/// Every finding about one image reference: grammar, ECS limits and the tag policy.
/// Returns the parsed reference when the grammar accepts it.
pub(crate) fn check_image(text: &str, policy: TagPolicy) -> (Option<ImageReference>, Vec<Finding>) {
    let reference = match ImageReference::parse(text) {
        Ok(reference) => reference,
        Err(error) => {
            return (
                None,
                vec![Finding::error("invalid-image", error.to_string()).maybe_help(error.help())],
            );
        }
    };
    let mut findings: Vec<Finding> = reference
        .ecs_problems()
        .into_iter()
        .map(|problem| Finding::error("ecs-image-limit", format!("`{reference}`: {problem}")))
        .collect();
    if let Some(problem) = mutable_tag_problem(&reference)
        && !policy.allow_mutable_tags
    {
        findings.push(Finding::policy("mutable-tag", problem).help(MUTABLE_TAG_HELP));
    }
    (Some(reference), findings)
}

/// The key among `known` that `key` differs from only in case or by a trailing `s`.
pub(crate) fn similar_key<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let key = key.to_ascii_lowercase();
    known.iter().copied().find(|candidate| {
        let candidate = candidate.to_ascii_lowercase();
        candidate == key || candidate == key.trim_end_matches('s') || format!("{candidate}s") == key
    })
}
