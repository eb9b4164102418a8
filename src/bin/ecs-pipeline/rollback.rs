//! `rollback`: returns a stage to an earlier execution that succeeded in it (CodePipeline
//! `RollbackStage`) after showing the commit and image it returns to, or stops the deployment
//! the stage is running with rollback (`docs/programs/ecs-pipeline.md#rollback`).

use deploykit_artifacts::pipeline::{image_digests, stage_succeeded};
use deploykit_aws::codepipeline::{self, Client};
use deploykit_aws::config::SdkConfig;
use deploykit_aws::rollback::{self as history, ActionRecord, ExecutionSummary};
use deploykit_aws::s3;
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::{CliError, Exit, Output};

use crate::config::Rollback;

/// How many executions, newest first, are searched for the last successful one.
const SEARCHED: usize = 50;
/// The most action runs read of one execution: far more than a pipeline has actions.
const ACTIONS: usize = 1_000;

pub(crate) fn run(aws: &AwsSettings, job: &Rollback) -> Result<Exit, CliError> {
    aws.run(|sdk_config| async move { roll_back(&sdk_config, job).await })
}

async fn roll_back(sdk_config: &SdkConfig, job: &Rollback) -> Result<Exit, CliError> {
    let client = codepipeline::client(sdk_config);
    let (pipeline, stage) = (&job.pipeline, &job.stage);
    let place = format!("pipeline `{pipeline}`, stage `{stage}`");
    let stages = codepipeline::stage_states(&client, pipeline).await?;
    let Some(latest) = stages.iter().find(|state| state.name == *stage) else {
        let names: Vec<String> = stages.iter().map(|s| format!("`{}`", s.name)).collect();
        return Err(CliError::new(format!("there is no stage `{stage}`"))
            .at(format!("pipeline `{pipeline}`"))
            .help(format!("the stages are {}", names.join(", "))));
    };
    let current = latest.execution_id.clone();
    if latest.status.as_deref() == Some("InProgress") {
        let running = current.unwrap_or_default();
        return stop(sdk_config, &client, job, &running, &place).await;
    }
    if job.stop_deployment {
        return Err(CliError::refused(format!(
            "there is no deployment to stop: the stage is not running (its last run is `{}`)",
            latest.status.as_deref().unwrap_or("none")
        ))
        .at(place)
        .help("leave out --stop-deployment to return the stage to an earlier execution"));
    }
    let listed = history::executions(&client, pipeline, SEARCHED).await?;
    let (target, records) = match &job.to {
        Some(id) => (id.clone(), given(&client, job, id, &place).await?),
        None => last_successful(&client, job, &listed, current.as_deref(), &place).await?,
    };
    if current.as_deref() == Some(target.as_str()) {
        return Err(
            CliError::refused(format!("the stage already runs execution `{target}`"))
                .at(place)
                .help("name an earlier execution with --to"),
        );
    }
    let execution = codepipeline::execution(&client, pipeline, &target).await?;
    let in_stage: Vec<&ActionRecord> = records.iter().filter(|r| r.stage == *stage).collect();
    describe(current.as_deref(), &target, &execution.revisions, &records);
    let s3_client = s3::client(sdk_config);
    let mut expired = Vec::new();
    for artifact in in_stage.iter().flat_map(|record| &record.inputs) {
        deploykit_cli::say(format_args!(
            "  artifact {} s3://{}/{}",
            artifact.name, artifact.bucket, artifact.key
        ));
        if !history::artifact_exists(&s3_client, artifact).await? {
            expired.push(format!("s3://{}/{}", artifact.bucket, artifact.key));
        }
    }
    if !expired.is_empty() {
        // The listing names each revision's source action, which `start` overrides by.
        let sources = listed
            .iter()
            .find(|listed| listed.id == target)
            .map(|listed| listed.revisions.as_slice());
        return Err(expired_artifacts(job, &target, sources, &expired).at(place));
    }
    if job.dry_run {
        deploykit_cli::say(format_args!(
            "would roll back {place} to execution `{target}` (--dry-run: nothing changed)"
        ));
        return Ok(Exit::Clean);
    }
    let started = history::rollback_stage(&client, pipeline, stage, &target).await?;
    deploykit_cli::say(format_args!(
        "rolled back {place} to execution `{target}`: execution `{started}` runs it; \
         `ecs-pipeline wait --pipeline {pipeline} --execution-id {started}` follows it"
    ));
    Output::Stdout.write(format!("{started}\n").as_bytes())?;
    Ok(Exit::Clean)
}

/// The records of execution `id`, refused unless it succeeded in the stage.
async fn given(
    client: &Client,
    job: &Rollback,
    id: &str,
    place: &str,
) -> Result<Vec<ActionRecord>, CliError> {
    let records = history::action_records(client, &job.pipeline, Some(id), ACTIONS).await?;
    let statuses: Vec<&str> = records
        .iter()
        .filter(|record| record.stage == job.stage)
        .map(|record| record.status.as_str())
        .collect();
    if stage_succeeded(statuses.iter().copied()) {
        return Ok(records);
    }
    let how = if statuses.is_empty() {
        "never ran in the stage".to_owned()
    } else {
        let runs: Vec<String> = records
            .iter()
            .filter(|record| record.stage == job.stage)
            .map(|record| format!("`{}` {}", record.action, record.status))
            .collect();
        format!("did not succeed in the stage ({})", runs.join(", "))
    };
    Err(CliError::refused(format!("execution `{id}` {how}"))
        .at(place.to_owned())
        .help(format!(
            "roll back to an execution that succeeded in the stage, or leave out --to for \
                 the last one; `aws codepipeline list-pipeline-executions --pipeline-name {}` \
                 lists them",
            job.pipeline
        )))
}

/// The newest execution other than `current` that succeeded in the stage, and its records.
async fn last_successful(
    client: &Client,
    job: &Rollback,
    listed: &[ExecutionSummary],
    current: Option<&str>,
    place: &str,
) -> Result<(String, Vec<ActionRecord>), CliError> {
    for execution in listed
        .iter()
        .filter(|execution| Some(execution.id.as_str()) != current)
        .filter(|execution| execution.status != "InProgress")
        // CodePipeline does not roll back to a rollback execution (user guide, "Configuring
        // stage rollback": <https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html>).
        .filter(|execution| !execution.rollback)
    {
        let records =
            history::action_records(client, &job.pipeline, Some(&execution.id), ACTIONS).await?;
        let statuses = records
            .iter()
            .filter(|record| record.stage == job.stage)
            .map(|record| record.status.as_str());
        if stage_succeeded(statuses) {
            return Ok((execution.id.clone(), records));
        }
    }
    Err(CliError::refused(format!(
        "no earlier execution succeeded in the stage (of the newest {SEARCHED})"
    ))
    .at(place.to_owned())
    .help("name the execution to return to with --to"))
}

/// Says what the stage runs and what it returns to: the commit and the image digest.
fn describe(
    current: Option<&str>,
    target: &str,
    revisions: &[codepipeline::Revision],
    records: &[ActionRecord],
) {
    let from = current.map_or_else(String::new, |id| format!(" from execution `{id}`"));
    deploykit_cli::say(format_args!("rolling back{from} to execution `{target}`:"));
    for revision in revisions {
        let summary = revision
            .summary
            .as_deref()
            .map(|summary| format!(" ({})", summary.lines().next().unwrap_or_default()))
            .unwrap_or_default();
        deploykit_cli::say(format_args!(
            "  source   {} {}{summary}",
            revision.artifact,
            revision.id.as_deref().unwrap_or("-")
        ));
    }
    let digests = image_digests(
        revisions
            .iter()
            .filter_map(|revision| revision.id.as_deref()),
        records
            .iter()
            .flat_map(|record| record.variables.values().map(String::as_str)),
    );
    if digests.is_empty() {
        deploykit_cli::say(format_args!(
            "  image    unknown (no source revision or action variable of the execution is a digest)"
        ));
    }
    for digest in digests {
        deploykit_cli::say(format_args!("  image    {digest}"));
    }
}

/// The refusal for artifacts the artifact store no longer has.
fn expired_artifacts(
    job: &Rollback,
    target: &str,
    sources: Option<&[codepipeline::Revision]>,
    missing: &[String],
) -> CliError {
    let overrides: Vec<String> = sources.map_or_else(
        || vec!["--source-revision SOURCE_ACTION=REVISION".to_owned()],
        |sources| {
            sources
                .iter()
                .filter_map(|revision| {
                    let id = revision.id.as_deref()?;
                    Some(format!("--source-revision {}={id}", revision.artifact))
                })
                .collect()
        },
    );
    CliError::refused(format!(
        "the artifacts of execution `{target}` have expired: {} no longer exist{}",
        missing.join(", "),
        if missing.len() == 1 { "s" } else { "" }
    ))
    .help(format!(
        "RollbackStage would deploy from those objects (the artifact store's lifecycle rule \
         removes old ones); roll back to a newer execution with --to, or build that revision \
         again: `ecs-pipeline start --pipeline {} {}`",
        job.pipeline,
        overrides.join(" ")
    ))
}

/// The stage is deploying: stop that deployment with rollback when asked, else say how.
async fn stop(
    sdk_config: &SdkConfig,
    client: &Client,
    job: &Rollback,
    running: &str,
    place: &str,
) -> Result<Exit, CliError> {
    let records = history::action_records(client, &job.pipeline, Some(running), ACTIONS).await?;
    let deploying: Vec<&ActionRecord> = records
        .iter()
        .filter(|r| r.stage == job.stage && r.status == "InProgress")
        .collect();
    let mut targets = Vec::new();
    for record in &deploying {
        match (record.provider.as_str(), &record.external_id) {
            ("CodeDeployToECS" | "CodeDeploy", Some(id)) => {
                targets.push(Stoppable::CodeDeploy(id.clone()));
            }
            ("ECS", _) => {
                let setting = |key: &str| record.configuration.get(key).cloned();
                if let (Some(cluster), Some(service)) =
                    (setting("ClusterName"), setting("ServiceName"))
                {
                    let ecs = deploykit_aws::ecs::client(sdk_config);
                    for arn in
                        history::running_service_deployments(&ecs, &cluster, &service).await?
                    {
                        targets.push(Stoppable::Ecs(arn));
                    }
                }
            }
            _ => {}
        }
    }
    if targets.is_empty() {
        return Err(CliError::refused(format!(
            "the stage is running execution `{running}`, with no CodeDeploy or ECS deployment \
             to stop"
        ))
        .at(place.to_owned())
        .help("wait for it to end (`ecs-pipeline wait`), then roll back"));
    }
    let named: Vec<String> = targets.iter().map(Stoppable::name).collect();
    if !job.stop_deployment {
        return Err(CliError::refused(format!(
            "the stage is running execution `{running}`: {}",
            named.join(", ")
        ))
        .at(place.to_owned())
        .help(
            "add --stop-deployment to stop it and return to the version before it, \
             or wait for it to end, then roll back",
        ));
    }
    for (target, name) in targets.iter().zip(&named) {
        if job.dry_run {
            deploykit_cli::say(format_args!(
                "would stop {name} with rollback (--dry-run: nothing changed)"
            ));
            continue;
        }
        match target {
            Stoppable::CodeDeploy(id) => {
                let codedeploy = deploykit_aws::codedeploy::client(sdk_config);
                let status =
                    history::stop_codedeploy_deployment(&codedeploy, &job.pipeline, id).await?;
                deploykit_cli::say(format_args!("stopped {name} with rollback ({status})"));
            }
            Stoppable::Ecs(arn) => {
                let ecs = deploykit_aws::ecs::client(sdk_config);
                history::stop_service_deployment(&ecs, arn).await?;
                deploykit_cli::say(format_args!("stopped {name} with rollback"));
            }
        }
    }
    Ok(Exit::Clean)
}

/// A running deployment that can be stopped with rollback.
enum Stoppable {
    /// A CodeDeploy deployment id.
    CodeDeploy(String),
    /// An ECS service deployment ARN.
    Ecs(String),
}

impl Stoppable {
    fn name(&self) -> String {
        match self {
            Self::CodeDeploy(id) => format!("CodeDeploy deployment `{id}`"),
            Self::Ecs(arn) => format!("ECS service deployment `{arn}`"),
        }
    }
}
