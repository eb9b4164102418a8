//! What ECR says of each image's repository besides the image: its tag mutability, the
//! image's scan findings, whether a tag pinned with a digest still points at it, and for a
//! repository of another account, whether its policy lets the execution role pull
//! (<https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html>).

use serde_json::Value;

use super::images::ImageQuestion;
use super::trust::one_or_many;
use super::{AccountFinding, Fact, unchecked};
use crate::tagcheck::ecr::{Mutability, is_tag_mutable};
use crate::{Finding, Severity};

/// The actions the execution role needs on a repository to pull from it
/// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html>).
pub const PULL: [&str; 2] = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

/// What ECR described of one image's repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registry {
    /// `imageTagMutability` and its exclusion filters (`ecr:DescribeRepositories`).
    pub mutability: Fact<(String, Vec<String>)>,
    /// The scan's `findingSeverityCounts` (`ecr:DescribeImageScanFindings`); `Missing` when the
    /// image has no scan.
    pub scan: Fact<Vec<(String, i64)>>,
    /// For a pinned tag: the digest it points at now (`ecr:DescribeImages`).
    pub tag_digest: Option<Fact<String>>,
    /// For a repository of another account: its policy (`ecr:GetRepositoryPolicy`); `Missing`
    /// when it has none.
    pub policy: Option<Fact<String>>,
}

/// Findings: a mutable repository for an image named by tag (a warning), critical scan
/// findings above `max_critical`, a pinned tag that moved, another account's repository whose
/// policy does not let `execution_role` (an ARN) pull.
#[must_use]
pub fn judge(
    answers: &[(ImageQuestion, Registry)],
    execution_role: Option<&str>,
    max_critical: u32,
) -> Vec<AccountFinding> {
    let mut found = Vec::new();
    for (question, registry) in answers {
        let image = &question.image;
        let other_account = registry.policy.is_some();
        let mut push = |finding: Finding| {
            // Another account's repository answers the build role only where its policy lets
            // it: a read refused there is said to be undecided, a warning, not an error.
            let finding = if other_account && finding.rule == "live-access-denied" {
                Finding {
                    severity: Severity::Warning,
                    ..finding
                }
            } else {
                finding
            };
            found.push(AccountFinding {
                resource: question.arn(),
                finding: finding.at_place(format!("container `{}`", question.container)),
            });
        };
        match &registry.mutability {
            Fact::Found((mode, filters)) if tag_is_mutable(question, mode, filters) => {
                push(
                    Finding::warning(
                        "image-tag-mutable",
                        format!(
                            "repository `{}` of image `{image}` leaves tag `{}` mutable \
                             (`{mode}`): it can be pushed over between the build and the deploy",
                            question.repository, question.tag_or_digest
                        ),
                    )
                    .help("make the repository's tags IMMUTABLE, or pin the image by digest"),
                );
            }
            Fact::Denied { action } => push(unchecked(
                &format!("repository `{}`", question.repository),
                action,
            )),
            _ => {}
        }
        match &registry.scan {
            Fact::Found(counts) => {
                let critical = counts
                    .iter()
                    .find(|(severity, _)| severity == "CRITICAL")
                    .map_or(0, |(_, count)| *count);
                if critical > i64::from(max_critical) {
                    push(
                        Finding::error(
                            "image-scan-critical",
                            format!(
                                "image `{image}` has {critical} critical scan findings, more \
                                 than {max_critical} (--max-critical)"
                            ),
                        )
                        .help("rebuild the image on patched packages, or raise --max-critical"),
                    );
                }
            }
            Fact::Denied { action } => {
                push(unchecked(&format!("the scan of image `{image}`"), action));
            }
            Fact::Missing => {}
        }
        if let (Some(tag), Some(fact)) = (&question.pinned_tag, &registry.tag_digest) {
            let now = match fact {
                Fact::Found(digest) if *digest == question.tag_or_digest => None,
                Fact::Found(digest) => Some(format!("points at `{digest}`")),
                Fact::Missing => Some("is no longer in the repository".to_owned()),
                Fact::Denied { action } => {
                    push(unchecked(
                        &format!("tag `{tag}` of image `{image}`"),
                        action,
                    ));
                    None
                }
            };
            if let Some(now) = now {
                push(
                    Finding::error(
                        "image-tag-moved",
                        format!(
                            "tag `{tag}` of image `{image}` {now}, not at `{}`, the digest \
                             the build pushed",
                            question.tag_or_digest
                        ),
                    )
                    .help("deploy the image the build pushed, and do not push over its tag"),
                );
            }
        }
        if let Some(finding) = registry
            .policy
            .as_ref()
            .and_then(|policy| policy_finding(question, policy, execution_role))
        {
            push(finding);
        }
    }
    found
}

/// Whether the image is named by a tag that its repository's `mode` and exclusion `filters`
/// leave mutable; a digest, or a mode this build does not know, is not judged.
fn tag_is_mutable(question: &ImageQuestion, mode: &str, filters: &[String]) -> bool {
    !question.tag_or_digest.contains(':')
        && Mutability::parse(mode)
            .is_some_and(|mode| is_tag_mutable(mode, filters, &question.tag_or_digest))
}

/// The finding of another account's repository policy, `None` when it lets the role pull.
fn policy_finding(
    question: &ImageQuestion,
    policy: &Fact<String>,
    role: Option<&str>,
) -> Option<Finding> {
    let repository = &question.repository;
    let account = question.registry_id.as_str();
    let undecided = |why: String| {
        Finding::warning(
            "image-repository-policy-undecided",
            format!(
                "whether repository `{repository}` of account `{account}` lets the execution \
                 role pull could not be decided: {why}"
            ),
        )
        .help("check the repository policy in its own account")
    };
    let role = role?;
    let verdict = match policy {
        Fact::Denied { action } => {
            return Some(undecided(format!(
                "its policy is not readable (`{action}`)"
            )));
        }
        Fact::Missing => Some(false),
        Fact::Found(text) => allows_pull(text, role),
    };
    match verdict {
        Some(true) => None,
        None => Some(undecided("its policy has conditions".to_owned())),
        Some(false) => Some(
            Finding::error(
                "image-repository-policy",
                format!(
                    "repository `{repository}` of account `{account}` does not let the \
                     execution role `{role}` pull: the task stops with \
                     `CannotPullContainerError`"
                ),
            )
            .help(format!(
                "add to the repository's policy: {{\"Effect\": \"Allow\", \"Principal\": \
                 {{\"AWS\": \"{role}\"}}, \"Action\": [\"ecr:BatchGetImage\", \
                 \"ecr:GetDownloadUrlForLayer\"]}}"
            )),
        ),
    }
}

/// Whether a repository policy allows `role` both [`PULL`] actions: `Some(false)` when an
/// `Allow` is missing or a `Deny` applies, `None` when a statement that would decide has a
/// condition.
fn allows_pull(policy: &str, role: &str) -> Option<bool> {
    let Ok(policy) = serde_json::from_str::<Value>(policy) else {
        return Some(false);
    };
    let account = role.split(':').nth(4).unwrap_or_default();
    let statements: Vec<&Value> = one_or_many(policy.get("Statement"))
        .filter(|statement| names_principal(statement, role, account))
        .collect();
    let mut undecided = false;
    let mut allowed = [false; 2];
    for statement in statements {
        let effect = statement.get("Effect").and_then(Value::as_str);
        let conditional = statement.get("Condition").is_some();
        for (index, action) in PULL.iter().enumerate() {
            if !one_or_many(statement.get("Action"))
                .filter_map(Value::as_str)
                .any(|pattern| {
                    super::trust::glob(&pattern.to_ascii_lowercase(), &action.to_ascii_lowercase())
                })
            {
                continue;
            }
            match (effect, conditional) {
                (_, true) => undecided = true,
                (Some("Deny"), false) => return Some(false),
                (Some("Allow"), false) => allowed[index] = true,
                _ => {}
            }
        }
    }
    if allowed.iter().all(|allowed| *allowed) {
        return Some(true);
    }
    (!undecided).then_some(false)
}

/// Whether a statement's `Principal` covers `role` of `account`: `*`, the account's id or
/// root, or the role's ARN.
fn names_principal(statement: &Value, role: &str, account: &str) -> bool {
    let principal = statement.get("Principal");
    if principal.and_then(Value::as_str) == Some("*") {
        return true;
    }
    let root = format!("arn:aws:iam::{account}:root");
    one_or_many(principal.and_then(|p| p.get("AWS")))
        .filter_map(Value::as_str)
        .any(|name| name == "*" || name == account || name == root || name == role)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const ROLE: &str = "arn:aws:iam::123456789012:role/web-execution";

    fn question(reference: &str) -> ImageQuestion {
        let document = json!({"containerDefinitions": [{"name": "web", "image": reference}]});
        super::super::images::questions(&document).remove(0)
    }

    fn registry(mutability: &str) -> Registry {
        Registry {
            mutability: Fact::Found((mutability.to_owned(), vec!["dev-*".to_owned()])),
            scan: Fact::Missing,
            tag_digest: None,
            policy: None,
        }
    }

    #[test]
    fn judges_mutability_scans_and_moved_tags() {
        let host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
        let tagged = question(&format!("{host}/web:1.2"));
        assert!(judge(&[(tagged.clone(), registry("IMMUTABLE"))], None, 0).is_empty());
        assert!(
            judge(
                &[(tagged.clone(), registry("IMMUTABLE_WITH_EXCLUSION"))],
                None,
                0
            )
            .is_empty()
        );
        assert_eq!(
            judge(
                &[(tagged.clone(), registry("MUTABLE_WITH_EXCLUSION"))],
                None,
                0
            )
            .len(),
            1
        );
        let digest = format!("sha256:{}", "a".repeat(64));
        let pinned = question(&format!("{host}/web:1.2@{digest}"));
        assert_eq!(pinned.pinned_tag.as_deref(), Some("1.2"));
        let scanned = Registry {
            scan: Fact::Found(vec![("CRITICAL".to_owned(), 2), ("HIGH".to_owned(), 5)]),
            tag_digest: Some(Fact::Found(format!("sha256:{}", "b".repeat(64)))),
            ..registry("MUTABLE")
        };
        let found = judge(
            &[
                (tagged, registry("MUTABLE")),
                (pinned.clone(), scanned.clone()),
            ],
            None,
            0,
        );
        let rules: Vec<_> = found.iter().map(|f| f.finding.rule).collect();
        assert_eq!(
            rules,
            [
                "image-tag-mutable",
                "image-scan-critical",
                "image-tag-moved"
            ]
        );
        assert!(judge(&[(pinned, scanned)], None, 2).len() == 1);
    }

    #[test]
    fn judges_another_accounts_repository_policy() {
        let other = question("210987654321.dkr.ecr.eu-west-1.amazonaws.com/base:1");
        let with_policy = |policy: Fact<String>| Registry {
            policy: Some(policy),
            ..registry("IMMUTABLE")
        };
        let allow = |principal: &str, action: &str| {
            json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": principal},
                "Action": action}]})
            .to_string()
        };
        for passing in [
            allow("123456789012", "ecr:*"),
            allow("arn:aws:iam::123456789012:root", "ecr:*"),
            allow(ROLE, "*"),
        ] {
            let answers = [(other.clone(), with_policy(Fact::Found(passing.clone())))];
            assert!(judge(&answers, Some(ROLE), 0).is_empty(), "{passing}");
        }
        let rules = |policy: Fact<String>| -> Vec<&str> {
            judge(&[(other.clone(), with_policy(policy))], Some(ROLE), 0)
                .iter()
                .map(|f| f.finding.rule)
                .collect()
        };
        assert_eq!(
            rules(Fact::Found(allow("999999999999", "ecr:*"))),
            ["image-repository-policy"]
        );
        assert_eq!(
            rules(Fact::Found(allow("123456789012", "ecr:BatchGetImage"))),
            ["image-repository-policy"]
        );
        assert_eq!(rules(Fact::Missing), ["image-repository-policy"]);
        let unreadable = Registry {
            mutability: Fact::Denied {
                action: "ecr:DescribeRepositories",
            },
            ..with_policy(Fact::Found(allow("123456789012", "ecr:*")))
        };
        let found = judge(&[(other.clone(), unreadable)], Some(ROLE), 0);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].finding.severity, Severity::Warning);
        assert_eq!(
            rules(Fact::Denied {
                action: "ecr:GetRepositoryPolicy"
            }),
            ["image-repository-policy-undecided"]
        );
    }
}
