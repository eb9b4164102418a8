//! The checked configuration: which service, which switch, and where to ask.

use deploykit_aws::scaling::Suspended;
use deploykit_cli::CliError;
use deploykit_cli::aws::AwsSettings;

use crate::{Cli, Command};

/// What one run does.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Config {
    pub(crate) aws: AwsSettings,
    pub(crate) cluster: String,
    pub(crate) service: String,
    /// The state to set; `None` only shows the current one (`status`).
    pub(crate) wanted: Option<Suspended>,
}

impl TryFrom<Cli> for Config {
    type Error = CliError;

    fn try_from(cli: Cli) -> Result<Self, CliError> {
        let (args, wanted) = match cli.command {
            Command::Suspend(args) => (args, Some(Suspended::all(true))),
            Command::Resume(args) => (args, Some(Suspended::all(false))),
            Command::Status(args) => (args, None),
        };
        Ok(Self {
            aws: AwsSettings::try_from(cli.aws)?,
            cluster: args.cluster,
            service: args.service,
            wanted,
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn config(args: &[&str]) -> Result<Config, CliError> {
        let cli = Cli::try_parse_from([&["ecs-scaling"], args].concat()).expect("valid flags");
        Config::try_from(cli)
    }

    #[test]
    fn each_command_says_what_to_set() {
        let service = ["--cluster", "prod", "--service", "web"];
        let suspend = config(&[&["suspend"], &service[..]].concat()).unwrap();
        assert_eq!(
            suspend,
            Config {
                aws: AwsSettings::standard_chain(),
                cluster: "prod".to_owned(),
                service: "web".to_owned(),
                wanted: Some(Suspended::all(true)),
            }
        );
        let resume = config(&[&["resume"], &service[..]].concat()).unwrap();
        assert_eq!(resume.wanted, Some(Suspended::all(false)));
        let status = config(&[&["status"], &service[..]].concat()).unwrap();
        assert_eq!(status.wanted, None);
    }

    #[test]
    fn region_and_profile_go_before_or_after_the_command() {
        let before = config(&[
            "--region",
            "eu-west-1",
            "status",
            "--cluster",
            "prod",
            "--service",
            "web",
        ])
        .unwrap();
        let after = config(&[
            "status",
            "--cluster",
            "prod",
            "--service",
            "web",
            "--region",
            "eu-west-1",
            "--profile",
            "deploy",
        ])
        .unwrap();
        assert_eq!(before.aws.region(), Some("eu-west-1"));
        assert_eq!(after.aws.region(), Some("eu-west-1"));
    }

    #[test]
    fn refuses_a_region_that_is_not_a_region_code() {
        let error = config(&[
            "status",
            "--cluster",
            "prod",
            "--service",
            "web",
            "--region",
            "Ireland",
        ])
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: invalid Region `Ireland` (--region)\n\
             help: give a Region code such as `us-east-1` or `eu-west-1`"
        );
    }
}
