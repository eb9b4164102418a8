//! IAM roles: whether a role exists, and whom it trusts.

pub use aws_sdk_iam::Client;
use deploykit_artifacts::verify::live::roles::Role;
use percent_encoding::percent_decode_str;

use crate::error::{AwsError, Resource};

/// `GetRole`: the role's ARN and its trust policy, or `None` when there is no role of that
/// name (`NoSuchEntity`).
pub async fn get_role(client: &Client, name: &str) -> Result<Option<Role>, AwsError> {
    let output = match client.get_role().role_name(name).send().await {
        Ok(output) => output,
        Err(error)
            if error.as_service_error().is_some_and(
                aws_sdk_iam::operation::get_role::GetRoleError::is_no_such_entity_exception,
            ) =>
        {
            return Ok(None);
        }
        Err(error) => {
            return Err(AwsError::from_sdk(
                "iam:GetRole",
                Resource::Role {
                    name: name.to_owned(),
                },
                &error,
            ));
        }
    };
    let Some(role) = output.role() else {
        return Ok(None);
    };
    Ok(Some(Role {
        arn: role.arn().to_owned(),
        trust_policy: trust_policy(role.assume_role_policy_document().unwrap_or_default()),
    }))
}

/// The trust policy as JSON text: IAM sends it URL-encoded
/// (<https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html>, `AssumeRolePolicyDocument`);
/// a document that is already JSON is taken as it is.
fn trust_policy(document: &str) -> String {
    if document.trim_start().starts_with('{') {
        return document.to_owned();
    }
    percent_decode_str(document)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_url_encoded_trust_policies() {
        assert_eq!(
            trust_policy("%7B%22Version%22%3A%222012-10-17%22%7D"),
            r#"{"Version":"2012-10-17"}"#
        );
        assert_eq!(trust_policy(r#"{"a":"%7B"}"#), r#"{"a":"%7B"}"#);
    }
}
