//! `.ecs-tagcheck.toml`: the policy a repository keeps next to its code.
//!
//! ```toml
//! deny = ["latest", "stable", "main"]   # tags refused without a digest (case-insensitive)
//! allow = ["public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"]
//! require-digest = false
//! trusted-registries = ["123456789012.dkr.ecr.eu-west-1.amazonaws.com", "gcr.io/distroless"]
//! exclude = ["vendor", "**/testdata"]
//! fail-on = "error"
//!
//! [severity]
//! mutable-repository = "warning"         # or "error", or "off"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use super::trust::TrustedPrefix;
use super::{Policy, rules};
use crate::finding::Severity;

/// The config file's default name, looked up in the current directory.
pub const FILE_NAME: &str = ".ecs-tagcheck.toml";

/// The file as written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Tags refused without a digest; replaces the default `["latest"]`.
    pub deny: Option<Vec<String>>,
    /// Images exempt from the tag rules (`*` wildcards).
    #[serde(default)]
    pub allow: Vec<String>,
    /// Refuse every reference without a digest.
    #[serde(default)]
    pub require_digest: bool,
    /// Registries and repository prefixes a Dockerfile may pull from (`trust` module).
    #[serde(default)]
    pub trusted_registries: Vec<String>,
    /// Paths to leave out of directory walks (globs).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// `error` or `warning`: the lowest severity that makes the exit status `1`.
    pub fail_on: Option<String>,
    /// Severity per rule id: `error`, `warning` or `off`.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
}

/// A config file that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    /// What is wrong, naming the key and value.
    pub message: String,
}

fn error(message: String) -> ConfigError {
    ConfigError { message }
}

impl Config {
    /// Reads the file's text.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let config: Self =
            toml::from_str(text).map_err(|e| error(e.to_string().trim().replace('\n', " ")))?;
        for (id, severity) in &config.severity {
            if rules::find(id).is_none() {
                return Err(error(format!(
                    "`[severity]` names `{id}`, which is not a rule"
                )));
            }
            parse_severity(severity)?;
        }
        if let Some(fail_on) = &config.fail_on {
            parse_severity(fail_on)?;
        }
        for prefix in &config.trusted_registries {
            TrustedPrefix::parse(prefix)
                .map_err(|reason| error(format!("`trusted-registries`: {reason}")))?;
        }
        Ok(config)
    }

    /// The policy this file describes.
    pub fn policy(&self) -> Result<Policy, ConfigError> {
        let mut policy = Policy::default();
        if let Some(deny) = &self.deny {
            policy.deny.clone_from(deny);
        }
        policy.allow.clone_from(&self.allow);
        policy.require_digest = self.require_digest;
        for prefix in &self.trusted_registries {
            policy.trusted.push(
                TrustedPrefix::parse(prefix)
                    .map_err(|reason| error(format!("`trusted-registries`: {reason}")))?,
            );
        }
        for (id, severity) in &self.severity {
            policy
                .severity
                .push((id.clone(), parse_severity(severity)?));
        }
        Ok(policy)
    }
}

/// `error`, `warning` or `off`.
pub fn parse_severity(text: &str) -> Result<Option<Severity>, ConfigError> {
    match text {
        "error" => Ok(Some(Severity::Error)),
        "warning" => Ok(Some(Severity::Warning)),
        "off" => Ok(None),
        other => Err(error(format!(
            "`{other}` is not a severity; use `error`, `warning` or `off`"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_example() {
        let config = Config::parse(
            "deny = [\"latest\", \"stable\"]\nallow = [\"x/*\"]\nrequire-digest = true\nexclude = [\"vendor\"]\nfail-on = \"warning\"\n[severity]\nmutable-repository = \"warning\"\nstale-waiver = \"off\"\n",
        )
        .unwrap();
        let policy = config.policy().unwrap();
        assert_eq!(policy.deny, ["latest", "stable"]);
        assert!(policy.require_digest);
        assert_eq!(
            policy.severity_of("mutable-repository"),
            Some(Severity::Warning)
        );
        assert_eq!(policy.severity_of("stale-waiver"), None);
        assert_eq!(policy.severity_of("latest-tag"), Some(Severity::Error));
    }

    #[test]
    fn reads_and_checks_trusted_registries() {
        let config =
            Config::parse("trusted-registries = [\"gcr.io/distroless\", \"nginx\"]\n").unwrap();
        let trusted: Vec<String> = config
            .policy()
            .unwrap()
            .trusted
            .iter()
            .map(|prefix| prefix.normalised().to_owned())
            .collect();
        assert_eq!(trusted, ["gcr.io/distroless", "docker.io/library/nginx"]);
        assert_eq!(
            Config::parse("trusted-registries = [\"nginx:1.27\"]")
                .unwrap_err()
                .message,
            "`trusted-registries`: `nginx:1.27` has a tag; a trusted prefix names a registry or repository"
        );
    }

    #[test]
    fn refuses_unknown_keys_rules_and_severities() {
        assert!(
            Config::parse("denny = []")
                .unwrap_err()
                .message
                .contains("denny")
        );
        assert_eq!(
            Config::parse("[severity]\nlatest = \"off\"")
                .unwrap_err()
                .message,
            "`[severity]` names `latest`, which is not a rule"
        );
        assert!(
            Config::parse("[severity]\nlatest-tag = \"fatal\"")
                .unwrap_err()
                .message
                .contains("`fatal`")
        );
    }
}
