//! The checked configuration: every flag parsed, the network settings complete, before the
//! task definition is read.

use std::path::PathBuf;

use deploykit_artifacts::appspec::{
    AssignPublicIp, AwsvpcConfiguration, CapacityProviderItem, Format, LifecycleEvent,
};
use deploykit_cli::CliError;
use deploykit_cli::report::{self, ReportFile};

use crate::{CheckArgs, Cli, Command, PublicIp, RenderArgs, Syntax};

/// What to do.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Config {
    Render(Box<Render>),
    Check(Check),
}

/// `render`: the AppSpec's properties as the flags give them.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Render {
    /// `TaskDefinition`.
    pub(crate) task_definition: String,
    pub(crate) target: Target,
    pub(crate) platform_version: Option<String>,
    pub(crate) network: Option<AwsvpcConfiguration>,
    pub(crate) capacity_providers: Vec<CapacityProviderItem>,
    /// Each `--capacity-provider` as given, to name the one a finding is about.
    pub(crate) capacity_provider_args: Vec<String>,
    /// The hooks' Lambda functions, in lifecycle order.
    pub(crate) hooks: Vec<(LifecycleEvent, String)>,
    pub(crate) format: Format,
    /// `-o` as given, or the default name for the format.
    pub(crate) output: PathBuf,
}

/// The container and port the load balancer routes to (`LoadBalancerInfo`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// `--container` and `--container-port`, without a task definition.
    Given { container: String, port: u16 },
    /// `--taskdef`: what the flags give is checked against its containers, and what they leave
    /// out is inferred from them.
    TaskDefinition {
        path: PathBuf,
        container: Option<String>,
        port: Option<u16>,
    },
}

/// `check`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Check {
    pub(crate) files: Vec<PathBuf>,
    pub(crate) taskdef: Option<PathBuf>,
    pub(crate) format: report::Format,
    /// `--report`: reports written to files as well.
    pub(crate) reports: Vec<ReportFile>,
}

impl TryFrom<Cli> for Config {
    type Error = CliError;

    fn try_from(cli: Cli) -> Result<Self, CliError> {
        Ok(match cli.command {
            Some(Command::Render(args)) => Self::Render(Box::new(render(*args)?)),
            Some(Command::Check(args)) => Self::Check(check(args)),
            None => Self::Render(Box::new(render(cli.render)?)),
        })
    }
}

fn check(args: CheckArgs) -> Check {
    Check {
        files: args.files,
        taskdef: args.taskdef,
        format: args.format,
        reports: args.report,
    }
}

fn render(args: RenderArgs) -> Result<Render, CliError> {
    let target = match (args.taskdef, args.container, args.container_port) {
        (Some(path), container, port) => Target::TaskDefinition {
            path,
            container,
            port,
        },
        (None, Some(container), Some(port)) => Target::Given { container, port },
        (None, name, port) => {
            let missing = match (name, port) {
                (Some(_), None) => "`--container-port`",
                (None, Some(_)) => "`--container`",
                _ => "`--container` and `--container-port`",
            };
            return Err(CliError::new(format!(
                "the load balancer's container and port are not given: {missing} missing"
            ))
            .help("give --container NAME --container-port PORT, or --taskdef FILE to take them from the task definition"));
        }
    };
    let network = network(args.subnets, args.security_groups, args.assign_public_ip)?;
    let capacity_providers = args
        .capacity_providers
        .iter()
        .map(|arg| capacity_provider(arg))
        .collect::<Result<_, _>>()?;
    let hooks = [
        (LifecycleEvent::BeforeInstall, args.before_install),
        (LifecycleEvent::AfterInstall, args.after_install),
        (
            LifecycleEvent::AfterAllowTestTraffic,
            args.after_allow_test_traffic,
        ),
        (
            LifecycleEvent::BeforeAllowTraffic,
            args.before_allow_traffic,
        ),
        (LifecycleEvent::AfterAllowTraffic, args.after_allow_traffic),
    ]
    .into_iter()
    .filter_map(|(event, function)| function.map(|function| (event, function)))
    .collect();
    let (format, default_name) = match args.format {
        Syntax::Yaml => (Format::Yaml, "appspec.yaml"),
        Syntax::Json => (Format::Json, "appspec.json"),
    };
    Ok(Render {
        task_definition: args.task_definition,
        target,
        platform_version: args.platform_version,
        network,
        capacity_providers,
        capacity_provider_args: args.capacity_providers,
        hooks,
        format,
        output: args.output.unwrap_or_else(|| PathBuf::from(default_name)),
    })
}

/// Subnets, security groups and `AssignPublicIp` go together (CD-RES: "all or none").
fn network(
    subnets: Vec<String>,
    security_groups: Vec<String>,
    assign_public_ip: Option<PublicIp>,
) -> Result<Option<AwsvpcConfiguration>, CliError> {
    let given = [
        ("--subnet", !subnets.is_empty()),
        ("--security-group", !security_groups.is_empty()),
        ("--assign-public-ip", assign_public_ip.is_some()),
    ];
    if given.iter().all(|(_, present)| !present) {
        return Ok(None);
    }
    let missing: Vec<String> = given
        .iter()
        .filter(|(_, present)| !present)
        .map(|(flag, _)| format!("`{flag}`"))
        .collect();
    let Some(public) = assign_public_ip.filter(|_| missing.is_empty()) else {
        return Err(CliError::new(format!(
            "the network settings are incomplete: {} missing; CodeDeploy takes subnets, security groups and the public-IP choice all together or none",
            missing.join(" and ")
        ))
        .help("add the missing flags, or leave out all three to keep the service's network settings"));
    };
    Ok(Some(AwsvpcConfiguration {
        subnets,
        security_groups,
        assign_public_ip: match public {
            PublicIp::Enabled => AssignPublicIp::Enabled,
            PublicIp::Disabled => AssignPublicIp::Disabled,
        },
    }))
}

/// `NAME[:WEIGHT[:BASE]]`; a left-out weight is 1, so that `--capacity-provider FARGATE` alone
/// places tasks (ECS's own default weight, 0, would place none).
fn capacity_provider(arg: &str) -> Result<CapacityProviderItem, CliError> {
    let wrong = |why: String| {
        CliError::new(format!(
            "`--capacity-provider {arg}` is not `NAME[:WEIGHT[:BASE]]`: {why}"
        ))
        .help("write `--capacity-provider FARGATE_SPOT:3:1` for weight 3 and base 1, or `--capacity-provider FARGATE` for weight 1")
    };
    let parts: Vec<&str> = arg.split(':').collect();
    let number = |what: &str, text: &str| {
        text.parse::<u32>()
            .map_err(|_| wrong(format!("the {what} `{text}` is not a whole number from 0")))
    };
    let (name, weight, base) = match parts.as_slice() {
        [name] => (*name, 1, None),
        [name, weight] => (*name, number("weight", weight)?, None),
        [name, weight, base] => (
            *name,
            number("weight", weight)?,
            Some(number("base", base)?),
        ),
        _ => return Err(wrong("it has more than three parts".to_owned())),
    };
    if name.is_empty() {
        return Err(wrong("the name is empty".to_owned()));
    }
    Ok(CapacityProviderItem {
        capacity_provider: name.to_owned(),
        base,
        weight: Some(weight),
    })
}

#[cfg(test)]
mod tests;
