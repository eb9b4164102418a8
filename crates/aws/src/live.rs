//! `ecs-verify --live`: the account asked, read-only, what a task definition needs of it.
//!
//! Each family of questions has its module (`roles`, `logs`, `secrets`, `images`); [`gather`] sends every call at
//! once, at most [`CONCURRENCY`] in flight, and fills a
//! [`Snapshot`](deploykit_artifacts::verify::live::Snapshot) that
//! `deploykit_artifacts::verify::live::judge` turns into findings. A read the caller is refused
//! is a fact of its own ([`Fact::Denied`]), never a pass; any other error stops the check and
//! names the call (`docs/aws/build-role.md`).

pub mod balancing;
pub mod config_blob;
pub mod files;
pub mod images;
pub mod logs;
pub mod network;
pub mod registry;
pub mod roles;
pub mod secrets;
pub mod simulate;
pub mod volumes;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use aws_config::SdkConfig;
use deploykit_artifacts::verify::live::images::Manifest;
use deploykit_artifacts::verify::live::network::{InVpc, NetworkAnswers};
use deploykit_artifacts::verify::live::permissions::{self, Decision};
use deploykit_artifacts::verify::live::secrets::{SecretVersions, Store};
use deploykit_artifacts::verify::live::{Fact, Questions, Snapshot};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::error::AwsError;

/// How many calls are in flight at once: enough that a definition with ten containers and
/// twenty secrets is one round trip or two, few enough to stay under the services' request
/// rates (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html>).
pub const CONCURRENCY: usize = 8;

/// One call, sent on its own task.
type Call = Pin<Box<dyn Future<Output = Result<Answer, AwsError>> + Send>>;

/// One answer, by the index of its question.
enum Answer {
    Role(usize, Fact<deploykit_artifacts::verify::live::roles::Role>),
    LogGroup(usize, Fact<()>),
    Secret(usize, Fact<SecretVersions>),
    Image(usize, Fact<Manifest>),
    Repository(usize, registry::RepositoryFacts),
    Registry(usize, registry::ImageFacts),
    File(usize, Fact<()>),
    Permission(usize, Fact<Vec<Decision>>),
    Balancing(Box<deploykit_artifacts::verify::live::balancing::BalancingAnswers>),
    Volume(
        usize,
        deploykit_artifacts::verify::live::volumes::VolumeAnswers,
    ),
    Subnets(Fact<Vec<InVpc>>),
    SecurityGroups(Fact<Vec<InVpc>>),
}

/// The calls of one round, at most [`CONCURRENCY`] in flight, and how many requests they send.
struct Round {
    limit: Arc<Semaphore>,
    calls: JoinSet<Result<Answer, AwsError>>,
    sent: usize,
}

impl Round {
    fn new() -> Self {
        Self {
            limit: Arc::new(Semaphore::new(CONCURRENCY)),
            calls: JoinSet::new(),
            sent: 0,
        }
    }

    /// Sends `call`, which makes `requests` requests (pages aside).
    fn spawn(&mut self, requests: usize, call: Call) {
        self.sent += requests;
        let limit = Arc::clone(&self.limit);
        self.calls.spawn(async move {
            // The semaphore is never closed, so acquiring only waits.
            let _permit = limit.acquire_owned().await;
            call.await
        });
    }

    /// Sends `call`, which takes its permits itself, one request at a time, and counts its
    /// requests when it answers.
    fn spawn_self_limited(&mut self, call: Call) {
        self.calls.spawn(call);
    }

    /// The next answer; `None` when every call has answered.
    async fn next(&mut self) -> Option<Result<Answer, AwsError>> {
        let joined = self.calls.join_next().await?;
        // A call panicked: carry the panic on rather than report a made-up answer.
        Some(joined.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic())))
    }
}

/// Asks every question of `questions`; the answers come back in the questions' order. The
/// caller's account comes first (roles and repositories of other accounts are told apart by
/// it), then every read at once, then IAM's simulation of the execution role on the resources
/// the reads named.
pub async fn gather(config: &SdkConfig, questions: &Questions) -> Result<Snapshot, AwsError> {
    let account = simulate::caller_account(config).await?;
    let mut round = Round::new();
    let iam = crate::bounded::client!(aws_sdk_iam, config);
    for (index, question) in questions.roles.iter().enumerate() {
        if question.in_other_account(account.as_deref()) {
            continue;
        }
        let (iam, name) = (iam.clone(), question.name.clone());
        round.spawn(
            1,
            Box::pin(async move {
                let fact = fact(roles::get_role(&iam, &name).await)?;
                Ok(Answer::Role(index, fact))
            }),
        );
    }
    for (index, question) in questions.log_groups.iter().enumerate() {
        if question.created_by_driver {
            continue;
        }
        let client = logs::client(config, &question.region);
        let (name, region) = (question.name.clone(), question.region.clone());
        round.spawn(
            1,
            Box::pin(async move {
                let fact = fact(logs::log_group_exists(&client, &name, &region).await)?;
                Ok(Answer::LogGroup(index, fact))
            }),
        );
    }
    for (index, question) in questions.secrets.iter().enumerate() {
        let clients = secrets::Clients::new(config, &question.region);
        let (store, region) = (question.store.clone(), question.region.clone());
        round.spawn(
            1,
            Box::pin(async move {
                let answer = match &store {
                    Store::Parameter { name } => {
                        secrets::parameter_exists(&clients, name, &region).await
                    }
                    Store::Secret { arn, .. } => {
                        secrets::describe_secret(&clients, arn, &region).await
                    }
                };
                Ok(Answer::Secret(index, fact(answer)?))
            }),
        );
    }
    // Each repository is asked once, through the first image of it (`docs/aws/build-role.md#calls`).
    let mut repositories: Vec<usize> = Vec::new();
    let mut repository_of = Vec::with_capacity(questions.images.len());
    for (index, question) in questions.images.iter().enumerate() {
        let client = crate::ecr::client(config, &question.region);
        let other_account = account
            .as_deref()
            .is_some_and(|account| account != question.registry_id);
        let known = repositories
            .iter()
            .position(|&first| questions.images[first].arn() == question.arn());
        repository_of.push(known.unwrap_or(repositories.len()));
        if known.is_none() {
            let repository = repositories.len();
            let (repository_client, question) = (client.clone(), question.clone());
            round.spawn(
                1 + usize::from(other_account),
                Box::pin(async move {
                    let facts =
                        registry::repository_facts(&repository_client, &question, other_account)
                            .await?;
                    Ok(Answer::Repository(repository, facts))
                }),
            );
            repositories.push(index);
        }
        let (image_client, image) = (client.clone(), question.clone());
        round.spawn(
            1,
            Box::pin(async move {
                let manifest = fact(images::manifest(&image_client, &image).await)?;
                Ok(Answer::Image(index, manifest))
            }),
        );
        let question = question.clone();
        round.spawn(
            1 + usize::from(question.pinned_tag.is_some()),
            Box::pin(async move {
                let details = registry::image_facts(&client, &question).await?;
                Ok(Answer::Registry(index, details))
            }),
        );
    }
    for (index, question) in questions.files.iter().enumerate() {
        let (config, question) = (config.clone(), question.clone());
        round.spawn(
            2,
            Box::pin(async move {
                let answer = files::object_exists(&config, &question).await;
                // `HeadObject` is authorized as `s3:GetObject`
                // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
                let fact = match fact(answer)? {
                    Fact::Denied {
                        action: "s3:HeadObject",
                    } => Fact::Denied {
                        action: "s3:GetObject",
                    },
                    fact => fact,
                };
                Ok(Answer::File(index, fact))
            }),
        );
    }
    let efs = volumes::client(config);
    for (index, question) in questions.volumes.iter().enumerate() {
        let (efs, question) = (efs.clone(), question.clone());
        let requests = 1 + usize::from(question.access_point.is_some());
        round.spawn(
            requests,
            Box::pin(async move {
                Ok(Answer::Volume(
                    index,
                    volumes::volume(&efs, question).await?,
                ))
            }),
        );
    }
    if let Some(question) = &questions.balancing {
        // Its calls take their permits one by one: the group first, then what it names.
        let answers = balancing::gather(config.clone(), Arc::clone(&round.limit), question.clone());
        round.spawn_self_limited(Box::pin(async move {
            Ok(Answer::Balancing(Box::new(answers.await?)))
        }));
    }
    if let Some(question) = &questions.network {
        let ec2 = network::client(config);
        // An empty list is not asked: EC2 refuses a filter without values, and an `AppSpec`
        // without security groups gets the VPC's default one.
        if !question.subnets.is_empty() {
            let (ec2, question) = (ec2.clone(), question.clone());
            round.spawn(
                1,
                Box::pin(async move {
                    let fact = fact(network::subnets(&ec2, &question).await)?;
                    Ok(Answer::Subnets(fact))
                }),
            );
        }
        if !question.security_groups.is_empty() {
            let question = question.clone();
            round.spawn(
                1,
                Box::pin(async move {
                    let fact = fact(network::security_groups(&ec2, &question).await)?;
                    Ok(Answer::SecurityGroups(fact))
                }),
            );
        }
    }
    let mut volumes = vec![None; questions.volumes.len()];
    let mut snapshot = Snapshot {
        account,
        region: questions.region.clone(),
        max_critical: questions.max_critical,
        log_groups: questions
            .log_groups
            .iter()
            .map(|question| (question.clone(), None))
            .collect(),
        roles: questions
            .roles
            .iter()
            .map(|question| (question.clone(), None))
            .collect(),
        ..Snapshot::default()
    };
    let mut secrets = vec![None; questions.secrets.len()];
    let mut images = vec![None; questions.images.len()];
    let mut details = vec![None; questions.images.len()];
    let mut repository_facts = vec![None; repositories.len()];
    let mut files = vec![None; questions.files.len()];
    let mut network = questions.network.clone().map(|question| NetworkAnswers {
        question,
        subnets: Fact::Found(Vec::new()),
        security_groups: Fact::Found(Vec::new()),
    });
    while let Some(answer) = round.next().await {
        match answer? {
            Answer::Role(index, fact) => snapshot.roles[index].1 = Some(fact),
            Answer::LogGroup(index, fact) => snapshot.log_groups[index].1 = Some(fact),
            Answer::Secret(index, fact) => secrets[index] = Some(fact),
            Answer::Image(index, fact) => {
                // The config blob's `GetDownloadUrlForLayer`, sent only for a single image.
                if matches!(&fact, Fact::Found(manifest) if manifest.config.is_some()) {
                    round.sent += 1;
                }
                images[index] = Some(fact);
            }
            Answer::Repository(index, facts) => repository_facts[index] = Some(facts),
            Answer::Registry(index, facts) => details[index] = Some(facts),
            Answer::File(index, fact) => files[index] = Some(fact),
            Answer::Permission(..) => {}
            Answer::Balancing(answers) => {
                round.sent += balancing::requests(&answers);
                snapshot.balancing = Some(*answers);
            }
            Answer::Volume(index, answers) => volumes[index] = Some(answers),
            Answer::Subnets(fact) => {
                if let Some(network) = &mut network {
                    network.subnets = fact;
                }
            }
            Answer::SecurityGroups(fact) => {
                if let Some(network) = &mut network {
                    network.security_groups = fact;
                }
            }
        }
    }
    snapshot.secrets = answered(&questions.secrets, secrets);
    snapshot.images = answered(&questions.images, images);
    let details = details
        .into_iter()
        .zip(&repository_of)
        .map(|(facts, &repository)| {
            let repository = repository_facts[repository].clone();
            Some(facts?.with(repository?))
        })
        .collect();
    snapshot.registry = answered(&questions.images, details);
    snapshot.files = answered(&questions.files, files);
    let sent = round.sent + 1;
    let (simulations, permissions) =
        simulate::simulated(&iam, permissions::questions(questions, &snapshot)).await?;
    snapshot.permissions = permissions;
    snapshot.calls = sent + simulations;
    snapshot.volumes = volumes.into_iter().flatten().collect();
    snapshot.network = network;
    Ok(snapshot)
}

/// Each question with its answer; every question was asked.
fn answered<Q: Clone, T>(questions: &[Q], answers: Vec<Option<T>>) -> Vec<(Q, T)> {
    questions
        .iter()
        .cloned()
        .zip(answers)
        .map(|(question, fact)| (question, fact.expect("every question was asked")))
        .collect()
}

/// An adapter's answer as a fact: `None` is a resource that does not exist, `AccessDenied` the
/// action the caller lacks; any other error stops the check.
fn fact<T>(answer: Result<Option<T>, AwsError>) -> Result<Fact<T>, AwsError> {
    match answer {
        Ok(Some(found)) => Ok(Fact::Found(found)),
        Ok(None) => Ok(Fact::Missing),
        Err(error) if error.is_access_denied() => Ok(Fact::Denied {
            action: error.operation(),
        }),
        Err(error) => Err(error),
    }
}
