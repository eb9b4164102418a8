//! The shared AWS configuration, from the standard chain and nothing else.
//!
//! Credentials, region, endpoint and retry settings come from the environment, the shared
//! config and credentials files and the container or instance metadata, exactly as for the AWS
//! CLI: `AWS_PROFILE`, `AWS_REGION`, `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`,
//! `AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`, and in CodeBuild the container credentials. The retry
//! mode is the SDK's standard mode unless the user configured another.

use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, ConfigLoader};
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::{Connector, ConnectorBuilder, tls};
use aws_smithy_runtime_api::client::http::{HttpConnectorSettings, SharedHttpClient};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;

/// The shared configuration every client is built from.
pub use aws_config::SdkConfig;
use aws_sdk_s3::config::retry::RetryMode;

use crate::error::{AwsError, Cause, Resource};

/// The environment variable that sets how many attempts a call gets, first one included.
const MAX_ATTEMPTS: &str = "AWS_MAX_ATTEMPTS";
/// The environment variable that sets the retry mode.
const RETRY_MODE: &str = "AWS_RETRY_MODE";

/// How long a connection may take to open: the SDK's own default for this behavior version,
/// restated because setting a timeout config replaces the default one.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
/// How long an attempt may wait for the answer's head, the request body's upload included.
/// The SDK sets no read timeout, so an endpoint that accepts a request and never answers hangs
/// the program for ever (aws-smithy-runtime 1.16.2, `client/defaults.rs`, only a connect
/// timeout); 60 s is the AWS CLI's read timeout (botocore `endpoint.py`, `DEFAULT_TIMEOUT`).
/// A timed-out attempt is retried like any transient failure, within `AWS_MAX_ATTEMPTS`.
pub const READ_TIMEOUT: Duration = Duration::from_mins(1);

/// The HTTPS client of every call: the SDK's default client (hyper, rustls, the platform's
/// trusted roots, `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` from the environment), built as
/// aws-smithy-runtime 1.16 builds it (`client/http.rs`, `default_https_client`) but with ring as
/// rustls's crypto provider in place of aws-lc (docs/performance.md, "The TLS crypto
/// provider"; what differs: docs/aws/crates.md). Set on the shared configuration, it is also
/// the client of the credential providers (container and instance metadata, SSO, STS).
#[must_use]
pub fn https_client() -> SharedHttpClient {
    // `build_with_connector_fn` is the SDK's own way to its default client; the public
    // `build_https` leaves out the proxy settings.
    aws_smithy_http_client::Builder::new().build_with_connector_fn(connector)
}

/// A connector of rustls on ring that takes the proxy from the environment, as the SDK's
/// default does from behavior version 2025-08-07: for [`https_client`] and for the one download
/// that is not an API call.
pub(crate) fn connector(
    settings: Option<&HttpConnectorSettings>,
    components: Option<&RuntimeComponents>,
) -> Connector {
    let mut builder = ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(
        tls::rustls_provider::CryptoMode::Ring,
    ));
    builder.set_connector_settings(settings.cloned());
    if let Some(components) = components {
        builder.set_sleep_impl(components.sleep_impl());
    }
    builder.set_proxy_config(Some(ProxyConfig::from_env()));
    builder.build()
}

fn loader() -> ConfigLoader {
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(https_client())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .read_timeout(READ_TIMEOUT)
                .build(),
        )
}

/// Loads the shared configuration from the standard chain.
///
/// # Panics
///
/// Like aws-config itself, when `AWS_MAX_ATTEMPTS` or `AWS_RETRY_MODE` (or `max_attempts` or
/// `retry_mode` in the profile) is invalid. Programs should call [`try_load`], which reports the
/// environment variables as an error instead.
pub async fn load() -> SdkConfig {
    loader().load().await
}

/// Checks the retry settings in the environment without loading anything, so a program that
/// writes a file before its first AWS call can refuse bad settings before writing.
pub fn check_environment() -> Result<(), AwsError> {
    check_retry_settings(|name| std::env::var(name).ok())
}

/// Loads the shared configuration from the standard chain, after checking the retry settings in
/// the environment that would otherwise make aws-config panic.
pub async fn try_load() -> Result<SdkConfig, AwsError> {
    check_retry_settings(|name| std::env::var(name).ok())?;
    Ok(load().await)
}

/// [`try_load`], with `--region` and `--profile` from the command line winning over
/// `AWS_REGION` and `AWS_PROFILE` when given, as in the AWS CLI.
pub async fn try_load_for(
    region: Option<&str>,
    profile: Option<&str>,
) -> Result<SdkConfig, AwsError> {
    check_retry_settings(|name| std::env::var(name).ok())?;
    let mut loader = loader();
    if let Some(profile) = profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = region {
        loader = loader.region(aws_config::Region::new(region.to_owned()));
    }
    Ok(loader.load().await)
}

/// Loads the shared configuration from the standard chain, but sends every service to
/// `endpoint_url`, as `aws --endpoint-url` does; `AWS_ENDPOINT_URL*` settings are then ignored.
pub async fn load_with_endpoint(endpoint_url: &str) -> SdkConfig {
    loader().endpoint_url(endpoint_url).load().await
}

/// Checks the retry settings the way aws-config parses them, reading variables through `var`.
fn check_retry_settings(var: impl Fn(&str) -> Option<String>) -> Result<(), AwsError> {
    if let Some(value) = var(MAX_ATTEMPTS) {
        match value.parse::<u32>() {
            Ok(attempts) if attempts > 0 => {}
            _ => {
                return Err(invalid(
                    MAX_ATTEMPTS,
                    value,
                    "expected a whole number of attempts, at least 1",
                ));
            }
        }
    }
    if let Some(value) = var(RETRY_MODE)
        && value.parse::<RetryMode>().is_err()
    {
        return Err(invalid(
            RETRY_MODE,
            value,
            "expected `standard` or `adaptive`",
        ));
    }
    Ok(())
}

fn invalid(name: &str, value: String, reason: &str) -> AwsError {
    AwsError::new(
        "configuration",
        Resource::Setting {
            name: name.to_owned(),
        },
        Cause::Config {
            value,
            reason: reason.to_owned(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(vars: &[(&str, &str)]) -> Result<(), AwsError> {
        check_retry_settings(|name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn accepts_unset_and_valid_retry_settings() {
        assert!(check(&[]).is_ok());
        assert!(check(&[(MAX_ATTEMPTS, "5"), (RETRY_MODE, "standard")]).is_ok());
        assert!(check(&[(RETRY_MODE, "Adaptive")]).is_ok());
    }

    #[test]
    fn refuses_the_values_that_make_aws_config_panic() {
        for value in ["0", "abc", "-1", ""] {
            let error = check(&[(MAX_ATTEMPTS, value)]).unwrap_err();
            assert_eq!(
                error.to_string(),
                format!(
                    "invalid value `{value}`: expected a whole number of attempts, at least 1 \
                     (`AWS_MAX_ATTEMPTS`)"
                )
            );
            assert!(error.help().unwrap().contains("unset `AWS_MAX_ATTEMPTS`"));
        }
        let error = check(&[(RETRY_MODE, "legacy")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid value `legacy`: expected `standard` or `adaptive` (`AWS_RETRY_MODE`)"
        );
    }
}
