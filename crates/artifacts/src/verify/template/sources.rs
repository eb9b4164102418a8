//! What a CodeBuild action reads its sources from, and what an ECR source action tracks.
//!
//! Sources: CodePipeline action reference, "AWS CodeBuild": `PrimarySource` "is required if
//! multiple input artifacts are specified" and "must be the name of one of the input
//! artifacts"; "The directory for the primary source artifact is made available with
//! `$CODEBUILD_SRC_DIR`. The directories for all other input artifacts are made available with
//! `$CODEBUILD_SRC_DIR_yourInputArtifactName`." "Amazon ECR source action": `ImageTag`
//! defaults to `latest` (`docs/aws/codepipeline.md#the-ecr-source-action`).

use super::{Build, ECR_SOURCE_MUTABLE_TAG, PRIMARY_SOURCE, SOURCE_DIRECTORY, Step, Template};
use crate::finding::Finding;
use crate::suggest::{Reach, backticked, similar};
use crate::tagcheck::glob::wildcard_match;
use crate::tagcheck::pipeline::image_tag_finding;

/// `PrimarySource` is there when there are several inputs, and is one of them.
pub(super) fn primary_source(step: &Step, findings: &mut Vec<Finding>) {
    let inputs = || backticked(step.inputs.iter().copied());
    match step.text("PrimarySource") {
        None if step.inputs.len() > 1 => findings.push(
            Finding::error(PRIMARY_SOURCE, format!("{} has {} input artifacts ({}) and no `PrimarySource`", step.full(), step.inputs.len(), inputs()))
                .at_place(step.at("Configuration"))
                .help("set `PrimarySource` to the input that holds the buildspec: CodeBuild runs it from that artifact's folder"),
        ),
        Some(primary) if !step.inputs.contains(&primary) => {
            let finding = Finding::error(PRIMARY_SOURCE, format!("`PrimarySource` `{primary}` is not an input artifact of {}; its inputs are {}", step.full(), inputs()))
                .at_place(step.at("Configuration.PrimarySource"));
            findings.push(match similar(primary, step.inputs.iter().copied(), Reach::Proportional) {
                Some(meant) => finding.help(format!("did you mean `{meant}`?")),
                None => finding.help("name the input artifact that holds the buildspec"),
            });
        }
        _ => {}
    }
}

/// The action's primary input: `PrimarySource`, or the only input.
pub(super) fn primary<'a>(step: &Step<'a>) -> Option<&'a str> {
    match step.inputs.as_slice() {
        [only] => Some(only),
        inputs => step
            .text("PrimarySource")
            .and_then(|p| inputs.iter().find(|i| **i == p).copied()),
    }
}

/// Every `CODEBUILD_SRC_DIR_<name>` in the buildspec names a secondary input of the action.
pub(super) fn source_dirs(step: &Step, build: &Build, findings: &mut Vec<Finding>) {
    let primary = primary(step);
    let secondary: Vec<&str> = step
        .inputs
        .iter()
        .copied()
        .filter(|i| Some(*i) != primary)
        .collect();
    let mut seen = Vec::new();
    for (name, line) in build.spec.source_dirs() {
        if secondary.contains(&name.as_str()) || seen.contains(&name) {
            continue;
        }
        let variable = format!("CODEBUILD_SRC_DIR_{name}");
        let at = format!("{}, {}:{line}", step.at("InputArtifacts"), build.shown);
        let finding = if primary == Some(name.as_str()) {
            Finding::error(SOURCE_DIRECTORY, format!("{} reads `{variable}`, but `{name}` is the primary source of {}, which CodeBuild unpacks at `CODEBUILD_SRC_DIR`", build.shown, step.full()))
                .help("use `$CODEBUILD_SRC_DIR` for the primary source; only the other inputs get `CODEBUILD_SRC_DIR_<name>`")
        } else {
            let finding = Finding::error(
                SOURCE_DIRECTORY,
                format!(
                    "{} reads `{variable}`, and `{name}` is not a secondary input artifact of {}; {}",
                    build.shown,
                    step.full(),
                    if secondary.is_empty() {
                        "it has none".to_owned()
                    } else {
                        format!("they are {}", backticked(secondary.iter().copied()))
                    }
                ),
            );
            match similar(&name, secondary.iter().copied(), Reach::Proportional) {
                Some(meant) => finding.help(format!("did you mean `CODEBUILD_SRC_DIR_{meant}`?")),
                None => finding.help(format!("add `{name}` to the action's InputArtifacts, or read another folder: the variable is unset, so the path becomes relative")),
            }
        };
        findings.push(finding.at_place(at));
        seen.push(name);
    }
}

/// The tag an ECR source action tracks: set, not `latest`, and not movable in a repository whose
/// tags are all mutable. A promotion tag excluded from an immutable repository's rule is the
/// intended setup (the repository keeps commit tags immutable while the release tag moves).
pub(super) fn ecr_source(step: &Step, template: &Template, findings: &mut Vec<Finding>) {
    let tag = step.text("ImageTag");
    if let Some(finding) = image_tag_finding(tag) {
        let key = if tag.is_some() {
            "Configuration.ImageTag"
        } else {
            "Configuration"
        };
        findings.push(finding.at_place(step.at(key)));
        return;
    }
    let (Some(tag), Some((id, repository))) = (
        tag,
        step.text("RepositoryName")
            .and_then(|name| template.repository(name)),
    ) else {
        return;
    };
    let excluded = repository
        .exclusions
        .iter()
        .any(|filter| wildcard_match(filter, tag));
    let mutability = repository
        .mutability
        .as_deref()
        .map(str::to_ascii_uppercase);
    // `Some(true)`: the tag moves and so can every other; `Some(false)`: it cannot move at all.
    let movable = match mutability.as_deref() {
        None | Some("MUTABLE") => Some(true),
        Some("MUTABLE_WITH_EXCLUSION") => Some(!excluded),
        Some("IMMUTABLE_WITH_EXCLUSION") if excluded => None,
        Some("IMMUTABLE" | "IMMUTABLE_WITH_EXCLUSION") => Some(false),
        // A value that does not resolve here.
        Some(_) => None,
    };
    let at = step.at("Configuration.ImageTag");
    let shown = mutability.as_deref().unwrap_or("MUTABLE, the default");
    match movable {
        Some(true) => findings.push(
            Finding::error(ECR_SOURCE_MUTABLE_TAG, format!("{} tracks `{tag}` in repository `{id}`, whose tags are mutable ({shown}): any push can move it, and every other tag with it", step.full()))
                .at_place(at)
                .help(format!("set `ImageTagMutability: IMMUTABLE_WITH_EXCLUSION` on `{id}` with an exclusion filter for `{tag}` alone, so only the promotion tag moves")),
        ),
        Some(false) => findings.push(
            Finding::warning(ECR_SOURCE_MUTABLE_TAG, format!("{} tracks `{tag}` in repository `{id}`, where that tag is immutable ({shown}): it can be pushed once, so the pipeline starts once", step.full()))
                .at_place(at)
                .help(format!("exclude `{tag}` from the rule: `ImageTagMutability: IMMUTABLE_WITH_EXCLUSION` with a filter for `{tag}`")),
        ),
        None => {}
    }
}
