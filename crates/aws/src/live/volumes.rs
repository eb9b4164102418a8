//! Amazon EFS: whether a volume's file system and access point exist.

use aws_config::SdkConfig;
pub use aws_sdk_efs::Client;
use aws_sdk_efs::operation::describe_access_points::DescribeAccessPointsError;
use aws_sdk_efs::operation::describe_file_systems::DescribeFileSystemsError;
use deploykit_artifacts::verify::live::volumes::{AccessPoint, VolumeAnswers, VolumeQuestion};

use super::fact;
use crate::error::{AwsError, Resource};

/// An EFS client for the task's Region.
#[must_use]
pub fn client(config: &SdkConfig) -> Client {
    crate::bounded::client!(aws_sdk_efs, config)
}

/// The file system, then the access point when the volume names one.
pub async fn volume(client: &Client, question: VolumeQuestion) -> Result<VolumeAnswers, AwsError> {
    let file_system = fact(file_system(client, &question).await)?;
    let access_point = match &question.access_point {
        Some(id) => Some(fact(access_point(client, &question, id).await)?),
        None => None,
    };
    Ok(VolumeAnswers {
        question,
        file_system,
        access_point,
    })
}

fn resource(shown: String) -> Resource {
    Resource::Named { shown }
}

/// `DescribeFileSystems` by id: its ARN, or `None` for `FileSystemNotFound`
/// (<https://docs.aws.amazon.com/efs/latest/ug/API_DescribeFileSystems.html>).
async fn file_system(
    client: &Client,
    question: &VolumeQuestion,
) -> Result<Option<String>, AwsError> {
    let id = &question.file_system;
    match client
        .describe_file_systems()
        .file_system_id(id)
        .send()
        .await
    {
        Ok(output) => Ok(output
            .file_systems()
            .first()
            .map(|found| found.file_system_arn().unwrap_or(id).to_owned())),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(DescribeFileSystemsError::is_file_system_not_found) =>
        {
            Ok(None)
        }
        Err(error) => Err(AwsError::from_sdk(
            "elasticfilesystem:DescribeFileSystems",
            resource(format!("EFS file system `{id}`")),
            &error,
        )),
    }
}

/// `DescribeAccessPoints` by id: its ARN and file system, or `None` for `AccessPointNotFound`
/// (<https://docs.aws.amazon.com/efs/latest/ug/API_DescribeAccessPoints.html>).
async fn access_point(
    client: &Client,
    question: &VolumeQuestion,
    id: &str,
) -> Result<Option<AccessPoint>, AwsError> {
    match client
        .describe_access_points()
        .access_point_id(id)
        .send()
        .await
    {
        Ok(output) => Ok(output.access_points().first().map(|found| AccessPoint {
            arn: found.access_point_arn().unwrap_or(id).to_owned(),
            file_system: found.file_system_id().unwrap_or_default().to_owned(),
        })),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(DescribeAccessPointsError::is_access_point_not_found) =>
        {
            Ok(None)
        }
        Err(error) => Err(AwsError::from_sdk(
            "elasticfilesystem:DescribeAccessPoints",
            resource(format!(
                "EFS access point `{id}` of volume `{}`",
                question.volume
            )),
            &error,
        )),
    }
}
