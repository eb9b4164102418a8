//! `ecs-bundle FILES -o ZIP`: collect, check, upload, write atomically.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

use deploykit_artifacts::bundle::{Settings, write_zip};
use deploykit_cli::{CliError, Exit, codebuild, write_file_then, write_file_with};

use crate::collect::{self, Collected};
use crate::config::Zip;
use crate::{s3, verify};

pub(crate) fn run(config: &Zip) -> Result<Exit, CliError> {
    if config.upload.is_some() {
        // The zip is made before the upload starts; bad AWS settings must stop the run
        // before that work is done.
        deploykit_aws::config::check_environment()?;
    }
    let base = collect::base_dir(config.base_dir.as_deref())?;
    let output = codebuild::resolve(&config.output);
    verify::action_files_are_files(&config.deploy, &base, &config.paths)?;
    let mut files = collect::collect(&base, &config.paths, config.follow_symlinks, &output)?;
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
    verify::before_writing(&config.deploy, &files, config.policy, &shown)?;
    let settings = Settings {
        timestamp: config.timestamp,
        level: config.level,
        ..Settings::default()
    };
    let count = files.len();
    let fill = |file: &mut File| write(file, files, &settings, config.deploy.max_bytes, &shown);
    let size = if let Some(upload) = &config.upload {
        // Uploaded from its temporary file and put in place only once S3 has it, so a failed
        // upload leaves no new zip behind (docs/programs/ecs-bundle.md, "Exit codes").
        write_file_then(&output, fill, |staged| {
            s3::upload(upload, staged, &shown, &config.aws)
        })?
    } else {
        write_file_with(&output, fill)?
    };
    deploykit_cli::say(format_args!(
        "wrote {shown} ({count} {}, {size} bytes)",
        if count == 1 { "file" } else { "files" }
    ));
    Ok(Exit::Clean)
}

/// Writes the zip into `file` and returns its size; refuses a zip over the action's
/// `max_bytes`, the Blue/Green action's 3 MB.
fn write(
    file: &mut File,
    files: Vec<Collected>,
    settings: &Settings,
    max_bytes: Option<u64>,
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
    if let Some(limit) = max_bytes.filter(|&limit| size > limit) {
        return Err(CliError::refused(format!(
            "the zip would be {size} bytes, over the 3 MB ({limit} bytes) the Blue/Green action reads; nothing was written"
        ))
        .at(shown.to_owned())
        .help("CodeDeployToECS then fails with \"Exception while trying to read the task definition artifact file\": zip only taskdef.json, appspec.yaml and imageDetail.json, in an artifact of their own"));
    }
    Ok(size)
}
