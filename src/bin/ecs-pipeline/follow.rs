//! Following the deployment a running deploy action started, poll by poll: the ECS service's
//! deployment for the `ECS` action (rolling update and ECS-native blue/green), the CodeDeploy
//! deployment for `CodeDeployToECS`. It prints a progress line when the deployment changes and
//! a line per task that stopped, and ends the wait with a diagnosis as soon as the outcome is a
//! failure (`docs/programs/ecs-pipeline.md#following-the-deployment`). `wait --service`
//! follows an ECS service's deployment the same way, without a pipeline.

use deploykit_artifacts::pipeline::deploy::{
    EcsSnapshot, Outcome, Pick, StoppedTask, codedeploy_outcome, codedeploy_progress,
    diagnose_codedeploy, diagnose_ecs, ecs_outcome, ecs_progress, stopped_line,
};
use deploykit_aws::codepipeline::{self, ActionDeclaration, ActionRun};
use deploykit_aws::config::SdkConfig;
use deploykit_aws::{AwsError, codedeploy, ecs};
use deploykit_cli::{CliError, say};

/// What one poll of the deployment came to.
pub(crate) enum Step {
    /// Nothing that ends the wait.
    Going,
    /// The deployment completed.
    Deployed,
    /// A call was throttled or failed in passing: poll again after a longer pause.
    Throttled(AwsError),
    /// The deployment failed; the diagnosis is printed.
    Failed(CliError),
}

enum Target {
    Ecs {
        cluster: String,
        service: String,
        /// Which deployment is followed.
        pick: Pick,
        /// When the action started or the deployment was created, in seconds since the epoch.
        since: Option<i64>,
        /// The action's deployment, once found.
        id: Option<String>,
        /// Every stopped task seen so far; their ARNs are not described again.
        stopped: Vec<StoppedTask>,
        /// The service deployment of `id`.
        service_deployment: Details,
    },
    CodeDeploy {
        id: String,
        targets: Vec<String>,
    },
}

/// Whether ECS has a service deployment for the followed deployment.
enum Details {
    /// Not asked yet: the deployment is not found yet.
    Unasked,
    /// None, or none we may read.
    Without,
    /// Its ARN.
    At(String),
}

/// The deployment being followed, and the clients that ask about it.
pub(crate) struct Follower {
    ecs: ecs::Client,
    codedeploy: codedeploy::Client,
    /// The pipeline's actions, asked once when a deploy action first runs.
    actions: Option<Vec<ActionDeclaration>>,
    target: Option<Target>,
    /// The `(stage, action)` of each deploy action whose deployment was followed: a pipeline
    /// with several deploy actions has each followed in turn.
    followed: Vec<(String, String)>,
    last_line: String,
    /// Over: a deployment could not be followed.
    done: bool,
}

impl Follower {
    pub(crate) fn new(config: &SdkConfig) -> Self {
        Self {
            ecs: ecs::client(config),
            codedeploy: codedeploy::client(config),
            actions: None,
            target: None,
            followed: Vec::new(),
            last_line: String::new(),
            done: false,
        }
    }

    /// Follows the deployment `pick` of an ECS service, without a pipeline.
    pub(crate) fn service(config: &SdkConfig, cluster: &str, service: &str, pick: Pick) -> Self {
        let mut follower = Self::new(config);
        follower.target = Some(ecs_target(
            cluster.to_owned(),
            service.to_owned(),
            pick,
            None,
        ));
        follower
    }

    /// The last progress line, empty before the deployment was found.
    pub(crate) fn last_line(&self) -> &str {
        &self.last_line
    }

    /// Polls the service's deployment once; an error that is not passing ends the wait.
    pub(crate) async fn poll_service(&mut self) -> Step {
        match self.follow().await {
            Ok(step) => step,
            Err(error) if error.is_transient() => Step::Throttled(error),
            Err(error) => Step::Failed(error.into()),
        }
    }

    /// Finds the deployment of the running deploy action among `runs`, then polls it.
    pub(crate) async fn poll(
        &mut self,
        client: &codepipeline::Client,
        pipeline: &str,
        runs: &[ActionRun],
    ) -> Step {
        if self.done {
            return Step::Going;
        }
        let step = match self.find(client, pipeline, runs).await {
            Ok(()) => self.follow().await,
            Err(error) => Err(error),
        };
        match step {
            Ok(step) => step,
            Err(error) if error.is_transient() => Step::Throttled(error),
            Err(error) => {
                // A deployment we cannot follow leaves the pipeline to follow: said, not hidden.
                say(format_args!(
                    "not following the deployment: {} ({})",
                    error.what(),
                    error.location()
                ));
                self.done = true;
                Step::Going
            }
        }
    }

    async fn find(
        &mut self,
        client: &codepipeline::Client,
        pipeline: &str,
        runs: &[ActionRun],
    ) -> Result<(), AwsError> {
        if self.target.is_some() {
            return Ok(());
        }
        let running: Vec<&ActionRun> = runs
            .iter()
            .filter(|r| r.status == "InProgress")
            .filter(|r| !self.followed.contains(&(r.stage.clone(), r.action.clone())))
            .collect();
        if running.is_empty() {
            return Ok(());
        }
        if self.actions.is_none() {
            self.actions = Some(codepipeline::actions(client, pipeline).await?);
        }
        let actions = self.actions.as_deref().unwrap_or_default();
        for run in running {
            let Some(declared) = actions
                .iter()
                .find(|a| a.stage == run.stage && a.action == run.action)
            else {
                continue;
            };
            let setting = |key: &str| {
                declared
                    .configuration
                    .iter()
                    .find(|(name, _)| name == key)
                    .map(|(_, value)| value.clone())
            };
            self.target = match declared.provider.as_str() {
                // Without the action's start time an older deployment could pass for its own.
                "ECS" => setting("ServiceName")
                    .zip(run.started_at)
                    .map(|(service, since)| {
                        ecs_target(
                            setting("ClusterName").unwrap_or_else(|| "default".to_owned()),
                            service,
                            Pick::Started(since),
                            run.external_id
                                .clone()
                                .filter(|id| id.starts_with("ecs-svc/")),
                        )
                    }),
                // The action names its deployment once it created it; until then, the group's
                // deployment created since the action started is it.
                "CodeDeployToECS" => {
                    let named = run.external_id.clone().filter(|id| id.starts_with("d-"));
                    let group = setting("ApplicationName").zip(setting("DeploymentGroupName"));
                    let id = match (named, group, run.started_at) {
                        (Some(id), _, _) => Some(id),
                        (None, Some((application, group)), Some(since)) => {
                            codedeploy::started_deployment(
                                &self.codedeploy,
                                &application,
                                &group,
                                since,
                            )
                            .await?
                        }
                        _ => None,
                    };
                    id.map(|id| Target::CodeDeploy {
                        id,
                        targets: Vec::new(),
                    })
                }
                _ => None,
            };
            if let Some(target) = &self.target {
                self.followed.push((run.stage.clone(), run.action.clone()));
                let what = match target {
                    Target::Ecs {
                        cluster, service, ..
                    } => format!("ECS service {cluster}/{service}"),
                    Target::CodeDeploy { id, .. } => format!("CodeDeploy deployment {id}"),
                };
                say(format_args!(
                    "{}/{}: following {what}",
                    run.stage, run.action
                ));
                break;
            }
        }
        Ok(())
    }

    async fn follow(&mut self) -> Result<Step, AwsError> {
        let outcome = match &mut self.target {
            None => return Ok(Step::Going),
            Some(Target::Ecs {
                cluster,
                service,
                pick,
                since,
                id,
                stopped,
                service_deployment,
            }) => {
                let known: Vec<String> = stopped.iter().map(|task| task.arn.clone()).collect();
                let mut snapshot =
                    ecs::service_snapshot(&self.ecs, cluster, service, &known).await?;
                if id.is_none() {
                    let found = pick.find(&snapshot.deployments);
                    *id = found.map(|deployment| deployment.id.clone());
                    *since = since.or(found.and_then(|deployment| deployment.created_at));
                }
                let Some(id) = id.as_deref() else {
                    if !matches!(pick, Pick::Started(_)) {
                        return Ok(Step::Failed(not_listed(pick, &snapshot)));
                    }
                    stopped.append(&mut snapshot.stopped);
                    return Ok(Step::Going);
                };
                if matches!(service_deployment, Details::Unasked) {
                    let created = since.unwrap_or_default();
                    let arn = ecs::service_deployment_arn(&self.ecs, cluster, service, created);
                    *service_deployment = match optional(arn.await)?.flatten() {
                        Some(arn) => Details::At(arn),
                        None => Details::Without,
                    };
                }
                if let Details::At(arn) = service_deployment {
                    match optional(ecs::service_rollout(&self.ecs, cluster, service, arn).await)? {
                        Some(rollout) => snapshot.rollout = rollout,
                        None => *service_deployment = Details::Without,
                    }
                }
                let line = ecs_progress(id, &snapshot);
                if line != self.last_line {
                    say(format_args!("{line}"));
                    self.last_line = line;
                }
                for task in &snapshot.stopped {
                    if task.started_by.as_deref() == Some(id) {
                        say(format_args!("{}", stopped_line(task)));
                    }
                }
                stopped.append(&mut snapshot.stopped);
                // The diagnosis reads every stopped task seen, newest first as ECS lists them.
                snapshot.stopped = stopped.iter().rev().cloned().collect();
                match ecs_outcome(id, &snapshot) {
                    Outcome::Failed(why) => {
                        print(&diagnose_ecs(id, &why, &snapshot));
                        Outcome::Failed(format!("deployment `{id}` failed: {why}"))
                    }
                    outcome => outcome,
                }
            }
            Some(Target::CodeDeploy { id, targets }) => {
                let deployment = codedeploy::deployment(&self.codedeploy, id, targets).await?;
                let line = codedeploy_progress(&deployment);
                if line != self.last_line {
                    say(format_args!("{line}"));
                    self.last_line = line;
                }
                match codedeploy_outcome(&deployment) {
                    Outcome::Failed(why) => {
                        // The green tasks' reasons are in ECS, not in CodeDeploy.
                        let service = match &deployment.service {
                            Some((cluster, service)) => optional(
                                ecs::service_snapshot(&self.ecs, cluster, service, &[]).await,
                            )?,
                            None => None,
                        };
                        print(&diagnose_codedeploy(&why, &deployment, service.as_ref()));
                        Outcome::Failed(format!("CodeDeploy deployment `{id}` failed: {why}"))
                    }
                    outcome => outcome,
                }
            }
        };
        Ok(match outcome {
            Outcome::Running => Step::Going,
            Outcome::Succeeded => {
                say(format_args!("the deployment completed"));
                self.target = None;
                self.last_line.clear();
                Step::Deployed
            }
            Outcome::Failed(message) => Step::Failed(
                CliError::refused(message).help("the diagnosis above names the likely cause"),
            ),
        })
    }
}

fn ecs_target(cluster: String, service: String, pick: Pick, id: Option<String>) -> Target {
    let since = match pick {
        Pick::Started(since) => Some(since),
        _ => None,
    };
    Target::Ecs {
        cluster,
        service,
        pick,
        since,
        id,
        stopped: Vec::new(),
        service_deployment: Details::Unasked,
    }
}

/// A deployment asked for by id or task definition that the service does not list: it was
/// rolled back or replaced already, or never started.
fn not_listed(pick: &Pick, snapshot: &EcsSnapshot) -> CliError {
    let wanted = match pick {
        Pick::Id(id) => format!("deployment `{id}`"),
        Pick::TaskDefinition(arn) => format!("deployment of `{arn}`"),
        Pick::Started(_) | Pick::Newest => "deployment".to_owned(),
    };
    let runs = snapshot
        .deployments
        .iter()
        .find(|deployment| deployment.status == "PRIMARY")
        .map(|deployment| format!(": it runs `{}`", deployment.task_definition))
        .unwrap_or_default();
    CliError::refused(format!(
        "the service lists no {wanted}{runs}; it was rolled back or replaced, or never started"
    ))
    .help("read the service's events: `aws ecs describe-services --cluster CLUSTER --services SERVICE`")
}

/// A fact that adds to what the deployment says (the service deployment for ECS-native
/// blue/green and alarms, the green tasks of a CodeDeploy deployment): without it (the
/// `CODE_DEPLOY` controller, a role without `ecs:ListServiceDeployments`) the deployment is
/// followed all the same, after one line that says what is missing.
fn optional<T>(answer: Result<T, AwsError>) -> Result<Option<T>, AwsError> {
    match answer {
        Ok(value) => Ok(Some(value)),
        Err(error) if error.is_transient() => Err(error),
        Err(error) => {
            say(format_args!(
                "no details from ECS: {} ({})",
                error.what(),
                error.location()
            ));
            Ok(None)
        }
    }
}

fn print(lines: &[String]) {
    say(format_args!("diagnosis:"));
    for line in lines {
        say(format_args!("  {line}"));
    }
}
