//! Wiring: the action described, the artifacts read, the verification reported.

use std::path::PathBuf;

use deploykit_artifacts::Finding;
use deploykit_artifacts::TagPolicy;
use deploykit_artifacts::actions::blue_green::IMAGE_DETAIL;
use deploykit_artifacts::task_definition::edit::container_names;
use deploykit_artifacts::task_definition::render::to_pretty_json;
use deploykit_artifacts::verify::service::MAX_DEPLOYMENT_TIMEOUT;
use deploykit_artifacts::verify::{
    self, Action, Artifact, Located, Options, PipelineAction, Place,
};
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::report::{self, FileReport};
use deploykit_cli::{
    CliError, Exit, Output, Plan, codebuild,
    input::{self, Limit},
};

use crate::config::{
    ActionFrom, ArtifactCheck, PipelineFrom, ServiceFrom, service_json_for_blue_green,
};
use crate::service;

pub(crate) fn run(check: &ArtifactCheck) -> Result<Exit, CliError> {
    let (action, from_pipeline) = match &check.action {
        ActionFrom::Pipeline { pipeline, action } => {
            let found = deploy_action(&check.aws, pipeline, action.as_deref())?;
            (found.action.clone(), Some(found))
        }
        ActionFrom::Flags(action) => (action.clone(), None),
    };
    let wanted: Vec<&str> = match &action {
        Action::Ecs { file_name } => vec![file_name.as_str(), IMAGE_DETAIL],
        Action::BlueGreen {
            taskdef_path,
            appspec_path,
            ..
        } => vec![taskdef_path.as_str(), appspec_path.as_str(), IMAGE_DETAIL],
    };
    if let Some(path) = &check.render_final {
        // Every file read: the zips, or the files the action reads in the folders.
        let mut inputs: Vec<PathBuf> = check.taskdef.iter().cloned().collect();
        for spec in &check.artifacts {
            inputs.push(spec.path.clone());
            inputs.extend(wanted.iter().map(|name| spec.path.join(name)));
        }
        Output::from_arg(path)
            .refuse_inputs("--render-final", inputs.iter().map(PathBuf::as_path))?;
    }
    let artifacts = check
        .artifacts
        .iter()
        .map(|spec| crate::inputs::read(spec, &wanted))
        .collect::<Result<Vec<_>, _>>()?;
    let deployment_timeout = check
        .deployment_timeout
        .or(from_pipeline
            .as_ref()
            .and_then(|found| found.deployment_timeout))
        .unwrap_or(MAX_DEPLOYMENT_TIMEOUT);
    let is_ecs = matches!(action, Action::Ecs { .. });
    let checked = match &check.service {
        // The flags cannot say this when the pipeline names the action.
        Some(ServiceFrom::File(_)) if !is_ecs => return Err(service_json_for_blue_green()),
        Some(ServiceFrom::File(path)) => Some(service::from_file(path, deployment_timeout)?),
        Some(ServiceFrom::Live { cluster, service }) => Some(service::live(
            &check.aws,
            cluster,
            service,
            deployment_timeout,
        )?),
        // With --live, the ECS action's own service is read as with --from-ecs.
        None => match from_pipeline
            .as_ref()
            .and_then(|found| found.service.as_ref())
        {
            Some((cluster, name)) if check.live => Some(service::live(
                &check.aws,
                cluster,
                name,
                deployment_timeout,
            )?),
            _ => None,
        },
    };
    let service_task_definition = match (&check.taskdef, &checked) {
        (Some(path), _) => Some(service::taskdef(path)?),
        (None, Some(checked)) => checked.task_definition.clone(),
        (None, None) => None,
    };
    let options = Options {
        policy: TagPolicy {
            allow_mutable_tags: check.allow_mutable_tag,
        },
        service_containers: service_task_definition.as_ref().map(container_names),
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
    let deployment_group = check.deployment_group.clone().or_else(|| {
        from_pipeline
            .as_ref()
            .and_then(|found| found.deployment_group.clone())
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
        let place = match &check.action {
            ActionFrom::Pipeline {
                pipeline: PipelineFrom::Json(path) | PipelineFrom::Template { path, .. },
                ..
            } => path.display().to_string(),
            _ => String::new(),
        };
        verification.findings.splice(
            0..0,
            wiring.into_iter().map(|finding| Located {
                place: place.clone().into(),
                finding,
            }),
        );
    }
    if check.live {
        // The offline checks ran first; the account is asked about the task definition the
        // service will run: the one the Blue/Green action registers, or the service's own.
        let registered = match (&action, &verification.final_task_definition) {
            (_, Some(registered)) => Some(registered.clone()),
            (Action::Ecs { file_name }, None) => service_task_definition.as_ref().map(|service| {
                crate::live::registered_by_ecs_action(service, &artifacts, file_name)
            }),
            (Action::BlueGreen { .. }, None) => None,
        };
        let has_errors = verification.findings.iter().any(|f| f.finding.is_error());
        let service = match &check.service {
            Some(ServiceFrom::Live { cluster, service }) => {
                Some((cluster.clone(), service.clone()))
            }
            _ => None,
        };
        let balancing = crate::live::balancing(&action, &artifacts, deployment_group, service);
        let found = crate::live::check(
            &check.aws,
            registered.as_ref(),
            balancing.as_ref(),
            has_errors,
            check.max_critical,
        )?;
        verification.findings.extend(found);
    }
    let mut plan = Plan::new();
    if let Some(path) = &check.render_final {
        let Some(document) = &verification.final_task_definition else {
            return Err(CliError::new("there is no final task definition to write: its placeholders could not all be replaced")
                .at("--render-final")
                .help("fix the findings above"));
        };
        plan.write(
            Output::from_arg(path),
            to_pretty_json(document),
            "as the Blue/Green action would register it",
        );
    }
    plan.execute()?;
    // One report per place, in the order first found, so each file is a test suite of its own.
    let mut reports: Vec<FileReport> = Vec::new();
    for located in verification.findings {
        let place = located.place.to_string();
        if let Some(report) = reports.iter_mut().find(|report| report.path == place) {
            report.findings.push(located.finding);
        } else {
            let mut report = place_report(place);
            report.findings.push(located.finding);
            locate_file(&mut report, &located.place, check, &artifacts);
            reports.push(report);
        }
    }
    if let Some(place) = service_place.filter(|place| !reports.iter().any(|r| r.path == *place)) {
        let mut report = place_report(place.clone());
        report.file = Some(place);
        reports.push(report);
    }
    for artifact in &artifacts {
        if !reports
            .iter()
            .any(|r| r.path == artifact.name || r.path.starts_with(&format!("{}/", artifact.name)))
        {
            reports.push(place_report(artifact.name.clone()));
        }
    }
    report::print("ecs-verify", &reports, check.format, &check.reports)
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
fn live_pipeline(aws: &AwsSettings, name: &str) -> Result<Vec<u8>, CliError> {
    aws.run(|sdk_config| async move {
        let client = deploykit_aws::codepipeline::client(&sdk_config);
        Ok(deploykit_aws::codepipeline::pipeline_json(&client, name).await?)
    })
}

/// The deploy action a pipeline's definition describes.
fn deploy_action(
    aws: &AwsSettings,
    pipeline: &PipelineFrom,
    action: Option<&str>,
) -> Result<PipelineAction, CliError> {
    match pipeline {
        PipelineFrom::Template { path, resource } => crate::template::read(path)?
            .deploy_action(resource.as_deref(), action)
            .map_err(|finding| CliError::from_finding(&finding, &path.display().to_string())),
        PipelineFrom::Json(path) => {
            let shown = path.display().to_string();
            from_pipeline(&input::read(path, Limit::DEPLOY_FILE)?, &shown, action)
        }
        PipelineFrom::Live(name) => from_pipeline(
            &live_pipeline(aws, name)?,
            &format!("pipeline `{name}`"),
            action,
        ),
    }
}

/// The report of a place in the artifact set, with no findings yet.
fn place_report(place: String) -> FileReport {
    FileReport {
        path: place,
        kind: None,
        findings: Vec::new(),
        text: None,
        file: None,
    }
}

/// For a file of an artifact given as a folder: the file on disk and its text, so that reports
/// link to it and place the findings' JSON paths in it.
fn locate_file(
    report: &mut FileReport,
    place: &Place,
    check: &ArtifactCheck,
    artifacts: &[Artifact],
) {
    let Place::File { artifact, path, .. } = place else {
        return;
    };
    let Some(spec) = check.artifacts.iter().find(|spec| spec.name == *artifact) else {
        return;
    };
    if let Some(bytes) = artifacts
        .iter()
        .find(|a| a.name == *artifact)
        .and_then(|a| a.files.get(path))
    {
        report.text = Some(String::from_utf8_lossy(bytes).into_owned());
    }
    if codebuild::resolve(&spec.path).is_dir() {
        report.file = Some(spec.path.join(path).display().to_string());
    }
}
