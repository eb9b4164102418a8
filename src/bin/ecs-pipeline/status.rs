//! `status`: every stage's latest execution, status and source revisions.

use std::collections::BTreeMap;

use clap::Args;
use deploykit_artifacts::pipeline::{StatusRow, render_table};
use deploykit_aws::codepipeline::{self, Execution};
use deploykit_cli::{CliError, Exit, Output};
use serde_json::{Value, json};

use crate::remote::{self, cli_error};
use crate::{AwsArgs, Format};

#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    /// The pipeline name.
    #[arg(long, value_name = "NAME")]
    pipeline: String,

    /// How to print.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub(crate) fn run(aws: &AwsArgs, args: &StatusArgs) -> Result<Exit, CliError> {
    let pipeline = &args.pipeline;
    let (states, executions) = remote::run(aws, |remote| async move {
        let states = codepipeline::stage_states(&remote.client, pipeline)
            .await
            .map_err(cli_error)?;
        // One lookup per distinct execution: stages usually share a few.
        let mut executions: BTreeMap<String, Execution> = BTreeMap::new();
        for id in states
            .iter()
            .filter_map(|state| state.execution_id.as_ref())
        {
            if !executions.contains_key(id) {
                let execution = codepipeline::execution(&remote.client, pipeline, id)
                    .await
                    .map_err(cli_error)?;
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
    let text = match args.format {
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
    Output::Stdout.write(text.as_bytes())?;
    Ok(Exit::Clean)
}
