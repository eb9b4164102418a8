use std::fmt;

/// The part of an image reference that a parse error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReferencePart {
    /// The reference as a whole (empty, white space, stray `@`).
    Reference,
    /// The registry host.
    Registry,
    /// The registry port.
    Port,
    /// The repository path.
    Repository,
    /// The tag after `:`.
    Tag,
    /// The digest after `@`.
    Digest,
}

impl fmt::Display for ReferencePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Reference => "reference",
            Self::Registry => "registry host",
            Self::Port => "registry port",
            Self::Repository => "repository",
            Self::Tag => "tag",
            Self::Digest => "digest",
        })
    }
}

/// Why a string is not a valid image reference, and which part of it is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{}` is not a valid image reference: {reason}", shown_input(input))]
pub struct ImageReferenceError {
    input: String,
    part: ReferencePart,
    reason: String,
    help: Option<String>,
}

impl ImageReferenceError {
    pub(super) fn new(input: &str, part: ReferencePart, reason: impl Into<String>) -> Self {
        Self {
            input: input.to_owned(),
            part,
            reason: scrubbed(input, reason.into()),
            help: None,
        }
    }

    pub(super) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(scrubbed(&self.input, help.into()));
        self
    }

    /// The text that failed to parse.
    #[must_use]
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Which part of the reference is wrong.
    #[must_use]
    pub fn part(&self) -> ReferencePart {
        self.part
    }

    /// What is wrong with that part, without the input.
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// What the user can do about it, when there is something specific to say.
    #[must_use]
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }
}

/// `text`, a reason or help about `input`, with the password of a `user:password@` that was
/// pasted in front of the reference (registry credentials, as in a `docker login` URL)
/// redacted, and every quoted part shortened: the parts are quoted back from the input.
fn scrubbed(input: &str, text: String) -> String {
    crate::secrets::shown_in(&without_password(input, text))
}

/// The input as the message quotes it.
fn shown_input(input: &str) -> String {
    crate::secrets::shown(&without_password(input, input.to_owned())).into_owned()
}

fn without_password(input: &str, text: String) -> String {
    match userinfo_password(input) {
        Some(password) => text.replace(password, crate::secrets::REDACTED),
        None => text,
    }
}

/// The password of a `[scheme://]user:password@host/…` in front of `input`. What follows the
/// `@` must read as a host, so that `name:tag@sha256:…` (a tag and a digest) is not taken for one.
fn userinfo_password(input: &str) -> Option<&str> {
    let rest = input.split_once("://").map_or(input, |(_, rest)| rest);
    let (userinfo, after) = rest.split_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    let host = after.split(':').next().unwrap_or_default();
    (!password.is_empty() && !userinfo.contains('/') && host.contains(['.', '/']))
        .then_some(password)
}
