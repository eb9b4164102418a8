//! `status --service`: which task definition, images, commit and build each service runs, and
//! since when (`docs/programs/ecs-pipeline.md#what-runs-where`).

use std::collections::BTreeMap;

use deploykit_artifacts::pipeline::{
    DefinedContainer, Deployed, RunningRow, identity, only_in, provenance, render_running,
    short_task_definition,
};
use deploykit_aws::codepipeline;
use deploykit_aws::ecs::{self, Deployment, RunningTask};
use deploykit_aws::rollback as history;
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::{CliError, Exit, Output, Plan};
use serde_json::{Value, json};

use crate::config::{Format, Running};

/// How many action runs of each pipeline, newest first, are searched for a build.
const SEARCHED: usize = 1_000;

/// What the account says about one service.
struct Snapshot {
    name: String,
    environment: Option<String>,
    deployments: Vec<Deployment>,
    tasks: Vec<RunningTask>,
    /// Each deployment's task definition: its containers and build.
    definitions: BTreeMap<String, (Vec<DefinedContainer>, Option<String>)>,
}

pub(crate) fn run(aws: &AwsSettings, shown: &Running) -> Result<Exit, CliError> {
    let (snapshots, builds) = aws.run(|sdk_config| async move {
        let client = ecs::client(&sdk_config);
        let mut snapshots = Vec::new();
        for ((cluster, service), environment) in shown.services.iter().zip(&shown.environments) {
            let deployments = ecs::deployments(&client, cluster, service).await?;
            let tasks = ecs::running_tasks(&client, cluster, service).await?;
            let mut definitions = BTreeMap::new();
            for deployment in &deployments {
                let arn = &deployment.task_definition;
                if !definitions.contains_key(arn) {
                    let bytes = ecs::describe_task_definition(&client, arn).await?;
                    let described: Value = serde_json::from_slice(&bytes).map_err(|error| {
                        CliError::new(format!("ECS answered with JSON it cannot read: {error}"))
                            .at(format!("task definition `{arn}`"))
                    })?;
                    definitions.insert(arn.clone(), provenance(&described));
                }
            }
            snapshots.push(Snapshot {
                name: format!("{cluster}/{service}"),
                environment: environment.clone(),
                deployments,
                tasks,
                definitions,
            });
        }
        // The build an action ran is its external execution id (a CodeBuild build id).
        let pipelines = codepipeline::client(&sdk_config);
        let mut builds = BTreeMap::new();
        for pipeline in &shown.pipelines {
            for record in history::action_records(&pipelines, pipeline, None, SEARCHED).await? {
                if let Some(build) = record.external_id {
                    builds.entry(build).or_insert(record.execution);
                }
            }
        }
        Ok((snapshots, builds))
    })?;
    let mut rows = Vec::new();
    let mut deployed = Vec::new();
    for snapshot in &snapshots {
        let (service_rows, service_deployed) = judge(snapshot);
        rows.extend(service_rows);
        deployed.push(service_deployed);
    }
    let mut notices = only_in(&deployed);
    if !shown.pipelines.is_empty() {
        for row in &mut rows {
            row.execution = row
                .build
                .as_ref()
                .and_then(|build| builds.get(build))
                .cloned();
        }
        let mut unfound: Vec<&str> = rows
            .iter()
            .filter(|row| row.execution.is_none())
            .filter_map(|row| row.build.as_deref())
            .collect();
        unfound.dedup();
        for build in unfound {
            notices.push(format!(
                "build {build} ran in none of the last {SEARCHED} action runs of pipeline {}",
                shown.pipelines.join(", ")
            ));
        }
    }
    let text = match shown.format {
        Format::Text => render_running(&rows),
        Format::Json => {
            let document = json!({ "containers": rows, "notices": notices });
            let mut text = serde_json::to_string_pretty(&document)
                .map_err(|error| CliError::new(format!("cannot write JSON: {error}")))?;
            text.push('\n');
            text
        }
    };
    if shown.format == Format::Text {
        for notice in &notices {
            deploykit_cli::say(format_args!("note: {notice}"));
        }
    }
    let mut plan = Plan::new();
    plan.write(Output::Stdout, text.into_bytes(), "the status");
    plan.execute()?;
    Ok(Exit::Clean)
}

/// The rows of one service (its PRIMARY deployment, one per container) and what it deploys.
fn judge(snapshot: &Snapshot) -> (Vec<RunningRow>, Deployed) {
    let images_of = |deployment: &Deployment| -> Vec<(String, String)> {
        let arn = &deployment.task_definition;
        let Some((containers, _)) = snapshot.definitions.get(arn) else {
            return Vec::new();
        };
        containers
            .iter()
            .map(|container| {
                let pulled = pulled(&snapshot.tasks, arn, &container.name);
                (container.name.clone(), identity(&container.image, &pulled))
            })
            .collect()
    };
    let primary = snapshot
        .deployments
        .iter()
        .find(|deployment| deployment.status == "PRIMARY");
    let mut rows = Vec::new();
    if let Some(primary) = primary
        && let Some((containers, build)) = snapshot.definitions.get(&primary.task_definition)
    {
        for (container, (_, image)) in containers.iter().zip(images_of(primary)) {
            rows.push(RunningRow {
                environment: snapshot.environment.clone(),
                service: snapshot.name.clone(),
                task_definition: short_task_definition(&primary.task_definition).to_owned(),
                container: container.name.clone(),
                image,
                commit: container.commit.clone(),
                build: build.clone(),
                since: primary.created_at.clone(),
                execution: None,
            });
        }
    }
    let deployed = Deployed {
        service: snapshot.name.clone(),
        environment: snapshot.environment.clone(),
        running: primary.map(images_of).unwrap_or_default(),
        deployed: snapshot.deployments.iter().flat_map(images_of).collect(),
    };
    (rows, deployed)
}

/// The digests the running tasks of task definition `arn` report for `container`. Only tasks of
/// that definition count: a task of the previous deployment still runs the previous image.
fn pulled(tasks: &[RunningTask], arn: &str, container: &str) -> Vec<String> {
    tasks
        .iter()
        .filter(|task| task.task_definition == arn)
        .flat_map(|task| &task.containers)
        .filter(|found| found.name == container)
        .filter_map(|found| found.image_digest.clone())
        .collect()
}
