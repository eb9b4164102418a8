//! `approve` and `reject`: answer the manual approval that is waiting, after checking it is an
//! approval, that something is waiting, and (when asked) that it is the tested revision.

use deploykit_artifacts::pipeline::revision_matches;
use deploykit_aws::codepipeline::{self, Approval, Client};
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::{CliError, Exit};

use crate::config::Answer;

pub(crate) fn run(aws: &AwsSettings, answer: &Answer) -> Result<Exit, CliError> {
    aws.run(|sdk_config| async move { give(&codepipeline::client(&sdk_config), answer).await })
}

async fn give(client: &Client, answer: &Answer) -> Result<Exit, CliError> {
    let (pipeline, stage, action) = (&answer.pipeline, &answer.stage, &answer.action);
    let place = format!("pipeline `{pipeline}`, stage `{stage}`, action `{action}`");
    check_is_approval(client, answer, &place).await?;

    let states = codepipeline::stage_states(client, pipeline).await?;
    let stage_state = states.iter().find(|state| state.name == *stage);
    let action_state =
        stage_state.and_then(|state| state.actions.iter().find(|a| a.name == *action));
    let execution_id = stage_state.and_then(|state| state.execution_id.clone());
    let (Some(action_state), Some(execution_id)) = (action_state, execution_id) else {
        return Err(CliError::new("no approval is waiting: the stage has not run yet").at(place));
    };
    let token = match (&action_state.status, &action_state.token) {
        (Some(running), Some(token)) if running == "InProgress" => token.clone(),
        (last, _) => {
            return Err(not_waiting(
                last.as_deref(),
                action_state,
                &execution_id,
                &place,
            ));
        }
    };

    let execution = codepipeline::execution(client, pipeline, &execution_id).await?;
    let waiting: Vec<&str> = execution
        .revisions
        .iter()
        .filter_map(|revision| revision.id.as_deref())
        .collect();
    let shown = if waiting.is_empty() {
        "no recorded source revision".to_owned()
    } else {
        waiting
            .iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(wanted) = &answer.execution_id
        && *wanted != execution_id
    {
        return Err(CliError::refused(format!(
            "execution `{execution_id}` is waiting (revision {shown}), not `{wanted}`"
        ))
        .at(place)
        .help("answer when that execution reaches the approval, or leave out `--execution-id`"));
    }
    if let Some(wanted) = &answer.revision
        && !revision_matches(wanted, waiting.iter().copied())
    {
        return Err(CliError::refused(format!(
            "execution `{execution_id}` waiting for approval was started from {shown}, \
             not `{wanted}`"
        ))
        .at(place)
        .help(
            "answer when the execution of that revision reaches the approval; \
             `ecs-pipeline status` shows what runs where",
        ));
    }

    let verb = if answer.approve {
        "approved"
    } else {
        "rejected"
    };
    let summary = answer.summary.clone().unwrap_or_else(|| {
        format!(
            "{verb} with ecs-pipeline (revision {})",
            shown.replace('`', "")
        )
    });
    let approval = Approval {
        pipeline,
        stage,
        action,
        token: &token,
    };
    codepipeline::put_approval(client, &approval, answer.approve, &summary)
        .await
        .map_err(|error| answered_meanwhile(error, &place))?;
    deploykit_cli::say(format_args!(
        "{verb} execution `{execution_id}` (revision {shown}) at {place}"
    ));
    Ok(Exit::Clean)
}

/// Refuses anything but a manual approval action, naming what is there instead.
async fn check_is_approval(client: &Client, answer: &Answer, place: &str) -> Result<(), CliError> {
    let actions = codepipeline::actions(client, &answer.pipeline).await?;
    let in_stage: Vec<_> = actions.iter().filter(|a| a.stage == answer.stage).collect();
    if in_stage.is_empty() {
        let mut stages: Vec<&str> = actions.iter().map(|a| a.stage.as_str()).collect();
        stages.dedup();
        return Err(
            CliError::new(format!("there is no stage `{}`", answer.stage))
                .at(format!("pipeline `{}`", answer.pipeline))
                .help(format!("the stages are {}", names(&stages))),
        );
    }
    let Some(declared) = in_stage.iter().find(|a| a.action == answer.action) else {
        let names_in_stage: Vec<&str> = in_stage.iter().map(|a| a.action.as_str()).collect();
        return Err(
            CliError::new(format!("there is no action `{}`", answer.action))
                .at(format!(
                    "pipeline `{}`, stage `{}`",
                    answer.pipeline, answer.stage
                ))
                .help(format!("the stage has {}", names(&names_in_stage))),
        );
    };
    if declared.category != "Approval" {
        let approvals: Vec<String> = actions
            .iter()
            .filter(|a| a.category == "Approval")
            .map(|a| format!("`{}` in stage `{}`", a.action, a.stage))
            .collect();
        let help = if approvals.is_empty() {
            "the pipeline has no approval action".to_owned()
        } else {
            format!("the approval actions are {}", approvals.join(", "))
        };
        return Err(CliError::new(format!(
            "action `{}` is a `{}` action (provider `{}`), not a manual approval",
            answer.action, declared.category, declared.provider
        ))
        .at(place.to_owned())
        .help(help));
    }
    Ok(())
}

/// Why nothing can be answered: never ran, already answered, or expired.
fn not_waiting(
    status: Option<&str>,
    action: &codepipeline::ActionState,
    execution_id: &str,
    place: &str,
) -> CliError {
    let said = action
        .error
        .as_deref()
        .or(action.summary.as_deref())
        .map(|text| format!(": {text}"))
        .unwrap_or_default();
    let lower = said.to_lowercase();
    // An unanswered approval fails after its timeout (7 days by default) with an error saying
    // it expired or timed out (CodePipeline user guide, "Add a manual approval action").
    if status == Some("Failed") && (lower.contains("expired") || lower.contains("timed out")) {
        return CliError::new(format!(
            "the approval of execution `{execution_id}` expired{said}"
        ))
        .at(place.to_owned())
        .help(
            "start the pipeline again (`ecs-pipeline start`) or retry the stage, then \
                 answer before the approval expires",
        );
    }
    let last = match status {
        Some(status) => {
            format!("its last run, for execution `{execution_id}`, is `{status}`{said}")
        }
        None => "it has not run yet".to_owned(),
    };
    CliError::new(format!("no approval is waiting: {last}"))
        .at(place.to_owned())
        .help("`ecs-pipeline status` shows where each execution is")
}

/// `PutApprovalResult` refused the token: it expired or someone answered first.
fn answered_meanwhile(error: deploykit_aws::AwsError, place: &str) -> CliError {
    match error.code() {
        Some("InvalidApprovalTokenException" | "ApprovalAlreadyCompletedException") => {
            CliError::new(format!(
                "the approval is no longer waiting: it expired or was answered meanwhile ({})",
                error.what()
            ))
            .at(place.to_owned())
            .help("`ecs-pipeline status` shows where each execution is")
        }
        _ => CliError::from(error),
    }
}

fn names(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
