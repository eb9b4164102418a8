//! The policy: the config file's, then what the flags add.

use std::path::Path;

use deploykit_artifacts::tagcheck::{self, Policy, config};
use deploykit_cli::{
    CliError,
    input::{self, Limit},
};

use crate::config::{Config, FailOn};

/// The policy and settings, from the config file and then the flags.
#[derive(Debug)]
pub(crate) struct Settings {
    pub(crate) policy: Policy,
    pub(crate) exclude: Vec<String>,
    pub(crate) fail_on: FailOn,
}

/// Reads the config file (`--config`, or `.ecs-tagcheck.toml` in the current folder when there
/// is one) and adds the flags to it.
pub(crate) fn settings(config: &Config) -> Result<Settings, CliError> {
    let default = Path::new(config::FILE_NAME);
    let path = config
        .policy_file
        .as_deref()
        .or_else(|| default.is_file().then_some(default));
    let file = match path {
        Some(path) => {
            let bytes = input::read(path, Limit::SCANNED)?;
            let text = String::from_utf8_lossy(&bytes);
            tagcheck::Config::parse(&text).map_err(|error| {
                CliError::new(error.message).at(path.display().to_string()).help(
                    "the keys are `deny`, `allow`, `require-digest`, `trusted-registries`, `exclude`, `fail-on` and `[severity]`",
                )
            })?
        }
        None => tagcheck::Config::default(),
    };
    let shown = path.map(|p| p.display().to_string()).unwrap_or_default();
    let mut policy = file
        .policy()
        .map_err(|error| CliError::new(error.message).at(shown))?;
    let flags = &config.flags;
    policy.deny.extend(flags.deny.iter().cloned());
    policy.allow.extend(flags.allow.iter().cloned());
    policy.require_digest |= flags.require_digest;
    policy.trusted.extend(flags.trusted.iter().cloned());
    policy.build_args.extend(flags.build_args.iter().cloned());
    policy.variables.extend(flags.variables.iter().cloned());
    let fail_on = match (config.fail_on, file.fail_on.as_deref()) {
        (Some(fail_on), _) => fail_on,
        (None, Some("warning")) => FailOn::Warning,
        (None, _) => FailOn::Error,
    };
    let mut exclude = file.exclude;
    exclude.extend(flags.exclude.iter().cloned());
    Ok(Settings {
        policy,
        exclude,
        fail_on,
    })
}
