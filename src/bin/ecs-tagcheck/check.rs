//! The run: a checked policy, the files, the checks, the optional ECR lookups, the report.

use std::path::Path;

use deploykit_artifacts::Severity;
use deploykit_artifacts::tagcheck::{self, Config, Policy, config};
use deploykit_cli::report::{self, FileReport};
use deploykit_cli::{CliError, Exit, input};

use crate::walk::{self, Found};
use crate::{Cli, FailOn, lookup};

/// The policy and settings, from the config file and then the flags.
struct Settings {
    policy: Policy,
    exclude: Vec<String>,
    fail_on: FailOn,
}

fn settings(cli: &Cli) -> Result<Settings, CliError> {
    let default = Path::new(config::FILE_NAME);
    let path = cli
        .config
        .as_deref()
        .or_else(|| default.is_file().then_some(default));
    let config = match path {
        Some(path) => {
            let bytes = input::read(path)?;
            let text = String::from_utf8_lossy(&bytes);
            Config::parse(&text).map_err(|error| {
                CliError::new(error.message).at(path.display().to_string()).help(
                    "the keys are `deny`, `allow`, `require-digest`, `exclude`, `fail-on` and `[severity]`",
                )
            })?
        }
        None => Config::default(),
    };
    let shown = path.map(|p| p.display().to_string()).unwrap_or_default();
    let mut policy = config
        .policy()
        .map_err(|error| CliError::new(error.message).at(shown.clone()))?;
    policy.deny.extend(cli.deny.iter().cloned());
    policy.allow.extend(cli.allow.iter().cloned());
    policy.require_digest |= cli.require_digest;
    for pair in &cli.build_arg {
        let (name, value) = pair.split_once('=').ok_or_else(|| {
            CliError::new(format!("`{pair}` is not a `NAME=VALUE` pair"))
                .at("--build-arg")
                .help("write `--build-arg GO_VERSION=1.22`")
        })?;
        policy.build_args.push((name.to_owned(), value.to_owned()));
    }
    let fail_on = match (cli.fail_on, config.fail_on.as_deref()) {
        (Some(fail_on), _) => fail_on,
        (None, Some("warning")) => FailOn::Warning,
        (None, _) => FailOn::Error,
    };
    let mut exclude = config.exclude;
    exclude.extend(cli.exclude.iter().cloned());
    Ok(Settings {
        policy,
        exclude,
        fail_on,
    })
}

pub(crate) fn run(cli: &Cli) -> Result<Exit, CliError> {
    let settings = settings(cli)?;
    let policy = &settings.policy;
    let mut files = walk::files(&cli.paths, &settings.exclude)?;
    let mut scans: Vec<tagcheck::Scan> = files
        .iter()
        .map(|file| tagcheck::scan(file.kind, &name_of(file), &file.bytes, policy))
        .collect();
    if cli.ecr.ecr || cli.ecr.pin {
        lookup::run(
            &mut files,
            &mut scans,
            policy,
            cli.ecr.pin,
            cli.ecr.keep_tag,
        )?;
    }
    let reports: Vec<FileReport> = files
        .iter()
        .zip(scans)
        .map(|(file, scan)| FileReport {
            path: file.shown.clone(),
            kind: Some(file.kind.name().to_owned()),
            findings: tagcheck::finish(file.kind, &file.bytes, scan.findings, policy),
        })
        .collect();
    let exit = report::print("ecs-tagcheck", &reports, cli.format)?;
    let warnings = reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity == Severity::Warning);
    Ok(match (exit, settings.fail_on) {
        (Exit::Clean, FailOn::Warning) if warnings => Exit::Findings,
        (exit, _) => exit,
    })
}

pub(crate) fn name_of(file: &Found) -> String {
    file.path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}
