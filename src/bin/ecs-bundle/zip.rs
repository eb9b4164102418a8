//! `ecs-bundle FILES -o ZIP`: collect, check, write atomically, upload.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

use deploykit_artifacts::TagPolicy;
use deploykit_artifacts::bundle::{Settings, Timestamp, write_zip};
use deploykit_cli::{CliError, Exit, codebuild, write_file_with};

use crate::collect::{self, Collected};
use crate::verify::{self, BLUE_GREEN_LIMIT};
use crate::{Target, ZipArgs, s3};

/// The reproducible-builds.org variable for the time to stamp on build outputs.
const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

pub(crate) fn run(args: &ZipArgs) -> Result<Exit, CliError> {
    let Some(output_arg) = args.output.as_deref() else {
        return Err(CliError::new("no output: give `-o ZIP`"));
    };
    // Everything that can be refused without reading files is refused first.
    let upload = args
        .upload
        .as_deref()
        .map(|text| s3::Location::parse(text).map_err(|error| error.at("--upload")))
        .transpose()?;
    if let Some(location) = upload.as_ref().filter(|l| l.version_id.is_some()) {
        return Err(CliError::new(format!(
            "`--upload {}` has a version id; S3 gives the version, it cannot be chosen",
            location.shown
        )));
    }
    if upload.is_some() {
        // The zip is written before the upload starts; bad AWS settings must stop the run
        // before that, or a failed run would leave a new zip behind.
        s3::check_environment()?;
    }
    let timestamp = timestamp()?;
    let base = collect::base_dir(args.base_dir.as_deref())?;
    let output = codebuild::resolve(output_arg);
    verify::action_files_are_files(args.target, &base, &args.paths)?;
    let mut files = collect::collect(&base, &args.paths, args.follow_symlinks, &output)?;
    // The same file named twice (`taskdef.json` and `.`) is zipped once.
    files.sort_by(|a, b| a.entry.name.cmp(&b.entry.name).then(a.path.cmp(&b.path)));
    files.dedup_by(|a, b| a.entry.name == b.entry.name && a.path == b.path);
    if files.is_empty() {
        return Err(
            CliError::new("nothing to zip: the paths given hold no files")
                .help("empty folders are left out of zips; check the paths and --base-dir"),
        );
    }
    let shown = output.display().to_string();
    let policy = TagPolicy {
        allow_mutable_tags: args.allow_mutable_tag,
    };
    verify::before_writing(args.target, &files, policy, &shown)?;
    let settings = Settings {
        timestamp,
        level: args.level,
        ..Settings::default()
    };
    let count = files.len();
    let size = write_file_with(&output, |file| {
        write(file, files, &settings, args.target, &shown)
    })?;
    deploykit_cli::say(format_args!(
        "wrote {shown} ({count} {}, {size} bytes)",
        if count == 1 { "file" } else { "files" }
    ));
    if let Some(location) = upload {
        s3::upload(&location, &output, args.kms_key_id.as_deref())?;
    }
    Ok(Exit::Clean)
}

/// `SOURCE_DATE_EPOCH`, or 1980-01-01.
fn timestamp() -> Result<Timestamp, CliError> {
    let Some(value) = codebuild::var(SOURCE_DATE_EPOCH) else {
        return Ok(Timestamp::default());
    };
    let seconds: i64 = value.trim().parse().map_err(|_| {
        CliError::new(format!(
            "`{SOURCE_DATE_EPOCH}` is `{value}`, not a number of seconds since 1970"
        ))
        .help("set it to `git log -1 --format=%ct`, or unset it for 1980-01-01")
    })?;
    Timestamp::from_unix(seconds)
        .map_err(|error| CliError::new(error.to_string()).at(SOURCE_DATE_EPOCH))
}

/// Writes the zip into `file` and returns its size; refuses a Blue/Green zip over 3 MB.
fn write(
    file: &mut File,
    files: Vec<Collected>,
    settings: &Settings,
    target: Target,
    shown: &str,
) -> Result<u64, CliError> {
    let (entries, paths): (Vec<_>, HashMap<String, PathBuf>) = files
        .into_iter()
        .map(|file| (file.entry.clone(), (file.entry.name, file.path)))
        .unzip();
    let writer = BufWriter::with_capacity(256 * 1024, &mut *file);
    let writer = write_zip(writer, entries, settings, |entry| {
        File::open(&paths[&entry.name])
    })
    .map_err(|error| CliError::new(error.to_string()).at(shown.to_owned()))?;
    writer
        .into_inner()
        .map_err(|error| CliError::new(format!("cannot write `{shown}`: {}", error.error())))?;
    let size = file
        .metadata()
        .map_err(|error| CliError::new(format!("cannot write `{shown}`: {error}")))?
        .len();
    if target == Target::BlueGreen && size > BLUE_GREEN_LIMIT {
        return Err(CliError::refused(format!(
            "the zip would be {size} bytes, over the 3 MB ({BLUE_GREEN_LIMIT} bytes) the Blue/Green action reads; nothing was written"
        ))
        .at(shown.to_owned())
        .help("CodeDeployToECS then fails with \"Exception while trying to read the task definition artifact file\": zip only taskdef.json, appspec.yaml and imageDetail.json, in an artifact of their own"));
    }
    Ok(size)
}
