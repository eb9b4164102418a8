//! The checked configuration: which deploy action reads which artifacts, what else to check
//! them against, and how to report. Every flag is read and checked here, before any input is.

use std::path::PathBuf;

use deploykit_artifacts::placeholder;
use deploykit_artifacts::verify::{Action, ImageInput};
use deploykit_cli::CliError;
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::report::{Format, ReportFile};

use crate::{ActionKind, Cli, Command};

/// What one run does.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Config {
    /// An artifact set, checked as a deploy action will read it.
    Artifacts(Box<ArtifactCheck>),
    /// `pipeline-template`: templates checked against their buildspecs.
    Template(TemplateCheck),
}

/// `ecs-verify [FLAGS] ARTIFACT…`
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ArtifactCheck {
    pub(crate) artifacts: Vec<ArtifactSpec>,
    /// Where the action and its settings come from.
    pub(crate) action: ActionFrom,
    /// `--taskdef`: the service's task definition, for its container names.
    pub(crate) taskdef: Option<PathBuf>,
    /// `--service-json` or `--from-ecs`.
    pub(crate) service: Option<ServiceFrom>,
    /// `--deployment-timeout`; without it, the pipeline's setting, then 60 minutes.
    pub(crate) deployment_timeout: Option<u32>,
    /// `--render-final`.
    pub(crate) render_final: Option<PathBuf>,
    pub(crate) allow_mutable_tag: bool,
    /// `--live`: the account asked after the offline checks.
    pub(crate) live: bool,
    /// `--max-critical`: the critical scan findings an image may have.
    pub(crate) max_critical: u32,
    /// `--codedeploy-app` and `--deployment-group`: the Blue/Green action's deployment group,
    /// as (application, group); without them, the pipeline's.
    pub(crate) deployment_group: Option<(String, String)>,
    pub(crate) format: Format,
    /// `--report`: reports written to files as well.
    pub(crate) reports: Vec<ReportFile>,
    pub(crate) aws: AwsSettings,
}

/// One input artifact: the pipeline's name for it and the folder or zip that holds it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ArtifactSpec {
    pub(crate) name: String,
    pub(crate) path: PathBuf,
}

/// Where the deploy action is described.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ActionFrom {
    /// The flags: `--for` and the action's settings.
    Flags(Action),
    /// A pipeline's definition; `action` (`--action`) chooses among several deploy actions.
    Pipeline {
        pipeline: PipelineFrom,
        action: Option<String>,
    },
}

/// `--pipeline-template`, `--pipeline-json` or `--pipeline`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PipelineFrom {
    Template {
        path: PathBuf,
        /// `--pipeline-resource`: the pipeline's logical id.
        resource: Option<String>,
    },
    Json(PathBuf),
    /// `GetPipeline` for the pipeline of this name.
    Live(String),
}

/// The ECS action's target service.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ServiceFrom {
    /// `--service-json FILE`.
    File(PathBuf),
    /// `--from-ecs CLUSTER/SERVICE`.
    Live { cluster: String, service: String },
}

/// `ecs-verify pipeline-template`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TemplateCheck {
    pub(crate) templates: Vec<PathBuf>,
    pub(crate) source_root: PathBuf,
    pub(crate) format: Format,
    /// `--report`: reports written to files as well.
    pub(crate) reports: Vec<ReportFile>,
}

/// `--service-json` where the deploy action is the Blue/Green one: whether the flags say so or
/// the pipeline does.
pub(crate) fn service_json_for_blue_green() -> CliError {
    CliError::new(
        "--service-json checks the target service of the ECS action, and this is the Blue/Green action",
    )
    .at("--service-json")
    .help("drop it: the Blue/Green action deploys through CodeDeploy, whose deployment group says how")
}

impl TryFrom<Cli> for Config {
    type Error = CliError;

    fn try_from(cli: Cli) -> Result<Self, CliError> {
        let aws = AwsSettings::try_from(cli.aws.clone())?;
        if let Some(Command::PipelineTemplate(args)) = cli.command {
            return Ok(Self::Template(TemplateCheck {
                templates: args.templates,
                source_root: args.source_root,
                format: args.format,
                reports: args.report,
            }));
        }
        let action = action_from(&cli)?;
        let service = match (cli.service_json, &cli.from_ecs) {
            (Some(path), _) => {
                if matches!(action, ActionFrom::Flags(Action::BlueGreen { .. })) {
                    return Err(service_json_for_blue_green());
                }
                Some(ServiceFrom::File(path))
            }
            (None, Some(spec)) => Some(live_service(spec)?),
            (None, None) => None,
        };
        // The ECS action's task definition is the service's: without either flag there is
        // nothing to ask the account about. A pipeline's action is known once it is read.
        if cli.live
            && matches!(action, ActionFrom::Flags(Action::Ecs { .. }))
            && cli.taskdef.is_none()
            && !matches!(service, Some(ServiceFrom::Live { .. }))
        {
            return Err(crate::live::no_task_definition());
        }
        Ok(Self::Artifacts(Box::new(ArtifactCheck {
            artifacts: cli.artifacts.iter().map(|spec| artifact(spec)).collect(),
            action,
            taskdef: cli.taskdef,
            service,
            deployment_timeout: cli.deployment_timeout,
            render_final: cli.render_final,
            allow_mutable_tag: cli.allow_mutable_tag,
            live: cli.live,
            max_critical: cli.max_critical,
            deployment_group: cli.codedeploy_app.zip(cli.deployment_group),
            format: cli.format,
            reports: cli.report,
            aws,
        })))
    }
}

/// `NAME=PATH`, or `PATH` named after the folder or zip.
fn artifact(spec: &str) -> ArtifactSpec {
    match spec.split_once('=') {
        Some((name, path)) if !name.is_empty() => ArtifactSpec {
            name: name.to_owned(),
            path: PathBuf::from(path),
        },
        _ => {
            let path = PathBuf::from(spec);
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            ArtifactSpec { name, path }
        }
    }
}

/// The pipeline that describes the action, or the flags that do.
fn action_from(cli: &Cli) -> Result<ActionFrom, CliError> {
    let pipeline = match (&cli.pipeline_template, &cli.pipeline_json, &cli.pipeline) {
        (Some(path), _, _) => PipelineFrom::Template {
            path: path.clone(),
            resource: cli.pipeline_resource.clone(),
        },
        (None, Some(path), _) => PipelineFrom::Json(path.clone()),
        (None, None, Some(name)) => PipelineFrom::Live(name.clone()),
        (None, None, None) if cli.action_name.is_some() => {
            return Err(CliError::new(
                "--action needs --pipeline, --pipeline-json or --pipeline-template",
            ));
        }
        (None, None, None) => return Ok(ActionFrom::Flags(flags_action(cli)?)),
    };
    Ok(ActionFrom::Pipeline {
        pipeline,
        action: cli.action_name.clone(),
    })
}

fn flags_action(cli: &Cli) -> Result<Action, CliError> {
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
                .map(|pair| image_input(pair))
                .collect::<Result<_, _>>()?,
        },
    })
}

/// `--image ARTIFACT=PLACEHOLDER`, the placeholder with or without its angle brackets.
fn image_input(pair: &str) -> Result<ImageInput, CliError> {
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
}

/// `--from-ecs CLUSTER/SERVICE`.
fn live_service(spec: &str) -> Result<ServiceFrom, CliError> {
    spec.split_once('/')
        .filter(|(c, s)| !c.is_empty() && !s.is_empty())
        .map(|(cluster, service)| ServiceFrom::Live {
            cluster: cluster.to_owned(),
            service: service.to_owned(),
        })
        .ok_or_else(|| {
            CliError::new(format!("`--from-ecs {spec}` is not `CLUSTER/SERVICE`"))
                .help("write `--from-ecs main/web-service`")
        })
}

#[cfg(test)]
mod tests;
