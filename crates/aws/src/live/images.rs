//! ECR images: whether a tag or digest is in its repository, its manifest, and for a single
//! image of a task that sets a platform, the platform its config blob names.

use aws_sdk_ecr::types::ImageIdentifier;
use deploykit_artifacts::verify::live::images::{ImageQuestion, Manifest, config_digest};

use crate::ecr::{Client, RepositoryId};
use crate::error::AwsError;

/// The manifest types asked for: an image index or manifest list as such, so that its
/// platforms can be read, and single-image manifests of either format
/// (<https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchGetImage.html>).
const MEDIA_TYPES: [&str; 4] = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/// `BatchGetImage` for one image: its manifest, or `None` when the repository has no such tag
/// or digest. A missing image is a `failures` entry of a successful answer
/// (`ImageNotFound`), a missing repository `RepositoryNotFoundException`.
pub async fn manifest(
    client: &Client,
    question: &ImageQuestion,
) -> Result<Option<Manifest>, AwsError> {
    let repository = RepositoryId {
        registry_id: &question.registry_id,
        region: &question.region,
        name: &question.repository,
    };
    let id = if question.tag_or_digest.contains(':') {
        ImageIdentifier::builder().image_digest(&question.tag_or_digest)
    } else {
        ImageIdentifier::builder().image_tag(&question.tag_or_digest)
    };
    let mut request = client
        .batch_get_image()
        .registry_id(repository.registry_id)
        .repository_name(repository.name)
        .image_ids(id.build());
    for media_type in MEDIA_TYPES {
        request = request.accepted_media_types(media_type);
    }
    let output = match request.send().await {
        Ok(output) => output,
        Err(error) => {
            let error = AwsError::from_sdk("ecr:BatchGetImage", repository.resource(), &error);
            if error.code() == Some("RepositoryNotFoundException") {
                return Ok(None);
            }
            return Err(error);
        }
    };
    let Some(image) = output.images().first() else {
        return Ok(None);
    };
    let manifest = image.image_manifest().unwrap_or_default().to_owned();
    // A single image names its platform only in its config blob: read where the task sets one.
    let config = match config_digest(&manifest) {
        Some(digest) if question.platform.is_some() => Some(super::fact(
            super::config_blob::platform(client, question, &digest).await,
        )?),
        _ => None,
    };
    Ok(Some(Manifest {
        media_type: image
            .image_manifest_media_type()
            .unwrap_or_default()
            .to_owned(),
        manifest,
        config,
    }))
}
