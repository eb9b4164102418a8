//! `wait`: polls an execution until it ends, with a progress line per action change; the exit
//! code says how it ended (0 succeeded, 1 failed, stopped or superseded, 2 could not tell).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use clap::Args;
use deploykit_artifacts::pipeline::{Backoff, Progress, parse_duration, progress};
use deploykit_aws::codepipeline::{self, ActionRun, Execution};
use deploykit_aws::{AwsError, Cause};
use deploykit_cli::{CliError, Exit};

use crate::AwsArgs;
use crate::remote::{self, Remote, cli_error, say};

#[derive(Debug, Args)]
pub(crate) struct WaitArgs {
    /// The pipeline name.
    #[arg(long, value_name = "NAME")]
    pipeline: String,

    /// The execution to wait for, as `start` printed it.
    #[arg(long, value_name = "ID")]
    execution_id: String,

    /// Give up after this long (`90s`, `45m`, `2h`) and exit 2 with the last known state.
    #[arg(long, value_name = "DURATION", default_value = "60m", value_parser = parse_duration)]
    timeout: Duration,

    /// Time between polls while CodePipeline answers; doubles (up to 2 minutes) when throttled.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    interval: Duration,
}

/// The longest pause between polls when throttled.
const CEILING: Duration = Duration::from_mins(2);

pub(crate) fn run(aws: &AwsArgs, args: &WaitArgs) -> Result<Exit, CliError> {
    remote::run(aws, |remote| wait(remote, args))
}

async fn wait(remote: Remote, args: &WaitArgs) -> Result<Exit, CliError> {
    let (pipeline, id) = (&args.pipeline, &args.execution_id);
    if let Some(region) = &remote.region {
        say(&format!(
            "waiting for execution `{id}`: https://{region}.console.aws.amazon.com/codesuite/\
             codepipeline/pipelines/{pipeline}/executions/{id}/timeline?region={region}"
        ));
    }
    let deadline = Instant::now() + args.timeout;
    let mut backoff = Backoff::new(args.interval, CEILING.max(args.interval));
    let mut last: Option<Execution> = None;
    let mut shown: HashMap<(String, String), String> = HashMap::new();
    let mut progress_lines = true;
    loop {
        let pause = match codepipeline::execution(&remote.client, pipeline, id).await {
            Ok(execution) => {
                if progress_lines {
                    progress_lines = show_progress(&remote, args, &mut shown).await;
                }
                match progress(&execution.status) {
                    Progress::Succeeded => {
                        say(&format!("execution `{id}` succeeded"));
                        return Ok(Exit::Clean);
                    }
                    Progress::NotDeployed => return Err(ended(&execution, pipeline)),
                    Progress::Running => {}
                }
                last = Some(execution);
                backoff.answered()
            }
            Err(error) if passing(&error) => {
                let pause = backoff.throttled();
                say(&format!(
                    "{}; polling again in {}",
                    error.what(),
                    seconds(pause)
                ));
                pause
            }
            Err(error) => return Err(cli_error(error)),
        };
        let now = Instant::now();
        if now >= deadline {
            return Err(timed_out(last.as_ref(), args));
        }
        // Nothing else runs on this current-thread runtime, so a blocking sleep holds up no
        // other task, and tokio's timer feature stays out of the build.
        std::thread::sleep(pause.min(deadline - now));
    }
}

/// Prints a line for each action whose status changed since the last poll; returns whether to
/// keep doing so (not after the first failure: progress lines are a courtesy, and an endpoint
/// without `ListActionExecutions` must not stop the wait).
async fn show_progress(
    remote: &Remote,
    args: &WaitArgs,
    shown: &mut HashMap<(String, String), String>,
) -> bool {
    match codepipeline::action_runs(&remote.client, &args.pipeline, &args.execution_id).await {
        Ok(mut runs) => {
            // The API lists the newest first; the log reads better in the order they ran.
            runs.reverse();
            for run in runs {
                let key = (run.stage.clone(), run.action.clone());
                if shown.get(&key) != Some(&run.status) {
                    say(&progress_line(&run));
                    shown.insert(key, run.status);
                }
            }
            true
        }
        Err(error) => {
            say(&format!(
                "no progress lines: {} ({})",
                error.what(),
                error.location()
            ));
            false
        }
    }
}

fn progress_line(run: &ActionRun) -> String {
    let summary = run
        .summary
        .as_deref()
        .map(|summary| format!(": {summary}"))
        .unwrap_or_default();
    let url = run
        .url
        .as_deref()
        .map(|url| format!(" <{url}>"))
        .unwrap_or_default();
    format!("{}/{}: {}{summary}{url}", run.stage, run.action, run.status)
}

/// Errors worth waiting out: throttling, a server error, or a timeout, after the SDK's own
/// retries; anything else (access denied, no such execution) will not get better.
fn passing(error: &AwsError) -> bool {
    let throttled = matches!(
        error.code(),
        Some("Throttling" | "ThrottlingException" | "TooManyRequestsException")
    );
    throttled
        || error.status().is_some_and(|status| status >= 500)
        || matches!(error.cause(), Cause::Timeout)
}

fn ended(execution: &Execution, pipeline: &str) -> CliError {
    let said = execution
        .summary
        .as_deref()
        .map(|summary| format!(": {summary}"))
        .unwrap_or_default();
    CliError::refused(format!(
        "execution `{}` ended `{}`{said}",
        execution.id, execution.status
    ))
    .at(format!("pipeline `{pipeline}`"))
}

fn timed_out(last: Option<&Execution>, args: &WaitArgs) -> CliError {
    let state = last.map_or_else(
        || "no answer came".to_owned(),
        |execution| format!("it was last `{}`", execution.status),
    );
    CliError::new(format!(
        "execution `{}` did not end within {}: {state}",
        args.execution_id,
        seconds(args.timeout)
    ))
    .at(format!("pipeline `{}`", args.pipeline))
    .help("wait again with a longer `--timeout`; the execution goes on without us")
}

fn seconds(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis.is_multiple_of(1000) {
        format!("{}s", duration.as_secs())
    } else {
        format!("{millis}ms")
    }
}
