//! Amazon ECR: a repository's tag mutability, and what a tag points at.
//!
//! A reference names its own registry id and region (`<account>.dkr.ecr.<region>.…`), which
//! may differ from the caller's account and region, so each call takes them: the client is
//! built for the reference's region and the registry id goes on the request
//! (`docs/aws/image-references.md#looking-images-up-in-ecr`).

use aws_config::SdkConfig;
pub use aws_sdk_ecr::Client;
use aws_sdk_ecr::types::ImageIdentifier;
use aws_types::region::Region;

use crate::error::{AwsError, Cause, Resource};

/// An ECR client for `region` (`AWS_ENDPOINT_URL_ECR` and `AWS_ENDPOINT_URL` apply).
#[must_use]
pub fn client(config: &SdkConfig, region: &str) -> Client {
    let config = config
        .to_builder()
        .region(Region::new(region.to_owned()))
        .build();
    crate::bounded::client!(aws_sdk_ecr, &config)
}

/// Which repository: the parts of a reference the ECR API asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RepositoryId<'a> {
    /// The registry (account) id.
    pub registry_id: &'a str,
    /// The region.
    pub region: &'a str,
    /// The repository name.
    pub name: &'a str,
}

impl RepositoryId<'_> {
    pub(crate) fn resource(&self) -> Resource {
        Resource::Repository {
            registry_id: self.registry_id.to_owned(),
            region: self.region.to_owned(),
            name: self.name.to_owned(),
        }
    }
}

/// A repository's tag-mutability settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagMutability {
    /// `imageTagMutability` as ECR sent it: `MUTABLE`, `IMMUTABLE`,
    /// `IMMUTABLE_WITH_EXCLUSION` or `MUTABLE_WITH_EXCLUSION`.
    pub mode: String,
    /// The wildcard filters of the `*_WITH_EXCLUSION` modes.
    pub exclusion_filters: Vec<String>,
}

/// `DescribeRepositories` for one repository: its tag mutability and exclusion filters.
pub async fn describe_repository(
    client: &Client,
    repository: RepositoryId<'_>,
) -> Result<TagMutability, AwsError> {
    let output = client
        .describe_repositories()
        .registry_id(repository.registry_id)
        .repository_names(repository.name)
        .send()
        .await
        .map_err(|error| {
            AwsError::from_sdk("ecr:DescribeRepositories", repository.resource(), &error)
        })?;
    let found = output
        .repositories()
        .iter()
        .find(|r| r.repository_name() == Some(repository.name));
    // A repository that does not exist is `RepositoryNotFoundException`; an answer without the
    // one asked for says nothing about its tags, and reading it as `MUTABLE` would be a guess.
    if found.is_none() {
        return Err(incomplete(
            "ecr:DescribeRepositories",
            &repository,
            "repositories[].repositoryName",
        ));
    }
    // ECR's default on create is `MUTABLE`; an answer without the member is read as that.
    Ok(TagMutability {
        mode: found
            .and_then(|r| r.image_tag_mutability())
            .map_or_else(|| "MUTABLE".to_owned(), |mode| mode.as_str().to_owned()),
        exclusion_filters: found
            .map(|r| {
                r.image_tag_mutability_exclusion_filters()
                    .iter()
                    .map(|f| f.filter().to_owned())
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// What `tag_or_digest` points at in the repository: its digest, or `None` when there is no
/// such image (`ImageNotFoundException`).
pub async fn describe_image(
    client: &Client,
    repository: RepositoryId<'_>,
    tag_or_digest: &str,
) -> Result<Option<String>, AwsError> {
    let id = if tag_or_digest.contains(':') {
        ImageIdentifier::builder()
            .image_digest(tag_or_digest)
            .build()
    } else {
        ImageIdentifier::builder().image_tag(tag_or_digest).build()
    };
    let result = client
        .describe_images()
        .registry_id(repository.registry_id)
        .repository_name(repository.name)
        .image_ids(id)
        .send()
        .await;
    match result {
        // An image that is not there is `ImageNotFoundException`; a success without the
        // image's digest is an answer that cannot be read, not a missing image.
        Ok(output) => match output.image_details().first() {
            None => Err(incomplete(
                "ecr:DescribeImages",
                &repository,
                "imageDetails",
            )),
            Some(detail) => detail
                .image_digest()
                .map(|d| Some(d.to_owned()))
                .ok_or_else(|| {
                    incomplete(
                        "ecr:DescribeImages",
                        &repository,
                        "imageDetails[].imageDigest",
                    )
                }),
        },
        Err(error) => {
            let error = AwsError::from_sdk("ecr:DescribeImages", repository.resource(), &error);
            if error.code() == Some("ImageNotFoundException") {
                Ok(None)
            } else {
                Err(error)
            }
        }
    }
}

/// The error of a successful answer that lacks `field`, which every real answer has.
fn incomplete(operation: &'static str, repository: &RepositoryId<'_>, field: &str) -> AwsError {
    AwsError::new(
        operation,
        repository.resource(),
        Cause::Other {
            reason: format!("the answer has no `{field}`"),
        },
    )
}
