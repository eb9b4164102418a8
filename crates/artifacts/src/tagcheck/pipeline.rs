//! CodePipeline definitions: an ECR source action with no `ImageTag` tracks `latest`.
//!
//! The ECR source action's `ImageTag` "defaults to latest" when it is not set (CodePipeline
//! action reference, "Amazon ECR source action", `docs/aws/codepipeline.md#the-ecr-source-action`), so such a pipeline
//! deploys whatever was last pushed as `latest`, and re-runs on every such push.

use serde_json::Value;

use super::text::locate;
use super::{Scan, rules};
use crate::finding::Finding;
use crate::image_reference::IMPLICIT_TAG;
use crate::location::JsonPath;

/// The finding for an ECR source action whose `ImageTag` is `tag` (`None`: not set).
#[must_use]
pub fn image_tag_finding(tag: Option<&str>) -> Option<Finding> {
    let message = match tag {
        None => "the ECR source action has no `ImageTag`, so it tracks `latest`".to_owned(),
        Some(tag) if tag.eq_ignore_ascii_case(IMPLICIT_TAG) => {
            format!("the ECR source action tracks the mutable tag `{tag}`")
        }
        Some(_) => return None,
    };
    Some(
        Finding::error(rules::ECR_SOURCE_TRACKS_LATEST, message)
            .help("set `ImageTag` to a tag you push only for releases, in an IMMUTABLE_WITH_EXCLUSION repository, or start the pipeline from the build instead"),
    )
}

/// The key names of one dialect: `get-pipeline` JSON is camel case, CloudFormation Pascal case.
pub(crate) struct Keys {
    pub(crate) stages: &'static str,
    pub(crate) actions: &'static str,
    pub(crate) type_id: &'static str,
    pub(crate) category: &'static str,
    pub(crate) provider: &'static str,
    pub(crate) configuration: &'static str,
    pub(crate) name: &'static str,
}

pub(crate) const CLI_KEYS: Keys = Keys {
    stages: "stages",
    actions: "actions",
    type_id: "actionTypeId",
    category: "category",
    provider: "provider",
    configuration: "configuration",
    name: "name",
};

pub(crate) const CFN_KEYS: Keys = Keys {
    stages: "Stages",
    actions: "Actions",
    type_id: "ActionTypeId",
    category: "Category",
    provider: "Provider",
    configuration: "Configuration",
    name: "Name",
};

/// Checks the stages of a pipeline object; `prefix` is its JSON path and `anchor` the keys that
/// lead to it in the text, for locations.
pub(crate) fn check_stages(
    text: &str,
    pipeline: &Value,
    keys: &Keys,
    prefix: &JsonPath,
    anchor: &[&str],
    scan: &mut Scan,
) {
    let stages = pipeline.get(keys.stages).and_then(Value::as_array);
    for (s, stage) in stages.into_iter().flatten().enumerate() {
        let actions = stage.get(keys.actions).and_then(Value::as_array);
        for (a, action) in actions.into_iter().flatten().enumerate() {
            let type_id = action.get(keys.type_id);
            let field = |key: &str| type_id.and_then(|t| t.get(key)).and_then(Value::as_str);
            if field(keys.provider) != Some("ECR") || field(keys.category) != Some("Source") {
                continue;
            }
            let tag = action
                .get(keys.configuration)
                .and_then(|c| c.get("ImageTag"))
                .and_then(Value::as_str);
            if let Some(finding) = image_tag_finding(tag) {
                let name = action
                    .get(keys.name)
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let path = prefix.key(keys.stages).index(s).key(keys.actions).index(a);
                let mut search: Vec<&str> = anchor.to_vec();
                search.push(name);
                if tag.is_some() {
                    search.push("ImageTag");
                }
                let finding = finding.at(locate(text, &search, &path));
                scan.findings.push(Finding {
                    message: format!("{} (action `{name}`)", finding.message),
                    ..finding
                });
            }
        }
    }
}

/// Checks `get-pipeline` output (or `create-pipeline` input): `{"pipeline": {"stages": …}}`.
#[must_use]
pub fn check(bytes: &[u8]) -> Scan {
    let mut scan = Scan::default();
    let value = match crate::syntax::decode_json(bytes) {
        Ok((value, _)) => value,
        Err(finding) => {
            scan.findings.push(finding.into_rule(rules::INVALID_FILE));
            return scan;
        }
    };
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let (pipeline, prefix) = match value.get("pipeline") {
        Some(pipeline) => (pipeline, JsonPath::root().key("pipeline")),
        None => (&value, JsonPath::root()),
    };
    check_stages(text, pipeline, &CLI_KEYS, &prefix, &[], &mut scan);
    scan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecr_sources_without_tag_or_with_latest() {
        let json = r#"{"pipeline": {"name": "p", "stages": [{"name": "Source", "actions": [
  {"name": "Image", "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "ECR", "version": "1"},
   "configuration": {"RepositoryName": "web"}},
  {"name": "Other", "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "ECR", "version": "1"},
   "configuration": {"RepositoryName": "web", "ImageTag": "Latest"}},
  {"name": "Release", "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "ECR", "version": "1"},
   "configuration": {"RepositoryName": "web", "ImageTag": "release"}},
  {"name": "Code", "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"}}
]}]}}"#;
        let findings = check(json.as_bytes()).findings;
        assert_eq!(findings.len(), 2);
        assert_eq!(findings[0].rule, "ecr-source-tracks-latest");
        assert_eq!(
            findings[0].location_str(),
            Some("line 2, column 12, $.pipeline.stages[0].actions[0]")
        );
        assert!(findings[1].message.contains("`Latest` (action `Other`)"));
        assert_eq!(
            findings[1].location_str(),
            Some("line 5, column 47, $.pipeline.stages[0].actions[1]")
        );
    }
}
