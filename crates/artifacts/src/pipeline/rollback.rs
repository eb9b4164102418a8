//! The decisions of `ecs-pipeline rollback`: did a stage succeed in an execution, and which
//! image digests an execution deployed, from what CodePipeline recorded of it.

use std::collections::BTreeSet;

use crate::image_reference::ImageReference;

/// Whether a stage succeeded in an execution: it ran at least one action, and every action it
/// ran succeeded (`statuses` are the stage's `ListActionExecutions` statuses).
#[must_use]
pub fn stage_succeeded<'a>(statuses: impl IntoIterator<Item = &'a str>) -> bool {
    let mut ran = false;
    for status in statuses {
        if status != "Succeeded" {
            return false;
        }
        ran = true;
    }
    ran
}

/// The image digests an execution names, in order and without repeats: source revisions that
/// are digests (an ECR source action), then the values of action variables that are a digest
/// or an image reference pinned by one (`IMAGE_DIGEST`, `IMAGE_URI` exported by a build).
#[must_use]
pub fn image_digests<'a>(
    revisions: impl IntoIterator<Item = &'a str>,
    variables: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let mut seen = BTreeSet::new();
    revisions
        .into_iter()
        .chain(variables)
        .filter_map(digest_of)
        .filter(|digest| seen.insert(digest.clone()))
        .collect()
}

fn digest_of(value: &str) -> Option<String> {
    let value = value.trim();
    if let Some(hex) = value.strip_prefix("sha256:") {
        return (hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()))
            .then(|| value.to_owned());
    }
    if !value.contains('@') {
        return None;
    }
    ImageReference::parse(value)
        .ok()
        .and_then(|reference| reference.digest().map(|digest| digest.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn a_stage_succeeded_when_it_ran_and_every_action_succeeded() {
        assert!(stage_succeeded(["Succeeded", "Succeeded"]));
        assert!(!stage_succeeded(["Succeeded", "Failed"]));
        assert!(!stage_succeeded(["InProgress"]));
        assert!(
            !stage_succeeded([]),
            "a stage that never ran did not succeed"
        );
    }

    #[test]
    fn digests_come_from_revisions_and_pinned_references_once_each() {
        let pinned = format!("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@{DIGEST}");
        let digests = image_digests(
            ["1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"],
            [DIGEST, pinned.as_str(), "web:1.4.2", "sha256:short", "42"],
        );
        assert_eq!(digests, [DIGEST]);
        assert!(image_digests(["abc"], ["web:latest"]).is_empty());
    }
}
