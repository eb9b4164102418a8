//! The AWS side every program that can call AWS shares: the `--region` and `--profile` flags,
//! one way to run the SDK's async clients from a synchronous program, and one conversion of the
//! adapters' errors into the programs' error, with its help.
//!
//! Credentials, region and endpoint otherwise come from the standard chain only
//! (`deploykit_aws::config`), as in every AWS tool.

use std::future::Future;

use deploykit_artifacts::secrets;
use deploykit_aws::AwsError;
use deploykit_aws::config::SdkConfig;

use crate::error::CliError;

/// `--region` and `--profile`, flattened into every program that can call AWS.
// The field docs are `--help` text for people, not rustdoc.
#[allow(clippy::doc_markdown)]
#[derive(Clone, Debug, Default, clap::Args)]
#[command(next_help_heading = "AWS options")]
pub struct AwsArgs {
    /// The AWS Region to call, such as `eu-west-1`. Default: AWS_REGION, then the profile's.
    #[arg(long, value_name = "REGION", global = true)]
    pub region: Option<String>,

    /// The named profile of ~/.aws/config to use. Default: AWS_PROFILE, then `default`.
    #[arg(long, value_name = "NAME", global = true)]
    pub profile: Option<String>,
}

/// The checked AWS settings of a program's configuration: what the flags asked for, on top of
/// the standard chain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AwsSettings {
    region: Option<String>,
    profile: Option<String>,
}

impl TryFrom<AwsArgs> for AwsSettings {
    type Error = CliError;

    fn try_from(args: AwsArgs) -> Result<Self, CliError> {
        if let Some(region) = &args.region
            && !is_region_name(region)
        {
            return Err(CliError::new(format!("invalid Region `{region}`"))
                .at("--region")
                .help("give a Region code such as `us-east-1` or `eu-west-1`"));
        }
        if args.profile.as_deref() == Some("") {
            return Err(CliError::new("the profile name is empty")
                .at("--profile")
                .help("name a profile of ~/.aws/config, or leave out --profile"));
        }
        Ok(Self {
            region: args.region,
            profile: args.profile,
        })
    }
}

/// A Region code as AWS writes them: lowercase letters, digits and hyphens, starting with a
/// letter (`us-east-1`, `cn-north-1`, `us-gov-west-1`). The SDK builds the endpoint's host
/// name from it, so anything else can only fail later, with a DNS error.
fn is_region_name(region: &str) -> bool {
    region.len() <= 64
        && region.starts_with(|c: char| c.is_ascii_lowercase())
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl AwsSettings {
    /// Settings from the standard chain alone, as if neither flag was given.
    #[must_use]
    pub fn standard_chain() -> Self {
        Self::default()
    }

    /// The Region given with `--region`, if any.
    #[must_use]
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// Runs `body` with the shared configuration loaded from the standard chain and these
    /// settings, on a current-thread runtime started for it: the programs make few calls, and
    /// one thread keeps start-up at the cost of a process. Without a Region from `--region`,
    /// the environment or the profile, it stops with [`no_region`], the same error for every
    /// program and service, before any call.
    pub fn run<T, F>(&self, body: impl FnOnce(SdkConfig) -> F) -> Result<T, CliError>
    where
        F: Future<Output = Result<T, CliError>>,
    {
        self.run_in(true, body)
    }

    /// [`AwsSettings::run`] for calls that each name their own Region (ECR lookups, in the
    /// Region of the registry's host name): no Region is needed in the configuration.
    pub fn run_with_regions_of_their_own<T, F>(
        &self,
        body: impl FnOnce(SdkConfig) -> F,
    ) -> Result<T, CliError>
    where
        F: Future<Output = Result<T, CliError>>,
    {
        self.run_in(false, body)
    }

    fn run_in<T, F>(
        &self,
        needs_region: bool,
        body: impl FnOnce(SdkConfig) -> F,
    ) -> Result<T, CliError>
    where
        F: Future<Output = Result<T, CliError>>,
    {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| CliError::new(format!("cannot start the AWS client: {error}")))?;
        runtime.block_on(async {
            let config = deploykit_aws::config::try_load_for(
                self.region.as_deref(),
                self.profile.as_deref(),
            )
            .await?;
            if needs_region && config.region().is_none() {
                return Err(no_region());
            }
            body(config).await
        })
    }
}

/// The error of a run that needs an AWS Region and found none. Left to the SDK, each service
/// words it its own way deep in a dispatch failure (`invalid Configuration: Missing Region`,
/// `a region must be set when sending requests to S3`).
fn no_region() -> CliError {
    CliError::new("no AWS Region is set").at("--region").help(
        "give --region, such as `--region eu-west-1`, or set AWS_REGION, or set `region` \
             in the profile of ~/.aws/config that AWS_PROFILE or --profile names",
    )
}

impl From<AwsError> for CliError {
    fn from(error: AwsError) -> Self {
        Self::from(&error)
    }
}

impl From<&AwsError> for CliError {
    fn from(error: &AwsError) -> Self {
        // The service's words are repeated, and may repeat a secret the call carried.
        let cli_error = Self::new(secrets::redact_words(&error.what()))
            .at(secrets::redact_words(&error.location()));
        match error.help() {
            Some(help) => cli_error.help(help),
            None => cli_error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(region: Option<&str>, profile: Option<&str>) -> Result<AwsSettings, CliError> {
        AwsSettings::try_from(AwsArgs {
            region: region.map(str::to_owned),
            profile: profile.map(str::to_owned),
        })
    }

    #[test]
    fn accepts_region_codes_and_profiles() {
        for region in ["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"] {
            let checked = settings(Some(region), Some("prod")).unwrap();
            assert_eq!(checked.region(), Some(region));
        }
        assert_eq!(settings(None, None).unwrap(), AwsSettings::standard_chain());
    }

    #[test]
    fn refuses_what_cannot_be_a_region_or_a_profile() {
        for region in [
            "",
            "EU-WEST-1",
            "eu west 1",
            "eu-west-1.example.com",
            "1-east",
        ] {
            let error = settings(Some(region), None).unwrap_err();
            assert_eq!(
                error.to_string(),
                format!(
                    "error: invalid Region `{region}` (--region)\nhelp: give a Region code such \
                     as `us-east-1` or `eu-west-1`"
                )
            );
        }
        let error = settings(None, Some("")).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("error: the profile name is empty (--profile)")
        );
    }
}
