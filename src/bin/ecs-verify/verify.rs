//! Wiring: the flags into an action, the artifacts read, the verification reported.

use deploykit_artifacts::Finding;
use deploykit_artifacts::TagPolicy;
use deploykit_artifacts::actions::blue_green::IMAGE_DETAIL;
use deploykit_artifacts::placeholder;
use deploykit_artifacts::task_definition::edit::container_names;
use deploykit_artifacts::task_definition::render::{read, to_pretty_json};
use deploykit_artifacts::task_definition::source::SourceFormat;
use deploykit_artifacts::verify::service::MAX_DEPLOYMENT_TIMEOUT;
use deploykit_artifacts::verify::{self, Action, ImageInput, Located, Options, PipelineAction};
use deploykit_cli::report::{self, FileReport};
use deploykit_cli::{CliError, Exit, Output, input};

use crate::{ActionKind, Cli};

pub(crate) fn run(cli: &Cli) -> Result<Exit, CliError> {
    let from_pipeline = match (&cli.pipeline_template, &cli.pipeline_json, &cli.pipeline) {
        (Some(path), _, _) => {
            let template = crate::template::read(path)?;
            Some(
                template
                    .deploy_action(cli.pipeline_resource.as_deref(), cli.action_name.as_deref())
                    .map_err(|finding| {
                        CliError::from_finding(&finding, &path.display().to_string())
                    })?,
            )
        }
        (None, Some(path), _) => {
            let shown = path.display().to_string();
            Some(from_pipeline(
                &input::read(path)?,
                &shown,
                cli.action_name.as_deref(),
            )?)
        }
        (None, None, Some(name)) => Some(from_pipeline(
            &live_pipeline(name)?,
            &format!("pipeline `{name}`"),
            cli.action_name.as_deref(),
        )?),
        (None, None, None) if cli.action_name.is_some() => {
            return Err(CliError::new(
                "--action needs --pipeline, --pipeline-json or --pipeline-template",
            ));
        }
        (None, None, None) => None,
    };
    let action = match &from_pipeline {
        Some(found) => found.action.clone(),
        None => action(cli)?,
    };
    let wanted: Vec<&str> = match &action {
        Action::Ecs { file_name } => vec![file_name.as_str(), IMAGE_DETAIL],
        Action::BlueGreen {
            taskdef_path,
            appspec_path,
            ..
        } => vec![taskdef_path.as_str(), appspec_path.as_str(), IMAGE_DETAIL],
    };
    let artifacts = cli
        .artifacts
        .iter()
        .map(|spec| crate::inputs::read(spec, &wanted))
        .collect::<Result<Vec<_>, _>>()?;
    let deployment_timeout = cli
        .deployment_timeout
        .or(from_pipeline
            .as_ref()
            .and_then(|found| found.deployment_timeout))
        .unwrap_or(MAX_DEPLOYMENT_TIMEOUT);
    let is_ecs = matches!(action, Action::Ecs { .. });
    if cli.service_json.is_some() && !is_ecs {
        return Err(CliError::new("--service-json checks the target service of the ECS action, and this is the Blue/Green action")
            .at("--service-json")
            .help("drop it: the Blue/Green action deploys through CodeDeploy, whose deployment group says how"));
    }
    let checked = match (&cli.service_json, &cli.from_ecs) {
        (Some(path), _) => Some(crate::service::from_file(path, deployment_timeout)?),
        (None, Some(spec)) => Some(crate::service::live(spec, deployment_timeout)?),
        (None, None) => None,
    };
    let options = Options {
        policy: TagPolicy {
            allow_mutable_tags: cli.allow_mutable_tag,
        },
        service_containers: match (&cli.taskdef, &checked) {
            (Some(path), _) => Some(service_containers(path)?),
            (None, Some(checked)) => checked.containers.clone(),
            (None, None) => None,
        },
        partial: false,
    };
    let mut verification = verify::verify(&artifacts, &action, &options);
    // The strategy matters only to the ECS action: the Blue/Green action deploys through
    // CodeDeploy, which the service's own strategy does not drive.
    let service_place = checked.filter(|_| is_ecs).map(|checked| {
        // Diagnostics on stderr, so that JSON, SARIF and JUnit on stdout stay one document.
        deploykit_cli::say(format_args!(
            "note: {} ({})",
            checked.report.summary, checked.place
        ));
        verification
            .findings
            .extend(checked.report.findings.into_iter().map(|finding| Located {
                place: checked.place.clone().into(),
                finding,
            }));
        checked.place
    });
    if let Some(found) = from_pipeline {
        let mut wiring: Vec<Finding> = found.findings;
        for input in &found.input_artifacts {
            if !artifacts.iter().any(|artifact| artifact.name == *input) {
                wiring.push(
                    Finding::error(
                        "artifact-wiring",
                        format!("input artifact `{input}` of {} was not given", found.name),
                    )
                    .help(format!("give it as `{input}=PATH`")),
                );
            }
        }
        for artifact in artifacts
            .iter()
            .filter(|a| !found.input_artifacts.contains(&a.name))
        {
            wiring.push(Finding::warning(
                "artifact-wiring",
                format!(
                    "`{}` is not an input artifact of {}, which does not read it",
                    artifact.name, found.name
                ),
            ));
        }
        let place = cli
            .pipeline_json
            .as_ref()
            .or(cli.pipeline_template.as_ref())
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        verification.findings.splice(
            0..0,
            wiring.into_iter().map(|finding| Located {
                place: place.clone().into(),
                finding,
            }),
        );
    }
    if let Some(path) = &cli.render_final {
        let Some(document) = &verification.final_task_definition else {
            return Err(CliError::new("there is no final task definition to write: its placeholders could not all be replaced")
                .at("--render-final")
                .help("fix the findings above"));
        };
        let output = Output::from_arg(path);
        output.write(&to_pretty_json(document))?;
        output.announce("as the Blue/Green action would register it");
    }
    // One report per place, in the order first found, so each file is a test suite of its own.
    let mut reports: Vec<FileReport> = Vec::new();
    for located in verification.findings {
        let place = located.place.to_string();
        match reports.iter_mut().find(|report| report.path == place) {
            Some(report) => report.findings.push(located.finding),
            None => reports.push(FileReport {
                path: place,
                kind: None,
                findings: vec![located.finding],
            }),
        }
    }
    if let Some(place) = service_place.filter(|place| !reports.iter().any(|r| r.path == *place)) {
        reports.push(FileReport {
            path: place,
            kind: None,
            findings: Vec::new(),
        });
    }
    for artifact in &artifacts {
        if !reports
            .iter()
            .any(|r| r.path == artifact.name || r.path.starts_with(&format!("{}/", artifact.name)))
        {
            reports.push(FileReport {
                path: artifact.name.clone(),
                kind: None,
                findings: Vec::new(),
            });
        }
    }
    report::print("ecs-verify", &reports, cli.format)
}

fn action(cli: &Cli) -> Result<Action, CliError> {
    Ok(match cli.action.unwrap_or(ActionKind::Ecs) {
        ActionKind::Ecs => Action::Ecs {
            file_name: cli.file_name.clone(),
        },
        ActionKind::BlueGreen => Action::BlueGreen {
            taskdef_artifact: cli.taskdef_artifact.clone(),
            taskdef_path: cli.taskdef_path.clone(),
            appspec_artifact: cli.appspec_artifact.clone(),
            appspec_path: cli.appspec_path.clone(),
            images: cli
                .images
                .iter()
                .map(|pair| {
                    pair.split_once('=')
                        .filter(|(a, p)| !a.is_empty() && !p.is_empty())
                        .map(|(artifact, placeholder)| ImageInput {
                            artifact: artifact.to_owned(),
                            placeholder: placeholder::setting_name(placeholder).to_owned(),
                        })
                        .ok_or_else(|| {
                            CliError::new(format!("`--image {pair}` is not `ARTIFACT=PLACEHOLDER`"))
                                .help("write `--image ImageArtifact=IMAGE1_NAME`")
                        })
                })
                .collect::<Result<_, _>>()?,
        },
    })
}

/// The container names of the service's task definition (register input or describe output).
fn service_containers(path: &std::path::Path) -> Result<Vec<String>, CliError> {
    let shown = path.display().to_string();
    if !crate::inputs::is_file(path) {
        return Err(CliError::new(format!("cannot read `{shown}`: no such file")).at("--taskdef"));
    }
    let bytes = input::read(path)?;
    let (document, _) = read(&bytes, SourceFormat::from_file_name(&shown))
        .map_err(|findings| CliError::from_finding(first_error(&findings), &shown))?;
    Ok(container_names(&document))
}

/// The deploy action of a `get-pipeline` document.
fn from_pipeline(
    bytes: &[u8],
    shown: &str,
    action: Option<&str>,
) -> Result<PipelineAction, CliError> {
    let document: serde_json::Value = serde_json::from_slice(bytes).map_err(|error| {
        CliError::new(format!("{shown} is not JSON: {error}"))
            .help("give the output of `aws codepipeline get-pipeline --name NAME`")
    })?;
    verify::deploy_action(&document, action)
        .map_err(|finding| CliError::from_finding(&finding, shown))
}

/// `GetPipeline`, as the JSON document `get-pipeline` prints.
fn live_pipeline(name: &str) -> Result<Vec<u8>, CliError> {
    runtime()?
        .block_on(async {
            let config = deploykit_aws::config::try_load().await?;
            deploykit_aws::codepipeline::pipeline_json(
                &deploykit_aws::codepipeline::client(&config),
                name,
            )
            .await
        })
        .map_err(|error| aws_error(&error))
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| CliError::new(format!("cannot start the AWS client: {error}")))
}

pub(crate) fn aws_error(error: &deploykit_aws::AwsError) -> CliError {
    let cli_error = CliError::new(error.what()).at(error.location());
    match error.help() {
        Some(help) => cli_error.help(help),
        None => cli_error,
    }
}

/// The error among `findings` of a failed read, or its first finding.
pub(crate) fn first_error(findings: &[Finding]) -> &Finding {
    findings
        .iter()
        .find(|f| f.is_error())
        .or(findings.first())
        .expect("read fails with a finding")
}
