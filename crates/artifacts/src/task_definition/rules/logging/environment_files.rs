//! `environmentFiles`: how many, and what each names.
//!
//! Source: `ContainerDefinition.environmentFiles` and `EnvironmentFile`
//! (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EnvironmentFile.html>).

use super::literal;
use crate::finding::Finding;
use crate::suggest::shown;
use crate::task_definition::rules::Container;

/// "You can specify up to ten environment files" (`ContainerDefinition.environmentFiles`).
const MAX_ENVIRONMENT_FILES: usize = 10;

/// `environmentFiles`: at most ten, each an S3 object ARN with a `.env` extension
/// (`ContainerDefinition.environmentFiles`: "You can specify up to ten environment files. The
/// file must have a .env file extension."; `EnvironmentFile.value`: "The Amazon Resource Name
/// (ARN) of the Amazon S3 object containing the environment variable file").
pub(super) fn check(container: &Container<'_>, findings: &mut Vec<Finding>) {
    let files = container.list("environmentFiles");
    let at = container.path().key("environmentFiles");
    if files.len() > MAX_ENVIRONMENT_FILES {
        findings.push(
            Finding::error(
                "environment-file-count",
                format!(
                    "{container} has {} environment files; ECS allows at most {MAX_ENVIRONMENT_FILES}",
                    files.len()
                ),
            )
            .at(at.index(MAX_ENVIRONMENT_FILES))
            .help("merge the files, or move variables to `environment` or `secrets`"),
        );
    }
    for (index, file) in files.iter().enumerate() {
        let Some(value) = literal(file.get("value")) else {
            continue;
        };
        let problem = if !is_s3_object_arn(value) {
            "which is not an S3 object ARN"
        } else if value
            .rsplit_once('.')
            .is_none_or(|(_, extension)| extension != "env")
        {
            "which does not have the `.env` extension ECS requires"
        } else {
            continue;
        };
        findings.push(
            Finding::error(
                "environment-file-value",
                format!(
                    "{container}'s environment file {index} is `{}`, {problem}",
                    shown(value)
                ),
            )
            .at(at.index(index).key("value"))
            .help("use `arn:aws:s3:::<bucket>/<key>.env`"),
        );
    }
}

/// `arn:<partition>:s3:::<bucket>/<key>`: S3 object ARNs have no region or account.
fn is_s3_object_arn(value: &str) -> bool {
    let mut parts = value.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("s3"), Some(""), Some(""), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    partition.starts_with("aws")
        && resource
            .split_once('/')
            .is_some_and(|(bucket, key)| !bucket.is_empty() && !key.is_empty())
}
