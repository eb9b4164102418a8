//! The one error type of the adapters: which call failed, on what, why, and what to do.
//!
//! Its `Display` is `<what went wrong> (<where>)`, the shape every program prints after
//! `error: `; [`AwsError::what`], [`AwsError::location`] and [`AwsError::help`] give the parts
//! separately. The message is complete on its own, so the error has no `source()`; the SDK's full
//! error chain is kept as text in [`AwsError::detail`] for verbose logs. Credentials never appear
//! in either: the SDK's errors carry error codes and messages, not keys.

use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

/// What a failed call was about.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Resource {
    /// An S3 object, or the bucket it would be in.
    S3Object {
        /// The bucket name.
        bucket: String,
        /// The object key.
        key: String,
    },
    /// An ECS task definition.
    TaskDefinition {
        /// The family, `family:revision` or ARN, as given.
        name: String,
    },
    /// An ECS service.
    Service {
        /// The cluster name or ARN.
        cluster: String,
        /// The service name or ARN.
        service: String,
    },
    /// A CodePipeline pipeline, or a stage or action in it.
    Pipeline {
        /// The pipeline name.
        name: String,
    },
    /// The Application Auto Scaling target of an ECS service's desired count.
    ScalableTarget {
        /// The cluster name.
        cluster: String,
        /// The service name.
        service: String,
    },
    /// An ECR repository, or an image in it.
    Repository {
        /// The registry id (account id) the reference names.
        registry_id: String,
        /// The region the reference names.
        region: String,
        /// The repository name.
        name: String,
    },
    /// An IAM role.
    Role {
        /// The role's name.
        name: String,
    },
    /// A CloudWatch Logs log group.
    LogGroup {
        /// The group's name.
        name: String,
        /// Its Region.
        region: String,
    },
    /// An SSM parameter or a Secrets Manager secret.
    Secret {
        /// The parameter's name or the secret's ARN.
        name: String,
        /// Its Region.
        region: String,
    },
    /// A CodeDeploy deployment.
    Deployment {
        /// The deployment id, `d-…`.
        id: String,
    },
    /// A CodeDeploy deployment group.
    DeploymentGroup {
        /// The application's name.
        application: String,
        /// The group's name.
        group: String,
    },
    /// The caller's own identity (`sts:GetCallerIdentity`).
    Caller,
    /// An Elastic Load Balancing target group (by name) or listener (by ARN), or an EFS file
    /// system or access point: a resource shown as a phrase of its own.
    Named {
        /// Such as ``target group `NAME` `` or ``EFS file system `ID` ``.
        shown: String,
    },
    /// A setting of the standard configuration chain, by its environment variable.
    Setting {
        /// The environment variable, such as `AWS_MAX_ATTEMPTS`.
        name: String,
    },
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::S3Object { bucket, key } => write!(f, "bucket `{bucket}`, key `{key}`"),
            Self::TaskDefinition { name } => write!(f, "task definition `{name}`"),
            Self::Service { cluster, service } => {
                write!(f, "service `{service}` in cluster `{cluster}`")
            }
            Self::Pipeline { name } => write!(f, "pipeline `{name}`"),
            Self::ScalableTarget { cluster, service } => {
                write!(f, "scalable target `service/{cluster}/{service}`")
            }
            Self::Repository {
                registry_id,
                region,
                name,
            } => write!(
                f,
                "repository `{name}` in registry `{registry_id}`, `{region}`"
            ),
            Self::Role { name } => write!(f, "role `{name}`"),
            Self::LogGroup { name, region } => write!(f, "log group `{name}` in `{region}`"),
            Self::Secret { name, region } => write!(f, "`{name}` in `{region}`"),
            Self::Deployment { id } => write!(f, "CodeDeploy deployment `{id}`"),
            Self::DeploymentGroup { application, group } => write!(
                f,
                "deployment group `{group}` of CodeDeploy application `{application}`"
            ),
            Self::Caller => write!(f, "the caller's identity"),
            Self::Named { shown } => f.write_str(shown),
            Self::Setting { name } => write!(f, "`{name}`"),
        }
    }
}

/// Why a call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// AWS, or the endpoint standing in for it, answered with an error.
    Service {
        /// The error code, such as `NoSuchBucket`; `None` for a bodiless answer (`HEAD`).
        code: Option<String>,
        /// The service's message, tidied: first letter lowercase, no trailing period.
        message: Option<String>,
        /// The HTTP status of the answer.
        status: Option<u16>,
    },
    /// No usable credentials: none configured, or the provider failed (expired SSO session,
    /// missing profile, unreachable container credentials endpoint).
    Credentials {
        /// Why the credentials provider gave up.
        reason: String,
    },
    /// The endpoint could not be reached: DNS, connection refused, TLS.
    Unreachable {
        /// The lowest-level reason, such as `connection refused (os error 111)`.
        reason: String,
    },
    /// The endpoint did not answer in time.
    Timeout,
    /// A local file could not be read or written.
    File {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// A configuration value is invalid.
    Config {
        /// The value as found.
        value: String,
        /// What a valid value looks like.
        reason: String,
    },
    /// Anything else: a request that could not be built, an answer that could not be read.
    Other {
        /// What went wrong.
        reason: String,
    },
}

/// An AWS call that failed: the operation, the resource, and what AWS said.
///
/// Boxed inside, so that a `Result<_, AwsError>` stays one pointer wide.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} ({})", self.what(), self.inner.resource)]
pub struct AwsError {
    inner: Box<Inner>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    operation: &'static str,
    resource: Resource,
    cause: Cause,
    detail: String,
}

impl AwsError {
    pub(crate) fn new(operation: &'static str, resource: Resource, cause: Cause) -> Self {
        let detail = String::new();
        Self {
            inner: Box::new(Inner {
                operation,
                resource,
                cause,
                detail,
            }),
        }
    }

    /// Classifies an SDK error of `operation` (an IAM action, `s3:GetObject`) on `resource`.
    pub(crate) fn from_sdk<E>(
        operation: &'static str,
        resource: Resource,
        error: &SdkError<E, HttpResponse>,
    ) -> Self
    where
        E: ProvideErrorMetadata + StdError + 'static,
    {
        let cause = if let Some(credentials) = find::<CredentialsError>(error) {
            Cause::Credentials {
                reason: chain(credentials),
            }
        } else {
            match error {
                SdkError::ServiceError(context) => Cause::Service {
                    code: error.code().map(str::to_owned),
                    message: error.message().map(tidy),
                    status: Some(context.raw().status().as_u16()),
                },
                SdkError::TimeoutError(_) => Cause::Timeout,
                SdkError::DispatchFailure(failure) if failure.is_timeout() => Cause::Timeout,
                SdkError::DispatchFailure(failure) if failure.is_io() => Cause::Unreachable {
                    reason: innermost(error),
                },
                SdkError::ResponseError(_) => {
                    let reason = format!("the answer could not be read: {}", chain(error));
                    Cause::Other { reason }
                }
                _ => Cause::Other {
                    reason: chain(error),
                },
            }
        };
        let mut this = Self::new(operation, resource, cause);
        this.inner.detail = DisplayErrorContext(error).to_string();
        this
    }

    /// The operation, named as its IAM action (`s3:GetObject`).
    #[must_use]
    pub fn operation(&self) -> &'static str {
        self.inner.operation
    }

    /// What the call was about.
    #[must_use]
    pub fn resource(&self) -> &Resource {
        &self.inner.resource
    }

    /// Why it failed.
    #[must_use]
    pub fn cause(&self) -> &Cause {
        &self.inner.cause
    }

    /// The service's error code, such as `NoSuchBucket`, when it answered with one.
    #[must_use]
    pub fn code(&self) -> Option<&str> {
        match &self.inner.cause {
            Cause::Service { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status, when the service answered.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match &self.inner.cause {
            Cause::Service { status, .. } => *status,
            _ => None,
        }
    }

    /// Whether the failure may pass by itself, so that a caller polling for minutes can ask
    /// again later: throttling, a server error or a timeout, all after the SDK's own retries.
    /// Anything else will not get better by waiting: access denied, not found, bad credentials,
    /// a bad request, and an endpoint that cannot be reached at all (a wrong `AWS_REGION` or
    /// `AWS_ENDPOINT_URL` would otherwise keep a pipeline wait polling until its timeout).
    #[must_use]
    pub fn is_transient(&self) -> bool {
        match &self.inner.cause {
            Cause::Service { code, status, .. } => {
                code.as_deref().is_some_and(help::is_throttling)
                    || status.is_some_and(|status| status >= 500)
            }
            Cause::Timeout => true,
            Cause::Unreachable { .. }
            | Cause::Credentials { .. }
            | Cause::File { .. }
            | Cause::Config { .. }
            | Cause::Other { .. } => false,
        }
    }

    /// Whether the caller may not make the call: `AccessDenied` and its kin, or a bare 403.
    #[must_use]
    pub fn is_access_denied(&self) -> bool {
        self.code().is_some_and(help::is_denied)
            || (self.code().is_none() && self.status() == Some(403))
    }

    /// Whether the bucket or the object does not exist.
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        matches!(self.code(), Some("NoSuchBucket" | "NoSuchKey" | "NotFound"))
            || (self.code().is_none() && self.status() == Some(404))
    }

    /// The SDK's full error chain, for verbose logs; empty when the error did not come from it.
    #[must_use]
    pub fn detail(&self) -> &str {
        &self.inner.detail
    }

    /// What went wrong, without where: the part before the parentheses.
    #[must_use]
    pub fn what(&self) -> String {
        let operation = self.inner.operation;
        match &self.inner.cause {
            Cause::Service {
                code,
                message,
                status,
            } => {
                let with = match (code, status) {
                    (Some(code), _) => format!(" with `{code}`"),
                    (None, Some(status)) => format!(" with HTTP {status}"),
                    (None, None) => String::new(),
                };
                let message = message.as_ref().map(|message| format!(": {message}"));
                format!("`{operation}` failed{with}{}", message.unwrap_or_default())
            }
            Cause::Credentials { reason } => {
                format!("`{operation}` failed: no usable AWS credentials: {reason}")
            }
            Cause::Unreachable { reason } => {
                format!("`{operation}` failed: the endpoint could not be reached: {reason}")
            }
            Cause::Timeout => format!("`{operation}` timed out"),
            Cause::File { path, reason } => {
                format!(
                    "`{operation}` failed: cannot read `{}`: {reason}",
                    path.display()
                )
            }
            Cause::Config { value, reason } => format!("invalid value `{value}`: {reason}"),
            Cause::Other { reason } => format!("`{operation}` failed: {reason}"),
        }
    }

    /// Where: the resource, as the text inside the parentheses.
    #[must_use]
    pub fn location(&self) -> String {
        self.inner.resource.to_string()
    }

    /// What the user can do about it, for the common failures.
    #[must_use]
    pub fn help(&self) -> Option<String> {
        help::help(
            self.inner.operation,
            &self.inner.resource,
            &self.inner.cause,
        )
    }
}

/// The first error of type `T` in `error`'s source chain, `error` included.
fn find<'a, T: StdError + 'static>(error: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut next = Some(error);
    while let Some(current) = next {
        if let Some(found) = current.downcast_ref::<T>() {
            return Some(found);
        }
        next = current.source();
    }
    None
}

/// What the SDK's error wrappers say of themselves (`SdkError` and `ConnectorError` in
/// aws-smithy-runtime-api's `client/result.rs`): the kind of wrapper, not what failed, and
/// words of the library rather than the user's.
const WRAPPERS: [&str; 7] = [
    "failed to construct request",
    "dispatch failure",
    "response error",
    "service error",
    "other",
    "io error",
    "user error",
];

/// The messages of `error` and its sources, joined by `: `, without repeats and without the
/// SDK's wrappers, tidied.
pub(crate) fn chain(error: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(current) = next {
        let part = tidy(&current.to_string());
        let wrapper = WRAPPERS.contains(&part.as_str());
        if !part.is_empty() && !wrapper && parts.last() != Some(&part) {
            parts.push(part);
        }
        next = current.source();
    }
    parts.join(": ")
}

/// The message of the last error in `error`'s source chain, tidied.
fn innermost(error: &(dyn StdError + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    tidy(&current.to_string())
}

/// A message in the house style: the first word lowercase when it is an ordinary word, no
/// trailing period. Codes and acronyms (`NoSuchBucket`, `S3`) keep their case.
pub(crate) fn tidy(message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    let first_word = message.split_whitespace().next().unwrap_or_default();
    let mut chars = first_word.chars();
    let ordinary = chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase);
    if ordinary {
        let mut chars = message.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_lowercase().chain(chars).collect()
        })
    } else {
        message.to_owned()
    }
}

mod help;
#[cfg(test)]
mod tests;
