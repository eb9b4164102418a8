//! The task role and the execution role: each exists and trusts `ecs-tasks.amazonaws.com`,
//! under the conditions of its trust policy (`docs/aws/build-role.md#roles`).

use serde_json::Value;

use super::trust::{self, Source, Trust};
use super::{AccountFinding, Fact, unchecked};
use crate::Finding;

pub use super::trust::ECS_TASKS;

/// A role a task definition names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleQuestion {
    /// `taskRoleArn` or `executionRoleArn`.
    pub field: &'static str,
    /// The value as written: an ARN or a role name.
    pub given: String,
    /// The role's name, what `iam:GetRole` takes: the ARN's last path segment.
    pub name: String,
    /// The account of an ARN; `None` for a bare name, which is the task's account.
    pub account: Option<String>,
}

impl RoleQuestion {
    /// Whether the role is in another account than `caller`'s: `GetRole` reads only the
    /// caller's own account.
    #[must_use]
    pub fn in_other_account(&self, caller: Option<&str>) -> bool {
        matches!((&self.account, caller), (Some(account), Some(caller)) if account != caller)
    }
}

/// A role as IAM described it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// The role's ARN.
    pub arn: String,
    /// The trust policy, decoded JSON text.
    pub trust_policy: String,
}

/// The roles of a task definition, each once.
#[must_use]
pub fn questions(document: &Value) -> Vec<RoleQuestion> {
    ["taskRoleArn", "executionRoleArn"]
        .into_iter()
        .filter_map(|field| {
            let given = document.get(field)?.as_str()?.trim();
            // A role ARN is `arn:<partition>:iam::<account>:role/<path/>name`, and GetRole takes
            // the name alone (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html).
            let name = given.rsplit('/').next().unwrap_or(given);
            let account = given
                .starts_with("arn:")
                .then(|| given.split(':').nth(4))
                .flatten()
                .filter(|account| !account.is_empty());
            (!name.is_empty()).then(|| RoleQuestion {
                field,
                given: given.to_owned(),
                name: name.to_owned(),
                account: account.map(str::to_owned),
            })
        })
        .collect()
}

/// Findings: a role that does not exist, one that does not trust [`ECS_TASKS`] (or only under
/// conditions this account's tasks cannot meet, or that are not decided here), one that could
/// not be read, one in another account (`None`: not asked). `source` is the caller's account
/// and the task's Region, when known.
#[must_use]
pub fn judge(
    answers: &[(RoleQuestion, Option<Fact<Role>>)],
    source: Option<Source<'_>>,
) -> Vec<AccountFinding> {
    answers
        .iter()
        .filter_map(|(question, fact)| {
            let field = question.field;
            let name = &question.name;
            let (resource, finding) = match fact {
                None => (
                    question.given.clone(),
                    Finding::warning(
                        "role-other-account",
                        format!(
                            "`{field}` role `{name}` is in account `{}`, not the caller's: it \
                             could not be checked (IAM reads only the caller's own roles)",
                            question.account.as_deref().unwrap_or_default()
                        ),
                    )
                    .help(
                        "check it in its own account, or run the check as a role of that account",
                    ),
                ),
                Some(Fact::Found(role)) => match trust::trust(&role.trust_policy, source) {
                    Trust::Trusted => return None,
                    Trust::NotTrusted => (role.arn.clone(), untrusting(field, name)),
                    Trust::Excluded(condition) => (
                        role.arn.clone(),
                        Finding::error(
                            "role-trust-condition",
                            format!(
                                "`{field}` role `{name}` trusts `{ECS_TASKS}` only under \
                                 `{condition}`, which tasks of account `{}` in `{}` do not meet",
                                source.map_or("", |s| s.account),
                                source.map_or("", |s| s.region)
                            ),
                        )
                        .help(
                            "make the condition name this account (`aws:SourceAccount`) and \
                             `arn:aws:ecs:REGION:ACCOUNT:*` (`aws:SourceArn`), or remove it",
                        ),
                    ),
                    Trust::Undecided(condition) => (
                        role.arn.clone(),
                        Finding::warning(
                            "role-trust-undecided",
                            format!(
                                "`{field}` role `{name}` trusts `{ECS_TASKS}` under \
                                 `{condition}`, which could not be decided here"
                            ),
                        )
                        .help("make sure the condition holds for the tasks of this cluster"),
                    ),
                },
                Some(Fact::Missing) => (
                    question.given.clone(),
                    Finding::error(
                        "role-missing",
                        format!("`{field}` role `{name}` does not exist in the account"),
                    )
                    .help("create the role, or correct the ARN in the task definition"),
                ),
                Some(Fact::Denied { action }) => (
                    question.given.clone(),
                    unchecked(&format!("`{field}` role `{name}`"), action),
                ),
            };
            Some(AccountFinding {
                resource,
                finding: finding.at_place(field),
            })
        })
        .collect()
}

fn untrusting(field: &str, name: &str) -> Finding {
    Finding::error(
        "role-trust",
        format!(
            "`{field}` role `{name}` does not trust `{ECS_TASKS}`: ECS cannot assume it for the \
             task"
        ),
    )
    .help(format!(
        "add a statement to its trust policy: {{\"Effect\": \"Allow\", \"Principal\": \
         {{\"Service\": \"{ECS_TASKS}\"}}, \"Action\": \"sts:AssumeRole\"}}"
    ))
}

/// Whether a trust policy allows [`ECS_TASKS`] `sts:AssumeRole` in some statement, whatever its
/// conditions (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>).
/// A policy that is not JSON trusts no one.
#[must_use]
pub fn trusts_ecs_tasks(policy: &str) -> bool {
    trust::trust(policy, None) != Trust::NotTrusted
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const TRUSTING: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "Principal":{"Service":["ecs-tasks.amazonaws.com"]},"Action":"sts:AssumeRole"}]}"#;

    fn question(field: &'static str) -> RoleQuestion {
        RoleQuestion {
            field,
            given: "arn:aws:iam::123456789012:role/app/web".to_owned(),
            name: "web".to_owned(),
            account: Some("123456789012".to_owned()),
        }
    }

    #[test]
    fn asks_for_each_role_by_name() {
        let document = json!({
            "taskRoleArn": "arn:aws:iam::123456789012:role/app/web",
            "executionRoleArn": "ecsTaskExecutionRole",
        });
        let asked = questions(&document);
        let names: Vec<_> = asked.iter().map(|q| (q.field, q.name.as_str())).collect();
        assert_eq!(
            names,
            [
                ("taskRoleArn", "web"),
                ("executionRoleArn", "ecsTaskExecutionRole")
            ]
        );
        assert_eq!(asked[0].account.as_deref(), Some("123456789012"));
        assert!(asked[1].account.is_none());
        assert!(asked[0].in_other_account(Some("999999999999")));
        assert!(!asked[1].in_other_account(Some("999999999999")));
        assert!(questions(&json!({"taskRoleArn": ""})).is_empty());
    }

    #[test]
    fn reads_trust_policies_as_iam_writes_them() {
        assert!(trusts_ecs_tasks(TRUSTING));
        let single = r#"{"Statement":{"Effect":"Allow","Principal":{"Service":
            "ecs-tasks.amazonaws.com"},"Action":["sts:TagSession","sts:AssumeRole"]}}"#;
        assert!(trusts_ecs_tasks(single));
        for policy in [
            TRUSTING.replace("ecs-tasks", "ec2"),
            TRUSTING.replace("Allow", "Deny"),
            TRUSTING.replace("sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"),
            "not json".to_owned(),
        ] {
            assert!(!trusts_ecs_tasks(&policy), "{policy}");
        }
    }

    #[test]
    fn judges_missing_untrusting_and_unreadable_roles() {
        let role = |policy: &str| Role {
            arn: "arn:aws:iam::123456789012:role/app/web".to_owned(),
            trust_policy: policy.to_owned(),
        };
        let source = Some(Source {
            account: "123456789012",
            region: "eu-west-1",
        });
        let trusted = (question("taskRoleArn"), Some(Fact::Found(role(TRUSTING))));
        assert!(judge(&[trusted], source).is_empty());
        let elsewhere = TRUSTING.replace(
            r#""Action""#,
            r#""Condition":{"StringEquals":{"aws:SourceAccount":"999999999999"}},"Action""#,
        );
        let found = judge(
            &[
                (question("taskRoleArn"), Some(Fact::Found(role("{}")))),
                (question("executionRoleArn"), Some(Fact::Missing)),
                (
                    question("taskRoleArn"),
                    Some(Fact::Denied {
                        action: "iam:GetRole",
                    }),
                ),
                (question("taskRoleArn"), Some(Fact::Found(role(&elsewhere)))),
                (question("taskRoleArn"), None),
            ],
            source,
        );
        let rules: Vec<_> = found.iter().map(|f| f.finding.rule).collect();
        assert_eq!(
            rules,
            [
                "role-trust",
                "role-missing",
                "live-access-denied",
                "role-trust-condition",
                "role-other-account"
            ]
        );
        assert!(
            found
                .iter()
                .all(|f| f.resource.starts_with("arn:aws:iam::"))
        );
        assert_eq!(
            found[2].finding.message,
            "could not check `taskRoleArn` role `web`: the build role needs `iam:GetRole`"
        );
    }
}
