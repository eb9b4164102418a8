//! `status`: every stage's latest execution, status and source revisions.

use std::collections::BTreeMap;

use deploykit_artifacts::pipeline::{StatusRow, render_table};
use deploykit_aws::codepipeline::{self, Execution};
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::{CliError, Exit, Output, Plan};
use serde_json::{Value, json};

use crate::config::{Format, Status};

pub(crate) fn run(aws: &AwsSettings, shown: &Status) -> Result<Exit, CliError> {
    let pipeline = &shown.pipeline;
    let (states, executions) = aws.run(|sdk_config| async move {
        let client = codepipeline::client(&sdk_config);
        let states = codepipeline::stage_states(&client, pipeline).await?;
        // One lookup per distinct execution: stages usually share a few.
        let mut executions: BTreeMap<String, Execution> = BTreeMap::new();
        for id in states
            .iter()
            .filter_map(|state| state.execution_id.as_ref())
        {
            if !executions.contains_key(id) {
                let execution = codepipeline::execution(&client, pipeline, id).await?;
                executions.insert(id.clone(), execution);
            }
        }
        Ok((states, executions))
    })?;
    let revisions = |id: Option<&String>| {
        id.and_then(|id| executions.get(id))
            .map(|execution| execution.revisions.as_slice())
            .unwrap_or_default()
    };
    let text = match shown.format {
        Format::Text => {
            let rows: Vec<StatusRow> = states
                .iter()
                .map(|state| StatusRow {
                    stage: state.name.clone(),
                    status: state.status.clone().unwrap_or_default(),
                    execution_id: state.execution_id.clone().unwrap_or_default(),
                    revisions: revisions(state.execution_id.as_ref())
                        .iter()
                        .map(|r| {
                            (
                                r.id.clone().unwrap_or_default(),
                                r.summary.clone().unwrap_or_default(),
                            )
                        })
                        .collect(),
                })
                .collect();
            render_table(&rows)
        }
        Format::Json => {
            let documents: Vec<Value> = states
                .iter()
                .map(|state| {
                    let actions: Vec<Value> = state
                        .actions
                        .iter()
                        .map(|action| {
                            json!({
                                "actionName": action.name,
                                "status": action.status,
                                "summary": action.summary,
                            })
                        })
                        .collect();
                    let sources: Vec<Value> = revisions(state.execution_id.as_ref())
                        .iter()
                        .map(|r| {
                            json!({
                                "artifactName": r.artifact,
                                "revisionId": r.id,
                                "revisionSummary": r.summary,
                                "revisionUrl": r.url,
                            })
                        })
                        .collect();
                    json!({
                        "stageName": state.name,
                        "status": state.status,
                        "pipelineExecutionId": state.execution_id,
                        "sourceRevisions": sources,
                        "actions": actions,
                    })
                })
                .collect();
            let document = json!({ "pipelineName": pipeline, "stages": documents });
            let mut text = serde_json::to_string_pretty(&document)
                .map_err(|error| CliError::new(format!("cannot write JSON: {error}")))?;
            text.push('\n');
            text
        }
    };
    let mut plan = Plan::new();
    plan.write(Output::Stdout, text.into_bytes(), "the status");
    plan.execute()?;
    Ok(Exit::Clean)
}
