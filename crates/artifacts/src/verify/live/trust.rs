//! Whether a role's trust policy lets ECS tasks of this account assume it: an `Allow` statement
//! for `ecs-tasks.amazonaws.com` and `sts:AssumeRole`, and its `Condition` block, where it can be
//! decided from the account and Region alone
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html>).
//!
//! ECS sets `aws:SourceAccount` to the task's account and `aws:SourceArn` to an ARN of the task's
//! cluster in that account and Region when it assumes the task role or the execution role
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcearn>):
//! a condition on either key that no such value matches excludes every task of the account. A
//! condition on any other key, or with another operator, is not decided here.

use serde_json::Value;

/// The service principal ECS tasks assume their roles as
/// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html>).
pub const ECS_TASKS: &str = "ecs-tasks.amazonaws.com";

/// What a trust policy says of ECS tasks of one account and Region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trust {
    /// A statement trusts them, with no condition or with conditions they meet.
    Trusted,
    /// No `Allow` statement names the principal and the action.
    NotTrusted,
    /// Every statement that names them has a condition they cannot meet: the first one, as
    /// `operator key values`.
    Excluded(String),
    /// A statement names them under conditions not decided here: the first one.
    Undecided(String),
}

/// The task's account and Region, which the source keys are compared with.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    /// The account id the task runs in.
    pub account: &'a str,
    /// The Region it runs in.
    pub region: &'a str,
}

/// What `policy` (JSON text) says of ECS tasks of `source`. A policy that is not JSON trusts
/// no one.
#[must_use]
pub fn trust(policy: &str, source: Option<Source<'_>>) -> Trust {
    let Ok(policy) = serde_json::from_str::<Value>(policy) else {
        return Trust::NotTrusted;
    };
    let mut verdict = Trust::NotTrusted;
    for statement in one_or_many(policy.get("Statement")).filter(|s| names_ecs_tasks(s)) {
        let this = match statement.get("Condition") {
            None => Trust::Trusted,
            Some(condition) => conditions(condition, source),
        };
        verdict = match (verdict, this) {
            (Trust::Trusted, _) | (_, Trust::Trusted) => Trust::Trusted,
            (Trust::Undecided(first), _) | (_, Trust::Undecided(first)) => Trust::Undecided(first),
            (Trust::Excluded(first), _) | (Trust::NotTrusted, Trust::Excluded(first)) => {
                Trust::Excluded(first)
            }
            (Trust::NotTrusted, Trust::NotTrusted) => Trust::NotTrusted,
        };
    }
    verdict
}

/// An `Allow` statement whose `Principal.Service` is [`ECS_TASKS`] and whose `Action` covers
/// `sts:AssumeRole`.
fn names_ecs_tasks(statement: &Value) -> bool {
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
}

/// A `Condition` block: every operator and key must hold.
fn conditions(block: &Value, source: Option<Source<'_>>) -> Trust {
    let Some(operators) = block.as_object() else {
        return Trust::Undecided(block.to_string());
    };
    let mut undecided = None;
    for (operator, keys) in operators {
        for (key, values) in keys.as_object().into_iter().flatten() {
            let shown = format!("{operator} {key} {values}");
            match condition(operator, key, values, source) {
                Some(true) => {}
                Some(false) => return Trust::Excluded(shown),
                None => {
                    undecided.get_or_insert(shown);
                }
            }
        }
    }
    undecided.map_or(Trust::Trusted, Trust::Undecided)
}

/// One condition: `Some(holds)` when it is decided. A value list holds when any value matches.
fn condition(
    operator: &str,
    key: &str,
    values: &Value,
    source: Option<Source<'_>>,
) -> Option<bool> {
    let source = source?;
    // `…IfExists` holds as well when the key is absent; ECS always sets both keys.
    let operator = operator.strip_suffix("IfExists").unwrap_or(operator);
    let wildcards = match operator {
        "StringEquals" | "ArnEquals" => false,
        "StringLike" | "ArnLike" => true,
        _ => return None,
    };
    let patterns: Vec<&str> = one_or_many(Some(values))
        .map(Value::as_str)
        .collect::<Option<_>>()?;
    let key = key.to_ascii_lowercase();
    let verdicts = patterns.iter().map(|pattern| match key.as_str() {
        "aws:sourceaccount" => Some(if wildcards {
            glob(pattern, source.account)
        } else {
            *pattern == source.account
        }),
        "aws:sourcearn" => source_arn(pattern, wildcards, source),
        _ => None,
    });
    let mut any_undecided = false;
    for verdict in verdicts {
        match verdict {
            Some(true) => return Some(true),
            Some(false) => {}
            None => any_undecided = true,
        }
    }
    (!any_undecided).then_some(false)
}

/// Whether an `aws:SourceArn` pattern can match a cluster ARN of the account and Region,
/// `arn:<partition>:ecs:<region>:<account>:…`: `Some(false)` when its first five fields rule
/// that out, `Some(true)` when it matches every resource there, `None` when it names one
/// cluster, which is not known here.
fn source_arn(pattern: &str, wildcards: bool, source: Source<'_>) -> Option<bool> {
    let fields: Vec<&str> = pattern.splitn(6, ':').collect();
    let [arn, _partition, service, region, account, resource] = fields.as_slice() else {
        return Some(wildcards && pattern == "*");
    };
    let matches = |pattern: &str, value: &str| {
        if wildcards {
            glob(pattern, value)
        } else {
            pattern == value
        }
    };
    if !(matches(arn, "arn")
        && matches(service, "ecs")
        && matches(region, source.region)
        && matches(account, source.account))
    {
        return Some(false);
    }
    (wildcards && *resource == "*").then_some(true)
}

/// IAM's wildcard match: `*` any run of characters, `?` any one character.
pub(super) fn glob(pattern: &str, value: &str) -> bool {
    match pattern.chars().next() {
        None => value.is_empty(),
        Some('*') => {
            let rest = &pattern[1..];
            value
                .char_indices()
                .map(|(at, _)| at)
                .chain([value.len()])
                .any(|at| glob(rest, &value[at..]))
        }
        Some(first) => value.chars().next().is_some_and(|next| {
            (first == '?' || first == next)
                && glob(&pattern[first.len_utf8()..], &value[next.len_utf8()..])
        }),
    }
}

/// A policy element that is one value or an array of them.
pub(super) fn one_or_many(value: Option<&Value>) -> impl Iterator<Item = &Value> {
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

    const SOURCE: Source<'static> = Source {
        account: "123456789012",
        region: "eu-west-1",
    };

    fn policy(condition: &Value) -> String {
        json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": ECS_TASKS},
            "Action": "sts:AssumeRole", "Condition": condition}]})
        .to_string()
    }

    #[test]
    fn decides_source_account_and_source_arn() {
        let trusted = [
            json!({"StringEquals": {"aws:SourceAccount": "123456789012"}}),
            json!({"StringEquals": {"aws:SourceAccount": ["999999999999", "123456789012"]}}),
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:ecs:eu-west-1:123456789012:*"}}),
            json!({"StringLike": {"aws:SourceArn": "arn:aws:ecs:*:123456789012:*"}}),
        ];
        for condition in trusted {
            assert_eq!(
                trust(&policy(&condition), Some(SOURCE)),
                Trust::Trusted,
                "{condition}"
            );
        }
        let excluded = [
            json!({"StringEquals": {"aws:SourceAccount": "999999999999"}}),
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:ecs:us-east-1:123456789012:*"}}),
            json!({"ArnEquals": {"aws:SourceArn": "arn:aws:ecs:eu-west-1:999999999999:cluster/x"}}),
        ];
        for condition in excluded {
            assert!(
                matches!(trust(&policy(&condition), Some(SOURCE)), Trust::Excluded(_)),
                "{condition}"
            );
        }
        let undecided = [
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:ecs:eu-west-1:123456789012:cluster/prod"}}),
            json!({"StringEquals": {"aws:PrincipalTag/team": "web"}}),
            json!({"StringNotEquals": {"aws:SourceAccount": "999999999999"}}),
        ];
        for condition in undecided {
            assert!(
                matches!(
                    trust(&policy(&condition), Some(SOURCE)),
                    Trust::Undecided(_)
                ),
                "{condition}"
            );
        }
        let account = json!({"StringEquals": {"aws:SourceAccount": "123456789012"}});
        assert!(matches!(
            trust(&policy(&account), None),
            Trust::Undecided(_)
        ));
    }

    #[test]
    fn a_statement_without_conditions_trusts() {
        let both = json!({"Statement": [
            {"Effect": "Allow", "Principal": {"Service": ECS_TASKS}, "Action": "sts:AssumeRole",
             "Condition": {"StringEquals": {"aws:SourceAccount": "999999999999"}}},
            {"Effect": "Allow", "Principal": {"Service": [ECS_TASKS]}, "Action": ["sts:AssumeRole"]},
        ]});
        assert_eq!(trust(&both.to_string(), Some(SOURCE)), Trust::Trusted);
        assert_eq!(trust("not json", Some(SOURCE)), Trust::NotTrusted);
        assert!(glob("a*c?", "abbbcd") && !glob("a*c", "abd"));
    }
}
