//! `wait`: polls an execution until it ends, with a progress line per action change, and
//! follows the deployment its deploy action starts (`follow.rs`); or, with `--service`, follows
//! an ECS service's deployment alone. The exit code says how it ended (0 succeeded, 1 failed,
//! stopped or superseded, or its deployment failed, 2 could not tell).

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, Instant};

use deploykit_artifacts::pipeline::deploy::Pick;
use deploykit_artifacts::pipeline::{Backoff, Progress, progress};
use deploykit_aws::AwsError;
use deploykit_aws::codepipeline::{self, ActionRun, Client, Execution};
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::{CliError, Exit, say};

use crate::config::{Wait, Waited};
use crate::follow::{Follower, Step};

/// The longest pause between polls when throttled.
const CEILING: Duration = Duration::from_mins(2);

pub(crate) fn run(aws: &AwsSettings, wait: &Wait) -> Result<Exit, CliError> {
    aws.run(|sdk_config| async move {
        let region = sdk_config.region().map(ToString::to_string);
        match &wait.waited {
            Waited::Execution {
                pipeline,
                execution_id,
            } => {
                let execution = Waiting {
                    pipeline,
                    id: execution_id,
                };
                let mut follower = Follower::new(&sdk_config);
                let client = codepipeline::client(&sdk_config);
                follow(&client, &mut follower, region.as_deref(), &execution, wait).await
            }
            Waited::Service {
                cluster,
                service,
                pick,
            } => {
                let follower = Follower::service(&sdk_config, cluster, service, pick.clone());
                follow_service(follower, region.as_deref(), (cluster, service), wait).await
            }
        }
    })
}

/// The execution waited for.
struct Waiting<'a> {
    pipeline: &'a str,
    id: &'a str,
}

/// What one poll came to.
enum Polled {
    /// The wait is over.
    Over(Result<Exit, CliError>),
    /// Poll again within one interval.
    Again,
    /// Poll again after a longer pause.
    Throttled(AwsError),
}

/// Polls until `poll` says the wait is over, every interval, backing off when throttled;
/// `None` when the timeout came first.
async fn every_interval(
    wait: &Wait,
    mut poll: impl AsyncFnMut() -> Polled,
) -> Option<Result<Exit, CliError>> {
    let deadline = Instant::now() + wait.timeout;
    let mut backoff = Backoff::new(wait.interval, CEILING.max(wait.interval));
    loop {
        let pause = match poll().await {
            Polled::Over(result) => return Some(result),
            Polled::Throttled(error) => throttled(&mut backoff, &error),
            // Polls spread out a little, so that many waits started together do not call at
            // the same instant, and still come within one interval.
            Polled::Again => backoff.jittered(RandomState::new().hash_one(Instant::now())),
        };
        let now = Instant::now();
        if now >= deadline {
            return None;
        }
        // Nothing else runs on this current-thread runtime, so a blocking sleep holds up no
        // other task, and tokio's timer feature stays out of the build.
        std::thread::sleep(pause.min(deadline - now));
    }
}

async fn follow(
    client: &Client,
    follower: &mut Follower,
    region: Option<&str>,
    waiting: &Waiting<'_>,
    wait: &Wait,
) -> Result<Exit, CliError> {
    let Waiting { pipeline, id } = *waiting;
    if let Some(region) = region {
        say(format_args!(
            "waiting for execution `{id}` for up to {}: https://{region}.console.aws.amazon.com/codesuite/\
             codepipeline/pipelines/{pipeline}/executions/{id}/timeline?region={region}",
            seconds(wait.timeout)
        ));
    }
    let mut last: Option<Execution> = None;
    let mut shown: HashMap<(String, String), String> = HashMap::new();
    let mut progress_lines = true;
    let over = every_interval(wait, async || {
        let execution = match codepipeline::execution(client, pipeline, id).await {
            Ok(execution) => execution,
            Err(error) if error.is_transient() => return Polled::Throttled(error),
            Err(error) => return Polled::Over(Err(error.into())),
        };
        let mut runs = Vec::new();
        if progress_lines {
            progress_lines = show_progress(client, waiting, &mut shown, &mut runs).await;
        }
        let step = follower.poll(client, pipeline, &runs).await;
        if let Step::Failed(error) = step {
            return Polled::Over(Err(error
                .at(format!("pipeline `{pipeline}`, execution `{id}`"))
                .help(
                    "the diagnosis above names the likely cause; the pipeline will fail too",
                )));
        }
        match progress(&execution.status) {
            Progress::Succeeded => {
                say(format_args!("execution `{id}` succeeded"));
                return Polled::Over(Ok(Exit::Clean));
            }
            Progress::NotDeployed => return Polled::Over(Err(ended(&execution, pipeline))),
            Progress::Running => {}
        }
        last = Some(execution);
        match step {
            Step::Throttled(error) => Polled::Throttled(error),
            _ => Polled::Again,
        }
    })
    .await;
    over.unwrap_or_else(|| Err(timed_out(last.as_ref(), waiting, wait)))
}

/// Follows the deployment of `service` alone: the same progress lines, failure detection and
/// diagnosis as under a pipeline (`docs/programs/ecs-pipeline.md#following-a-service`).
async fn follow_service(
    mut follower: Follower,
    region: Option<&str>,
    (cluster, service): (&str, &str),
    wait: &Wait,
) -> Result<Exit, CliError> {
    let which = match &wait.waited {
        Waited::Service {
            pick: Pick::Id(id), ..
        } => format!("deployment `{id}`"),
        Waited::Service {
            pick: Pick::TaskDefinition(arn),
            ..
        } => format!("the deployment of `{arn}`"),
        _ => "the newest deployment".to_owned(),
    };
    let console = region.map_or_else(String::new, |region| {
        format!(
            ": https://{region}.console.aws.amazon.com/ecs/v2/clusters/{cluster}/services/\
             {service}/deployments?region={region}"
        )
    });
    say(format_args!(
        "waiting for {which} of service `{cluster}/{service}` for up to {}{console}",
        seconds(wait.timeout)
    ));
    let at = format!("service `{cluster}/{service}`");
    let over = every_interval(wait, async || match follower.poll_service().await {
        Step::Going => Polled::Again,
        Step::Deployed => Polled::Over(Ok(Exit::Clean)),
        Step::Throttled(error) => Polled::Throttled(error),
        Step::Failed(error) => Polled::Over(Err(error.at(at.clone()))),
    })
    .await;
    over.unwrap_or_else(|| {
        let state = match follower.last_line() {
            "" => "it was not found yet".to_owned(),
            line => format!("last seen: {line}"),
        };
        Err(CliError::new(format!(
            "{which} did not end within {}; {state}",
            seconds(wait.timeout)
        ))
        .at(at)
        .help("wait again with a longer `--timeout`; ECS goes on without us"))
    })
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
    waiting: &Waiting<'_>,
    shown: &mut HashMap<(String, String), String>,
    seen: &mut Vec<ActionRun>,
) -> bool {
    match codepipeline::action_runs(client, waiting.pipeline, waiting.id).await {
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

fn timed_out(last: Option<&Execution>, waiting: &Waiting<'_>, wait: &Wait) -> CliError {
    let state = last.map_or_else(
        || "no answer came".to_owned(),
        |execution| format!("it was last `{}`", execution.status),
    );
    CliError::new(format!(
        "execution `{}` did not end within {}: {state}",
        waiting.id,
        seconds(wait.timeout)
    ))
    .at(format!("pipeline `{}`", waiting.pipeline))
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
