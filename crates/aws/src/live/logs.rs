//! CloudWatch Logs: whether a log group exists.

use aws_config::SdkConfig;
pub use aws_sdk_cloudwatchlogs::Client;
use aws_types::region::Region;

use crate::error::{AwsError, Resource};

/// A CloudWatch Logs client for `region`, the group's own (`awslogs-region`).
#[must_use]
pub fn client(config: &SdkConfig, region: &str) -> Client {
    let config = config
        .to_builder()
        .region(Region::new(region.to_owned()))
        .build();
    crate::bounded::client!(aws_sdk_cloudwatchlogs, &config)
}

/// `DescribeLogGroups` with the name as prefix, every page: `Some(())` when a group has
/// exactly that name. The API has no exact-name filter
/// (<https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html>).
pub async fn log_group_exists(
    client: &Client,
    name: &str,
    region: &str,
) -> Result<Option<()>, AwsError> {
    let mut pages = client
        .describe_log_groups()
        .log_group_name_prefix(name)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|error| {
            AwsError::from_sdk(
                "logs:DescribeLogGroups",
                Resource::LogGroup {
                    name: name.to_owned(),
                    region: region.to_owned(),
                },
                &error,
            )
        })?;
        if page
            .log_groups()
            .iter()
            .any(|group| group.log_group_name() == Some(name))
        {
            return Ok(Some(()));
        }
    }
    Ok(None)
}
