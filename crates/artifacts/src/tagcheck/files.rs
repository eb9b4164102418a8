//! Which kind of file a path is: by name first, then, for generic `.json`/`.yaml` names, by
//! what the document holds.

use crate::actions::{blue_green, ecs};

/// The kinds of file `ecs-tagcheck` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`, `Containerfile`.
    Dockerfile,
    /// `buildspec*.yml` / `.yaml`, or a YAML file with top-level `version` and `phases`.
    Buildspec,
    /// A GitHub Actions workflow (top-level `on` and `jobs`): its `run` steps are shell, read
    /// as a buildspec's commands are.
    Workflow,
    /// `*.tf`.
    Terraform,
    /// A CloudFormation template (YAML or JSON with `AWSTemplateFormatVersion` or `AWS::` types).
    CloudFormation,
    /// `aws codepipeline get-pipeline` output, or a `create-pipeline` input.
    Pipeline,
    /// A task definition: register input or describe output; `taskdef*.json` (the
    /// Blue/Green action's default name), `task-definition*.json` or `.yaml`, or a generic
    /// document with `containerDefinitions`.
    TaskDefinition,
    /// `imagedefinitions.json`.
    ImageDefinitions,
    /// `imageDetail.json`.
    ImageDetail,
}

impl FileKind {
    /// The kind's name in reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Dockerfile => "dockerfile",
            Self::Buildspec => "buildspec",
            Self::Workflow => "workflow",
            Self::Terraform => "terraform",
            Self::CloudFormation => "cloudformation",
            Self::Pipeline => "pipeline",
            Self::TaskDefinition => "task-definition",
            Self::ImageDefinitions => "image-definitions",
            Self::ImageDetail => "image-detail",
        }
    }

    /// Whether the format has `#` comments, and so inline waivers.
    #[must_use]
    pub fn has_comments(self) -> bool {
        !matches!(
            self,
            Self::Pipeline | Self::TaskDefinition | Self::ImageDefinitions | Self::ImageDetail
        )
    }

    /// The kind of `file_name` (the last component of a path), judged by the name alone, or
    /// `None` for a generic name such as `template.yaml` that needs [`FileKind::sniff`].
    #[must_use]
    pub fn from_name(file_name: &str) -> Option<Self> {
        let lower = file_name.to_ascii_lowercase();
        let stem_is = |ext: &[&str]| ext.iter().any(|e| lower.ends_with(e));
        if lower == "dockerfile"
            || lower == "containerfile"
            // Docker's own convention is `Dockerfile.dev`; `dockerfile.rs` is source code.
            || file_name.starts_with("Dockerfile.")
            || lower.ends_with(".dockerfile")
        {
            Some(Self::Dockerfile)
        } else if lower.starts_with("buildspec") && stem_is(&[".yml", ".yaml"]) {
            Some(Self::Buildspec)
        } else if std::path::Path::new(&lower)
            .extension()
            .is_some_and(|ext| ext == "tf")
        {
            Some(Self::Terraform)
        } else if (lower.starts_with("taskdef") || lower.starts_with("task-definition"))
            && stem_is(&[".json", ".yml", ".yaml"])
        {
            // The name CodeDeployToECS reads by default: a file named so that does not parse is
            // a broken task definition, not a file of unknown kind.
            Some(Self::TaskDefinition)
        } else if lower.eq_ignore_ascii_case(ecs::IMAGE_DEFINITIONS) {
            Some(Self::ImageDefinitions)
        } else if lower.eq_ignore_ascii_case(blue_green::IMAGE_DETAIL) {
            Some(Self::ImageDetail)
        } else {
            None
        }
    }

    /// Whether a generic file of this name may be one of the sniffed kinds.
    #[must_use]
    pub fn may_sniff(file_name: &str) -> bool {
        let lower = file_name.to_ascii_lowercase();
        [".json", ".yml", ".yaml", ".template"]
            .iter()
            .any(|ext| lower.ends_with(ext))
    }

    /// The kind of a generic document, from keys only that kind has.
    #[must_use]
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        // UTF-16 (with a byte-order mark or without) is known by its ASCII keys too, so that
        // the reader refuses it instead of the walk passing over it as a file of no kind.
        let ascii: Vec<u8>;
        let bytes = if bytes.starts_with(&[0xFF, 0xFE])
            || bytes.starts_with(&[0xFE, 0xFF])
            || bytes.contains(&0)
        {
            ascii = bytes
                .iter()
                .copied()
                .filter(u8::is_ascii)
                .filter(|b| *b != 0)
                .collect();
            &ascii[..]
        } else {
            bytes
        };
        let text = std::str::from_utf8(bytes).ok()?;
        // A buildspec by another name (`buildspecs/dev.yml`): top-level `version` and `phases`.
        let top_level = |key: &str| text.lines().any(|line| line.starts_with(key));
        if top_level("version:") && top_level("phases:") {
            Some(Self::Buildspec)
        } else if (top_level("on:") || top_level("\"on\":")) && top_level("jobs:") {
            Some(Self::Workflow)
        } else if text.contains("AWSTemplateFormatVersion") || text.contains("AWS::") {
            Some(Self::CloudFormation)
        } else if text.contains("containerDefinitions") {
            Some(Self::TaskDefinition)
        } else if text.contains("\"pipeline\"") && text.contains("\"stages\"") {
            Some(Self::Pipeline)
        } else if text.contains("\"imageUri\"") {
            Some(Self::ImageDefinitions)
        } else if text.contains("\"ImageURI\"") {
            Some(Self::ImageDetail)
        } else {
            None
        }
    }

    /// [`FileKind::from_name`], then [`FileKind::sniff`] for generic names.
    #[must_use]
    pub fn detect(file_name: &str, bytes: &[u8]) -> Option<Self> {
        Self::from_name(file_name).or_else(|| {
            Self::may_sniff(file_name)
                .then(|| Self::sniff(bytes))
                .flatten()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_contents() {
        assert_eq!(
            FileKind::from_name("Dockerfile"),
            Some(FileKind::Dockerfile)
        );
        assert_eq!(
            FileKind::from_name("api.Dockerfile"),
            Some(FileKind::Dockerfile)
        );
        assert_eq!(
            FileKind::from_name("Dockerfile.prod"),
            Some(FileKind::Dockerfile)
        );
        assert_eq!(
            FileKind::from_name("buildspec-deploy.yml"),
            Some(FileKind::Buildspec)
        );
        assert_eq!(FileKind::from_name("main.tf"), Some(FileKind::Terraform));
        assert_eq!(
            FileKind::from_name("imageDetail.json"),
            Some(FileKind::ImageDetail)
        );
        assert_eq!(FileKind::from_name("template.yaml"), None);
        assert_eq!(
            FileKind::detect("dev.yml", b"version: 0.2\nphases:\n  build:\n"),
            Some(FileKind::Buildspec)
        );
        assert_eq!(
            FileKind::detect(
                "deploy.yml",
                b"name: deploy\non:\n  push:\njobs:\n  build:\n"
            ),
            Some(FileKind::Workflow)
        );
        assert_eq!(FileKind::from_name("dockerfile.rs"), None);
        assert_eq!(
            FileKind::detect(
                "t.yaml",
                b"Resources:\n  R:\n    Type: AWS::ECR::Repository\n"
            ),
            Some(FileKind::CloudFormation)
        );
        assert_eq!(
            FileKind::detect("taskdef.json", b"{\"containerDefinitions\": []}"),
            Some(FileKind::TaskDefinition)
        );
        assert_eq!(
            FileKind::detect("p.json", b"{\"pipeline\": {\"stages\": []}}"),
            Some(FileKind::Pipeline)
        );
        assert_eq!(FileKind::detect("package.json", b"{\"name\": \"x\"}"), None);
        assert_eq!(FileKind::detect("README.md", b"AWS::"), None);
    }
}
