//! `ecs-appspec render` (the default command): flags → model → rendered file → the same checks
//! `check` runs → one atomic write. Nothing is written when a check fails.

use std::path::Path;

use deploykit_artifacts::Finding;
use deploykit_artifacts::appspec::{
    self, AppSpec, AssignPublicIp, AwsvpcConfiguration, CapacityProviderItem, Format,
    LifecycleEvent,
};
use deploykit_artifacts::location::{JsonPath, Location, Segment};
use deploykit_cli::report::refuse_errors;
use deploykit_cli::{CliError, Exit, Output};

use crate::{PublicIp, RenderArgs, Syntax, taskdef};

pub(crate) fn run(args: &RenderArgs) -> Result<Exit, CliError> {
    let containers = args
        .taskdef
        .as_deref()
        .map(taskdef::containers)
        .transpose()?;
    let (container, port) = match (&containers, &args.taskdef) {
        (Some(containers), Some(path)) => containers
            .infer(args.container.as_deref(), args.container_port)
            .map_err(|finding| {
                // What is missing is in the task definition's containers, not in a flag.
                let finding = match finding.location {
                    Some(_) => finding,
                    None => finding.at(JsonPath::root().key("containerDefinitions")),
                };
                CliError::from_finding(&finding, &path.display().to_string())
            })?,
        _ => match (&args.container, args.container_port) {
            (Some(name), Some(port)) => (name.clone(), port),
            (name, port) => {
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
        },
    };
    let mut spec = AppSpec::new(container.clone(), port);
    spec.task_definition.clone_from(&args.task_definition);
    spec.platform_version.clone_from(&args.platform_version);
    spec.network = network(args)?;
    spec.capacity_providers = args
        .capacity_providers
        .iter()
        .map(|arg| capacity_provider(arg))
        .collect::<Result<_, _>>()?;
    for (event, function) in hooks(args) {
        spec.set_hook(event, function);
    }
    let (format, default_name) = match args.format {
        Syntax::Yaml => (Format::Yaml, "appspec.yaml"),
        Syntax::Json => (Format::Json, "appspec.json"),
    };
    let bytes = spec.render(format);
    let output = Output::from_arg(args.output.as_deref().unwrap_or(Path::new(default_name)));
    // The file is checked exactly as `ecs-appspec check` would read it; each finding is
    // reported against the flag the value came from.
    let checked = appspec::check(&bytes, None, containers.as_ref());
    let problems: Vec<(Finding, String)> = checked
        .findings
        .into_iter()
        .map(|finding| {
            let origin = origin(&finding, args);
            (
                Finding {
                    location: None,
                    ..finding
                },
                origin,
            )
        })
        .collect();
    refuse_errors(&problems, &output.describe())?;
    output.write(&bytes)?;
    output.announce(&format!("for container `{container}`, port {port}"));
    Ok(Exit::Clean)
}

/// Subnets, security groups and `AssignPublicIp` go together (CD-RES: "all or none").
fn network(args: &RenderArgs) -> Result<Option<AwsvpcConfiguration>, CliError> {
    let given = [
        ("--subnet", !args.subnets.is_empty()),
        ("--security-group", !args.security_groups.is_empty()),
        ("--assign-public-ip", args.assign_public_ip.is_some()),
    ];
    if given.iter().all(|(_, present)| !present) {
        return Ok(None);
    }
    let missing: Vec<String> = given
        .iter()
        .filter(|(_, present)| !present)
        .map(|(flag, _)| format!("`{flag}`"))
        .collect();
    let Some(public) = args.assign_public_ip.filter(|_| missing.is_empty()) else {
        return Err(CliError::new(format!(
            "the network settings are incomplete: {} missing; CodeDeploy takes subnets, security groups and the public-IP choice all together or none",
            missing.join(" and ")
        ))
        .help("add the missing flags, or leave out all three to keep the service's network settings"));
    };
    Ok(Some(AwsvpcConfiguration {
        subnets: args.subnets.clone(),
        security_groups: args.security_groups.clone(),
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

fn hooks(args: &RenderArgs) -> Vec<(LifecycleEvent, String)> {
    [
        (LifecycleEvent::BeforeInstall, &args.before_install),
        (LifecycleEvent::AfterInstall, &args.after_install),
        (
            LifecycleEvent::AfterAllowTestTraffic,
            &args.after_allow_test_traffic,
        ),
        (
            LifecycleEvent::BeforeAllowTraffic,
            &args.before_allow_traffic,
        ),
        (LifecycleEvent::AfterAllowTraffic, &args.after_allow_traffic),
    ]
    .into_iter()
    .filter_map(|(event, function)| function.clone().map(|function| (event, function)))
    .collect()
}

/// The flag a finding on the rendered file comes from, read from its key path.
fn origin(finding: &Finding, args: &RenderArgs) -> String {
    let segments = finding
        .location
        .as_ref()
        .and_then(Location::path)
        .map(JsonPath::segments)
        .unwrap_or_default();
    let keys: Vec<&str> = segments
        .iter()
        .filter_map(|segment| match segment {
            Segment::Key(key) => Some(key.as_str()),
            Segment::Index(_) => None,
        })
        .collect();
    let flags = [
        ("TaskDefinition", "--task-definition"),
        ("ContainerName", "--container"),
        ("ContainerPort", "--container-port"),
        ("PlatformVersion", "--platform-version"),
        ("Subnets", "--subnet"),
        ("SecurityGroups", "--security-group"),
        ("AssignPublicIp", "--assign-public-ip"),
        (
            "NetworkConfiguration",
            "--subnet, --security-group, --assign-public-ip",
        ),
    ];
    if let Some((_, flag)) = flags.iter().find(|(key, _)| keys.contains(key)) {
        return (*flag).to_owned();
    }
    let strategy = Segment::Key("CapacityProviderStrategy".to_owned());
    if let Some(at) = segments.iter().position(|segment| *segment == strategy) {
        let given = match segments.get(at + 1) {
            Some(Segment::Index(index)) => args.capacity_providers.get(*index),
            _ => None,
        };
        return match given {
            Some(arg) => format!("--capacity-provider {arg}"),
            None => "--capacity-provider".to_owned(),
        };
    }
    if keys.first() == Some(&"Hooks") {
        let event = keys.last().copied().unwrap_or_default();
        let mut flag = String::from("-");
        for c in event.chars() {
            if c.is_ascii_uppercase() {
                flag.push('-');
            }
            flag.push(c.to_ascii_lowercase());
        }
        return flag;
    }
    "the generated AppSpec".to_owned()
}
