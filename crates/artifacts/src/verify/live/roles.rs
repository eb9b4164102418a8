//! The task role and the execution role: each exists and trusts `ecs-tasks.amazonaws.com`
//! (`docs/aws/build-role.md#roles`).

use serde_json::Value;

use super::{AccountFinding, Fact, unchecked};
use crate::Finding;

/// The service principal ECS tasks assume their roles as
/// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html>).
pub const ECS_TASKS: &str = "ecs-tasks.amazonaws.com";

/// A role a task definition names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleQuestion {
    /// `taskRoleArn` or `executionRoleArn`.
    pub field: &'static str,
    /// The value as written: an ARN or a role name.
    pub given: String,
    /// The role's name, what `iam:GetRole` takes: the ARN's last path segment.
    pub name: String,
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
            (!name.is_empty()).then(|| RoleQuestion {
                field,
                given: given.to_owned(),
                name: name.to_owned(),
            })
        })
        .collect()
}

/// Findings: a role that does not exist, one that does not trust [`ECS_TASKS`], one that could
/// not be read.
#[must_use]
pub fn judge(answers: &[(RoleQuestion, Fact<Role>)]) -> Vec<AccountFinding> {
    answers
        .iter()
        .filter_map(|(question, fact)| {
            let field = question.field;
            let (resource, finding) = match fact {
                Fact::Found(role) if trusts_ecs_tasks(&role.trust_policy) => return None,
                Fact::Found(role) => (
                    role.arn.clone(),
                    Finding::error(
                        "role-trust",
                        format!(
                            "`{field}` role `{}` does not trust `{ECS_TASKS}`: ECS cannot \
                             assume it for the task",
                            question.name
                        ),
                    )
                    .help(format!(
                        "add a statement to its trust policy: {{\"Effect\": \"Allow\", \
                         \"Principal\": {{\"Service\": \"{ECS_TASKS}\"}}, \"Action\": \
                         \"sts:AssumeRole\"}}"
                    )),
                ),
                Fact::Missing => (
                    question.given.clone(),
                    Finding::error(
                        "role-missing",
                        format!(
                            "`{field}` role `{}` does not exist in the account",
                            question.name
                        ),
                    )
                    .help("create the role, or correct the ARN in the task definition"),
                ),
                Fact::Denied { action } => (
                    question.given.clone(),
                    unchecked(&format!("`{field}` role `{}`", question.name), action),
                ),
            };
            Some(AccountFinding {
                resource,
                finding: finding.at_place(field),
            })
        })
        .collect()
}

/// Whether a trust policy allows [`ECS_TASKS`] `sts:AssumeRole`: an `Allow` statement whose
/// `Principal.Service` names it and whose `Action` covers `sts:AssumeRole`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>).
/// A policy that is not JSON trusts no one.
#[must_use]
pub fn trusts_ecs_tasks(policy: &str) -> bool {
    let Ok(policy) = serde_json::from_str::<Value>(policy) else {
        return false;
    };
    one_or_many(policy.get("Statement")).any(|statement| {
        statement.get("Effect").and_then(Value::as_str) == Some("Allow")
            && one_or_many(statement.pointer("/Principal/Service"))
                .any(|service| service.as_str() == Some(ECS_TASKS))
            && one_or_many(statement.get("Action")).any(|action| {
                action.as_str().is_some_and(|action| {
                    ["sts:AssumeRole", "sts:*", "*"]
                        .iter()
                        .any(|covers| action.eq_ignore_ascii_case(covers))
                })
            })
    })
}

/// A policy element that is one value or an array of them.
fn one_or_many(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    let values: &[Value] = match value {
        Some(Value::Array(values)) => values,
        Some(value) => std::slice::from_ref(value),
        None => &[],
    };
    values.iter()
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
        assert!(judge(&[(question("taskRoleArn"), Fact::Found(role(TRUSTING)))]).is_empty());
        let found = judge(&[
            (question("taskRoleArn"), Fact::Found(role("{}"))),
            (question("executionRoleArn"), Fact::Missing),
            (
                question("taskRoleArn"),
                Fact::Denied {
                    action: "iam:GetRole",
                },
            ),
        ]);
        let rules: Vec<_> = found.iter().map(|f| f.finding.rule).collect();
        assert_eq!(rules, ["role-trust", "role-missing", "live-access-denied"]);
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
