//! S3 locations, uploads and downloads, through `deploykit_aws`.

use std::io::{self, Write};
use std::path::Path;

use deploykit_aws::AwsError;
use deploykit_aws::s3::{self as aws_s3, UploadOptions};
use deploykit_cli::{CliError, Exit, codebuild, say, write_file_with};

use crate::FetchArgs;

/// `s3://bucket/key`, optionally with `?versionId=...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Location {
    pub(crate) bucket: String,
    pub(crate) key: String,
    pub(crate) version_id: Option<String>,
    /// As the user wrote it, for messages.
    pub(crate) shown: String,
}

impl Location {
    pub(crate) fn parse(text: &str) -> Result<Self, CliError> {
        let invalid = |why: &str| {
            CliError::new(format!("`{text}` is not an S3 location: {why}"))
                .help("write it as `s3://bucket/key`, such as `s3://my-artifacts/web/deploy.zip`")
        };
        let rest = text
            .strip_prefix("s3://")
            .ok_or_else(|| invalid("it does not start with `s3://`"))?;
        let (rest, version_id) = match rest.rsplit_once("?versionId=") {
            Some((rest, version)) if !version.is_empty() => (rest, Some(version.to_owned())),
            Some(_) => return Err(invalid("`versionId=` has no value")),
            None => (rest, None),
        };
        let (bucket, key) = rest
            .split_once('/')
            .ok_or_else(|| invalid("it has no key after the bucket"))?;
        if bucket.is_empty() {
            return Err(invalid("the bucket name is empty"));
        }
        if key.is_empty() {
            return Err(invalid("the key is empty"));
        }
        Ok(Self {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            version_id,
            shown: text.to_owned(),
        })
    }
}

fn cli_error(error: &AwsError) -> CliError {
    let cli_error = CliError::new(error.what()).at(error.location());
    match error.help() {
        Some(help) => cli_error.help(help),
        None => cli_error,
    }
}

/// Refuses invalid AWS retry settings before anything is written.
pub(crate) fn check_environment() -> Result<(), CliError> {
    deploykit_aws::config::check_environment().map_err(|error| cli_error(&error))
}

/// Runs `body` with an S3 client on a single-threaded runtime: the part uploads overlap on
/// the network, and the zip was already written by then.
fn with_client<T>(
    body: impl AsyncFnOnce(&aws_sdk_s3::Client) -> Result<T, AwsError>,
) -> Result<T, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| CliError::new(format!("cannot start the AWS client: {error}")))?;
    runtime
        .block_on(async {
            let config = deploykit_aws::config::try_load().await?;
            let client = aws_s3::client(&config);
            body(&client).await
        })
        .map_err(|error| cli_error(&error))
}

/// Uploads the zip at `path`, warning when the bucket keeps no versions, and prints the
/// version id on stdout.
pub(crate) fn upload(
    location: &Location,
    path: &Path,
    kms_key_id: Option<&str>,
) -> Result<(), CliError> {
    let mut options = UploadOptions::default();
    if let Some(key_id) = kms_key_id {
        options = options.kms_key_id(key_id);
    }
    // Provenance: which commit and which build made the artifact.
    if let Some(commit) = codebuild::var(codebuild::RESOLVED_SOURCE_VERSION) {
        options = options.metadata("commit", commit);
    }
    if let Some(build) = codebuild::var(codebuild::BUILD_ID) {
        options = options.metadata("codebuild-build-id", build);
    }
    let (bucket, key) = (location.bucket.as_str(), location.key.as_str());
    // The version id in the answer says whether the bucket keeps versions: S3 returns one
    // exactly when versioning is enabled. (Asking `GetBucketVersioning` first would cost a
    // call, and moto 5.2.5 answers it with a root element the SDK cannot parse.)
    let outcome =
        with_client(async |client| aws_s3::upload_file(client, bucket, key, path, &options).await)?;
    say(format_args!(
        "uploaded {} to s3://{bucket}/{key}",
        path.display()
    ));
    if let Some(version) = &outcome.version_id {
        say(format_args!("version id: {version}"));
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "{version}")
            .map_err(|error| CliError::new(format!("cannot write to standard output: {error}")))?;
    } else {
        say(format_args!(
            "warning: bucket `{bucket}` does not have versioning enabled, so the object has no version id (s3://{bucket}/{key})\n\
             help: CodePipeline's S3 source action requires a versioned bucket: `aws s3api put-bucket-versioning --bucket {bucket} --versioning-configuration Status=Enabled`"
        ));
    }
    Ok(())
}

/// Downloads `location` into `file`, returning the bytes written.
pub(crate) fn download(location: &Location, file: &mut std::fs::File) -> Result<u64, CliError> {
    let (bucket, key, version) = (
        &location.bucket,
        &location.key,
        location.version_id.as_deref(),
    );
    // The SDK hands over the body in chunks of tens of KiB, so no buffer is needed.
    with_client(async |client| {
        aws_s3::get_object_version_into(client, bucket, key, version, file).await
    })
}

/// `ecs-bundle fetch`.
pub(crate) fn fetch(args: &FetchArgs) -> Result<Exit, CliError> {
    let location = Location::parse(&args.source)?;
    let output = codebuild::resolve(&args.output);
    let written = write_file_with(&output, |file| download(&location, file))?;
    say(format_args!(
        "wrote {} ({written} bytes from {})",
        output.display(),
        location.shown
    ));
    Ok(Exit::Clean)
}
