//! `ecs-verify --live`: the account asked, read-only, what a task definition needs of it.
//!
//! Each family of questions has its module (`roles`, `logs`, `secrets`, `images`); [`gather`] sends every call at
//! once, at most [`CONCURRENCY`] in flight, and fills a
//! [`Snapshot`](deploykit_artifacts::verify::live::Snapshot) that
//! `deploykit_artifacts::verify::live::judge` turns into findings. A read the caller is refused
//! is a fact of its own ([`Fact::Denied`]), never a pass; any other error stops the check and
//! names the call (`docs/aws/build-role.md`).

pub mod balancing;
pub mod images;
pub mod logs;
pub mod roles;
pub mod secrets;
pub mod volumes;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use aws_config::SdkConfig;
use deploykit_artifacts::verify::live::images::Manifest;
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
    Balancing(Box<deploykit_artifacts::verify::live::balancing::BalancingAnswers>),
    Volume(
        usize,
        deploykit_artifacts::verify::live::volumes::VolumeAnswers,
    ),
}

/// Asks every question of `questions`; the answers come back in the questions' order.
pub async fn gather(config: &SdkConfig, questions: &Questions) -> Result<Snapshot, AwsError> {
    let limit = Arc::new(Semaphore::new(CONCURRENCY));
    let mut calls: JoinSet<Result<Answer, AwsError>> = JoinSet::new();
    let mut spawn = |call: Call| {
        let limit = Arc::clone(&limit);
        calls.spawn(async move {
            // The semaphore is never closed, so acquiring only waits.
            let _permit = limit.acquire_owned().await;
            call.await
        });
    };
    let iam = aws_sdk_iam::Client::new(config);
    for (index, question) in questions.roles.iter().enumerate() {
        let (iam, name) = (iam.clone(), question.name.clone());
        spawn(Box::pin(async move {
            let fact = fact(roles::get_role(&iam, &name).await)?;
            Ok(Answer::Role(index, fact))
        }));
    }
    for (index, question) in questions.log_groups.iter().enumerate() {
        if question.created_by_driver {
            continue;
        }
        let client = logs::client(config, &question.region);
        let (name, region) = (question.name.clone(), question.region.clone());
        spawn(Box::pin(async move {
            let fact = fact(logs::log_group_exists(&client, &name, &region).await)?;
            Ok(Answer::LogGroup(index, fact))
        }));
    }
    for (index, question) in questions.secrets.iter().enumerate() {
        let clients = secrets::Clients::new(config, &question.region);
        let (store, region) = (question.store.clone(), question.region.clone());
        spawn(Box::pin(async move {
            let answer = match &store {
                Store::Parameter { name } => {
                    secrets::parameter_exists(&clients, name, &region).await
                }
                Store::Secret { arn, .. } => secrets::describe_secret(&clients, arn, &region).await,
            };
            Ok(Answer::Secret(index, fact(answer)?))
        }));
    }
    for (index, question) in questions.images.iter().enumerate() {
        let client = crate::ecr::client(config, &question.region);
        let question = question.clone();
        spawn(Box::pin(async move {
            let answer = images::manifest(&client, &question).await;
            Ok(Answer::Image(index, fact(answer)?))
        }));
    }
    let efs = volumes::client(config);
    for (index, question) in questions.volumes.iter().enumerate() {
        let (efs, question) = (efs.clone(), question.clone());
        spawn(Box::pin(async move {
            Ok(Answer::Volume(
                index,
                volumes::volume(&efs, question).await?,
            ))
        }));
    }
    if let Some(question) = &questions.balancing {
        // Its calls take their permits one by one: the group first, then what it names.
        let answers = balancing::gather(config.clone(), Arc::clone(&limit), question.clone());
        calls.spawn(async move { Ok(Answer::Balancing(Box::new(answers.await?))) });
    }
    let mut volumes = vec![None; questions.volumes.len()];
    let mut snapshot = Snapshot {
        balancing: None,
        volumes: Vec::new(),
        roles: Vec::new(),
        secrets: Vec::new(),
        images: Vec::new(),
        log_groups: questions
            .log_groups
            .iter()
            .map(|question| (question.clone(), None))
            .collect(),
    };
    let mut roles = vec![None; questions.roles.len()];
    let mut secrets = vec![None; questions.secrets.len()];
    let mut images = vec![None; questions.images.len()];
    while let Some(joined) = calls.join_next().await {
        // A call panicked: carry the panic on rather than report a made-up answer.
        let answer = joined.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()));
        match answer? {
            Answer::Role(index, fact) => roles[index] = Some(fact),
            Answer::LogGroup(index, fact) => snapshot.log_groups[index].1 = Some(fact),
            Answer::Secret(index, fact) => secrets[index] = Some(fact),
            Answer::Image(index, fact) => images[index] = Some(fact),
            Answer::Balancing(answers) => snapshot.balancing = Some(*answers),
            Answer::Volume(index, answers) => volumes[index] = Some(answers),
        }
    }
    snapshot.roles = answered(&questions.roles, roles);
    snapshot.secrets = answered(&questions.secrets, secrets);
    snapshot.images = answered(&questions.images, images);
    snapshot.volumes = volumes.into_iter().flatten().collect();
    Ok(snapshot)
}

/// Each question with its answer; every question was asked.
fn answered<Q: Clone, T>(questions: &[Q], answers: Vec<Option<Fact<T>>>) -> Vec<(Q, Fact<T>)> {
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
