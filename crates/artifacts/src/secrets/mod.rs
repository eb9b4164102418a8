//! Secrets: recognising a credential written in plain text, and keeping it out of every
//! diff, message and log.
//!
//! A task definition keeps its secrets in `secrets` and `logConfiguration.secretOptions`, as
//! references (`valueFrom`: a Secrets Manager or SSM Parameter Store ARN, or a parameter
//! name) that ECS resolves when the task starts. A credential can still end up in plain text:
//! as an `environment` value, or pasted into `valueFrom` instead of its reference. The checks
//! report it without repeating it, and diffs show [`REDACTED`] in its place.

use serde_json::Value;

mod shapes;

use shapes::{has_access_key_id, has_private_key, is_secret_key_like};
pub use shapes::{secret_shape, without_userinfo};

/// What a credential-looking value is shown as.
pub const REDACTED: &str = "<redacted>";

/// A `NAME=VALUE` argument as it may be quoted in a message: the name kept (shortened when
/// long), the value [`REDACTED`]. An argument without `=` may be all value, so it is redacted
/// whole unless it reads as a variable name (`GO_VERSION`: upper case, digits and `_`).
#[must_use]
pub fn redact_assignment(arg: &str) -> String {
    match arg.split_once('=') {
        Some((name, _)) => format!("{}={REDACTED}", shown(name)),
        None if is_variable_name(arg) && secret_shape(arg).is_none() => arg.to_owned(),
        None => REDACTED.to_owned(),
    }
}

/// A value from the user as a message may quote it: [`REDACTED`] when it looks like a
/// credential, any URL's user information removed, and cut to its first
/// [`SHOWN_CHARS`] characters. Every message that repeats what it was given
/// goes through here, so that no error, finding or report prints a secret or megabytes.
#[must_use]
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    if secret_shape(text).is_some() {
        return std::borrow::Cow::Borrowed(REDACTED);
    }
    match without_userinfo(text) {
        std::borrow::Cow::Borrowed(text) => truncated(text),
        std::borrow::Cow::Owned(text) => std::borrow::Cow::Owned(truncated(&text).into_owned()),
    }
}

/// An image reference as a message quotes it: as [`shown`] does, but cut only past
/// [`REFERENCE_CHARS`], which no valid reference reaches, so that real references are quoted
/// whole while a megabyte-long one from a hostile file is not.
#[must_use]
pub fn shown_reference(text: &str) -> std::borrow::Cow<'_, str> {
    if secret_shape(text).is_some() {
        return std::borrow::Cow::Borrowed(REDACTED);
    }
    let text = without_userinfo(text);
    match text.char_indices().nth(REFERENCE_CHARS) {
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..cut])),
        None => text,
    }
}

/// The longest reference quoted whole: a repository name is at most 255 characters
/// (<https://github.com/distribution/reference/blob/main/reference.go>, `NameTotalLengthMax`),
/// and a tag at most 128.
const REFERENCE_CHARS: usize = 400;

/// The most characters of a user's value that a message quotes.
pub(crate) const SHOWN_CHARS: usize = 60;

/// `text` whole when short, else its first [`SHOWN_CHARS`] characters and `…`. A key or value
/// of megabytes must not turn one error line into megabytes of stderr.
pub(crate) fn truncated(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..cut])),
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// `text` with every word that looks like a credential (split at white space) replaced by
/// [`REDACTED`] and the rest as it is: for messages written by someone else, such as an AWS
/// service's, which may repeat what was sent, or an endpoint that is not AWS at all.
#[must_use]
pub fn redact_words(text: &str) -> std::borrow::Cow<'_, str> {
    if secret_shape(text).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut redacted = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        redacted.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        redacted.push_str(if secret_shape(word).is_some() {
            REDACTED
        } else {
            word
        });
        rest = &rest[end..];
    }
    redacted.push_str(rest);
    // A shape that spans words (a PEM block) is hidden whole.
    if secret_shape(&redacted).is_some() {
        return std::borrow::Cow::Borrowed(REDACTED);
    }
    std::borrow::Cow::Owned(redacted)
}

/// A message that quotes user values between backticks, each quoted value passed through
/// [`shown`]: for messages built from parts of an input, such as a parser's reasons.
#[must_use]
pub fn shown_in(message: &str) -> String {
    message
        .split('`')
        .enumerate()
        .map(|(index, part)| {
            if index % 2 == 1 {
                shown(part)
            } else {
                without_userinfo(part)
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

/// Upper-case letters, digits and `_`, not starting with a digit, at most 64 characters: the
/// shape of the environment variable and build argument names these flags take.
fn is_variable_name(arg: &str) -> bool {
    (1..=64).contains(&arg.len())
        && !arg.starts_with(|c: char| c.is_ascii_digit())
        && arg
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Replaces every `environment` value that looks like a credential, every secret
/// `valueFrom` that is not a reference (the secret pasted in by mistake), and every other
/// string of the document that looks like one by its shape or by the key it is under (a
/// token in `command`, a `dockerLabels` or log driver option named `…_SECRET…` or
/// `splunk-token`), with [`REDACTED`].
pub fn redact(document: &mut Value) {
    redact_containers(document);
    redact_strings(document, "");
}

/// Every string under `value` that looks like a credential, judged by its shape and by the key
/// it is under (`name`; the items of a list are under the list's key).
fn redact_strings(value: &mut Value, name: &str) {
    match value {
        Value::String(text) if looks_like_credential(name, text) => {
            REDACTED.clone_into(text);
        }
        Value::Array(items) => {
            for item in items {
                redact_strings(item, name);
            }
        }
        Value::Object(members) => {
            for (key, member) in members {
                redact_strings(member, key);
            }
        }
        _ => {}
    }
}

fn redact_containers(document: &mut Value) {
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
    !value_from.starts_with("arn:")
        && (value_from_problem(value_from).is_some() || secret_shape(value_from).is_some())
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

/// True when an environment value may be a credential: diffs and logs must not show it.
/// Wider than [`credential_kind`], which raises a finding: hiding a value that was harmless
/// costs a line of a diff, while a finding about it would be noise.
#[must_use]
pub fn looks_like_credential(name: &str, value: &str) -> bool {
    credential_kind(name, value).is_some()
        || (!value.is_empty()
            && !is_reference(value)
            && (is_secret_key_like(value) || has_secret_name(name)))
}

/// Names that may hold a secret: `*PASS*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`, `*APIKEY*`,
/// `*PRIVATE_KEY*`, `*CREDENTIAL*`, `*PWD` (not the shell's own `PWD` and `OLDPWD`), in any case.
fn has_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "PASS",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "CREDENTIAL",
    ]
    .iter()
    .any(|word| upper.contains(word))
        || (upper.ends_with("PWD") && upper != "PWD" && upper != "OLDPWD")
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
    if has_private_key(value) {
        return Some("a private key");
    }
    if let Some(kind) = secret_shape(value) {
        return Some(kind);
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
    // `PGPASSWORD` (libpq), `MYSQL_PWD`, `DB_PASS`: the names clients read without a `_`.
    let upper = name.to_ascii_uppercase();
    let password_name = ["PASSWORD", "PASSWD", "_PASS", "_PWD"]
        .iter()
        .any(|suffix| upper.ends_with(suffix))
        || upper == "PASS";
    (secret_name || password_name).then_some("a secret, by its name")
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

#[cfg(test)]
mod tests;
