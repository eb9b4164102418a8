//! What CodePipeline's two ECS deploy actions read: the files, by default name, their size
//! limits and how many input artifacts each action takes. Every check, writer and program
//! takes these facts from here.
//!
//! The image placeholders of the Blue/Green action and its four image slots are
//! [`crate::placeholder`]'s.

/// The ECS (rolling) action, provider `ECS`
/// (<https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html>).
pub mod ecs {
    /// The image definitions file the action reads when `FileName` is not set.
    pub const IMAGE_DEFINITIONS: &str = "imagedefinitions.json";

    /// The documented size limit of the image definitions file, "100 KB", read as 100,000
    /// bytes: the stricter reading of "KB"
    /// (<https://docs.aws.amazon.com/codepipeline/latest/userguide/file-reference.html>).
    pub const MAX_IMAGE_DEFINITIONS_BYTES: usize = 100_000;

    /// The action reads exactly one input artifact.
    pub const INPUT_ARTIFACTS: usize = 1;
}

/// The Blue/Green action, provider `CodeDeployToECS`
/// (<https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html>).
pub mod blue_green {
    use std::ops::RangeInclusive;

    /// The task-definition template, when `TaskDefinitionTemplatePath` is not set.
    pub const TASK_DEFINITION: &str = "taskdef.json";

    /// The AppSpec template, when `AppSpecTemplatePath` is not set.
    pub const APPSPEC: &str = "appspec.yaml";

    /// The image file of each image artifact: the only name the action looks for.
    pub const IMAGE_DETAIL: &str = "imageDetail.json";

    /// "Maximum size of input artifacts for the CodeDeployToECS action: 3 MB", read as
    /// 3,000,000 bytes, the stricter reading
    /// (<https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html>).
    pub const MAX_ARTIFACT_BYTES: u64 = 3_000_000;

    /// The action takes 1 to 5 input artifacts: the templates' and one per image.
    pub const INPUT_ARTIFACTS: RangeInclusive<usize> = 1..=5;
}
