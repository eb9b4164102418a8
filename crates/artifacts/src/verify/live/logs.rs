//! The `awslogs` log groups: each exists, or the driver creates it (`awslogs-create-group`)
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html>).

use serde_json::Value;

use super::{AccountFinding, Fact, unchecked};
use crate::Finding;

/// An `awslogs` log group a container writes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogGroupQuestion {
    /// The first container that names it.
    pub container: String,
    /// `awslogs-group`.
    pub name: String,
    /// `awslogs-region`, or the task's Region.
    pub region: String,
    /// `awslogs-create-group` is `true`: the driver creates the group, given
    /// `logs:CreateLogGroup` on the execution role.
    pub created_by_driver: bool,
}

impl LogGroupQuestion {
    /// The log group's ARN, in an account not known here: `arn:aws:logs:<region>:*:log-group:<name>`
    /// is how IAM policies name it in every account.
    #[must_use]
    pub fn arn(&self) -> String {
        format!("arn:aws:logs:{}:*:log-group:{}", self.region, self.name)
    }
}

/// The log groups of the containers using the `awslogs` driver, each group and Region once.
#[must_use]
pub fn questions(document: &Value, region: &str) -> Vec<LogGroupQuestion> {
    let mut asked: Vec<LogGroupQuestion> = Vec::new();
    let containers = document
        .get("containerDefinitions")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for container in containers {
        let Some(configuration) = container.get("logConfiguration") else {
            continue;
        };
        if configuration.get("logDriver").and_then(Value::as_str) != Some("awslogs") {
            continue;
        }
        let option = |name: &str| {
            configuration
                .pointer(&format!("/options/{name}"))
                .and_then(Value::as_str)
        };
        let Some(name) = option("awslogs-group").filter(|name| !name.is_empty()) else {
            continue;
        };
        let question = LogGroupQuestion {
            container: container
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            name: name.to_owned(),
            region: option("awslogs-region").unwrap_or(region).to_owned(),
            created_by_driver: option("awslogs-create-group")
                .is_some_and(|value| value.eq_ignore_ascii_case("true")),
        };
        match asked
            .iter_mut()
            .find(|q| q.name == question.name && q.region == question.region)
        {
            Some(earlier) => earlier.created_by_driver |= question.created_by_driver,
            None => asked.push(question),
        }
    }
    asked
}

/// Findings: a log group that does not exist and that the driver does not create, one that
/// could not be read.
#[must_use]
pub fn judge(answers: &[(LogGroupQuestion, Option<Fact<()>>)]) -> Vec<AccountFinding> {
    answers
        .iter()
        .filter_map(|(question, fact)| {
            let finding = match fact.as_ref()? {
                Fact::Found(()) => return None,
                Fact::Missing => Finding::error(
                    "log-group-missing",
                    format!(
                        "log group `{}` of container `{}` does not exist in `{}`: the task \
                         stops with `ResourceInitializationError`",
                        question.name, question.container, question.region
                    ),
                )
                .help(
                    "create the log group, or set `awslogs-create-group` to `true` and allow \
                     `logs:CreateLogGroup` to the execution role",
                ),
                Fact::Denied { action } => unchecked(
                    &format!("log group `{}` in `{}`", question.name, question.region),
                    action,
                ),
            };
            Some(AccountFinding {
                resource: question.arn(),
                finding: finding.at_place(format!("container `{}`", question.container)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn awslogs(container: &str, options: &Value) -> Value {
        json!({"name": container, "logConfiguration": {"logDriver": "awslogs", "options": options}})
    }

    #[test]
    fn asks_for_each_awslogs_group_once_in_its_region() {
        let document = json!({"containerDefinitions": [
            awslogs("web", &json!({"awslogs-group": "/ecs/web"})),
            awslogs("proxy", &json!({"awslogs-group": "/ecs/web", "awslogs-create-group": "true"})),
            awslogs("audit", &json!({"awslogs-group": "/ecs/audit", "awslogs-region": "us-east-1"})),
            {"name": "fluent", "logConfiguration": {"logDriver": "awsfirelens"}},
            {"name": "plain"},
        ]});
        let asked = questions(&document, "eu-west-1");
        let found: Vec<_> = asked
            .iter()
            .map(|q| (q.name.as_str(), q.region.as_str(), q.created_by_driver))
            .collect();
        assert_eq!(
            found,
            [
                ("/ecs/web", "eu-west-1", true),
                ("/ecs/audit", "us-east-1", false)
            ]
        );
    }

    #[test]
    fn judges_missing_and_unreadable_groups() {
        let question = LogGroupQuestion {
            container: "web".to_owned(),
            name: "/ecs/web".to_owned(),
            region: "eu-west-1".to_owned(),
            created_by_driver: false,
        };
        assert!(judge(&[(question.clone(), Some(Fact::Found(())))]).is_empty());
        assert!(judge(&[(question.clone(), None)]).is_empty());
        let found = judge(&[
            (question.clone(), Some(Fact::Missing)),
            (
                question,
                Some(Fact::Denied {
                    action: "logs:DescribeLogGroups",
                }),
            ),
        ]);
        let rules: Vec<_> = found.iter().map(|f| f.finding.rule).collect();
        assert_eq!(rules, ["log-group-missing", "live-access-denied"]);
        assert_eq!(
            found[0].resource,
            "arn:aws:logs:eu-west-1:*:log-group:/ecs/web"
        );
    }
}
