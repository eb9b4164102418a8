//! The containers' `environmentFiles`: each S3 object exists, asked for with `HeadObject`, its
//! body never read
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/use-environment-file.html>).

use serde_json::Value;

use super::{AccountFinding, Fact, unchecked};
use crate::Finding;

/// An environment file one container loads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileQuestion {
    /// The first container that names it.
    pub container: String,
    /// `value` as written: `arn:aws:s3:::bucket/key`.
    pub arn: String,
    /// The bucket.
    pub bucket: String,
    /// The object key.
    pub key: String,
}

/// The `environmentFiles` of type `s3` of the containers, each object once.
#[must_use]
pub fn questions(document: &Value) -> Vec<FileQuestion> {
    let mut asked: Vec<FileQuestion> = Vec::new();
    let containers = document
        .get("containerDefinitions")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for container in containers {
        let name = container
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let files = container
            .get("environmentFiles")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for file in files {
            let Some(arn) = file.get("value").and_then(Value::as_str) else {
                continue;
            };
            // An object ARN is `arn:<partition>:s3:::bucket/key`
            // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-arn-format.html).
            let Some((bucket, key)) = arn
                .split(":::")
                .nth(1)
                .and_then(|path| path.split_once('/'))
            else {
                continue;
            };
            if key.is_empty() || asked.iter().any(|q| q.arn == arn) {
                continue;
            }
            asked.push(FileQuestion {
                container: name.to_owned(),
                arn: arn.to_owned(),
                bucket: bucket.to_owned(),
                key: key.to_owned(),
            });
        }
    }
    asked
}

/// Findings: an object (or its bucket) that does not exist, one that could not be read.
#[must_use]
pub fn judge(answers: &[(FileQuestion, Fact<()>)]) -> Vec<AccountFinding> {
    answers
        .iter()
        .filter_map(|(question, fact)| {
            let finding = match fact {
                Fact::Found(()) => return None,
                Fact::Missing => Finding::error(
                    "environment-file-missing",
                    format!(
                        "environment file `{}` of container `{}` does not exist: the task \
                         stops with `ResourceInitializationError`",
                        question.arn, question.container
                    ),
                )
                .help("upload the file before the deploy, or correct its ARN"),
                Fact::Denied { action } => {
                    unchecked(&format!("environment file `{}`", question.arn), action)
                }
            };
            Some(AccountFinding {
                resource: question.arn.clone(),
                finding: finding.at_place(format!("container `{}`", question.container)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn asks_for_each_s3_object_once() {
        let document = json!({"containerDefinitions": [
            {"name": "web", "environmentFiles": [
                {"value": "arn:aws:s3:::config/web/app.env", "type": "s3"},
                {"value": "arn:aws:s3:::config", "type": "s3"},
            ]},
            {"name": "side", "environmentFiles": [
                {"value": "arn:aws:s3:::config/web/app.env", "type": "s3"},
            ]},
        ]});
        let asked = questions(&document);
        let found: Vec<_> = asked
            .iter()
            .map(|q| (q.container.as_str(), q.bucket.as_str(), q.key.as_str()))
            .collect();
        assert_eq!(found, [("web", "config", "web/app.env")]);
        let judged = judge(&[
            (asked[0].clone(), Fact::Found(())),
            (asked[0].clone(), Fact::Missing),
        ]);
        assert_eq!(judged.len(), 1);
        assert_eq!(judged[0].finding.rule, "environment-file-missing");
        assert_eq!(judged[0].resource, "arn:aws:s3:::config/web/app.env");
    }
}
