//! `environment` and `secrets`: credentials in plain text, repeated names, secret references.
//!
//! A value found to look like a credential is never put in a finding (`README.md#the-contract-every-program-keeps`).

use std::collections::HashMap;

use serde_json::Value;

use super::Container;
use crate::finding::Finding;

/// Checks one container's variables and secrets; returns about how many bytes they take in
/// the document, to point at the biggest when the task definition is too large.
pub(crate) fn check_container(container: &Container<'_>, findings: &mut Vec<Finding>) -> usize {
    let mut bytes = 0;
    let environment = container.list("environment");
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(environment.len());
    for (index, entry) in environment.iter().enumerate() {
        let Value::Object(entry) = entry else {
            continue;
        };
        let name = entry.get("name").and_then(Value::as_str);
        let value = entry.get("value").and_then(Value::as_str);
        // `{"name":"","value":""},` is 24 bytes around the two strings.
        bytes += 24 + name.map_or(0, str::len) + value.map_or(0, str::len);
        let Some(name) = name else {
            continue;
        };
        // Docker gets both and one silently wins; which one ECS passes last is undocumented, so
        // a repeat is a mistake either way [INFERRED].
        if let Some(first) = seen.insert(name, index) {
            seen.insert(name, first);
            findings.push(
                Finding::error(
                    "duplicate-environment",
                    format!("{container} sets `{name}` twice, in `environment` entries {first} and {index}"),
                )
                .at(container.path(&format!("environment[{index}].name")))
                .help("keep one of them"),
            );
        }
        if let Some(value) = value
            && let Some(looks_like) = credential_kind(name, value)
        {
            findings.push(
                Finding::warning(
                    "credential-in-environment",
                    format!("{container} sets `{name}` in `environment` to what looks like {looks_like}"),
                )
                .at(container.path(&format!("environment[{index}].value")))
                .help("move it to `secrets` with `valueFrom` an SSM parameter or a Secrets Manager ARN: \
                       `environment` is plain text to anyone who can describe the task definition"),
            );
        }
    }
    for (index, secret) in container.list("secrets").iter().enumerate() {
        bytes += check_secret(container, secret, ("secrets", index), findings);
    }
    if let Some(Value::Object(logging)) = container.get("logConfiguration") {
        // `logConfiguration.secretOptions` takes the same references (BC-ECS `Secret`).
        if let Some(Value::Array(options)) = logging.get("secretOptions") {
            for (index, secret) in options.iter().enumerate() {
                let at = ("logConfiguration.secretOptions", index);
                bytes += check_secret(container, secret, at, findings);
            }
        }
    }
    bytes
}

/// Checks one secret reference at `list[index]`; returns about how many bytes it takes.
fn check_secret(
    container: &Container<'_>,
    secret: &Value,
    (list, index): (&str, usize),
    findings: &mut Vec<Finding>,
) -> usize {
    let Value::Object(secret) = secret else {
        return 0;
    };
    let name = secret.get("name").and_then(Value::as_str).unwrap_or("");
    let Some(value_from) = secret.get("valueFrom").and_then(Value::as_str) else {
        return 28 + name.len();
    };
    if let Some(problem) = value_from_problem(value_from) {
        let secret_name = if name.is_empty() {
            String::new()
        } else {
            format!(" `{name}`")
        };
        findings.push(
            Finding::error(
                "secret-value-from",
                format!("{container}'s secret{secret_name} has `valueFrom` `{}`, which {problem}", shown_value_from(value_from)),
            )
            .at(container.path(&format!("{list}[{index}].valueFrom")))
            .help("use `arn:aws:secretsmanager:<region>:<account>:secret:<name>`, \
                   `arn:aws:ssm:<region>:<account>:parameter/<name>`, or a parameter name in the task's region"),
        );
    }
    28 + name.len() + value_from.len()
}

/// A `valueFrom` as a finding may show it: one that names no secret is most likely the
/// secret pasted in, so it is not repeated.
fn shown_value_from(value_from: &str) -> &str {
    if crate::task_definition::diff::is_pasted_secret(value_from) {
        crate::task_definition::diff::REDACTED
    } else {
        value_from
    }
}

/// What is wrong with a `secrets[].valueFrom`, or `None` when ECS can resolve it.
///
/// Source: BC-ECS `Secret.valueFrom` doc: the full ARN of a Secrets Manager secret or of an
/// SSM parameter, or the parameter's name when it is in the task's region. Secrets Manager
/// ARNs may go on with `:json-key:version-stage:version-id` (ECS Developer Guide,
/// "specifying-sensitive-data-secrets").
pub(crate) fn value_from_problem(value_from: &str) -> Option<String> {
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
pub(super) fn credential_kind(name: &str, value: &str) -> Option<&'static str> {
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
