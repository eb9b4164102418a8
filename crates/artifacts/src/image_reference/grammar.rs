//! The distribution/reference grammar, one check per part so that errors can name the part.

use super::{ImageReference, ImageReferenceError, ReferencePart};

/// distribution/reference `NameTotalLengthMax`: registry plus repository.
const NAME_MAX_LEN: usize = 255;
/// OCI distribution-spec: a tag is at most 128 characters.
const TAG_MAX_LEN: usize = 128;
/// distribution/reference: the encoded part of a digest has at least 32 hex characters.
const DIGEST_MIN_HEX: usize = 32;

pub(super) fn parse(input: &str) -> Result<ImageReference, ImageReferenceError> {
    let error = |part, reason: &str| ImageReferenceError::new(input, part, reason);
    if input.is_empty() {
        return Err(error(ReferencePart::Reference, "it is empty").with_help(
            "give a reference such as `123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2`",
        ));
    }
    if input.chars().any(char::is_whitespace) {
        return Err(error(ReferencePart::Reference, "it contains white space").with_help(
            "remove the spaces; a trailing newline usually comes from `$(cat file)` or command output",
        ));
    }
    if let Some(scheme) = input.find("://") {
        return Err(error(
            ReferencePart::Reference,
            "an image reference has no URL scheme",
        )
        .with_help(format!("drop `{}`", &input[..scheme + 3])));
    }

    if input.starts_with('@') {
        return Err(error(
            ReferencePart::Repository,
            "there is no repository before `@`",
        ));
    }
    let (name_and_tag, digest) = match input.split_once('@') {
        Some((before, after)) => {
            check_digest(input, after)?;
            (before, Some(before.len() + 1..input.len()))
        }
        None => (input, None),
    };

    // A `:` is the tag separator only after the last `/`; before it, it separates host and port.
    let last_slash = name_and_tag.rfind('/');
    let tag_colon = name_and_tag
        .rfind(':')
        .filter(|&colon| last_slash.is_none_or(|slash| colon > slash))
        .filter(|_| !(last_slash.is_none() && name_and_tag.starts_with('[')));
    let (name, tag) = match tag_colon {
        Some(colon) => {
            check_tag(input, &name_and_tag[colon + 1..])?;
            (&name_and_tag[..colon], Some(colon + 1..name_and_tag.len()))
        }
        None => (name_and_tag, None),
    };

    let (domain, path) = match name.split_once('/') {
        Some((first, _)) if is_registry_host(first) => {
            check_domain(input, first)?;
            (Some(0..first.len()), first.len() + 1..name.len())
        }
        _ => (None, 0..name.len()),
    };
    check_path(input, name, path.clone(), domain.is_some())?;
    if name.len() > NAME_MAX_LEN {
        return Err(error(
            ReferencePart::Repository,
            &format!(
                "registry and repository together are {} characters; the limit is {NAME_MAX_LEN}",
                name.len()
            ),
        ));
    }
    Ok(ImageReference {
        original: input.to_owned(),
        domain,
        path,
        tag,
        digest,
    })
}

/// distribution/reference `splitDockerDomain`: the first component is a registry host only if
/// it looks like one, so `team/web` is a Docker Hub repository and `localhost/web` is not.
fn is_registry_host(first: &str) -> bool {
    first.contains(['.', ':'])
        || first.starts_with('[')
        || first == "localhost"
        || first.chars().any(|c| c.is_ascii_uppercase())
}

fn check_domain(input: &str, domain: &str) -> Result<(), ImageReferenceError> {
    let registry_error =
        |reason: String| ImageReferenceError::new(input, ReferencePart::Registry, reason);
    let (host, port) = if let Some(rest) = domain.strip_prefix('[') {
        let Some((address, after)) = rest.split_once(']') else {
            return Err(registry_error(format!(
                "the IPv6 address in `{domain}` has no closing `]`"
            )));
        };
        if address.is_empty() || !address.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return Err(registry_error(format!(
                "`[{address}]` is not an IPv6 address"
            )));
        }
        match after {
            "" => (None, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (None, Some(port)),
                None => {
                    return Err(registry_error(format!(
                        "unexpected `{after}` after the IPv6 address"
                    )));
                }
            },
        }
    } else {
        match domain.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(domain), None),
        }
    };
    if let Some(host) = host {
        check_host(host).map_err(registry_error)?;
    }
    if let Some(port) = port
        && (port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()))
    {
        let error = ImageReferenceError::new(
            input,
            ReferencePart::Port,
            format!("the port `{port}` of registry `{domain}` is not a number"),
        );
        // `web:feature/login` reads as host `web`, port `feature`: a branch name used as a tag.
        return Err(match input.split_once('/') {
            Some((_, after)) if !domain.contains('.') => error.with_help(format!(
                "if `{port}/{after}` was meant as a tag: tags cannot contain `/`, replace it with `-`"
            )),
            _ => error,
        });
    }
    Ok(())
}

fn check_host(host: &str) -> Result<(), String> {
    for label in host.split('.') {
        if label.is_empty() {
            return Err(format!(
                "the host `{host}` has an empty label (`..`, or a leading or trailing `.`)"
            ));
        }
        if let Some(bad) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(format!(
                "the host `{host}` contains `{bad}`; hosts use letters, digits, `-` and `.`"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!("the host label `{label}` starts or ends with `-`"));
        }
    }
    Ok(())
}

fn check_path(
    input: &str,
    name: &str,
    path_range: std::ops::Range<usize>,
    has_registry: bool,
) -> Result<(), ImageReferenceError> {
    let path = &name[path_range.clone()];
    // A registry "host" that is only an upper-case word (`Team/web`) was meant as a repository.
    let suggest_from = if has_registry && !name[..path_range.start].contains(['.', ':']) {
        name
    } else {
        path
    };
    let path_error =
        |reason: String| ImageReferenceError::new(input, ReferencePart::Repository, reason);
    if path.is_empty() {
        return Err(path_error(if has_registry {
            "there is no repository after the registry host".to_owned()
        } else {
            "the repository is empty".to_owned()
        }));
    }
    for component in path.split('/') {
        if let Err(reason) = check_path_component(component) {
            let lowered = suggest_from.to_ascii_lowercase();
            let error = path_error(format!("the repository `{path}` {reason}"));
            return Err(
                if lowered != suggest_from
                    && lowered.split('/').all(|c| check_path_component(c).is_ok())
                {
                    error.with_help(format!("repository names are lower case: use `{lowered}`"))
                } else {
                    error
                },
            );
        }
    }
    Ok(())
}

/// `[a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*`
fn check_path_component(component: &str) -> Result<(), String> {
    if component.is_empty() {
        return Err("has an empty path component (`//`, or a leading or trailing `/`)".to_owned());
    }
    if let Some(upper) = component.chars().find(char::is_ascii_uppercase) {
        return Err(format!("contains the upper-case letter `{upper}`"));
    }
    if let Some(bad) = component
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(*c)))
    {
        return Err(format!(
            "contains `{bad}`; repositories use lower-case letters, digits and the separators `.`, `_`, `__`, `-`"
        ));
    }
    let bytes = component.as_bytes();
    let alphanumeric = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !alphanumeric(bytes[0]) || !alphanumeric(bytes[bytes.len() - 1]) {
        return Err(format!(
            "has the component `{component}`, which must start and end with a letter or digit"
        ));
    }
    let mut index = 0;
    while index < bytes.len() {
        if alphanumeric(bytes[index]) {
            index += 1;
            continue;
        }
        let start = index;
        while index < bytes.len() && !alphanumeric(bytes[index]) {
            index += 1;
        }
        let separator = &component[start..index];
        let valid = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !valid {
            return Err(format!(
                "has the separator `{separator}` in `{component}`; only `.`, `_`, `__` or a run of `-` may join two parts"
            ));
        }
    }
    Ok(())
}

pub(super) fn check_tag(input: &str, tag: &str) -> Result<(), ImageReferenceError> {
    let tag_error = |reason: String| ImageReferenceError::new(input, ReferencePart::Tag, reason);
    if tag.is_empty() {
        return Err(tag_error("the `:` is followed by no tag".to_owned())
            .with_help("add the tag after `:`, or drop the `:`"));
    }
    if tag.len() > TAG_MAX_LEN {
        return Err(tag_error(format!(
            "the tag is {} characters long; the limit is {TAG_MAX_LEN}",
            tag.len()
        )));
    }
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if tag.starts_with(['.', '-']) {
        return Err(
            tag_error(format!("the tag `{tag}` starts with `{}`", &tag[..1]))
                .with_help("a tag starts with a letter, a digit or `_`"),
        );
    }
    if let Some(bad) = tag.chars().find(|&c| !(word(c) || c == '.' || c == '-')) {
        return Err(tag_error(format!(
            "the tag `{tag}` contains `{bad}`; tags use letters, digits, `_`, `.` and `-`"
        ))
        .with_help(if bad == '/' {
            "a branch name such as `feature/x` is not a tag: replace `/` with `-`"
        } else {
            "replace the character, or tag the image with its commit id"
        }));
    }
    Ok(())
}

/// Checks the digest after `@`; errors quote the whole `input`.
pub(super) fn check_digest(input: &str, digest: &str) -> Result<(), ImageReferenceError> {
    let digest_error =
        |reason: String| ImageReferenceError::new(input, ReferencePart::Digest, reason);
    let Some((algorithm, encoded)) = digest.split_once(':') else {
        return Err(digest_error(format!(
            "`{digest}` is not of the form `sha256:<64 hex digits>`"
        ))
        .with_help("write the digest as `sha256:` followed by 64 lower-case hex digits"));
    };
    let algorithm_ok = !algorithm.is_empty()
        && algorithm.split(['+', '.', '_', '-']).all(|component| {
            component
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && component.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if !algorithm_ok {
        return Err(digest_error(format!(
            "`{algorithm}` is not a digest algorithm"
        )));
    }
    if let Some(bad) = encoded.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(digest_error(format!(
            "the digest contains `{bad}`, which is not a hex digit"
        )));
    }
    // go-digest validates the algorithms it knows exactly; the OCI image spec requires lower case.
    let expected_len = match algorithm {
        "sha256" => Some(64),
        "sha384" => Some(96),
        "sha512" => Some(128),
        _ => None,
    };
    if let Some(expected) = expected_len {
        if encoded.len() != expected {
            return Err(digest_error(format!(
                "a {algorithm} digest has {expected} hex digits; this one has {}",
                encoded.len()
            ))
            .with_help("copy the whole digest, for example from `docker inspect` or `aws ecr describe-images`"));
        }
        if encoded.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(
                digest_error(format!("a {algorithm} digest is written in lower-case hex"))
                    .with_help(format!(
                        "use `{algorithm}:{}`",
                        encoded.to_ascii_lowercase()
                    )),
            );
        }
    } else if encoded.len() < DIGEST_MIN_HEX {
        return Err(digest_error(format!(
            "the digest has {} hex digits; at least {DIGEST_MIN_HEX} are needed",
            encoded.len()
        )));
    }
    Ok(())
}
