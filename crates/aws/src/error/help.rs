//! What to do about a failure: by error code for an error answer, by cause otherwise.

use super::{Cause, Resource};

/// Error codes, grouped by what the user can do about them (S3 error responses reference, AWS
/// common errors reference). EC2 says `UnauthorizedOperation` where other services say
/// `AccessDenied` (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html>).
const DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "AllAccessDisabled",
    "UnauthorizedOperation",
];
/// Whether `code` says the caller may not make the call.
pub(super) fn is_denied(code: &str) -> bool {
    DENIED.contains(&code)
}

const EXPIRED: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "TokenRefreshRequired",
];
const BAD_KEY: &[&str] = &[
    "InvalidAccessKeyId",
    "InvalidClientTokenId",
    "InvalidToken",
    "SignatureDoesNotMatch",
    "UnrecognizedClientException",
];
const WRONG_REGION: &[&str] = &[
    "AuthorizationHeaderMalformed",
    "IllegalLocationConstraintException",
    "PermanentRedirect",
];
const THROTTLED: &[&str] = &[
    "ServiceUnavailable",
    "SlowDown",
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
];

/// Whether an error code says AWS is throttling the caller.
pub(super) fn is_throttling(code: &str) -> bool {
    THROTTLED.contains(&code)
}

/// Help for `cause` of `operation` on `resource`, when there is something specific to say.
pub(super) fn help(operation: &str, resource: &Resource, cause: &Cause) -> Option<String> {
    let help = match cause {
        Cause::Service { code, status, .. } => {
            return service(operation, resource, code.as_deref(), *status);
        }
        Cause::Credentials { .. } => {
            "set `AWS_PROFILE` (and run `aws sso login` for an SSO profile), or \
             `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`; in CodeBuild, check the project's \
             service role"
        }
        Cause::Unreachable { .. } => {
            "check the network and `AWS_REGION`, and `AWS_ENDPOINT_URL` or \
             `AWS_ENDPOINT_URL_<SERVICE>` if set: is the endpoint running and listening there?"
        }
        Cause::Timeout => {
            "retry, or raise `AWS_MAX_ATTEMPTS`; check the network, and `AWS_ENDPOINT_URL` if set"
        }
        Cause::Config { .. } => match resource {
            Resource::Setting { name } => return Some(format!("fix or unset `{name}`")),
            _ => return None,
        },
        Cause::File { .. } | Cause::Other { .. } => return None,
    };
    Some(help.to_owned())
}

/// Help for an error answer, keyed on the error code, or on the status when there is none.
fn service(
    operation: &str,
    resource: &Resource,
    code: Option<&str>,
    status: Option<u16>,
) -> Option<String> {
    let is = |family: &[&str]| code.is_some_and(|code| family.contains(&code));
    let bare = |wanted: u16| code.is_none() && status == Some(wanted);
    if let Resource::S3Object { bucket, key } = resource {
        if code == Some("NoSuchBucket") {
            return Some(format!(
                "bucket `{bucket}` does not exist in this account and partition: check the name, \
                 or create it with `aws s3 mb s3://{bucket}`"
            ));
        }
        if code == Some("NoSuchKey") || bare(404) {
            return Some(format!(
                "there is no object `{key}` in bucket `{bucket}`, or no such bucket: list what is \
                 there with `aws s3 ls s3://{bucket}/`"
            ));
        }
        if is(WRONG_REGION) || bare(301) {
            return Some(format!(
                "bucket `{bucket}` is in another region: set `AWS_REGION` to the bucket's region \
                 (`aws s3api get-bucket-location --bucket {bucket}`)"
            ));
        }
    }
    if let Resource::Repository {
        registry_id,
        region,
        name,
    } = resource
        && code == Some("RepositoryNotFoundException")
    {
        return Some(format!(
            "the image names repository `{name}` in registry `{registry_id}`, `{region}`, which \
             does not exist there: check the reference, or list the repositories with `aws ecr \
             describe-repositories --registry-id {registry_id} --region {region}`"
        ));
    }
    // S3 passes KMS's own error codes through for SSE-KMS writes (S3 API reference, "Error codes").
    if code.is_some_and(|code| code.starts_with("KMS.")) {
        return Some(format!(
            "the KMS key cannot encrypt {resource}: check that the key id or ARN given to \
             --kms-key-id exists in this account and region and is enabled, and that the \
             credentials may use it (`kms:GenerateDataKey`)"
        ));
    }
    let help = if is(DENIED) || bare(403) {
        format!(
            "the credentials in use may not `{operation}` on {resource}: check who they are with \
             `aws sts get-caller-identity`, then the role's policy, the resource's policy and, for \
             encrypted data, the KMS key policy"
        )
    } else if is(EXPIRED) {
        "the AWS session has expired: run `aws sso login` or assume the role again, and check the \
         system clock"
            .to_owned()
    } else if is(BAD_KEY) {
        "the access key is not valid here: check `AWS_PROFILE`, or `AWS_ACCESS_KEY_ID`, \
         `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, and that they belong to this endpoint"
            .to_owned()
    } else if is(THROTTLED) || bare(503) {
        "AWS is throttling these requests: retry later, or raise `AWS_MAX_ATTEMPTS`".to_owned()
    } else {
        return None;
    };
    Some(help)
}
