//! `ecs-verify --live`: what a task definition asks of the account it deploys into, and the
//! judgement of what the account answered.
//!
//! The split keeps every rule testable without a network (`docs/programs/ecs-verify.md#the-account---live`):
//! [`questions`] reads the task definition into plain questions, `deploykit_aws::live` asks
//! the account (read-only, concurrently) and fills a [`Snapshot`], and [`judge`] turns the
//! snapshot into findings, each placed at the resource's ARN.

pub mod balancing;
pub mod files;
pub mod images;
pub mod logs;
pub mod network;
pub mod permissions;
pub mod registry;
pub mod roles;
pub mod secrets;
pub mod trust;
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
    /// The S3 objects of the containers' `environmentFiles`.
    pub files: Vec<files::FileQuestion>,
    /// The Region the task runs in.
    pub region: String,
    /// How many critical scan findings an image may have (`--max-critical`).
    pub max_critical: u32,
    /// The EFS volumes.
    pub volumes: Vec<volumes::VolumeQuestion>,
    /// Blue/Green: the CodeDeploy deployment group and what the `AppSpec` expects of it.
    pub balancing: Option<balancing::BalancingQuestion>,
    /// Blue/Green: the subnets and security groups of the `AppSpec`'s `NetworkConfiguration`.
    pub network: Option<network::NetworkQuestion>,
}

/// The account's answers, one per question.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// The caller's account (`sts:GetCallerIdentity`), when it was asked.
    pub account: Option<String>,
    /// The Region the task runs in.
    pub region: String,
    /// Each role asked about, and what IAM said; `None` when it was not asked because it is in
    /// another account.
    pub roles: Vec<(roles::RoleQuestion, Option<Fact<roles::Role>>)>,
    /// Each log group asked about, and what CloudWatch Logs said; `None` when it was not asked
    /// because the log driver creates it.
    pub log_groups: Vec<(logs::LogGroupQuestion, Option<Fact<()>>)>,
    /// Each secret asked about, and what SSM or Secrets Manager said.
    pub secrets: Vec<(secrets::SecretQuestion, Fact<secrets::SecretVersions>)>,
    /// Each image asked about, and its manifest as ECR sent it.
    pub images: Vec<(images::ImageQuestion, Fact<images::Manifest>)>,
    /// Each image's repository and scan, as ECR described them.
    pub registry: Vec<(images::ImageQuestion, registry::Registry)>,
    /// Each `environmentFiles` object, and whether S3 has it.
    pub files: Vec<(files::FileQuestion, Fact<()>)>,
    /// What IAM's policy simulation decided for the execution role.
    pub permissions: Vec<(
        permissions::PermissionQuestion,
        Fact<Vec<permissions::Decision>>,
    )>,
    /// How many critical scan findings an image may have.
    pub max_critical: u32,
    /// How many calls were sent.
    pub calls: usize,
    /// Each EFS volume asked about, and what EFS said.
    pub volumes: Vec<volumes::VolumeAnswers>,
    /// Blue/Green: what CodeDeploy, Elastic Load Balancing and ECS said of the deployment
    /// group.
    pub balancing: Option<balancing::BalancingAnswers>,
    /// Blue/Green: what EC2 said of the `AppSpec`'s subnets and security groups.
    pub network: Option<network::NetworkAnswers>,
}

impl Snapshot {
    /// The execution role's ARN: as IAM described it, as the task definition gives it, or made
    /// of its name and the caller's account.
    #[must_use]
    pub fn execution_role(&self) -> Option<String> {
        let (question, fact) = self
            .roles
            .iter()
            .find(|(question, _)| question.field == "executionRoleArn")?;
        if let Some(Fact::Found(role)) = fact {
            return Some(role.arn.clone());
        }
        if question.given.starts_with("arn:") {
            return Some(question.given.clone());
        }
        let account = self.account.as_deref()?;
        Some(format!("arn:aws:iam::{account}:role/{}", question.name))
    }

    /// The caller's account and the task's Region, which trust conditions are judged against.
    #[must_use]
    pub fn source(&self) -> Option<trust::Source<'_>> {
        self.account.as_deref().map(|account| trust::Source {
            account,
            region: &self.region,
        })
    }
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
        files: files::questions(document),
        region: region.to_owned(),
        max_critical: 0,
        volumes: volumes::questions(document, region),
        balancing: None,
        network: None,
    }
}

/// The findings of what the account answered.
#[must_use]
pub fn judge(snapshot: &Snapshot) -> Vec<AccountFinding> {
    let mut findings = roles::judge(&snapshot.roles, snapshot.source());
    findings.extend(logs::judge(&snapshot.log_groups));
    findings.extend(secrets::judge(&snapshot.secrets));
    findings.extend(files::judge(&snapshot.files));
    findings.extend(images::judge(&snapshot.images));
    findings.extend(registry::judge(
        &snapshot.registry,
        snapshot.execution_role().as_deref(),
        snapshot.max_critical,
    ));
    findings.extend(permissions::judge(&snapshot.permissions));
    findings.extend(volumes::judge(&snapshot.volumes));
    if let Some(answers) = &snapshot.balancing {
        findings.extend(balancing::judge(answers));
    }
    if let Some(answers) = &snapshot.network {
        findings.extend(network::judge(answers));
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
