//! The checked configuration: the flags' policy, what to ask ECR, and how to report.

use std::path::PathBuf;

use clap::ValueEnum;
use deploykit_artifacts::secrets::redact_assignment;
use deploykit_artifacts::tagcheck::trust::TrustedPrefix;
use deploykit_cli::CliError;
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::report::{Format, ReportFile};

use crate::Cli;

/// What one run checks and how.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Config {
    /// Files and folders to check.
    pub(crate) paths: Vec<PathBuf>,
    /// The config file named with `--config`; without it, `.ecs-tagcheck.toml` if there is one.
    pub(crate) policy_file: Option<PathBuf>,
    /// The flags' part of the policy, added to the config file's.
    pub(crate) flags: PolicyFlags,
    /// Whether and how to ask ECR.
    pub(crate) ecr: Ecr,
    pub(crate) aws: AwsSettings,
    pub(crate) format: Format,
    /// `--report`: reports written to files as well.
    pub(crate) reports: Vec<ReportFile>,
    /// `--fail-on`; without it, the config file's, then `error`.
    pub(crate) fail_on: Option<FailOn>,
    /// `--strict`: a warning per unresolved reference, not one note.
    pub(crate) strict: bool,
}

/// The policy the flags add to the config file's.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct PolicyFlags {
    pub(crate) exclude: Vec<String>,
    pub(crate) deny: Vec<String>,
    pub(crate) allow: Vec<String>,
    pub(crate) require_digest: bool,
    /// `--trusted-registry PREFIX`, read.
    pub(crate) trusted: Vec<TrustedPrefix>,
    /// `--build-arg NAME=VALUE`, in order.
    pub(crate) build_args: Vec<(String, String)>,
    /// `--var NAME=VALUE`, in order.
    pub(crate) variables: Vec<(String, String)>,
}

/// `--ecr`, `--pin` and `--keep-tag`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ecr {
    /// No lookups.
    Off,
    /// Ask whether each ECR image's tag can change and whether it exists.
    Check,
    /// The same, and rewrite the pinnable images to their digests.
    Pin {
        /// Keep the tag before the digest: `repository:tag@sha256:…`.
        keep_tag: bool,
    },
}

/// `--fail-on`
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// Only errors fail.
    Error,
    /// Warnings fail too.
    Warning,
}

impl TryFrom<Cli> for Config {
    type Error = CliError;

    fn try_from(cli: Cli) -> Result<Self, CliError> {
        let build_args = pairs(&cli.build_arg, "--build-arg", "GO_VERSION=1.22")?;
        let variables = pairs(&cli.var, "--var", "IMAGE_TAG=1.4.2")?;
        let trusted = cli
            .trusted_registry
            .iter()
            .map(|prefix| {
                TrustedPrefix::parse(prefix).map_err(|reason| {
                    CliError::new(reason)
                        .at("--trusted-registry")
                        .help("write a registry or repository prefix: `--trusted-registry gcr.io/distroless`")
                })
            })
            .collect::<Result<_, _>>()?;
        let ecr = match (cli.ecr.ecr, cli.ecr.pin) {
            (_, true) => Ecr::Pin {
                keep_tag: cli.ecr.keep_tag,
            },
            (true, false) => Ecr::Check,
            (false, false) => Ecr::Off,
        };
        Ok(Self {
            paths: cli.paths,
            policy_file: cli.config,
            flags: PolicyFlags {
                exclude: cli.exclude,
                deny: cli.deny,
                allow: cli.allow,
                require_digest: cli.require_digest,
                trusted,
                build_args,
                variables,
            },
            ecr,
            aws: AwsSettings::try_from(cli.aws)?,
            format: cli.format,
            reports: cli.report,
            fail_on: cli.fail_on,
            strict: cli.strict,
        })
    }
}

/// The `NAME=VALUE` values of flag `flag`, in order; `example` shows one in the help.
fn pairs(values: &[String], flag: &str, example: &str) -> Result<Vec<(String, String)>, CliError> {
    values
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .filter(|(name, _)| !name.is_empty())
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .ok_or_else(|| {
                    CliError::new(format!(
                        "`{}` is not a `NAME=VALUE` pair",
                        redact_assignment(pair)
                    ))
                    .at(flag)
                    .help(format!("write `{flag} {example}`"))
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn config(args: &[&str]) -> Result<Config, CliError> {
        let cli = Cli::try_parse_from([&["ecs-tagcheck"], args].concat()).expect("valid flags");
        Config::try_from(cli)
    }

    #[test]
    fn reads_the_policy_flags_in_order() {
        let config = config(&[
            "--deny",
            "stable",
            "--allow",
            "vendor/*",
            "--require-digest",
            "--trusted-registry",
            "gcr.io/distroless",
            "--trusted-registry",
            "nginx",
            "--build-arg",
            "GO_VERSION=1.22",
            "--build-arg",
            "EMPTY=",
            "--var",
            "IMAGE_TAG=1.4.2",
            "--strict",
            "--exclude",
            "vendor",
            "--fail-on",
            "warning",
            "Dockerfile",
            "out/",
        ])
        .unwrap();
        assert_eq!(
            config.paths,
            [PathBuf::from("Dockerfile"), PathBuf::from("out/")]
        );
        assert_eq!(
            config.flags,
            PolicyFlags {
                exclude: vec!["vendor".to_owned()],
                deny: vec!["stable".to_owned()],
                allow: vec!["vendor/*".to_owned()],
                require_digest: true,
                trusted: vec![
                    TrustedPrefix::parse("gcr.io/distroless").unwrap(),
                    TrustedPrefix::parse("nginx").unwrap(),
                ],
                build_args: vec![
                    ("GO_VERSION".to_owned(), "1.22".to_owned()),
                    ("EMPTY".to_owned(), String::new()),
                ],
                variables: vec![("IMAGE_TAG".to_owned(), "1.4.2".to_owned())],
            }
        );
        assert!(config.strict);
        assert_eq!(config.fail_on, Some(FailOn::Warning));
        assert_eq!(config.ecr, Ecr::Off);
    }

    #[test]
    fn refuses_a_build_arg_without_a_value() {
        let error = config(&["--build-arg", "GO_VERSION"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: `GO_VERSION` is not a `NAME=VALUE` pair (--build-arg)\n\
             help: write `--build-arg GO_VERSION=1.22`"
        );
        let error = config(&["--var", "=1"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: `=<redacted>` is not a `NAME=VALUE` pair (--var)\n\
             help: write `--var IMAGE_TAG=1.4.2`"
        );
    }

    #[test]
    fn refuses_a_trusted_registry_with_a_tag() {
        let error = config(&["--trusted-registry", "nginx:1.27"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: `nginx:1.27` has a tag; a trusted prefix names a registry or repository (--trusted-registry)\n\
             help: write a registry or repository prefix: `--trusted-registry gcr.io/distroless`"
        );
    }

    #[test]
    fn pin_implies_ecr_and_keep_tag_needs_pin() {
        assert_eq!(config(&["--ecr"]).unwrap().ecr, Ecr::Check);
        assert_eq!(
            config(&["--pin"]).unwrap().ecr,
            Ecr::Pin { keep_tag: false }
        );
        assert_eq!(
            config(&["--ecr", "--pin", "--keep-tag"]).unwrap().ecr,
            Ecr::Pin { keep_tag: true }
        );
        assert!(Cli::try_parse_from(["ecs-tagcheck", "--keep-tag"]).is_err());
    }

    #[test]
    fn region_and_profile_are_checked() {
        let checked = config(&["--ecr", "--region", "eu-west-1", "--profile", "ci"]).unwrap();
        assert_eq!(checked.aws.region(), Some("eu-west-1"));
        let error = config(&["--ecr", "--region", "EU"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: invalid Region `EU` (--region)\n\
             help: give a Region code such as `us-east-1` or `eu-west-1`"
        );
    }
}
