//! Blue/Green load balancing: the CodeDeploy deployment group, then its target groups,
//! listeners and ECS service at once, each call under the live check's bound.

use std::sync::Arc;

use aws_config::SdkConfig;
use aws_sdk_ecs::operation::describe_services::DescribeServicesError;
use aws_sdk_elasticloadbalancingv2::operation::describe_listeners::DescribeListenersError;
use aws_sdk_elasticloadbalancingv2::operation::describe_target_groups::DescribeTargetGroupsError;
use deploykit_artifacts::verify::live::Fact;
use deploykit_artifacts::verify::live::balancing::{
    BalancingAnswers, BalancingQuestion, DeploymentGroup, EcsService, TargetGroup,
};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::fact;
use crate::error::{AwsError, Resource};

/// One answer of the second round, by the index of its question.
enum Part {
    TargetGroup(usize, Fact<TargetGroup>),
    Listener(usize, Fact<()>),
    Service(Fact<EcsService>),
}

/// How many requests [`gather`] sent for `answers`: the group, then one for each target group,
/// listener and the service it named.
#[must_use]
pub fn requests(answers: &BalancingAnswers) -> usize {
    1 + answers.target_groups.len()
        + answers.listeners.len()
        + usize::from(answers.service.is_some())
}

/// Asks about the deployment group of `question`, then, when it exists, about everything it
/// names; `limit` bounds the calls in flight together with the rest of the live check.
pub async fn gather(
    config: SdkConfig,
    limit: Arc<Semaphore>,
    question: BalancingQuestion,
) -> Result<BalancingAnswers, AwsError> {
    let codedeploy = crate::codedeploy::client(&config);
    let group = {
        // The semaphore is never closed, so acquiring only waits.
        let _permit = limit.acquire().await;
        fact(deployment_group(&codedeploy, &question).await)?
    };
    let mut answers = BalancingAnswers {
        question: question.clone(),
        group,
        target_groups: Vec::new(),
        listeners: Vec::new(),
        service: None,
    };
    let Fact::Found(found) = &answers.group else {
        return Ok(answers);
    };
    let service = question
        .service
        .clone()
        .or_else(|| found.services.first().cloned());
    let listeners: Vec<String> = found
        .production_listeners
        .iter()
        .chain(&found.test_listeners)
        .cloned()
        .collect();
    let target_groups = found.target_groups.clone();
    let elb = crate::bounded::client!(aws_sdk_elasticloadbalancingv2, &config);
    let mut calls: JoinSet<Result<Part, AwsError>> = JoinSet::new();
    let mut spawn = |call: std::pin::Pin<Box<dyn Future<Output = _> + Send>>| {
        let limit = Arc::clone(&limit);
        calls.spawn(async move {
            let _permit = limit.acquire_owned().await;
            call.await
        });
    };
    for (index, name) in target_groups.iter().enumerate() {
        let (elb, name) = (elb.clone(), name.clone());
        spawn(Box::pin(async move {
            Ok(Part::TargetGroup(
                index,
                fact(target_group(&elb, &name).await)?,
            ))
        }));
    }
    for (index, arn) in listeners.iter().enumerate() {
        let (elb, arn) = (elb.clone(), arn.clone());
        spawn(Box::pin(async move {
            Ok(Part::Listener(index, fact(listener(&elb, &arn).await)?))
        }));
    }
    if let Some((cluster, name)) = service.clone() {
        let ecs = crate::ecs::client(&config);
        let providers = !question.capacity_providers.is_empty();
        spawn(Box::pin(async move {
            let service = fact(ecs_service(&ecs, &cluster, &name, providers).await)?;
            Ok(Part::Service(service))
        }));
    }
    let mut target_group_facts = vec![None; target_groups.len()];
    let mut listener_facts = vec![None; listeners.len()];
    while let Some(joined) = calls.join_next().await {
        // A call panicked: carry the panic on rather than report a made-up answer.
        let part = joined.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()));
        match part? {
            Part::TargetGroup(index, fact) => target_group_facts[index] = Some(fact),
            Part::Listener(index, fact) => listener_facts[index] = Some(fact),
            Part::Service(fact) => answers.service = service.clone().map(|named| (named, fact)),
        }
    }
    answers.target_groups = super::answered(&target_groups, target_group_facts);
    answers.listeners = super::answered(&listeners, listener_facts);
    Ok(answers)
}

/// `GetDeploymentGroup`: `None` when the application or the group does not exist
/// (<https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeploymentGroup.html>).
async fn deployment_group(
    client: &aws_sdk_codedeploy::Client,
    question: &BalancingQuestion,
) -> Result<Option<DeploymentGroup>, AwsError> {
    let answer = client
        .get_deployment_group()
        .application_name(&question.application)
        .deployment_group_name(&question.group)
        .send()
        .await;
    let output = match answer {
        Ok(output) => output,
        Err(error)
            if error.as_service_error().is_some_and(|error| {
                error.is_application_does_not_exist_exception()
                    || error.is_deployment_group_does_not_exist_exception()
            }) =>
        {
            return Ok(None);
        }
        Err(error) => {
            let resource = Resource::DeploymentGroup {
                application: question.application.clone(),
                group: question.group.clone(),
            };
            return Err(AwsError::from_sdk(
                "codedeploy:GetDeploymentGroup",
                resource,
                &error,
            ));
        }
    };
    let Some(info) = output.deployment_group_info() else {
        return Ok(None);
    };
    let mut group = DeploymentGroup {
        compute_platform: info
            .compute_platform()
            .map(|platform| platform.as_str().to_owned())
            .unwrap_or_default(),
        services: info
            .ecs_services()
            .iter()
            .filter_map(|service| {
                Some((
                    service.cluster_name()?.to_owned(),
                    service.service_name()?.to_owned(),
                ))
            })
            .collect(),
        rollback_events: info
            .auto_rollback_configuration()
            .filter(|rollback| rollback.enabled())
            .map_or_else(Vec::new, |rollback| {
                let events = rollback.events().iter();
                events.map(|event| event.as_str().to_owned()).collect()
            }),
        alarms: info
            .alarm_configuration()
            .filter(|alarms| alarms.enabled())
            .map_or_else(Vec::new, |alarms| {
                let names = alarms.alarms().iter().filter_map(|alarm| alarm.name());
                names.map(str::to_owned).collect()
            }),
        ..DeploymentGroup::default()
    };
    let pairs = info
        .load_balancer_info()
        .map_or(&[][..], |info| info.target_group_pair_info_list());
    for pair in pairs {
        let names = pair.target_groups().iter().filter_map(|tg| tg.name());
        group.target_groups.extend(names.map(str::to_owned));
        let arns = |route: Option<&aws_sdk_codedeploy::types::TrafficRoute>| {
            route.map_or_else(Vec::new, |route| route.listener_arns().to_vec())
        };
        group
            .production_listeners
            .extend(arns(pair.prod_traffic_route()));
        group.test_listeners.extend(arns(pair.test_traffic_route()));
    }
    Ok(Some(group))
}

/// `DescribeTargetGroups` by name: `None` for `TargetGroupNotFound`
/// (<https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetGroups.html>).
async fn target_group(
    client: &aws_sdk_elasticloadbalancingv2::Client,
    name: &str,
) -> Result<Option<TargetGroup>, AwsError> {
    let output = match client.describe_target_groups().names(name).send().await {
        Ok(output) => output,
        Err(error)
            if error
                .as_service_error()
                .is_some_and(DescribeTargetGroupsError::is_target_group_not_found_exception) =>
        {
            return Ok(None);
        }
        Err(error) => {
            let shown = format!("target group `{name}`");
            let resource = Resource::Named { shown };
            let operation = "elasticloadbalancing:DescribeTargetGroups";
            return Err(AwsError::from_sdk(operation, resource, &error));
        }
    };
    Ok(output.target_groups().first().map(|found| TargetGroup {
        arn: found.target_group_arn().unwrap_or(name).to_owned(),
        target_type: found
            .target_type()
            .map(|kind| kind.as_str().to_owned())
            .unwrap_or_default(),
        health_check_port: found
            .health_check_port()
            .unwrap_or("traffic-port")
            .to_owned(),
    }))
}

/// `DescribeListeners` by ARN: `None` for `ListenerNotFound`
/// (<https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeListeners.html>).
async fn listener(
    client: &aws_sdk_elasticloadbalancingv2::Client,
    arn: &str,
) -> Result<Option<()>, AwsError> {
    match client.describe_listeners().listener_arns(arn).send().await {
        Ok(output) => Ok(output.listeners().first().map(|_| ())),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(DescribeListenersError::is_listener_not_found_exception) =>
        {
            Ok(None)
        }
        Err(error) => {
            let shown = format!("listener `{arn}`");
            let resource = Resource::Named { shown };
            let operation = "elasticloadbalancing:DescribeListeners";
            Err(AwsError::from_sdk(operation, resource, &error))
        }
    }
}

/// `DescribeServices`: the service that is not `INACTIVE`, or `None` when there is none or no
/// such cluster (a missing service is a `failures` entry of a successful answer,
/// <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html>).
async fn ecs_service(
    client: &aws_sdk_ecs::Client,
    cluster: &str,
    service: &str,
    with_capacity_providers: bool,
) -> Result<Option<EcsService>, AwsError> {
    let resource = || Resource::Service {
        cluster: cluster.to_owned(),
        service: service.to_owned(),
    };
    let request = client
        .describe_services()
        .cluster(cluster)
        .services(service);
    let output = match request.send().await {
        Ok(output) => output,
        Err(error)
            if error
                .as_service_error()
                .is_some_and(DescribeServicesError::is_cluster_not_found_exception) =>
        {
            return Ok(None);
        }
        Err(error) => {
            return Err(AwsError::from_sdk(
                "ecs:DescribeServices",
                resource(),
                &error,
            ));
        }
    };
    let cluster_capacity_providers = if with_capacity_providers {
        // `DescribeClusters` answers a missing cluster in `failures`; the service call above
        // has already answered `ClusterNotFoundException` for it.
        let answer = client.describe_clusters().clusters(cluster).send().await;
        let answer = answer
            .map_err(|error| AwsError::from_sdk("ecs:DescribeClusters", resource(), &error))?;
        answer
            .clusters()
            .first()
            .map_or_else(Vec::new, |found| found.capacity_providers().to_vec())
    } else {
        Vec::new()
    };
    let found = output
        .services()
        .iter()
        .find(|found| found.status() != Some("INACTIVE"));
    Ok(found.map(|found| EcsService {
        arn: found.service_arn().unwrap_or_default().to_owned(),
        // ECS's default controller when the service names none.
        controller: found
            .deployment_controller()
            .map_or("ECS", |controller| controller.r#type().as_str())
            .to_owned(),
        load_balancers: found
            .load_balancers()
            .iter()
            .filter_map(|balancer| {
                let port = u16::try_from(balancer.container_port()?).ok()?;
                Some((balancer.container_name()?.to_owned(), port))
            })
            .collect(),
        cluster_capacity_providers,
    }))
}
