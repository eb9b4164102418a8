//! `ecs-bundle unpack`: a zip from anywhere into a folder, refusing anything that could write
//! outside it or fill the disk. Every entry is checked before the first file is written.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Seek};
use std::path::Path;

use deploykit_artifacts::bundle::{Archive, UnpackError};
use deploykit_cli::interrupt::{self, Registered};
use deploykit_cli::{CliError, Exit, codebuild, input, output};

use crate::config::{Unpack, ZipSource};
use crate::s3;

pub(crate) fn run(config: &Unpack) -> Result<Exit, CliError> {
    let (file, shown) = match &config.zip {
        ZipSource::S3(location) => {
            // Downloaded into an anonymous temporary file: the zip's central directory is at
            // its end, so it cannot be read as a stream.
            let mut file = output::staging_file()?;
            s3::download(location, &mut file, &config.aws)?;
            file.rewind()
                .map_err(|error| CliError::new(format!("cannot read the download: {error}")))?;
            (file, location.shown.clone())
        }
        ZipSource::File(zip) => {
            let file = input::open_regular(Path::new(zip))?;
            (file, zip.clone())
        }
    };
    let mut archive = Archive::open(io::BufReader::new(file), config.limits).map_err(|error| {
        // Only a limit can be raised; no limit lets through entries that share data or change
        // name, and a file that is no zip is not made one by a larger limit.
        let help = match error {
            UnpackError::TooManyEntries { .. }
            | UnpackError::TooLarge { .. }
            | UnpackError::Ratio { .. }
            | UnpackError::TotalRatio { .. } => {
                "nothing was unpacked; if the zip is trusted and only large, raise --max-entries, --max-size or --max-ratio"
            }
            UnpackError::Overlap { .. }
            | UnpackError::Renamed { .. }
            | UnpackError::SameFolded { .. } => {
                "nothing was unpacked; the zip was not written by an ordinary zip tool: rebuild it"
            }
            UnpackError::Unreadable { .. } => {
                "nothing was unpacked; check that the file is a whole zip (`unzip -l`)"
            }
            _ => "nothing was unpacked",
        };
        CliError::new(error.to_string())
            .at(shown.clone())
            .help(help)
    })?;
    let directory = codebuild::resolve(&config.directory);
    // A damaged entry (a wrong CRC, a short stream) shows only while it is extracted, after
    // other files may be out: everything this run created is tracked and removed again, so a
    // failed unpack leaves the folder as it found it; a signal removes it too
    // (docs/reliability.md, "Signals"). Once done, the files and folders leave that list.
    let mut created = Vec::new();
    let unpacked = create_dirs(&directory, &mut created)
        .and_then(|()| extract_all(&mut archive, &directory, &shown, &mut created));
    let files = match unpacked {
        Ok(files) => files,
        Err(error) => {
            while let Some(listed) = created.pop() {
                let path = listed.path();
                // A folder is removed only when empty: it may have held files before.
                let _ = fs::remove_file(path).or_else(|_| fs::remove_dir(path));
            }
            return Err(error);
        }
    };
    drop(created);
    deploykit_cli::say(format_args!(
        "unpacked {files} files from {shown} into {}",
        directory.display()
    ));
    Ok(Exit::Clean)
}

/// Writes every entry under `directory`, recording each file and folder it creates.
fn extract_all<R: io::Read + Seek>(
    archive: &mut Archive<R>,
    directory: &Path,
    shown: &str,
    created: &mut Vec<Registered>,
) -> Result<usize, CliError> {
    let items = archive.items().to_vec();
    let mut files = 0_usize;
    for item in &items {
        let target = directory.join(&item.path);
        refuse_links_on_the_way(directory, &item.path)?;
        if item.is_dir {
            create_dirs(&target, created)?;
            continue;
        }
        if let Some(parent) = target.parent() {
            create_dirs(parent, created)?;
        }
        // `create_new` never follows a link left at the target and never overwrites.
        let open = |path: &Path| OpenOptions::new().write(true).create_new(true).open(path);
        let (out, listed) = interrupt::create_registered(&target, open).map_err(|error| {
            let message = format!("cannot write `{}`: {error}", target.display());
            if error.kind() == io::ErrorKind::AlreadyExists {
                CliError::new(message)
                    .help("unpack into an empty folder; existing files are never overwritten")
            } else {
                CliError::new(message)
            }
        })?;
        created.push(listed);
        let mut writer = BufWriter::new(out);
        archive
            .extract(item, &mut writer)
            .map_err(|error| CliError::new(error.to_string()).at(shown.to_owned()))?;
        let out = writer.into_inner().map_err(|error| {
            CliError::new(format!(
                "cannot write `{}`: {}",
                target.display(),
                error.error()
            ))
        })?;
        set_mode(&out, item.executable).map_err(|error| {
            CliError::new(format!(
                "cannot set the mode of `{}`: {error}",
                target.display()
            ))
        })?;
        files += 1;
    }
    Ok(files)
}

/// `create_dir_all`, recording the folders that did not exist before.
fn create_dirs(path: &Path, created: &mut Vec<Registered>) -> Result<(), CliError> {
    // A relative path's last ancestor is the empty path, which is the working folder.
    let missing: Vec<&Path> = path
        .ancestors()
        .take_while(|at| !at.as_os_str().is_empty() && !at.exists())
        .collect();
    for folder in missing.into_iter().rev() {
        let ((), listed) = interrupt::create_registered(folder, |folder| fs::create_dir(folder))
            .map_err(|error| {
                CliError::new(format!("cannot create `{}`: {error}", folder.display()))
            })?;
        created.push(listed);
    }
    Ok(())
}

/// A symbolic link already in the folder (`out/config -> /etc`) would carry the entries under
/// it outside; refuse instead of following it.
fn refuse_links_on_the_way(directory: &Path, relative: &Path) -> Result<(), CliError> {
    let mut at = directory.to_owned();
    for component in relative.components() {
        at.push(component);
        if fs::symlink_metadata(&at).is_ok_and(|metadata| metadata.file_type().is_symlink()) {
            return Err(CliError::new(format!(
                "`{}` is a symbolic link; unpacking through it could write outside `{}`",
                at.display(),
                directory.display()
            ))
            .help("unpack into an empty folder"));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(file: &File, executable: bool) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(if executable {
        0o755
    } else {
        0o644
    }))
}

#[cfg(not(unix))]
fn set_mode(_file: &File, _executable: bool) -> io::Result<()> {
    Ok(())
}
