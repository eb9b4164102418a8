//! `ecs-appspec render` (the default command): configuration → model → rendered file → the
//! same checks `check` runs → one atomic write. Nothing is written when a check fails.

use deploykit_artifacts::Finding;
use deploykit_artifacts::appspec::{self, AppSpec};
use deploykit_cli::report::refuse_errors;
use deploykit_cli::{CliError, Exit, Output, Plan};

use crate::config::{Render, Target};
use crate::taskdef;

pub(crate) fn run(config: &Render) -> Result<Exit, CliError> {
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
                            None => finding.at("$.containerDefinitions"),
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
    let path = finding
        .location
        .as_deref()
        .and_then(|location| location.find('$').map(|start| &location[start..]))
        .unwrap_or_default();
    let flags = [
        (".TaskDefinition", "--task-definition"),
        (".ContainerName", "--container"),
        (".ContainerPort", "--container-port"),
        (".PlatformVersion", "--platform-version"),
        (".Subnets", "--subnet"),
        (".SecurityGroups", "--security-group"),
        (".AssignPublicIp", "--assign-public-ip"),
        (
            ".NetworkConfiguration",
            "--subnet, --security-group, --assign-public-ip",
        ),
    ];
    if let Some((_, flag)) = flags.iter().find(|(key, _)| path.contains(key)) {
        return (*flag).to_owned();
    }
    if let Some(rest) = path.split(".CapacityProviderStrategy").nth(1) {
        let given = rest
            .strip_prefix('[')
            .and_then(|rest| rest.split(']').next())
            .and_then(|index| index.parse::<usize>().ok())
            .and_then(|index| capacity_providers.get(index));
        return match given {
            Some(arg) => format!("--capacity-provider {arg}"),
            None => "--capacity-provider".to_owned(),
        };
    }
    if path.starts_with("$.Hooks") {
        let event = path.rsplit('.').next().unwrap_or_default();
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
