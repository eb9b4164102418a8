//! Blue/Green load balancing: the CodeDeploy deployment group the CodeDeployToECS action
//! deploys through, its target groups and listeners, and the ECS service it updates
//! (`docs/programs/ecs-verify.md#load-balancing-bluegreen`).
//!
//! What CodeDeploy needs before an ECS deployment is listed in
//! <https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-steps-ecs.html>: the
//! cluster, the service, a production listener, an optional test listener and two target
//! groups, named by the deployment group; the container name and port, named by the `AppSpec`.

use serde_json::Value;

use super::{AccountFinding, Fact, unchecked};
use crate::Finding;
use crate::appspec::{AppSpec, LifecycleEvent};

/// The deployment group asked about, and what the `AppSpec` and the task definition expect of
/// it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BalancingQuestion {
    /// The CodeDeploy application (`ApplicationName`).
    pub application: String,
    /// The deployment group (`DeploymentGroupName`).
    pub group: String,
    /// The Region of the deploy.
    pub region: String,
    /// `LoadBalancerInfo.ContainerName` of the `AppSpec`.
    pub container_name: String,
    /// `LoadBalancerInfo.ContainerPort` of the `AppSpec`.
    pub container_port: u16,
    /// The `AppSpec` has an `AfterAllowTestTraffic` hook.
    pub test_traffic_hook: bool,
    /// The task definition's `networkMode` is `awsvpc` (Fargate's only mode).
    pub awsvpc: bool,
    /// The service the caller named (`--from-ecs CLUSTER/SERVICE`): the group must deploy it.
    pub service: Option<(String, String)>,
    /// The capacity providers of the `AppSpec`'s `CapacityProviderStrategy`.
    pub capacity_providers: Vec<String>,
}

impl BalancingQuestion {
    /// The question of `appspec` and `task_definition` (the one the action registers), for the
    /// deployment group `application`/`group` in `region`.
    #[must_use]
    pub fn new(
        application: &str,
        group: &str,
        region: &str,
        appspec: &AppSpec,
        task_definition: &Value,
    ) -> Self {
        let document = task_definition
            .get("taskDefinition")
            .unwrap_or(task_definition);
        Self {
            application: application.to_owned(),
            group: group.to_owned(),
            region: region.to_owned(),
            container_name: appspec.load_balancer.container_name.clone(),
            container_port: appspec.load_balancer.container_port,
            test_traffic_hook: appspec
                .hooks
                .iter()
                .any(|hook| hook.event == LifecycleEvent::AfterAllowTestTraffic),
            awsvpc: document.get("networkMode").and_then(Value::as_str) == Some("awsvpc"),
            service: None,
            capacity_providers: appspec
                .capacity_providers
                .iter()
                .map(|item| item.capacity_provider.clone())
                .collect(),
        }
    }

    /// The group's ARN; its account is not known here, so `*`, as IAM policies may name it
    /// (<https://docs.aws.amazon.com/codedeploy/latest/userguide/auth-and-access-control-permissions-reference.html>).
    #[must_use]
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:codedeploy:{}:*:deploymentgroup:{}/{}",
            self.region, self.application, self.group
        )
    }

    /// A service's ARN in the same way.
    fn service_arn(&self, cluster: &str, service: &str) -> String {
        format!("arn:aws:ecs:{}:*:service/{cluster}/{service}", self.region)
    }
}

/// What `GetDeploymentGroup` answered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeploymentGroup {
    /// `computePlatform`: `ECS` for an ECS group.
    pub compute_platform: String,
    /// `ecsServices`, as (cluster, service).
    pub services: Vec<(String, String)>,
    /// The target group names of `loadBalancerInfo.targetGroupPairInfoList`.
    pub target_groups: Vec<String>,
    /// The production listeners' ARNs (`prodTrafficRoute`).
    pub production_listeners: Vec<String>,
    /// The test listeners' ARNs (`testTrafficRoute`).
    pub test_listeners: Vec<String>,
    /// `autoRollbackConfiguration.events` when enabled: what rolls a deployment back.
    pub rollback_events: Vec<String>,
    /// `alarmConfiguration.alarms` when enabled: the alarms that stop a deployment.
    pub alarms: Vec<String>,
}

impl DeploymentGroup {
    /// How a failed deployment is stopped and rolled back, for the run's `note:` line
    /// (<https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html>).
    #[must_use]
    pub fn rollback(&self) -> String {
        let list = |items: &[String]| {
            if items.is_empty() {
                "none".to_owned()
            } else {
                items.join(", ")
            }
        };
        format!(
            "rollback on {}, alarms {}",
            list(&self.rollback_events),
            list(&self.alarms)
        )
    }
}

/// What `DescribeTargetGroups` answered for one target group.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetGroup {
    /// Its ARN.
    pub arn: String,
    /// `TargetType`: `ip`, `instance`, `lambda` or `alb`.
    pub target_type: String,
    /// `HealthCheckPort`: `traffic-port` or a port number.
    pub health_check_port: String,
}

/// What `DescribeServices` answered for the group's service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EcsService {
    /// Its ARN.
    pub arn: String,
    /// `deploymentController.type`; ECS's default is `ECS`.
    pub controller: String,
    /// Its `loadBalancers`, as (container name, container port).
    pub load_balancers: Vec<(String, u16)>,
    /// Its cluster's capacity providers (`DescribeClusters`), read when the `AppSpec` names
    /// some.
    pub cluster_capacity_providers: Vec<String>,
}

/// The answers about one deployment group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BalancingAnswers {
    /// The question.
    pub question: BalancingQuestion,
    /// The deployment group.
    pub group: Fact<DeploymentGroup>,
    /// Each target group of the group, by name.
    pub target_groups: Vec<(String, Fact<TargetGroup>)>,
    /// Each listener of the group, by ARN; `()` is all that is read of one.
    pub listeners: Vec<(String, Fact<()>)>,
    /// The group's service, as (cluster, service) and what ECS said.
    pub service: Option<((String, String), Fact<EcsService>)>,
}

/// The findings of the answers about a deployment group.
#[must_use]
pub fn judge(answers: &BalancingAnswers) -> Vec<AccountFinding> {
    let question = &answers.question;
    let name = format!("`{}/{}`", question.application, question.group);
    let group = match &answers.group {
        Fact::Found(group) => group,
        Fact::Missing => {
            let finding = Finding::error(
                "deployment-group-missing",
                format!(
                    "CodeDeploy deployment group {name} (application/group) does not exist in \
                     `{}`: the Blue/Green action fails before it deploys",
                    question.region
                ),
            )
            .help("create the application and the deployment group, or name the ones the pipeline's ApplicationName and DeploymentGroupName say");
            return vec![at(question.arn(), finding)];
        }
        Fact::Denied { action } => {
            let what = format!("deployment group {name}");
            return vec![at(question.arn(), unchecked(&what, action))];
        }
    };
    let mut findings = group_findings(question, &name, group);
    for (target_group, fact) in &answers.target_groups {
        findings.extend(target_group_finding(question, target_group, fact));
    }
    for (listener, fact) in &answers.listeners {
        let finding = match fact {
            Fact::Found(()) => continue,
            Fact::Missing => Finding::error(
                "listener-missing",
                format!("listener `{listener}` of deployment group {name} does not exist: CodeDeploy cannot shift traffic"),
            )
            .help("create the listener, or update the deployment group's production and test traffic routes"),
            Fact::Denied { action } => unchecked(&format!("listener `{listener}`"), action),
        };
        findings.push(at(listener.clone(), finding));
    }
    if let Some(((cluster, service), fact)) = &answers.service {
        findings.extend(service_findings(question, cluster, service, fact));
    }
    findings
}

fn at(resource: String, finding: Finding) -> AccountFinding {
    AccountFinding { resource, finding }
}

/// The group itself: an ECS group, for the named service, with a test listener when the
/// `AppSpec` has a hook that needs one.
fn group_findings(
    question: &BalancingQuestion,
    name: &str,
    group: &DeploymentGroup,
) -> Vec<AccountFinding> {
    let mut findings = Vec::new();
    if group.compute_platform != "ECS" || group.services.is_empty() {
        findings.push(Finding::error(
            "deployment-group-ecs",
            format!(
                "deployment group {name} is not an ECS deployment group (compute platform `{}`, {} ECS services): CodeDeployToECS deploys only to one",
                group.compute_platform,
                group.services.len()
            ),
        )
        .help("name a deployment group of an application whose compute platform is ECS, with the service under ecsServices"));
    }
    if let Some((cluster, service)) = &question.service
        && !group
            .services
            .iter()
            .any(|(c, s)| same(c, cluster) && same(s, service))
    {
        let deploys: Vec<String> = group
            .services
            .iter()
            .map(|(c, s)| format!("`{c}/{s}`"))
            .collect();
        findings.push(
            Finding::error(
                "deployment-group-service",
                format!(
                    "deployment group {name} deploys {}, not `{cluster}/{service}`",
                    if deploys.is_empty() {
                        "no service".to_owned()
                    } else {
                        deploys.join(", ")
                    }
                ),
            )
            .help("name the deployment group of this service, or the service the group deploys"),
        );
    }
    if question.test_traffic_hook && group.test_listeners.is_empty() {
        findings.push(
            Finding::warning(
                "test-listener-missing",
                format!("the AppSpec has an `AfterAllowTestTraffic` hook, and deployment group {name} has no test listener: CodeDeploy never runs the hook"),
            )
            .help("add a test listener to the deployment group (testTrafficRoute), or move the hook's checks to BeforeAllowTraffic"),
        );
    }
    findings
        .into_iter()
        .map(|finding| at(question.arn(), finding))
        .collect()
}

/// A cluster or service as `DescribeServices` or CodeDeploy names it: a name, or an ARN whose
/// last segment is the name.
fn same(left: &str, right: &str) -> bool {
    let last = |text: &str| text.rsplit('/').next().unwrap_or(text).to_owned();
    left == right || last(left) == last(right)
}

fn target_group_finding(
    question: &BalancingQuestion,
    name: &str,
    fact: &Fact<TargetGroup>,
) -> Option<AccountFinding> {
    let target_group = match fact {
        Fact::Found(found) => found,
        Fact::Missing => {
            let finding = Finding::error(
                "target-group-missing",
                format!("target group `{name}` of the deployment group does not exist: CodeDeploy cannot register the replacement tasks"),
            )
            .help("create the target group, or update the deployment group's target group pair");
            return Some(at(name.to_owned(), finding));
        }
        Fact::Denied { action } => {
            let finding = unchecked(&format!("target group `{name}`"), action);
            return Some(at(name.to_owned(), finding));
        }
    };
    let wanted = if question.awsvpc { "ip" } else { "instance" };
    let finding = if target_group.target_type != wanted {
        Finding::error(
            "target-group-type",
            format!(
                "target group `{name}` has target type `{}`, and the task's network mode {} needs `{wanted}`: ECS cannot register the tasks",
                target_group.target_type,
                if question.awsvpc { "`awsvpc`" } else { "(not `awsvpc`)" },
            ),
        )
        .help(format!("create the target group with target type `{wanted}` (a target group's type cannot be changed) and put it in the deployment group"))
    } else if target_group.health_check_port != "traffic-port"
        && target_group.health_check_port != question.container_port.to_string()
    {
        Finding::warning(
            "target-group-port",
            format!(
                "target group `{name}` checks health on port {}, and the AppSpec routes to container `{}` on port {}: the tasks are healthy only if the container listens on both",
                target_group.health_check_port, question.container_name, question.container_port
            ),
        )
        .help("set the health check port to `traffic-port`, the port the task is registered with")
    } else {
        return None;
    };
    Some(at(target_group.arn.clone(), finding))
}

/// The group's service: it exists, CodeDeploy controls it, and its load balancer routes to the
/// `AppSpec`'s container and port.
fn service_findings(
    question: &BalancingQuestion,
    cluster: &str,
    service: &str,
    fact: &Fact<EcsService>,
) -> Vec<AccountFinding> {
    let found = match fact {
        Fact::Found(found) => found,
        Fact::Missing => {
            let finding = Finding::error(
                "service-missing",
                format!("service `{service}` in cluster `{cluster}`, which the deployment group deploys, does not exist or is inactive"),
            )
            .help("create the service with the CODE_DEPLOY deployment controller, or update the deployment group's ECS service");
            return vec![at(question.service_arn(cluster, service), finding)];
        }
        Fact::Denied { action } => {
            let what = format!("service `{service}` in cluster `{cluster}`");
            return vec![at(
                question.service_arn(cluster, service),
                unchecked(&what, action),
            )];
        }
    };
    let mut findings = Vec::new();
    if found.controller != "CODE_DEPLOY" {
        findings.push(
            Finding::error(
                "deployment-controller",
                format!(
                    "service `{service}` uses the `{}` deployment controller: the CodeDeployToECS action deploys only services with the CODE_DEPLOY controller",
                    found.controller
                ),
            )
            .help("deploy it with the ECS action and imagedefinitions.json (`ecs-verify --for ecs`), or create the service with deploymentController CODE_DEPLOY"),
        );
    }
    let routed = (question.container_name.clone(), question.container_port);
    if !found.load_balancers.is_empty() && !found.load_balancers.contains(&routed) {
        let has: Vec<String> = found
            .load_balancers
            .iter()
            .map(|(name, port)| format!("`{name}:{port}`"))
            .collect();
        findings.push(
            Finding::error(
                "appspec-load-balancer",
                format!(
                    "the AppSpec routes to container `{}` on port {}, and service `{service}`'s load balancer to {}: CodeDeploy fails the deployment",
                    routed.0,
                    routed.1,
                    has.join(", ")
                ),
            )
            .help("make the AppSpec's LoadBalancerInfo name the container and port of the service's load balancer"),
        );
    }
    // "The capacity provider must already be associated with the cluster"
    // (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html>).
    for provider in &question.capacity_providers {
        if !found.cluster_capacity_providers.contains(provider) {
            findings.push(
                Finding::error(
                    "capacity-provider-missing",
                    format!("capacity provider `{provider}` of the AppSpec's CapacityProviderStrategy is not associated with cluster `{cluster}`: the replacement task set cannot be created"),
                )
                .help("associate it with the cluster (`aws ecs put-cluster-capacity-providers`), or name one of the cluster's in the AppSpec"),
            );
        }
    }
    findings
        .into_iter()
        .map(|finding| at(found.arn.clone(), finding))
        .collect()
}

#[cfg(test)]
mod tests;
