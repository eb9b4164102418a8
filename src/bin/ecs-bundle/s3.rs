//! S3 uploads and downloads, through `deploykit_aws` and the shared AWS settings: one
//! single-threaded runtime per run, on which the part uploads overlap on the network.

use std::path::Path;

use deploykit_aws::s3::{self as aws_s3, UploadOptions};
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::interrupt::Stop;
use deploykit_cli::{CliError, Exit, Output, codebuild, say, write_file_with};

use crate::config::{Fetch, Location, Upload};

/// Uploads the zip at `path` (the file written for `shown`), warning when the bucket keeps no
/// versions, and prints the version id on stdout.
pub(crate) fn upload(
    upload: &Upload,
    path: &Path,
    shown: &str,
    aws: &AwsSettings,
) -> Result<(), CliError> {
    let mut options = UploadOptions::default();
    if let Some(key_id) = &upload.kms_key_id {
        options = options.kms_key_id(key_id);
    }
    // Provenance: which commit and which build made the artifact.
    if let Some(commit) = &upload.revision {
        options = options.metadata("commit", commit);
    }
    if let Some(build) = &upload.build_id {
        options = options.metadata("codebuild-build-id", build);
    }
    let (bucket, key) = (
        upload.location.bucket.as_str(),
        upload.location.key.as_str(),
    );
    // The version id in the answer says whether the bucket keeps versions: S3 returns one
    // exactly when versioning is enabled. (Asking `GetBucketVersioning` first would cost a
    // call, and moto 5.2.5 answers it with a root element the SDK cannot parse.)
    // SIGINT, SIGTERM or SIGHUP during the upload abort a multipart upload before the program
    // ends of the signal, where `stop` drops (docs/reliability.md, "Signals").
    let stop = Stop::hold();
    let stopped = stop.requested();
    let outcome = aws.run(|config| async move {
        let client = aws_s3::client(&config);
        Ok(aws_s3::upload_file(&client, bucket, key, path, &options, stopped).await?)
    });
    drop(stop);
    let outcome = outcome?;
    say(format_args!("uploaded {shown} to s3://{bucket}/{key}"));
    if let Some(version) = &outcome.version_id {
        say(format_args!("version id: {version}"));
        Output::Stdout.write(format!("{version}\n").as_bytes())?;
    } else {
        say(format_args!(
            "warning: bucket `{bucket}` does not have versioning enabled, so the object has no version id (s3://{bucket}/{key})\n\
             help: CodePipeline's S3 source action requires a versioned bucket: `aws s3api put-bucket-versioning --bucket {bucket} --versioning-configuration Status=Enabled`"
        ));
    }
    Ok(())
}

/// Downloads `location` into `file`, returning the bytes written.
pub(crate) fn download(
    location: &Location,
    file: &mut std::fs::File,
    aws: &AwsSettings,
) -> Result<u64, CliError> {
    let (bucket, key, version) = (
        &location.bucket,
        &location.key,
        location.version_id.as_deref(),
    );
    // The SDK hands over the body in chunks of tens of KiB, so no buffer is needed.
    aws.run(|config| async move {
        let client = aws_s3::client(&config);
        Ok(aws_s3::get_object_version_into(&client, bucket, key, version, file).await?)
    })
}

/// `ecs-bundle fetch`.
pub(crate) fn fetch(config: &Fetch) -> Result<Exit, CliError> {
    let output = codebuild::resolve(&config.output);
    let written = write_file_with(&output, |file| {
        download(&config.location, file, &config.aws)
    })?;
    say(format_args!(
        "wrote {} ({written} bytes from {})",
        output.display(),
        config.location.shown
    ));
    Ok(Exit::Clean)
}
