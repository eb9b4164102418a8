//! The CodeDeploy `AppSpec` file of an ECS blue/green deployment (`appspec.yaml`), generated
//! and checked.
//!
//! The facts are in `docs/aws/codedeploy.md#the-appspec-file-for-ecs`; the abbreviations in comments (CD-RES,
//! CD-HOOKS, CD-STRUCT, CD-EX, CP-TUT-BG, ASSIST, BC-ECS) are listed in `docs/aws/sources.md`.
//!
//! - [`AppSpec`] is the typed model: `version: 0.0`, one `TargetService` of type
//!   `AWS::ECS::Service` with its properties, and the hooks in lifecycle order.
//! - [`AppSpec::render`] writes it as YAML or JSON, byte-for-byte deterministic, in the key
//!   casing and order of AWS's own examples (CD-EX).
//! - [`check`] reads a file the way AWS's clients do (YAML or JSON, keys matched
//!   case-insensitively) and reports every rule of §5 with the key path and, where the parser
//!   knows it, the line; it returns the model when the structure is readable, so a rendered
//!   file reads back to the value it was rendered from.
//! - [`TaskContainers`] is what an `AppSpec` needs from a task definition: the containers and
//!   the ports their `portMappings` expose.

mod arn;
mod check;
mod containers;
mod render;
mod source;
mod suggest;
#[cfg(test)]
mod tests;

use std::fmt;

pub use arn::{hook_function_name, task_definition_problem};
pub use check::{Checked, check};
pub use containers::{ContainerPorts, TaskContainers};
pub use render::Format;

/// The placeholder CodePipeline's CodeDeployToECS action replaces with the ARN of the task
/// definition it registers (CP-TUT-BG: "do not change the `<TASK_DEFINITION>` placeholder
/// text").
pub const TASK_DEFINITION_PLACEHOLDER: &str = "<TASK_DEFINITION>";

/// The only resource type of an ECS `AppSpec` (CD-RES).
pub const ECS_SERVICE_TYPE: &str = "AWS::ECS::Service";

/// The name every ECS example gives the resource (CD-RES, CD-EX).
pub const TARGET_SERVICE: &str = "TargetService";

/// The prefix the managed role `AWSCodeDeployRoleForECSLimited` can invoke:
/// `lambda:InvokeFunction` on `arn:aws:lambda:*:*:function:CodeDeployHook_*` (`docs/aws/codedeploy.md#hooks`).
pub const HOOK_PREFIX: &str = "CodeDeployHook_";

/// An ECS `AppSpec`: `version: 0.0`, one `TargetService`, and the hooks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppSpec {
    /// `Properties.TaskDefinition`: [`TASK_DEFINITION_PLACEHOLDER`] under CodePipeline, or a
    /// full task-definition ARN for a direct CodeDeploy deployment.
    pub task_definition: String,
    /// `Properties.LoadBalancerInfo`.
    pub load_balancer: LoadBalancerInfo,
    /// `Properties.PlatformVersion`, for Fargate (CodeDeploy's default is `LATEST`).
    pub platform_version: Option<String>,
    /// `Properties.NetworkConfiguration.AwsvpcConfiguration`; without it CodeDeploy keeps the
    /// service's network settings (CD-RES).
    pub network: Option<AwsvpcConfiguration>,
    /// `Properties.CapacityProviderStrategy`, in the order given.
    pub capacity_providers: Vec<CapacityProviderItem>,
    /// `Hooks`, one per lifecycle event, in lifecycle order.
    pub hooks: Vec<Hook>,
}

/// The container and port the load balancer routes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadBalancerInfo {
    /// `ContainerName`: a container of the task definition.
    pub container_name: String,
    /// `ContainerPort`: a `containerPort` of that container's `portMappings`. The only
    /// property CodeDeploy wants as a number (CD-RES).
    pub container_port: u16,
}

/// `AwsvpcConfiguration`: all three members or none (CD-RES).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsvpcConfiguration {
    /// Subnet ids, `subnet-…`.
    pub subnets: Vec<String>,
    /// Security group ids, `sg-…`.
    pub security_groups: Vec<String>,
    /// `AssignPublicIp`.
    pub assign_public_ip: AssignPublicIp,
}

/// `AssignPublicIp`: `ENABLED` or `DISABLED` (CD-RES; ASSIST `AppSpecEcsAssignPublicIpValues`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AssignPublicIp {
    /// `ENABLED`
    Enabled,
    /// `DISABLED`
    Disabled,
}

impl AssignPublicIp {
    /// The value as the `AppSpec` writes it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enabled => "ENABLED",
            Self::Disabled => "DISABLED",
        }
    }

    /// Reads the exact value; anything else, including other cases, is `None`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "ENABLED" => Some(Self::Enabled),
            "DISABLED" => Some(Self::Disabled),
            _ => None,
        }
    }
}

impl fmt::Display for AssignPublicIp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `CapacityProviderStrategy` entry. ECS's ranges (BC-ECS `CapacityProviderStrategyItem`):
/// `base` 0 to 100,000, `weight` 0 to 1,000, both 0 when absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapacityProviderItem {
    /// `CapacityProvider`, such as `FARGATE` or `FARGATE_SPOT`.
    pub capacity_provider: String,
    /// `Base`: the minimum number of tasks on this provider.
    pub base: Option<u32>,
    /// `Weight`: the provider's relative share of the tasks.
    pub weight: Option<u32>,
}

/// The largest `Base` ECS accepts (BC-ECS `CapacityProviderStrategyItem.base`).
pub const MAX_BASE: u32 = 100_000;
/// The largest `Weight` ECS accepts (BC-ECS `CapacityProviderStrategyItem.weight`).
pub const MAX_WEIGHT: u32 = 1_000;

/// One lifecycle hook: the Lambda function CodeDeploy invokes at an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hook {
    /// The event.
    pub event: LifecycleEvent,
    /// A Lambda function name or ARN.
    pub function: String,
}

/// The five lifecycle events of an ECS deployment that take a hook, in the order they run
/// (CD-HOOKS: `BeforeInstall` → (Install) → `AfterInstall` → (`TestTraffic`) →
/// `AfterAllowTestTraffic` → `BeforeAllowTraffic` → (`AllowTraffic`) → `AfterAllowTraffic`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LifecycleEvent {
    /// Before the replacement task set is created; the only one that cannot roll back.
    BeforeInstall,
    /// After the replacement task set is created.
    AfterInstall,
    /// After the test listener serves traffic to the replacement task set; ignored when the
    /// deployment group has no test listener (CD-EX).
    AfterAllowTestTraffic,
    /// Before production traffic shifts to the replacement task set.
    BeforeAllowTraffic,
    /// After production traffic has shifted.
    AfterAllowTraffic,
}

impl LifecycleEvent {
    /// All five, in lifecycle order.
    pub const ALL: [Self; 5] = [
        Self::BeforeInstall,
        Self::AfterInstall,
        Self::AfterAllowTestTraffic,
        Self::BeforeAllowTraffic,
        Self::AfterAllowTraffic,
    ];

    /// The event's name in the `AppSpec`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::BeforeInstall => "BeforeInstall",
            Self::AfterInstall => "AfterInstall",
            Self::AfterAllowTestTraffic => "AfterAllowTestTraffic",
            Self::BeforeAllowTraffic => "BeforeAllowTraffic",
            Self::AfterAllowTraffic => "AfterAllowTraffic",
        }
    }

    /// The event of an exact name. Event names are matched exactly, as ASSIST does: nothing
    /// documents that CodeDeploy accepts other spellings.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|event| event.name() == name)
    }
}

impl fmt::Display for LifecycleEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl AppSpec {
    /// An `AppSpec` for CodePipeline: `TaskDefinition` left as the placeholder, no options.
    #[must_use]
    pub fn new(container_name: impl Into<String>, container_port: u16) -> Self {
        Self {
            task_definition: TASK_DEFINITION_PLACEHOLDER.to_owned(),
            load_balancer: LoadBalancerInfo {
                container_name: container_name.into(),
                container_port,
            },
            platform_version: None,
            network: None,
            capacity_providers: Vec::new(),
            hooks: Vec::new(),
        }
    }

    /// Sets the hook of `event`, replacing an earlier one, and keeps the hooks in lifecycle
    /// order.
    pub fn set_hook(&mut self, event: LifecycleEvent, function: impl Into<String>) {
        self.hooks.retain(|hook| hook.event != event);
        self.hooks.push(Hook {
            event,
            function: function.into(),
        });
        self.hooks.sort_by_key(|hook| hook.event);
    }
}
