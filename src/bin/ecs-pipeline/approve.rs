//! `approve` and `reject`: answer the manual approval that is waiting, after checking it is an
//! approval, that something is waiting, and (when asked) that it is the tested revision.

use clap::Args;
use deploykit_artifacts::pipeline::revision_matches;
use deploykit_aws::codepipeline::{self, Approval, Client};
use deploykit_cli::{CliError, Exit};

use crate::AwsArgs;
use crate::remote::{self, cli_error, say};

#[derive(Debug, Args)]
pub(crate) struct ApprovalArgs {
    /// The pipeline name.
    #[arg(long, value_name = "NAME")]
    pipeline: String,

    /// The stage that holds the approval action.
    #[arg(long, value_name = "STAGE")]
    stage: String,

    /// The approval action's name.
    #[arg(long, value_name = "ACTION")]
    action: String,

    /// Answer only if the waiting execution was started from this source revision (a commit id,
    /// 7 or more digits, an image digest or an object version); defaults to
    /// CODEBUILD_RESOLVED_SOURCE_VERSION unless --execution-id or --any-revision is given.
    #[arg(long, value_name = "COMMIT")]
    revision: Option<String>,

    /// Answer only if the waiting execution is this one.
    #[arg(long, value_name = "ID")]
    execution_id: Option<String>,

    /// Answer whatever revision is waiting, even in CodeBuild.
    #[arg(long, conflicts_with_all = ["revision", "execution_id"])]
    any_revision: bool,

    /// The comment shown in the console with the answer.
    #[arg(long, value_name = "TEXT")]
    summary: Option<String>,
}

pub(crate) fn run(aws: &AwsArgs, args: &ApprovalArgs, approve: bool) -> Result<Exit, CliError> {
    remote::run(aws, |remote| answer(remote.client, args, approve))
}

async fn answer(client: Client, args: &ApprovalArgs, approve: bool) -> Result<Exit, CliError> {
    let (pipeline, stage, action) = (&args.pipeline, &args.stage, &args.action);
    let place = format!("pipeline `{pipeline}`, stage `{stage}`, action `{action}`");
    check_is_approval(&client, args, &place).await?;

    let states = codepipeline::stage_states(&client, pipeline)
        .await
        .map_err(cli_error)?;
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

    let execution = codepipeline::execution(&client, pipeline, &execution_id)
        .await
        .map_err(cli_error)?;
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
    if let Some(wanted) = &args.execution_id
        && *wanted != execution_id
    {
        return Err(CliError::refused(format!(
            "execution `{execution_id}` is waiting (revision {shown}), not `{wanted}`"
        ))
        .at(place)
        .help("answer when that execution reaches the approval, or leave out `--execution-id`"));
    }
    // In CodeBuild the build's own commit is the tested one unless told otherwise, as for
    // every flag with a CodeBuild equivalent (`README.md#the-contract-every-program-keeps`).
    let wanted = args.revision.clone().or_else(|| {
        (args.execution_id.is_none() && !args.any_revision)
            .then(|| deploykit_cli::codebuild::var("CODEBUILD_RESOLVED_SOURCE_VERSION"))
            .flatten()
    });
    if let Some(wanted) = &wanted
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

    let verb = if approve { "approved" } else { "rejected" };
    let summary = args.summary.clone().unwrap_or_else(|| {
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
    codepipeline::put_approval(&client, &approval, approve, &summary)
        .await
        .map_err(|error| answered_meanwhile(error, &place))?;
    say(&format!(
        "{verb} execution `{execution_id}` (revision {shown}) at {place}"
    ));
    Ok(Exit::Clean)
}

/// Refuses anything but a manual approval action, naming what is there instead.
async fn check_is_approval(
    client: &Client,
    args: &ApprovalArgs,
    place: &str,
) -> Result<(), CliError> {
    let actions = codepipeline::actions(client, &args.pipeline)
        .await
        .map_err(cli_error)?;
    let in_stage: Vec<_> = actions.iter().filter(|a| a.stage == args.stage).collect();
    if in_stage.is_empty() {
        let mut stages: Vec<&str> = actions.iter().map(|a| a.stage.as_str()).collect();
        stages.dedup();
        return Err(CliError::new(format!("there is no stage `{}`", args.stage))
            .at(format!("pipeline `{}`", args.pipeline))
            .help(format!("the stages are {}", names(&stages))));
    }
    let Some(declared) = in_stage.iter().find(|a| a.action == args.action) else {
        let names_in_stage: Vec<&str> = in_stage.iter().map(|a| a.action.as_str()).collect();
        return Err(
            CliError::new(format!("there is no action `{}`", args.action))
                .at(format!(
                    "pipeline `{}`, stage `{}`",
                    args.pipeline, args.stage
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
            args.action, declared.category, declared.provider
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
        _ => cli_error(error),
    }
}

fn names(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
