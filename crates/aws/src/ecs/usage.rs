//! Which task-definition revisions a family has and which are in use, for
//! `ecs-taskdef prune`, and the one call that changes anything: deregistering a revision.

use aws_sdk_ecs::Client;
use aws_sdk_ecs::types::{SortOrder, TaskDefinitionStatus};

use super::service_resource;
use crate::error::{AwsError, Resource};

fn family_resource(family: &str) -> Resource {
    Resource::TaskDefinition {
        name: family.to_owned(),
    }
}

/// The ARNs of the ACTIVE revisions of `family`. `familyPrefix` takes the full family name
/// despite its name (ECS API reference, `ListTaskDefinitions`); ARNs of any other family are
/// dropped all the same, since only this family may be deregistered.
pub async fn active_revisions(client: &Client, family: &str) -> Result<Vec<String>, AwsError> {
    let mut arns = Vec::new();
    let mut pages = client
        .list_task_definitions()
        .family_prefix(family)
        .status(TaskDefinitionStatus::Active)
        .sort(SortOrder::Desc)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|error| {
            AwsError::from_sdk("ecs:ListTaskDefinitions", family_resource(family), &error)
        })?;
        arns.extend(
            page.task_definition_arns()
                .iter()
                .filter(|arn| family_of(arn) == family)
                .cloned(),
        );
    }
    Ok(arns)
}

/// `web` of `arn:aws:ecs:…:task-definition/web:42`.
fn family_of(arn: &str) -> &str {
    let name = arn.rsplit_once('/').map_or(arn, |(_, name)| name);
    name.rsplit_once(':').map_or(name, |(family, _)| family)
}

/// The ARNs of every cluster of the account in the Region.
pub async fn clusters(client: &Client) -> Result<Vec<String>, AwsError> {
    let mut arns = Vec::new();
    let mut pages = client.list_clusters().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|error| {
            AwsError::from_sdk("ecs:ListClusters", service_resource("*", "*"), &error)
        })?;
        arns.extend(page.cluster_arns().iter().cloned());
    }
    Ok(arns)
}

/// `(task definition ARN, who uses it)` for every deployment and task set of every service of
/// `cluster` and every task it runs (desired status RUNNING, so PENDING ones too).
pub async fn task_definitions_in_use(
    client: &Client,
    cluster: &str,
) -> Result<Vec<(String, String)>, AwsError> {
    let cluster_name = cluster.rsplit_once('/').map_or(cluster, |(_, name)| name);
    let resource = || service_resource(cluster, "*");
    let mut used = Vec::new();
    let mut services = Vec::new();
    let mut pages = client
        .list_services()
        .cluster(cluster)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page =
            page.map_err(|error| AwsError::from_sdk("ecs:ListServices", resource(), &error))?;
        services.extend(page.service_arns().iter().cloned());
    }
    // DescribeServices takes at most 10 services per call (ECS API reference).
    for chunk in services.chunks(10) {
        let answer = client
            .describe_services()
            .cluster(cluster)
            .set_services(Some(chunk.to_vec()))
            .send()
            .await
            .map_err(|error| AwsError::from_sdk("ecs:DescribeServices", resource(), &error))?;
        for service in answer.services() {
            let name = format!(
                "{cluster_name}/{}",
                service.service_name().unwrap_or_default()
            );
            for deployment in service.deployments() {
                if let Some(arn) = deployment.task_definition() {
                    used.push((arn.to_owned(), format!("a deployment of service {name}")));
                }
            }
            for task_set in service.task_sets() {
                if let Some(arn) = task_set.task_definition() {
                    used.push((arn.to_owned(), format!("a task set of service {name}")));
                }
            }
        }
    }
    let mut tasks = Vec::new();
    let mut pages = client.list_tasks().cluster(cluster).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|error| AwsError::from_sdk("ecs:ListTasks", resource(), &error))?;
        tasks.extend(page.task_arns().iter().cloned());
    }
    for chunk in tasks.chunks(100) {
        let answer = client
            .describe_tasks()
            .cluster(cluster)
            .set_tasks(Some(chunk.to_vec()))
            .send()
            .await
            .map_err(|error| AwsError::from_sdk("ecs:DescribeTasks", resource(), &error))?;
        for task in answer.tasks() {
            if let Some(arn) = task.task_definition_arn() {
                used.push((arn.to_owned(), format!("a task in cluster {cluster_name}")));
            }
        }
    }
    Ok(used)
}

/// `DeregisterTaskDefinition`: the revision becomes INACTIVE; tasks and services that use it
/// keep running (ECS API reference, `DeregisterTaskDefinition`).
pub async fn deregister(client: &Client, arn: &str) -> Result<(), AwsError> {
    client
        .deregister_task_definition()
        .task_definition(arn)
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk("ecs:DeregisterTaskDefinition", family_resource(arn), &error)
        })?;
    Ok(())
}
