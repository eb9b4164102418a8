//! The secrets a task injects: each `secrets[].valueFrom` and log-configuration `secretOptions`
//! SSM parameter or Secrets Manager secret exists where the task will look for it, read through
//! its description only, never its value
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html>).

use serde_json::Value;

use super::{AccountFinding, Fact, unchecked};
use crate::Finding;

/// Which store a `valueFrom` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Store {
    /// An SSM parameter, by name (`/path/name` or `name`).
    Parameter {
        /// The parameter's name.
        name: String,
    },
    /// A Secrets Manager secret, by the ARN of the secret itself.
    Secret {
        /// `arn:aws:secretsmanager:<region>:<account>:secret:<name>`.
        arn: String,
        /// The JSON key of the secret's value, when one is named: not checked, as that would
        /// read the value.
        json_key: Option<String>,
        /// The version stage named (`AWSCURRENT`, `AWSPREVIOUS`, a custom label).
        version_stage: Option<String>,
        /// The version id named.
        version_id: Option<String>,
    },
}

/// A secret one container injects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretQuestion {
    /// The first container that names it.
    pub container: String,
    /// `valueFrom` as written.
    pub value_from: String,
    /// Where it is kept.
    pub store: Store,
    /// The Region it is looked up in: the ARN's, else the task's.
    pub region: String,
}

/// What Secrets Manager described of a secret: the staging labels of its versions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecretVersions {
    /// `(version id, its staging labels)`.
    pub versions: Vec<(String, Vec<String>)>,
    /// The secret's full ARN, as `DescribeSecret` gives it.
    pub arn: Option<String>,
    /// `KmsKeyId`: the key the secret is encrypted with, when it is not the AWS managed one.
    pub kms_key_id: Option<String>,
}

/// The secrets of the containers, each `valueFrom` once: `secrets`, log-configuration
/// `secretOptions` and the private registry's `repositoryCredentials.credentialsParameter`
/// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/private-auth.html>).
#[must_use]
pub fn questions(document: &Value, region: &str) -> Vec<SecretQuestion> {
    let mut asked: Vec<SecretQuestion> = Vec::new();
    let containers = document
        .get("containerDefinitions")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for container in containers {
        let name = container
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let lists = [
            container.get("secrets"),
            container.pointer("/logConfiguration/secretOptions"),
        ];
        let value_froms = lists
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|secret| secret.get("valueFrom")?.as_str());
        for value_from in value_froms {
            if asked.iter().any(|q| q.value_from == value_from) {
                continue;
            }
            if let Some(question) = question(name, value_from, region) {
                asked.push(question);
            }
        }
        let credentials = container
            .pointer("/repositoryCredentials/credentialsParameter")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|given| !given.is_empty());
        if let Some(given) = credentials
            && !asked.iter().any(|q| q.value_from == given)
        {
            // Always a Secrets Manager secret: its ARN, or its name in the task's Region.
            let question = question(name, given, region).map(|mut question| {
                if let Store::Parameter { .. } = question.store {
                    question.store = Store::Secret {
                        arn: given.to_owned(),
                        json_key: None,
                        version_stage: None,
                        version_id: None,
                    };
                }
                question
            });
            asked.extend(question);
        }
    }
    asked
}

/// A `valueFrom`: a Secrets Manager ARN (`…:secret:name[:json-key:version-stage:version-id]`),
/// an SSM parameter ARN (`…:parameter/name`), or a parameter name in the task's Region.
fn question(container: &str, value_from: &str, region: &str) -> Option<SecretQuestion> {
    let value_from = value_from.trim();
    let parts: Vec<&str> = value_from.split(':').collect();
    let (store, region) = match parts.as_slice() {
        [
            "arn",
            _,
            "secretsmanager",
            arn_region,
            _,
            "secret",
            _,
            rest @ ..,
        ] => {
            let part = |i: usize| {
                rest.get(i)
                    .filter(|part| !part.is_empty())
                    .map(|part| (*part).to_owned())
            };
            let store = Store::Secret {
                arn: parts[..7].join(":"),
                json_key: part(0),
                version_stage: part(1),
                version_id: part(2),
            };
            (store, *arn_region)
        }
        ["arn", _, "ssm", arn_region, _, resource] => {
            let path = resource.strip_prefix("parameter")?;
            // `parameter/name` is the parameter `name`; `parameter/a/b` is `/a/b`
            // (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html).
            let bare = path.strip_prefix('/')?;
            let name = if bare.contains('/') { path } else { bare };
            let store = Store::Parameter {
                name: name.to_owned(),
            };
            (store, *arn_region)
        }
        [_] if !value_from.is_empty() => (
            Store::Parameter {
                name: value_from.to_owned(),
            },
            region,
        ),
        _ => return None,
    };
    Some(SecretQuestion {
        container: container.to_owned(),
        value_from: value_from.to_owned(),
        store,
        region: region.to_owned(),
    })
}

/// Findings: a parameter or secret that does not exist, a version stage or id the secret does
/// not have, one that could not be read.
#[must_use]
pub fn judge(answers: &[(SecretQuestion, Fact<SecretVersions>)]) -> Vec<AccountFinding> {
    let mut found = Vec::new();
    for (question, fact) in answers {
        let what = match &question.store {
            Store::Parameter { name } => format!("SSM parameter `{name}`"),
            Store::Secret { arn, .. } => format!("secret `{arn}`"),
        };
        let finding = match fact {
            Fact::Missing => Finding::error(
                "secret-missing",
                format!(
                    "{what} of container `{}` does not exist in `{}`: the task stops with \
                     `ResourceInitializationError: unable to pull secrets`",
                    question.container, question.region
                ),
            )
            .help("create it in the task's Region, or give its full ARN where it is kept"),
            Fact::Denied { action } => {
                unchecked(&format!("{what} in `{}`", question.region), action)
            }
            Fact::Found(versions) => match missing_version(&question.store, versions) {
                Some(version) => Finding::error(
                    "secret-version",
                    format!(
                        "{what} of container `{}` has no version {version}",
                        question.container
                    ),
                )
                .help(
                    "name a version stage or id the secret has, or leave it empty for AWSCURRENT",
                ),
                None => continue,
            },
        };
        found.push(AccountFinding {
            resource: question.value_from.clone(),
            finding: finding.at_place(format!("container `{}`", question.container)),
        });
    }
    found
}

/// The version stage or id a secret's `valueFrom` names that its versions lack.
fn missing_version(store: &Store, versions: &SecretVersions) -> Option<String> {
    let Store::Secret {
        version_stage,
        version_id,
        ..
    } = store
    else {
        return None;
    };
    if let Some(stage) = version_stage
        && !versions
            .versions
            .iter()
            .any(|(_, stages)| stages.contains(stage))
    {
        return Some(format!("staged `{stage}`"));
    }
    if let Some(id) = version_id
        && !versions.versions.iter().any(|(known, _)| known == id)
    {
        return Some(format!("`{id}`"));
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const SECRET: &str = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";

    #[test]
    fn reads_parameters_and_secrets_from_secrets_and_secret_options() {
        let document = json!({"containerDefinitions": [{
            "name": "web",
            "secrets": [
                {"name": "A", "valueFrom": "plain"},
                {"name": "B", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/url"},
                {"name": "C", "valueFrom": format!("{SECRET}:password:AWSPREVIOUS:")},
                {"name": "D", "valueFrom": "plain"},
            ],
            "logConfiguration": {"logDriver": "splunk", "secretOptions": [
                {"name": "splunk-token", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/token"},
            ]},
        }]});
        let asked = questions(&document, "eu-west-1");
        let stores: Vec<_> = asked
            .iter()
            .map(|q| (&q.store, q.region.as_str()))
            .collect();
        assert_eq!(
            stores,
            [
                (
                    &Store::Parameter {
                        name: "plain".to_owned()
                    },
                    "eu-west-1"
                ),
                (
                    &Store::Parameter {
                        name: "/app/db/url".to_owned()
                    },
                    "us-east-1"
                ),
                (
                    &Store::Secret {
                        arn: SECRET.to_owned(),
                        json_key: Some("password".to_owned()),
                        version_stage: Some("AWSPREVIOUS".to_owned()),
                        version_id: None,
                    },
                    "eu-west-1"
                ),
                (
                    &Store::Parameter {
                        name: "token".to_owned()
                    },
                    "eu-west-1"
                ),
            ]
        );
    }

    #[test]
    fn reads_repository_credentials_as_secrets() {
        let document = json!({"containerDefinitions": [
            {"name": "web", "repositoryCredentials": {"credentialsParameter": SECRET}},
            {"name": "side", "repositoryCredentials": {"credentialsParameter": "registry-login"}},
        ]});
        let asked = questions(&document, "eu-west-1");
        let arns: Vec<_> = asked
            .iter()
            .map(|q| match &q.store {
                Store::Secret { arn, .. } => arn.as_str(),
                Store::Parameter { name } => name.as_str(),
            })
            .collect();
        assert_eq!(arns, [SECRET, "registry-login"]);
        assert!(matches!(asked[1].store, Store::Secret { .. }));
    }

    #[test]
    fn judges_missing_secrets_and_versions() {
        let document = json!({"containerDefinitions": [{"name": "web", "secrets": [
            {"name": "A", "valueFrom": format!("{SECRET}::AWSPENDING:")},
            {"name": "B", "valueFrom": "plain"},
        ]}]});
        let asked = questions(&document, "eu-west-1");
        let current = SecretVersions {
            versions: vec![("v1".to_owned(), vec!["AWSCURRENT".to_owned()])],
            ..SecretVersions::default()
        };
        let found = judge(&[
            (asked[0].clone(), Fact::Found(current.clone())),
            (asked[1].clone(), Fact::Missing),
        ]);
        let rules: Vec<_> = found.iter().map(|f| f.finding.rule).collect();
        assert_eq!(rules, ["secret-version", "secret-missing"]);
        assert!(
            found[0]
                .finding
                .message
                .contains("has no version staged `AWSPENDING`")
        );
        let parameter = (asked[1].clone(), Fact::Found(SecretVersions::default()));
        assert!(judge(&[parameter]).is_empty());
    }
}
