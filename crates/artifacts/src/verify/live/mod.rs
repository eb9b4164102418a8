//! `ecs-verify --live`: what a task definition asks of the account it deploys into, and the
//! judgement of what the account answered.
//!
//! The split keeps every rule testable without a network (`docs/programs/ecs-verify.md#the-account---live`):
//! [`questions`] reads the task definition into plain questions, `deploykit_aws::live` asks
//! the account (read-only, concurrently) and fills a [`Snapshot`], and [`judge`] turns the
//! snapshot into findings, each placed at the resource's ARN.

pub mod balancing;
pub mod images;
pub mod logs;
pub mod roles;
pub mod secrets;
pub mod volumes;

use serde_json::Value;

use crate::Finding;

/// What the account said about one resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fact<T> {
    /// It exists, and this is what was read of it.
    Found(T),
    /// It does not exist.
    Missing,
    /// The caller may not read it: the read-only IAM action it needs.
    Denied {
        /// The IAM action that was refused, such as `iam:GetRole`.
        action: &'static str,
    },
}

/// The questions a task definition asks of the account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Questions {
    /// The task role and the execution role.
    pub roles: Vec<roles::RoleQuestion>,
    /// The `awslogs` log groups of the containers.
    pub log_groups: Vec<logs::LogGroupQuestion>,
    /// The SSM parameters and Secrets Manager secrets the containers inject.
    pub secrets: Vec<secrets::SecretQuestion>,
    /// The private ECR images the containers run.
    pub images: Vec<images::ImageQuestion>,
    /// The EFS volumes.
    pub volumes: Vec<volumes::VolumeQuestion>,
    /// Blue/Green: the CodeDeploy deployment group and what the `AppSpec` expects of it.
    pub balancing: Option<balancing::BalancingQuestion>,
}

/// The account's answers, one per question.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Each role asked about, and what IAM said.
    pub roles: Vec<(roles::RoleQuestion, Fact<roles::Role>)>,
    /// Each log group asked about, and what CloudWatch Logs said; `None` when it was not asked
    /// because the log driver creates it.
    pub log_groups: Vec<(logs::LogGroupQuestion, Option<Fact<()>>)>,
    /// Each secret asked about, and what SSM or Secrets Manager said.
    pub secrets: Vec<(secrets::SecretQuestion, Fact<secrets::SecretVersions>)>,
    /// Each image asked about, and its manifest as ECR sent it.
    pub images: Vec<(images::ImageQuestion, Fact<images::Manifest>)>,
    /// Each EFS volume asked about, and what EFS said.
    pub volumes: Vec<volumes::VolumeAnswers>,
    /// Blue/Green: what CodeDeploy, Elastic Load Balancing and ECS said of the deployment
    /// group.
    pub balancing: Option<balancing::BalancingAnswers>,
}

/// A finding about a resource of the account, reported under its ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountFinding {
    /// The resource's ARN (or, where its account is not known, its name).
    pub resource: String,
    /// The finding.
    pub finding: Finding,
}

/// The questions of `task_definition` (register input or describe output), in `region`, the
/// Region the task runs in: the one the deploy targets.
#[must_use]
pub fn questions(task_definition: &Value, region: &str) -> Questions {
    let document = task_definition
        .get("taskDefinition")
        .unwrap_or(task_definition);
    Questions {
        roles: roles::questions(document),
        log_groups: logs::questions(document, region),
        secrets: secrets::questions(document, region),
        images: images::questions(document),
        volumes: volumes::questions(document, region),
        balancing: None,
    }
}

/// The findings of what the account answered.
#[must_use]
pub fn judge(snapshot: &Snapshot) -> Vec<AccountFinding> {
    let mut findings = roles::judge(&snapshot.roles);
    findings.extend(logs::judge(&snapshot.log_groups));
    findings.extend(secrets::judge(&snapshot.secrets));
    findings.extend(images::judge(&snapshot.images));
    findings.extend(volumes::judge(&snapshot.volumes));
    if let Some(answers) = &snapshot.balancing {
        findings.extend(balancing::judge(answers));
    }
    findings
}

/// The finding of a read the caller was refused: a fact that could not be gathered is never a
/// silent pass (`docs/aws/build-role.md`).
fn unchecked(what: &str, action: &str) -> Finding {
    Finding::error(
        "live-access-denied",
        format!("could not check {what}: the build role needs `{action}`"),
    )
    .help(format!(
        "allow `{action}` to the role the build runs as (docs/aws/build-role.md), or run \
         without --live"
    ))
}
