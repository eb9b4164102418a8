//! IAM's policy simulation for the execution role, and the caller's account.

use aws_config::SdkConfig;
use deploykit_artifacts::verify::live::permissions::Decision;

use crate::error::{AwsError, Resource};

/// `sts:GetCallerIdentity`: the account the check runs in. It needs no permission
/// (<https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html>).
pub async fn caller_account(config: &SdkConfig) -> Result<Option<String>, AwsError> {
    let output = aws_sdk_sts::Client::new(config)
        .get_caller_identity()
        .send()
        .await
        .map_err(|error| AwsError::from_sdk("sts:GetCallerIdentity", Resource::Caller, &error))?;
    Ok(output.account().map(str::to_owned))
}

/// `SimulatePrincipalPolicy` of `role` for `actions` on each of `resources`, every page: each
/// decision (`allowed`, `implicitDeny`, `explicitDeny`)
/// (<https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html>).
/// An action with no resource (`*`) is simulated without `ResourceArns`, which IAM takes as `*`.
pub async fn simulate(
    client: &aws_sdk_iam::Client,
    role: &str,
    actions: &[&'static str],
    resources: &[String],
) -> Result<Option<Vec<Decision>>, AwsError> {
    let mut request = client.simulate_principal_policy().policy_source_arn(role);
    for action in actions {
        request = request.action_names(*action);
    }
    for resource in resources.iter().filter(|resource| *resource != "*") {
        request = request.resource_arns(resource);
    }
    let mut pages = request.into_paginator().send();
    let mut decisions = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|error| {
            AwsError::from_sdk(
                "iam:SimulatePrincipalPolicy",
                Resource::Role {
                    name: role.to_owned(),
                },
                &error,
            )
        })?;
        decisions.extend(page.evaluation_results().iter().map(|result| Decision {
            action: result.eval_action_name().to_owned(),
            resource: result.eval_resource_name().unwrap_or("*").to_owned(),
            decision: result.eval_decision().as_str().to_owned(),
        }));
    }
    Ok(Some(decisions))
}
