//! Secrets: recognising a credential written in plain text, and keeping it out of every
//! diff, message and log.
//!
//! A task definition keeps its secrets in `secrets` and `logConfiguration.secretOptions`, as
//! references (`valueFrom`: a Secrets Manager or SSM Parameter Store ARN, or a parameter
//! name) that ECS resolves when the task starts. A credential can still end up in plain text:
//! as an `environment` value, or pasted into `valueFrom` instead of its reference. The checks
//! report it without repeating it, and diffs show [`REDACTED`] in its place.

use serde_json::Value;

/// What a credential-looking value is shown as.
pub const REDACTED: &str = "<redacted>";

/// A `NAME=VALUE` argument as it may be quoted in a message: the name kept, the value
/// [`REDACTED`]; an argument without `=` may be all value, so it is redacted whole.
#[must_use]
pub fn redact_assignment(arg: &str) -> String {
    match arg.split_once('=') {
        Some((name, _)) => format!("{name}={REDACTED}"),
        None => REDACTED.to_owned(),
    }
}

/// Replaces every `environment` value that looks like a credential, and every secret
/// `valueFrom` that is not a reference (the secret pasted in by mistake), with [`REDACTED`].
pub fn redact(document: &mut Value) {
    let Some(Value::Array(containers)) = document.get_mut("containerDefinitions") else {
        return;
    };
    for container in containers {
        redact_value_from(container.get_mut("secrets"));
        if let Some(logging) = container.get_mut("logConfiguration") {
            redact_value_from(logging.get_mut("secretOptions"));
        }
        let Some(Value::Array(environment)) = container.get_mut("environment") else {
            continue;
        };
        for entry in environment {
            let name = entry
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if let Some(value) = entry.get_mut("value")
                && value
                    .as_str()
                    .is_some_and(|text| looks_like_credential(&name, text))
            {
                *value = Value::String(REDACTED.to_owned());
            }
        }
    }
}

fn redact_value_from(list: Option<&mut Value>) {
    let Some(Value::Array(secrets)) = list.map(|list| &mut *list) else {
        return;
    };
    for value in secrets
        .iter_mut()
        .filter_map(|secret| secret.get_mut("valueFrom"))
    {
        if value.as_str().is_some_and(is_pasted_secret) {
            *value = Value::String(REDACTED.to_owned());
        }
    }
}

/// A `valueFrom` that is neither an ARN nor an SSM parameter name: not where a secret is
/// kept, so most likely the secret itself.
#[must_use]
pub fn is_pasted_secret(value_from: &str) -> bool {
    !value_from.starts_with("arn:") && value_from_problem(value_from).is_some()
}

/// A `valueFrom` as a finding may show it: one that names no secret is most likely the
/// secret pasted in, so it is not repeated.
pub(crate) fn shown_value_from(value_from: &str) -> &str {
    if is_pasted_secret(value_from) {
        REDACTED
    } else {
        value_from
    }
}

/// True when an environment value looks like a credential: diffs and logs must not show it.
#[must_use]
pub fn looks_like_credential(name: &str, value: &str) -> bool {
    credential_kind(name, value).is_some()
}

/// What is wrong with a `secrets[].valueFrom`, or `None` when ECS can resolve it.
///
/// Source: BC-ECS `Secret.valueFrom` doc: the full ARN of a Secrets Manager secret or of an
/// SSM parameter, or the parameter's name when it is in the task's region. Secrets Manager
/// ARNs may go on with `:json-key:version-stage:version-id` (ECS Developer Guide,
/// "specifying-sensitive-data-secrets").
#[must_use]
pub fn value_from_problem(value_from: &str) -> Option<String> {
    if value_from.is_empty() {
        return Some("is empty".to_owned());
    }
    let Some(arn) = value_from.strip_prefix("arn:") else {
        // SSM parameter names: letters, digits and `_.-/` (SSM `PutParameter` `Name`).
        return value_from
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "_.-/".contains(*c)))
            .map(|bad| {
                format!("is neither an ARN nor an SSM parameter name: it contains `{bad}`")
            });
    };
    let mut parts = arn.splitn(5, ':');
    let (partition, service, region, account, resource) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next(),
    );
    let Some(resource) = resource else {
        return Some(
            "is not a whole ARN: it needs `arn:<partition>:<service>:<region>:<account>:<resource>`"
                .to_owned(),
        );
    };
    if !(partition == "aws"
        || partition.strip_prefix("aws-").is_some_and(|rest| {
            !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        }))
    {
        return Some(format!(
            "has the partition `{partition}`, not `aws` or `aws-…`"
        ));
    }
    if region.is_empty()
        || !region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some(format!(
            "has the region `{region}`, not one such as `us-east-1`"
        ));
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("has the account id `{account}`, not 12 digits"));
    }
    let (kind, rest) = match service {
        "ssm" => ("parameter/", resource.strip_prefix("parameter/")),
        "secretsmanager" => ("secret:", resource.strip_prefix("secret:")),
        _ => {
            return Some(format!(
                "is an ARN of `{service}`; ECS reads secrets only from `secretsmanager` or `ssm`"
            ));
        }
    };
    match rest {
        Some(rest) if !rest.is_empty() => None,
        _ => Some(format!(
            "does not name a {} after `{kind}`",
            kind.trim_end_matches(['/', ':'])
        )),
    }
}

/// Why a literal `environment` value looks like a credential, never saying the value.
#[must_use]
pub fn credential_kind(name: &str, value: &str) -> Option<&'static str> {
    if value.is_empty() || is_reference(value) {
        return None;
    }
    if has_access_key_id(value) {
        return Some("an AWS access key id");
    }
    // A PEM private key is far longer than its header, so short values skip the search.
    if value.len() >= 40
        && let Some(header) = value.find("-----BEGIN ")
        && value[header..]
            .lines()
            .next()
            .unwrap_or("")
            .contains("PRIVATE KEY")
    {
        return Some("a private key");
    }
    if has_secret_word(name) && is_secret_key_like(value) {
        return Some("an AWS secret access key");
    }
    let secret_name = SECRET_SUFFIXES.iter().any(|suffix| {
        name.eq_ignore_ascii_case(&suffix[1..])
            || (name.len() > suffix.len()
                && name.as_bytes()[name.len() - suffix.len()..]
                    .eq_ignore_ascii_case(suffix.as_bytes()))
    });
    secret_name.then_some("a secret, by its name")
}

/// Variable names that by convention hold a secret (`DB_PASSWORD`, `GITHUB_TOKEN`).
const SECRET_SUFFIXES: [&str; 8] = [
    "_PASSWORD",
    "_PASSWD",
    "_SECRET",
    "_TOKEN",
    "_API_KEY",
    "_SECRET_KEY",
    "_PRIVATE_KEY",
    "_SECRET_ACCESS_KEY",
];

/// A value that names where a secret is rather than holding it: an ARN, or a `${VAR}` left for
/// a later substitution step.
fn is_reference(value: &str) -> bool {
    value.starts_with("arn:") || (value.starts_with("${") && value.ends_with('}'))
}

/// `AKIA` or `ASIA` and 16 upper-case letters or digits, standing alone (IAM access key ids).
fn has_access_key_id(value: &str) -> bool {
    let bytes = value.as_bytes();
    let is_key_char = |b: &u8| b.is_ascii_uppercase() || b.is_ascii_digit();
    (0..bytes.len().saturating_sub(19)).any(|start| {
        bytes[start] == b'A'
            && matches!(&bytes[start + 1..start + 4], b"KIA" | b"SIA")
            && bytes[start + 4..start + 20].iter().all(is_key_char)
            && (start == 0 || !bytes[start - 1].is_ascii_alphanumeric())
            && bytes
                .get(start + 20)
                .is_none_or(|b| !b.is_ascii_alphanumeric())
    })
}

/// 40 characters of base64 with both cases, the shape of an IAM secret access key. Requiring
/// both cases leaves out hex digests (40 hex digits: a Git commit id).
fn is_secret_key_like(value: &str) -> bool {
    value.len() == 40
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
        && value.bytes().any(|b| b.is_ascii_uppercase())
        && value.bytes().any(|b| b.is_ascii_lowercase())
}

/// The name contains `SECRET`, `PASSWORD`, `TOKEN` or `KEY` in any case. One pass over the
/// name without allocating: it runs for every variable of every container.
fn has_secret_word(name: &str) -> bool {
    let bytes = name.as_bytes();
    (0..bytes.len()).any(|start| {
        let word: &[u8] = match bytes[start].to_ascii_uppercase() {
            b'S' => b"SECRET",
            b'P' => b"PASSWORD",
            b'T' => b"TOKEN",
            b'K' => b"KEY",
            _ => return false,
        };
        bytes
            .get(start..start + word.len())
            .is_some_and(|candidate| candidate.eq_ignore_ascii_case(word))
    })
}
