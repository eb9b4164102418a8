//! `ecs-appspec render` (the default command): configuration → model → rendered file → the
//! same checks `check` runs → one atomic write. Nothing is written when a check fails.

use deploykit_artifacts::Finding;
use deploykit_artifacts::appspec::{self, AppSpec};
use deploykit_artifacts::location::{JsonPath, Location, Segment};
use deploykit_cli::report::refuse_errors;
use deploykit_cli::{CliError, Exit, Output, Plan};

use crate::config::{Render, Target};
use crate::taskdef;

pub(crate) fn run(config: &Render) -> Result<Exit, CliError> {
    if let Target::TaskDefinition { path, .. } = &config.target {
        Output::from_arg(&config.output).refuse_inputs("-o", [path.as_path()])?;
    }
    let (container, port, containers) = match &config.target {
        Target::Given { container, port } => (container.clone(), *port, None),
        Target::TaskDefinition {
            path,
            container,
            port,
        } => {
            let containers = taskdef::containers(path)?;
            let (container, port) =
                containers
                    .infer(container.as_deref(), *port)
                    .map_err(|finding| {
                        // What is missing is in the task definition's containers, not in a flag.
                        let finding = match finding.location {
                            Some(_) => finding,
                            None => finding.at(JsonPath::root().key("containerDefinitions")),
                        };
                        CliError::from_finding(&finding, &path.display().to_string())
                    })?;
            (container, port, Some(containers))
        }
    };
    let mut spec = AppSpec::new(container.clone(), port);
    spec.task_definition.clone_from(&config.task_definition);
    spec.platform_version.clone_from(&config.platform_version);
    spec.network.clone_from(&config.network);
    spec.capacity_providers
        .clone_from(&config.capacity_providers);
    for (event, function) in &config.hooks {
        spec.set_hook(*event, function.clone());
    }
    let bytes = spec.render(config.format);
    let output = Output::from_arg(&config.output);
    // The file is checked exactly as `ecs-appspec check` would read it; each finding is
    // reported against the flag the value came from.
    let checked = appspec::check(&bytes, None, containers.as_ref());
    let problems: Vec<(Finding, String)> = checked
        .findings
        .into_iter()
        .map(|finding| {
            let origin = origin(&finding, &config.capacity_provider_args);
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
    let mut plan = Plan::new();
    plan.write(
        output,
        bytes,
        format!("for container `{container}`, port {port}"),
    );
    plan.execute()?;
    Ok(Exit::Clean)
}

/// The flag a finding on the rendered file comes from, read from its key path;
/// `capacity_providers` are the `--capacity-provider` arguments, in order.
fn origin(finding: &Finding, capacity_providers: &[String]) -> String {
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
            Some(Segment::Index(index)) => capacity_providers.get(*index),
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
