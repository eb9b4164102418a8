//! ECR's other answers about an image: its repository's tag mutability and, for another
//! account's repository, its policy (asked once per repository); the image's scan findings and
//! what a pinned tag points at (asked once per image).

use aws_sdk_ecr::types::ImageIdentifier;
use deploykit_artifacts::verify::live::Fact;
use deploykit_artifacts::verify::live::images::ImageQuestion;
use deploykit_artifacts::verify::live::registry::Registry;

use crate::ecr::{Client, RepositoryId};
use crate::error::AwsError;

fn repository(question: &ImageQuestion) -> RepositoryId<'_> {
    RepositoryId {
        registry_id: &question.registry_id,
        region: &question.region,
        name: &question.repository,
    }
}

/// What ECR says of a repository, asked once however many images it holds: its tag
/// mutability, and where it is not the caller's (`other_account`) its policy. Each answer is its
/// own fact, so that one refused read does not hide the other.
pub async fn repository_facts(
    client: &Client,
    question: &ImageQuestion,
    other_account: bool,
) -> Result<RepositoryFacts, AwsError> {
    let mutability = crate::ecr::describe_repository(client, repository(question))
        .await
        .map(|found| Some((found.mode, found.exclusion_filters)));
    let policy = if other_account {
        Some(super::fact(repository_policy(client, question).await)?)
    } else {
        None
    };
    Ok(RepositoryFacts {
        mutability: super::fact(not_found_is_none(mutability))?,
        policy,
    })
}

/// What ECR says of one image besides its manifest: its scan findings and, for a pinned tag,
/// the digest the tag points at.
pub async fn image_facts(
    client: &Client,
    question: &ImageQuestion,
) -> Result<ImageFacts, AwsError> {
    let tag_digest = match &question.pinned_tag {
        Some(tag) => Some(super::fact(
            crate::ecr::describe_image(client, repository(question), tag).await,
        )?),
        None => None,
    };
    Ok(ImageFacts {
        scan: super::fact(scan_counts(client, question).await)?,
        tag_digest,
    })
}

/// A repository's answers ([`repository_facts`]).
#[derive(Clone, Debug)]
pub struct RepositoryFacts {
    mutability: Fact<(String, Vec<String>)>,
    policy: Option<Fact<String>>,
}

/// An image's own answers ([`image_facts`]).
#[derive(Clone, Debug)]
pub struct ImageFacts {
    scan: Fact<Vec<(String, i64)>>,
    tag_digest: Option<Fact<String>>,
}

impl ImageFacts {
    /// The image's [`Registry`]: its own answers with its repository's.
    #[must_use]
    pub fn with(self, repository: RepositoryFacts) -> Registry {
        Registry {
            mutability: repository.mutability,
            scan: self.scan,
            tag_digest: self.tag_digest,
            policy: repository.policy,
        }
    }
}

/// A repository that does not exist is reported by `image-missing`: here it is no answer.
fn not_found_is_none<T>(answer: Result<Option<T>, AwsError>) -> Result<Option<T>, AwsError> {
    match answer {
        Err(error) if error.code() == Some("RepositoryNotFoundException") => Ok(None),
        answer => answer,
    }
}

/// `DescribeImageScanFindings`: the scan's `findingSeverityCounts`, or `None` when the image
/// has no scan (`ScanNotFoundException`) or is not there
/// (<https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImageScanFindings.html>).
async fn scan_counts(
    client: &Client,
    question: &ImageQuestion,
) -> Result<Option<Vec<(String, i64)>>, AwsError> {
    let id = if question.tag_or_digest.contains(':') {
        ImageIdentifier::builder().image_digest(&question.tag_or_digest)
    } else {
        ImageIdentifier::builder().image_tag(&question.tag_or_digest)
    };
    let answer = client
        .describe_image_scan_findings()
        .registry_id(&question.registry_id)
        .repository_name(&question.repository)
        .image_id(id.build())
        .send()
        .await;
    let output = match answer {
        Ok(output) => output,
        Err(error) => {
            let error = AwsError::from_sdk(
                "ecr:DescribeImageScanFindings",
                repository(question).resource(),
                &error,
            );
            return match error.code() {
                Some(
                    "ScanNotFoundException"
                    | "ImageNotFoundException"
                    | "RepositoryNotFoundException",
                ) => Ok(None),
                _ => Err(error),
            };
        }
    };
    let mut counts: Vec<(String, i64)> = output
        .image_scan_findings()
        .and_then(|findings| findings.finding_severity_counts())
        .map(|counts| {
            counts
                .iter()
                .map(|(severity, count)| (severity.as_str().to_owned(), i64::from(*count)))
                .collect()
        })
        .unwrap_or_default();
    counts.sort();
    Ok(Some(counts))
}

/// `GetRepositoryPolicy` of another account's repository: its policy text, or `None` when it
/// has none (`RepositoryPolicyNotFoundException`)
/// (<https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetRepositoryPolicy.html>).
async fn repository_policy(
    client: &Client,
    question: &ImageQuestion,
) -> Result<Option<String>, AwsError> {
    let answer = client
        .get_repository_policy()
        .registry_id(&question.registry_id)
        .repository_name(&question.repository)
        .send()
        .await;
    match answer {
        Ok(output) => Ok(output.policy_text().map(str::to_owned)),
        Err(error) => {
            let error = AwsError::from_sdk(
                "ecr:GetRepositoryPolicy",
                repository(question).resource(),
                &error,
            );
            match error.code() {
                Some("RepositoryPolicyNotFoundException" | "RepositoryNotFoundException") => {
                    Ok(None)
                }
                _ => Err(error),
            }
        }
    }
}
