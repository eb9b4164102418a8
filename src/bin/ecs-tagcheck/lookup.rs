//! `--ecr` and `--pin`: what ECR says about each ECR image, and the rewrite to digests.

use std::collections::HashMap;

use deploykit_artifacts::tagcheck::ecr::{Mutability, mutable_tag_finding};
use deploykit_artifacts::tagcheck::{self, Policy, Scan, pin, rules};
use deploykit_artifacts::{Digest, Finding, ImageReference};
use deploykit_aws::AwsError;
use deploykit_aws::ecr::{self, RepositoryId, TagMutability};
use deploykit_cli::{CliError, Output};

use crate::check::name_of;
use crate::walk::Found;

/// `(registry id, region, repository)`.
type Key = (String, String, String);

/// Answers, asked once per repository and per image.
#[derive(Default)]
struct Answers {
    repositories: HashMap<Key, TagMutability>,
    images: HashMap<(Key, String), Option<String>>,
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

fn cli_error(error: &AwsError) -> CliError {
    let cli_error = CliError::new(error.what()).at(error.location());
    match error.help() {
        Some(help) => cli_error.help(help),
        None => cli_error,
    }
}

/// Asks ECR about every private ECR image in `scans`; with `pin`, rewrites the pinnable files
/// and scans them again; then adds the findings about mutability and existence.
pub(crate) fn run(
    files: &mut [Found],
    scans: &mut [Scan],
    policy: &Policy,
    pin: bool,
    keep_tag: bool,
) -> Result<(), CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| CliError::new(format!("cannot start the AWS client: {error}")))?;
    runtime.block_on(async {
        let config = deploykit_aws::config::try_load()
            .await
            .map_err(|e| cli_error(&e))?;
        let mut answers = Answers::default();
        let mut clients: HashMap<String, ecr::Client> = HashMap::new();
        let mut ask = async |reference: &ImageReference,
                             answers: &mut Answers|
               -> Result<Option<Key>, CliError> {
            let Some(key) = key_of(reference) else {
                return Ok(None);
            };
            let client = clients
                .entry(key.1.clone())
                .or_insert_with(|| ecr::client(&config, &key.1))
                .clone();
            if !answers.repositories.contains_key(&key) {
                let settings = ecr::describe_repository(&client, repository(&key))
                    .await
                    .map_err(|e| cli_error(&e))?;
                answers.repositories.insert(key.clone(), settings);
            }
            let id = reference.digest().map_or_else(
                || reference.effective_tag().unwrap_or("latest").to_owned(),
                |d| d.to_string(),
            );
            if !answers.images.contains_key(&(key.clone(), id.clone())) {
                let digest = ecr::describe_image(&client, repository(&key), &id)
                    .await
                    .map_err(|e| cli_error(&e))?;
                answers.images.insert((key.clone(), id), digest);
            }
            Ok(Some(key))
        };
        for scan in scans.iter() {
            for image in &scan.images {
                ask(&image.reference, &mut answers).await?;
            }
        }
        if pin {
            for (file, scan) in files.iter_mut().zip(scans.iter_mut()) {
                pin_file(file, scan, &answers, policy, keep_tag)?;
                for image in &scan.images {
                    ask(&image.reference, &mut answers).await?;
                }
            }
        }
        for scan in scans.iter_mut() {
            let found: Vec<Finding> = scan
                .images
                .iter()
                .filter_map(|image| ecr_finding(image, &answers))
                .collect();
            scan.findings.extend(found);
        }
        Ok(())
    })
}

/// The finding ECR's answers give about one image, if any.
fn ecr_finding(image: &tagcheck::ImageUse, answers: &Answers) -> Option<Finding> {
    let key = key_of(&image.reference)?;
    let reference = &image.reference;
    let id = reference.digest().map_or_else(
        || reference.effective_tag().unwrap_or("latest").to_owned(),
        |d| d.to_string(),
    );
    if answers
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
    let settings = answers.repositories.get(&key)?;
    // A mode newer than this build is read as the worst case: the tag can change.
    let mode = Mutability::parse(&settings.mode).unwrap_or(Mutability::Mutable);
    mutable_tag_finding(reference, mode, &settings.exclusion_filters)
        .map(|f| f.at(image.location.clone()))
}

/// Rewrites the pinnable images of one file to digests and scans the new text.
fn pin_file(
    file: &mut Found,
    scan: &mut Scan,
    answers: &Answers,
    policy: &Policy,
    keep_tag: bool,
) -> Result<(), CliError> {
    let mut text = String::from_utf8_lossy(&file.bytes).into_owned();
    let mut changed = Vec::new();
    for image in scan
        .images
        .iter()
        .filter(|image| image.pinnable && image.reference.digest().is_none())
    {
        let Some(key) = key_of(&image.reference) else {
            continue;
        };
        let tag = image
            .reference
            .effective_tag()
            .unwrap_or("latest")
            .to_owned();
        let Some(Some(digest)) = answers.images.get(&(key, tag)) else {
            continue;
        };
        let Ok(digest) = Digest::parse(digest) else {
            continue;
        };
        let pinned = pin::pinned(&image.reference, &digest, keep_tag);
        let (rewritten, count) = pin::rewrite(&text, image.reference.as_str(), &pinned);
        if count > 0 {
            text = rewritten;
            changed.push((image.reference.to_string(), pinned, image.location.clone()));
        }
    }
    if changed.is_empty() {
        return Ok(());
    }
    Output::File(file.path.clone()).write(text.as_bytes())?;
    for (from, to, location) in &changed {
        deploykit_cli::say(format_args!(
            "pinned `{from}` to `{to}` ({}: {location})",
            file.shown
        ));
    }
    file.bytes = text.into_bytes();
    *scan = tagcheck::scan(file.kind, &name_of(file), &file.bytes, policy);
    Ok(())
}
