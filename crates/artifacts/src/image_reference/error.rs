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
#[error("`{input}` is not a valid image reference: {reason}")]
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
            reason: reason.into(),
            help: None,
        }
    }

    pub(super) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
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
