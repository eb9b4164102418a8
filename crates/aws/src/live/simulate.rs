//! IAM's policy simulation for the execution role, and the caller's account.

use aws_config::SdkConfig;
use deploykit_artifacts::verify::live::Fact;
use deploykit_artifacts::verify::live::permissions::{self, Decision};

use super::{Answer, Round, answered, fact};
use crate::error::{AwsError, Resource};

/// `sts:GetCallerIdentity`: the account the check runs in. It needs no permission
/// (<https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html>).
pub async fn caller_account(config: &SdkConfig) -> Result<Option<String>, AwsError> {
    let output = crate::bounded::client!(aws_sdk_sts, config)
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

/// The second round: IAM's simulation of each permission the execution role needs, one call
/// for all the resources that need the same actions (IAM decides every action for every
/// resource of a call); the number of calls with the answers.
pub(super) async fn simulated(
    iam: &aws_sdk_iam::Client,
    asked: Vec<permissions::PermissionQuestion>,
) -> Result<
    (
        usize,
        Vec<(permissions::PermissionQuestion, Fact<Vec<Decision>>)>,
    ),
    AwsError,
> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (index, question) in asked.iter().enumerate() {
        match groups
            .iter_mut()
            .find(|group| asked[group[0]].actions == question.actions)
        {
            Some(group) => group.push(index),
            None => groups.push(vec![index]),
        }
    }
    let mut round = Round::new();
    for (index, group) in groups.iter().enumerate() {
        let first = &asked[group[0]];
        let (iam, role, actions) = (iam.clone(), first.role.clone(), first.actions.clone());
        let resources: Vec<String> = group.iter().map(|&i| asked[i].resource.clone()).collect();
        round.spawn(
            1,
            Box::pin(async move {
                let answer = simulate(&iam, &role, &actions, &resources).await;
                Ok(Answer::Permission(index, fact(answer)?))
            }),
        );
    }
    let mut decisions = vec![None; asked.len()];
    while let Some(answer) = round.next().await {
        let Answer::Permission(index, fact) = answer? else {
            continue;
        };
        for &question in &groups[index] {
            let resource = &asked[question].resource;
            decisions[question] = Some(match &fact {
                Fact::Found(all) => Fact::Found(
                    all.iter()
                        .filter(|decision| decision.resource == *resource)
                        .cloned()
                        .collect(),
                ),
                other => other.clone(),
            });
        }
    }
    Ok((round.sent, answered(&asked, decisions)))
}
