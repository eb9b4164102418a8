//! SSM parameters and Secrets Manager secrets: whether each exists, read through its
//! description, never its value.

use aws_config::SdkConfig;
use aws_sdk_ssm::types::ParameterStringFilter;
use aws_types::region::Region;
use deploykit_artifacts::verify::live::secrets::SecretVersions;

use crate::error::{AwsError, Cause, Resource};

/// The SSM and Secrets Manager clients of one Region.
#[derive(Clone, Debug)]
pub struct Clients {
    ssm: aws_sdk_ssm::Client,
    secrets: aws_sdk_secretsmanager::Client,
}

impl Clients {
    /// Both clients for `region`, where the task looks the secret up.
    #[must_use]
    pub fn new(config: &SdkConfig, region: &str) -> Self {
        let config = config
            .to_builder()
            .region(Region::new(region.to_owned()))
            .build();
        Self {
            ssm: crate::bounded::client!(aws_sdk_ssm, &config),
            secrets: crate::bounded::client!(aws_sdk_secretsmanager, &config),
        }
    }
}

fn resource(name: &str, region: &str) -> Resource {
    Resource::Secret {
        name: name.to_owned(),
        region: region.to_owned(),
    }
}

/// `DescribeParameters` filtered on the exact name: `Some` when the parameter exists.
/// `GetParameter` would return the value, which this check never reads
/// (<https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html>).
pub async fn parameter_exists(
    clients: &Clients,
    name: &str,
    region: &str,
) -> Result<Option<SecretVersions>, AwsError> {
    let filter = ParameterStringFilter::builder()
        .key("Name")
        .option("Equals")
        .values(name)
        .build()
        .map_err(|error| {
            AwsError::new(
                "ssm:DescribeParameters",
                resource(name, region),
                Cause::Other {
                    reason: error.to_string(),
                },
            )
        })?;
    let mut pages = clients
        .ssm
        .describe_parameters()
        .parameter_filters(filter)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|error| {
            AwsError::from_sdk("ssm:DescribeParameters", resource(name, region), &error)
        })?;
        if page.parameters().iter().any(|p| p.name() == Some(name)) {
            return Ok(Some(SecretVersions::default()));
        }
    }
    Ok(None)
}

/// `DescribeSecret`: the versions and their staging labels, or `None` when there is no such
/// secret (`ResourceNotFoundException`). It never returns the value
/// (<https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html>).
pub async fn describe_secret(
    clients: &Clients,
    arn: &str,
    region: &str,
) -> Result<Option<SecretVersions>, AwsError> {
    let output = match clients.secrets.describe_secret().secret_id(arn).send().await {
        Ok(output) => output,
        Err(error)
            if error.as_service_error().is_some_and(
                aws_sdk_secretsmanager::operation::describe_secret::DescribeSecretError::is_resource_not_found_exception,
            ) =>
        {
            return Ok(None);
        }
        Err(error) => {
            return Err(AwsError::from_sdk(
                "secretsmanager:DescribeSecret",
                resource(arn, region),
                &error,
            ));
        }
    };
    let mut versions: Vec<(String, Vec<String>)> = output
        .version_ids_to_stages()
        .map(|map| {
            map.iter()
                .map(|(id, stages)| (id.clone(), stages.clone()))
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    Ok(Some(SecretVersions {
        versions,
        arn: output.arn().map(str::to_owned),
        kms_key_id: output.kms_key_id().map(str::to_owned),
    }))
}
