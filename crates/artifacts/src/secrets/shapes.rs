//! Credentials recognised by what they look like, whatever they are called: the prefixes that
//! token issuers put on their tokens so that they can be found in text, PEM private keys,
//! bearer JWTs, passwords inside URLs and IAM keys.

/// Token prefixes, each followed by at least [`TOKEN_BODY`] characters of the token.
///
/// GitHub: `ghp_` (classic personal), `gho_` (OAuth), `ghs_` (app installation, the
/// `x-access-token` of a checkout), `ghu_`, `ghr_` and `github_pat_` (fine-grained), per
/// <https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/>.
/// Slack: `xoxa-`, `xoxb-`, `xoxp-`, `xoxr-` (<https://api.slack.com/authentication/token-types>).
/// Stripe: secret and restricted keys, live and test (<https://docs.stripe.com/keys>).
const TOKEN_PREFIXES: [(&str, &str); 15] = [
    ("ghp_", "a GitHub token"),
    ("gho_", "a GitHub token"),
    ("ghs_", "a GitHub token"),
    ("ghu_", "a GitHub token"),
    ("ghr_", "a GitHub token"),
    ("github_pat_", "a GitHub token"),
    ("xoxa-", "a Slack token"),
    ("xoxb-", "a Slack token"),
    ("xoxp-", "a Slack token"),
    ("xoxr-", "a Slack token"),
    ("sk_live_", "a Stripe key"),
    ("rk_live_", "a Stripe key"),
    ("sk_test_", "a Stripe key"),
    ("rk_test_", "a Stripe key"),
    ("glpat-", "a GitLab token"),
];

/// The fewest token characters after a prefix: enough to leave out words such as `ghp_x`
/// that only name a token kind.
const TOKEN_BODY: usize = 8;

/// Why `value` looks like a credential by its shape alone, never saying the value.
#[must_use]
pub fn secret_shape(value: &str) -> Option<&'static str> {
    if has_access_key_id(value) {
        return Some("an AWS access key id");
    }
    if has_private_key(value) {
        return Some("a private key");
    }
    if let Some(kind) = token_kind(value) {
        return Some(kind);
    }
    if has_jwt(value) {
        return Some("a JSON Web Token");
    }
    if has_url_password(value) {
        return Some("a URL with a password in it");
    }
    None
}

/// A PEM block whose header names a private key (RFC 7468 section 2; `OPENSSH PRIVATE KEY`
/// and `RSA PRIVATE KEY` too). A certificate's `BEGIN CERTIFICATE` is public.
pub(super) fn has_private_key(value: &str) -> bool {
    value.match_indices("-----BEGIN ").any(|(at, _)| {
        value[at..]
            .lines()
            .next()
            .is_some_and(|header| header.contains("PRIVATE KEY"))
    })
}

fn token_kind(value: &str) -> Option<&'static str> {
    let is_body = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    TOKEN_PREFIXES.iter().find_map(|(prefix, kind)| {
        value.match_indices(prefix).find_map(|(at, _)| {
            let before = value[..at].bytes().next_back();
            let body = value[at + prefix.len()..]
                .bytes()
                .take_while(|b| is_body(*b))
                .count();
            (before.is_none_or(|b| !b.is_ascii_alphanumeric()) && body >= TOKEN_BODY)
                .then_some(*kind)
        })
    })
}

/// Three base64url parts joined by `.`, the first starting `eyJ` (`{"` encoded): a JSON Web
/// Token (RFC 7519 section 3), alone or after `Bearer ` (RFC 6750 section 2.1).
fn has_jwt(value: &str) -> bool {
    let is_part = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=';
    value.match_indices("eyJ").any(|(at, _)| {
        let rest = &value.as_bytes()[at..];
        let length = rest
            .iter()
            .take_while(|b| is_part(**b) || **b == b'.')
            .count();
        let parts: Vec<&[u8]> = rest[..length].split(|b| *b == b'.').collect();
        parts.len() >= 3 && parts[..3].iter().all(|part| part.len() >= 4)
    })
}

/// `scheme://user:password@host`: the userinfo of RFC 3986 section 3.2.1, which the RFC
/// deprecates for passwords because they end up in logs.
/// Without a scheme too: `user:password@registry.example.com/web:1.0`, credentials pasted in
/// front of an image reference. What follows the `@` must read as a host (a `.` or `/` before
/// any `:`), so that `name:tag@sha256:…` is not taken for one.
fn has_url_password(value: &str) -> bool {
    let with_scheme = value
        .match_indices("://")
        .any(|(at, _)| userinfo(&value[at + 3..]).is_some_and(|info| info.contains(':')));
    with_scheme
        || value.match_indices('@').any(|(at, _)| {
            let before = value[..at]
                .rsplit(|c: char| c.is_whitespace() || matches!(c, '=' | '`' | '"' | '/'))
                .next()
                .unwrap_or_default();
            let host = value[at + 1..].split(':').next().unwrap_or_default();
            before
                .split_once(':')
                .is_some_and(|(user, password)| !user.is_empty() && !password.is_empty())
                && host.contains(['.', '/'])
        })
}

/// The userinfo at the start of `authority` (what follows `://`), without its `@`.
fn userinfo(authority: &str) -> Option<&str> {
    let end = authority
        .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
        .unwrap_or(authority.len());
    authority[..end].rfind('@').map(|at| &authority[..at])
}

/// `text` with the userinfo of every URL in it removed: `https://x-access-token:ghp_…@github.com/o/r`
/// becomes `https://github.com/o/r`. A repository URL is worth stamping and printing; the
/// credentials a checkout put in it are not.
#[must_use]
pub fn without_userinfo(text: &str) -> std::borrow::Cow<'_, str> {
    if !text
        .match_indices("://")
        .any(|(at, _)| userinfo(&text[at + 3..]).is_some())
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        out.push_str(&rest[..at + 3]);
        rest = &rest[at + 3..];
        if let Some(info) = userinfo(rest) {
            rest = &rest[info.len() + 1..];
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// `AKIA` or `ASIA` and 16 upper-case letters or digits, standing alone (IAM access key ids).
pub(super) fn has_access_key_id(value: &str) -> bool {
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
pub(super) fn is_secret_key_like(value: &str) -> bool {
    value.len() == 40
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
        && value.bytes().any(|b| b.is_ascii_uppercase())
        && value.bytes().any(|b| b.is_ascii_lowercase())
}
