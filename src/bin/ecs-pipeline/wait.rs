//! `wait`: polls an execution until it ends, with a progress line per action change, and
//! follows the deployment its deploy action starts (`follow.rs`); the exit code says how it
//! ended (0 succeeded, 1 failed, stopped or superseded, or its deployment failed, 2 could not
//! tell).

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, Instant};

use deploykit_artifacts::pipeline::{Backoff, Progress, progress};
use deploykit_aws::codepipeline::{self, ActionRun, Client, Execution};
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::{CliError, Exit, say};

use crate::config::Wait;
use crate::follow::{Follower, Step};

/// The longest pause between polls when throttled.
const CEILING: Duration = Duration::from_mins(2);

pub(crate) fn run(aws: &AwsSettings, wait: &Wait) -> Result<Exit, CliError> {
    aws.run(|sdk_config| async move {
        let region = sdk_config.region().map(ToString::to_string);
        let mut follower = Follower::new(&sdk_config);
        follow(
            &codepipeline::client(&sdk_config),
            &mut follower,
            region.as_deref(),
            wait,
        )
        .await
    })
}

async fn follow(
    client: &Client,
    follower: &mut Follower,
    region: Option<&str>,
    wait: &Wait,
) -> Result<Exit, CliError> {
    let (pipeline, id) = (&wait.pipeline, &wait.execution_id);
    if let Some(region) = region {
        say(format_args!(
            "waiting for execution `{id}` for up to {}: https://{region}.console.aws.amazon.com/codesuite/\
             codepipeline/pipelines/{pipeline}/executions/{id}/timeline?region={region}",
            seconds(wait.timeout)
        ));
    }
    let deadline = Instant::now() + wait.timeout;
    let mut backoff = Backoff::new(wait.interval, CEILING.max(wait.interval));
    let mut last: Option<Execution> = None;
    let mut shown: HashMap<(String, String), String> = HashMap::new();
    let mut progress_lines = true;
    loop {
        let pause = match codepipeline::execution(client, pipeline, id).await {
            Ok(execution) => {
                let mut runs = Vec::new();
                if progress_lines {
                    progress_lines = show_progress(client, wait, &mut shown, &mut runs).await;
                }
                let step = follower.poll(client, pipeline, &runs).await;
                if let Step::Failed(error) = step {
                    return Err(error.at(format!("pipeline `{pipeline}`, execution `{id}`")));
                }
                match progress(&execution.status) {
                    Progress::Succeeded => {
                        say(format_args!("execution `{id}` succeeded"));
                        return Ok(Exit::Clean);
                    }
                    Progress::NotDeployed => return Err(ended(&execution, pipeline)),
                    Progress::Running => {}
                }
                last = Some(execution);
                match step {
                    Step::Throttled(error) => throttled(&mut backoff, &error),
                    // Polls spread out a little, so that many waits started together do not
                    // call at the same instant, and still come within one interval.
                    _ => backoff.jittered(RandomState::new().hash_one(Instant::now())),
                }
            }
            Err(error) if error.is_transient() => throttled(&mut backoff, &error),
            Err(error) => return Err(error.into()),
        };
        let now = Instant::now();
        if now >= deadline {
            return Err(timed_out(last.as_ref(), wait));
        }
        // Nothing else runs on this current-thread runtime, so a blocking sleep holds up no
        // other task, and tokio's timer feature stays out of the build.
        std::thread::sleep(pause.min(deadline - now));
    }
}

/// The pause after a throttled poll, said with the error.
fn throttled(backoff: &mut Backoff, error: &deploykit_aws::AwsError) -> Duration {
    let pause = backoff.throttled();
    say(format_args!(
        "{}; polling again in {}",
        error.what(),
        seconds(pause)
    ));
    pause
}

/// Prints a line for each action whose status changed since the last poll and keeps the runs
/// in `seen`; returns whether to keep doing so (not after the first failure: progress lines are
/// a courtesy, and an endpoint without `ListActionExecutions` must not stop the wait).
async fn show_progress(
    client: &Client,
    wait: &Wait,
    shown: &mut HashMap<(String, String), String>,
    seen: &mut Vec<ActionRun>,
) -> bool {
    match codepipeline::action_runs(client, &wait.pipeline, &wait.execution_id).await {
        Ok(mut runs) => {
            // The API lists the newest first; the log reads better in the order they ran.
            runs.reverse();
            for run in &runs {
                let key = (run.stage.clone(), run.action.clone());
                if shown.get(&key) != Some(&run.status) {
                    say(format_args!("{}", progress_line(run)));
                    shown.insert(key, run.status.clone());
                }
            }
            *seen = runs;
            true
        }
        Err(error) => {
            say(format_args!(
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

fn timed_out(last: Option<&Execution>, wait: &Wait) -> CliError {
    let state = last.map_or_else(
        || "no answer came".to_owned(),
        |execution| format!("it was last `{}`", execution.status),
    );
    CliError::new(format!(
        "execution `{}` did not end within {}: {state}",
        wait.execution_id,
        seconds(wait.timeout)
    ))
    .at(format!("pipeline `{}`", wait.pipeline))
    .help("wait again with a longer `--timeout`; the execution goes on without us")
}

/// `2h`, `90m`, `45s` or `250ms`, as `--timeout` takes it.
fn seconds(duration: Duration) -> String {
    let (millis, secs) = (duration.as_millis(), duration.as_secs());
    if !millis.is_multiple_of(1000) {
        format!("{millis}ms")
    } else if secs > 0 && secs.is_multiple_of(3600) {
        format!("{}h", secs / 3600)
    } else if secs > 0 && secs.is_multiple_of(60) {
        format!("{}m", secs / 60)
    } else {
        format!("{secs}s")
    }
}
