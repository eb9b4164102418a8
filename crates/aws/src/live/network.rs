//! Amazon EC2: the subnets and security groups of an `AppSpec`'s `NetworkConfiguration`, and
//! their VPCs.
//!
//! Both are asked by filter (`subnet-id`, `group-id`), not by id: asked by id, EC2 fails the
//! whole call on the first id that does not exist (`InvalidSubnetID.NotFound`,
//! `InvalidGroup.NotFound`) and names only that one, where a filter answers with the ones that
//! exist and the rest are missing
//! (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html>,
//! <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSecurityGroups.html>).
//! An `AppSpec` names at most 16 subnets and 5 security groups, so one page holds the answer.

use aws_config::SdkConfig;
pub use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::Filter;
use deploykit_artifacts::verify::live::network::{InVpc, NetworkQuestion};

use crate::error::{AwsError, Resource};

/// An EC2 client from the shared configuration (`AWS_ENDPOINT_URL_EC2` applies), its answers
/// read through the size bound.
#[must_use]
pub fn client(config: &SdkConfig) -> Client {
    crate::bounded::client!(aws_sdk_ec2, config)
}

fn filter(name: &str, ids: &[String]) -> Filter {
    Filter::builder()
        .name(name)
        .set_values(Some(ids.to_vec()))
        .build()
}

fn resource(what: &str, ids: &[String], region: &str) -> Resource {
    Resource::Named {
        shown: format!("{what} {} in `{region}`", ids.join(", ")),
    }
}

/// `DescribeSubnets` of the question's subnets: the ones that exist, with their VPCs.
pub async fn subnets(
    client: &Client,
    question: &NetworkQuestion,
) -> Result<Option<Vec<InVpc>>, AwsError> {
    let output = client
        .describe_subnets()
        .filters(filter("subnet-id", &question.subnets))
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk(
                "ec2:DescribeSubnets",
                resource("subnets", &question.subnets, &question.region),
                &error,
            )
        })?;
    Ok(Some(
        output
            .subnets()
            .iter()
            .map(|subnet| InVpc {
                id: subnet.subnet_id().unwrap_or_default().to_owned(),
                vpc: subnet.vpc_id().unwrap_or_default().to_owned(),
            })
            .collect(),
    ))
}

/// `DescribeSecurityGroups` of the question's security groups: the ones that exist, with their
/// VPCs.
pub async fn security_groups(
    client: &Client,
    question: &NetworkQuestion,
) -> Result<Option<Vec<InVpc>>, AwsError> {
    let output = client
        .describe_security_groups()
        .filters(filter("group-id", &question.security_groups))
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk(
                "ec2:DescribeSecurityGroups",
                resource(
                    "security groups",
                    &question.security_groups,
                    &question.region,
                ),
                &error,
            )
        })?;
    Ok(Some(
        output
            .security_groups()
            .iter()
            .map(|group| InVpc {
                id: group.group_id().unwrap_or_default().to_owned(),
                vpc: group.vpc_id().unwrap_or_default().to_owned(),
            })
            .collect(),
    ))
}
