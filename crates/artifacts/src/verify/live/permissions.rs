//! What the execution role must be allowed for the task to start, asked of IAM's policy
//! simulation (`iam:SimulatePrincipalPolicy`) on the exact resources: pull each ECR image,
//! read each secret and parameter (and decrypt with a secret's customer key), write to each
//! `awslogs` group (and create it where the driver does), read each environment file
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html>).

use super::secrets::Store;
use super::{AccountFinding, Fact, Questions, Snapshot, registry, unchecked};
use crate::Finding;

/// The key Secrets Manager encrypts with unless told otherwise: an AWS managed key, which the
/// execution role needs no `kms:Decrypt` grant for
/// (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html>).
const AWS_MANAGED_KEY: &str = "alias/aws/secretsmanager";

/// The actions the execution role needs on one resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionQuestion {
    /// The execution role's ARN.
    pub role: String,
    /// The resource's ARN, or `*` for an action with no resource.
    pub resource: String,
    /// The actions.
    pub actions: Vec<&'static str>,
    /// What for, as users read it: "pull image `…`".
    pub purpose: String,
}

/// One decision of the simulation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The action, such as `ecr:BatchGetImage`.
    pub action: String,
    /// The resource it was decided for.
    pub resource: String,
    /// `allowed`, `implicitDeny` or `explicitDeny`.
    pub decision: String,
}

/// The permissions to simulate, once the roles, secrets and the caller's account are known:
/// none when the execution role was not found in the caller's account.
#[must_use]
pub fn questions(questions: &Questions, snapshot: &Snapshot) -> Vec<PermissionQuestion> {
    let Some(role) = snapshot
        .roles
        .iter()
        .find_map(|(question, fact)| match fact {
            Some(Fact::Found(role)) if question.field == "executionRoleArn" => {
                Some(role.arn.clone())
            }
            _ => None,
        })
    else {
        return Vec::new();
    };
    let account = snapshot
        .account
        .clone()
        .or_else(|| role.split(':').nth(4).map(str::to_owned))
        .unwrap_or_default();
    let mut asked: Vec<PermissionQuestion> = Vec::new();
    let mut ask = |resource: String, actions: &[&'static str], purpose: String| match asked
        .iter_mut()
        .find(|q| q.resource == resource)
    {
        Some(earlier) => {
            for action in actions {
                if !earlier.actions.contains(action) {
                    earlier.actions.push(action);
                }
            }
        }
        None => asked.push(PermissionQuestion {
            role: role.clone(),
            resource,
            actions: actions.to_vec(),
            purpose,
        }),
    };
    for image in &questions.images {
        let purpose = format!("pull image `{}`", image.image);
        ask(image.arn(), &registry::PULL, purpose.clone());
        ask("*".to_owned(), &["ecr:GetAuthorizationToken"], purpose);
    }
    for (secret, fact) in &snapshot.secrets {
        let purpose = format!("read `{}`", secret.value_from);
        match &secret.store {
            Store::Parameter { name } => {
                let arn = if secret.value_from.starts_with("arn:") {
                    secret.value_from.clone()
                } else {
                    format!(
                        "arn:aws:ssm:{}:{account}:parameter/{}",
                        secret.region,
                        name.trim_start_matches('/')
                    )
                };
                ask(arn, &["ssm:GetParameters"], purpose);
            }
            Store::Secret { arn, .. } => {
                let described = match fact {
                    Fact::Found(versions) => Some(versions),
                    _ => None,
                };
                let arn = described
                    .and_then(|versions| versions.arn.clone())
                    .unwrap_or_else(|| arn.clone());
                ask(arn, &["secretsmanager:GetSecretValue"], purpose.clone());
                let key = described.and_then(|versions| versions.kms_key_id.as_deref());
                if let Some(key) = key.filter(|key| *key != AWS_MANAGED_KEY) {
                    ask(
                        key_arn(key, &secret.region, &account),
                        &["kms:Decrypt"],
                        purpose,
                    );
                }
            }
        }
    }
    for group in &questions.log_groups {
        let arn = format!(
            "arn:aws:logs:{}:{account}:log-group:{}:*",
            group.region, group.name
        );
        let purpose = format!("write to log group `{}`", group.name);
        let mut actions = vec!["logs:CreateLogStream", "logs:PutLogEvents"];
        if group.created_by_driver {
            actions.push("logs:CreateLogGroup");
        }
        ask(arn, &actions, purpose);
    }
    for file in &questions.files {
        let purpose = format!("read environment file `{}`", file.arn);
        ask(file.arn.clone(), &["s3:GetObject"], purpose.clone());
        let bucket = format!("arn:aws:s3:::{}", file.bucket);
        ask(bucket, &["s3:GetBucketLocation"], purpose);
    }
    asked
}

/// A KMS key's ARN from `KmsKeyId` as `DescribeSecret` gives it: an ARN, a key id or an alias
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id>).
fn key_arn(key: &str, region: &str, account: &str) -> String {
    if key.starts_with("arn:") {
        key.to_owned()
    } else if key.starts_with("alias/") {
        format!("arn:aws:kms:{region}:{account}:{key}")
    } else {
        format!("arn:aws:kms:{region}:{account}:key/{key}")
    }
}

/// Findings: each action the simulation did not allow, and a simulation that was refused.
#[must_use]
pub fn judge(answers: &[(PermissionQuestion, Fact<Vec<Decision>>)]) -> Vec<AccountFinding> {
    let mut found = Vec::new();
    let mut refused = false;
    for (question, fact) in answers {
        let role = &question.role;
        match fact {
            Fact::Found(decisions) => {
                for decision in decisions.iter().filter(|d| d.decision != "allowed") {
                    let (action, resource) = (&decision.action, &decision.resource);
                    let fix = if decision.decision == "explicitDeny" {
                        format!(
                            "remove or narrow the statement that denies `{action}` on `{resource}`"
                        )
                    } else {
                        format!(
                            "allow it in the execution role's policy: {{\"Effect\": \"Allow\", \
                             \"Action\": \"{action}\", \"Resource\": \"{resource}\"}}"
                        )
                    };
                    found.push(AccountFinding {
                        resource: resource.clone(),
                        finding: Finding::error(
                            "execution-role-permission",
                            format!(
                                "execution role `{role}` may not `{action}` on `{resource}` \
                                 ({}), which it needs to {}: the task fails to start",
                                decision.decision, question.purpose
                            ),
                        )
                        .help(fix)
                        .at_place("executionRoleArn"),
                    });
                }
            }
            // One refusal says it all: every simulation is the same action on the same role.
            Fact::Denied { action } if !refused => {
                refused = true;
                found.push(AccountFinding {
                    resource: role.clone(),
                    finding: unchecked(&format!("what execution role `{role}` may do"), action)
                        .at_place("executionRoleArn"),
                });
            }
            Fact::Denied { .. } | Fact::Missing => {}
        }
    }
    found
}

#[cfg(test)]
mod tests;
