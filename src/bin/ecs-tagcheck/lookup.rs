//! `--ecr`: what ECR says about each private ECR image, asked once per repository and per image,
//! and the findings its answers give.

use std::collections::HashMap;

use deploykit_artifacts::tagcheck::ecr::{Mutability, mutable_tag_finding};
use deploykit_artifacts::tagcheck::{ImageUse, rules};
use deploykit_artifacts::{Digest, Finding, ImageReference};
use deploykit_aws::AwsError;
use deploykit_aws::config::SdkConfig;
use deploykit_aws::ecr::{self, RepositoryId, TagMutability};

/// `(registry id, region, repository)`.
type Key = (String, String, String);

/// What ECR answered.
#[derive(Debug, Default)]
pub(crate) struct Answers {
    repositories: HashMap<Key, TagMutability>,
    /// The digest of each tag or digest asked for; `None` when the image is not there.
    images: HashMap<(Key, String), Option<String>>,
}

/// Asks ECR, one client per Region: the Region is the reference's, not the configuration's.
pub(crate) struct Lookups {
    config: SdkConfig,
    clients: HashMap<String, ecr::Client>,
    answers: Answers,
}

fn key_of(reference: &ImageReference) -> Option<Key> {
    let ecr = reference.ecr()?;
    Some((
        ecr.registry_id?.to_owned(),
        ecr.region?.to_owned(),
        ecr.repository.to_owned(),
    ))
}

fn repository(key: &Key) -> RepositoryId<'_> {
    RepositoryId {
        registry_id: &key.0,
        region: &key.1,
        name: &key.2,
    }
}

/// What ECR is asked for: the digest when the reference has one, else the tag.
fn image_id(reference: &ImageReference) -> String {
    reference.digest().map_or_else(
        || reference.effective_tag().unwrap_or("latest").to_owned(),
        |d| d.to_string(),
    )
}

impl Lookups {
    pub(crate) fn new(config: SdkConfig) -> Self {
        Self {
            config,
            clients: HashMap::new(),
            answers: Answers::default(),
        }
    }

    /// Asks about every private ECR image of `images` not asked about yet.
    pub(crate) async fn ask<'a>(
        &mut self,
        images: impl IntoIterator<Item = &'a ImageUse>,
    ) -> Result<(), AwsError> {
        for image in images {
            self.ask_one(&image.reference).await?;
        }
        Ok(())
    }

    async fn ask_one(&mut self, reference: &ImageReference) -> Result<(), AwsError> {
        let Some(key) = key_of(reference) else {
            return Ok(());
        };
        let config = &self.config;
        let client = self
            .clients
            .entry(key.1.clone())
            .or_insert_with(|| ecr::client(config, &key.1))
            .clone();
        if !self.answers.repositories.contains_key(&key) {
            let settings = ecr::describe_repository(&client, repository(&key)).await?;
            self.answers.repositories.insert(key.clone(), settings);
        }
        let id = image_id(reference);
        if !self.answers.images.contains_key(&(key.clone(), id.clone())) {
            let digest = ecr::describe_image(&client, repository(&key), &id).await?;
            self.answers.images.insert((key, id), digest);
        }
        Ok(())
    }

    pub(crate) fn answers(&self) -> &Answers {
        &self.answers
    }

    pub(crate) fn into_answers(self) -> Answers {
        self.answers
    }
}

impl Answers {
    /// The digest ECR holds for the tag of `reference`, a private ECR image without a digest.
    pub(crate) fn digest_of_tag(&self, reference: &ImageReference) -> Option<Digest<'_>> {
        let key = key_of(reference)?;
        let tag = reference.effective_tag().unwrap_or("latest").to_owned();
        let digest = self.images.get(&(key, tag))?.as_deref()?;
        Digest::parse(digest).ok()
    }

    /// The finding ECR's answers give about one image, if any.
    pub(crate) fn finding(&self, image: &ImageUse) -> Option<Finding> {
        let key = key_of(&image.reference)?;
        let reference = &image.reference;
        let id = image_id(reference);
        if self
            .images
            .get(&(key.clone(), id.clone()))
            .is_some_and(Option::is_none)
        {
            return Some(
                Finding::error(
                    rules::IMAGE_NOT_FOUND,
                    format!(
                        "`{id}` is not in ECR repository `{}` (registry `{}`, `{}`)",
                        key.2, key.0, key.1
                    ),
                )
                .at(image.location.clone())
                .help("push the image first, or correct the tag or digest"),
            );
        }
        let settings = self.repositories.get(&key)?;
        // A mode newer than this build is read as the worst case: the tag can change.
        let mode = Mutability::parse(&settings.mode).unwrap_or(Mutability::Mutable);
        mutable_tag_finding(reference, mode, &settings.exclusion_filters)
            .map(|f| f.at(image.location.clone()))
    }
}
