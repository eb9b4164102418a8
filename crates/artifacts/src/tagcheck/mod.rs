//! `ecs-tagcheck`: finds `latest`, untagged and otherwise mutable image tags everywhere a
//! deployment can pick one up: Dockerfiles, task definitions, the two image files, buildspecs,
//! CloudFormation, Terraform and CodePipeline definitions.
//!
//! Each file kind has its own reader that returns [`Scan`]: the findings, and every image
//! reference it saw (for the ECR lookups of `--ecr` and the rewrite of `--pin`). The decisions
//! follow the crosswalk of `docs/aws/image-references.md#latest-untagged-and-pinned`: untagged is `latest`, a digest pins
//! whatever the tag says (`app:latest@sha256:…` passes), `localhost:5000/app` is untagged.

pub mod buildspec;
pub mod cloudformation;
pub mod config;
pub mod dockerfile;
pub mod ecr;
pub mod files;
pub mod glob;
pub mod images;
pub mod pin;
pub mod pipeline;
pub mod rules;
pub mod terraform;
pub(crate) mod text;
pub mod trust;
pub mod unresolved;
pub mod waiver;

use crate::finding::{Finding, Severity};
use crate::image_reference::ImageReference;
use crate::location::Location;
use crate::tag_policy::{TagProblem, tag_problem};

/// The help line of the tag findings.
pub const TAG_HELP: &str = "tag the image with the commit id (`$CODEBUILD_RESOLVED_SOURCE_VERSION`) or pin it \
     by digest (`@sha256:…`); if it must stay, waive it with `# ecs-tagcheck: ignore[RULE] why`";

pub use config::{Config, ConfigError};
pub use files::FileKind;
pub use text::line_of;
pub use unresolved::summary as unresolved_summary;
use unresolved::{unresolved_or_tag, variable_names};

/// What the checks allow and refuse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Tags refused without a digest, compared without regard to case. Default: `latest`.
    pub deny: Vec<String>,
    /// Images exempt from the tag rules: patterns with `*` matched against the whole reference
    /// and against its name without tag or digest.
    pub allow: Vec<String>,
    /// Refuse every reference without a digest (`missing-digest`).
    pub require_digest: bool,
    /// `--build-arg NAME=VALUE`: overrides of Dockerfile `ARG` defaults.
    pub build_args: Vec<(String, String)>,
    /// `--var NAME=VALUE`: values of the `${NAME}` and `$NAME` references that templates fill
    /// in later (`${IMAGE_TAG}` in a task definition template), for this scan.
    pub variables: Vec<(String, String)>,
    /// Severity per rule id, overriding the defaults; `None` turns a rule off.
    pub severity: Vec<(String, Option<Severity>)>,
    /// The registries and repository prefixes a Dockerfile may pull from; empty trusts all.
    pub trusted: Vec<trust::TrustedPrefix>,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            deny: vec![crate::image_reference::IMPLICIT_TAG.to_owned()],
            allow: Vec::new(),
            require_digest: false,
            build_args: Vec::new(),
            variables: Vec::new(),
            severity: Vec::new(),
            trusted: Vec::new(),
        }
    }
}

impl Policy {
    /// The severity of `rule` under this policy, `None` when it is turned off.
    #[must_use]
    pub fn severity_of(&self, rule: &str) -> Option<Severity> {
        self.severity
            .iter()
            .rev()
            .find(|(id, _)| id == rule)
            .map_or(Some(rules::default_severity(rule)), |(_, severity)| {
                *severity
            })
    }

    /// Applies the configured severities: overridden findings change, disabled ones go.
    #[must_use]
    pub fn apply_severities(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter_map(|mut finding| {
                finding.severity = self.severity_of(finding.rule)?;
                Some(finding)
            })
            .collect()
    }

    fn allows(&self, reference: &ImageReference) -> bool {
        self.allow.iter().any(|pattern| {
            glob::wildcard_match(pattern, reference.as_str())
                || glob::wildcard_match(pattern, reference.name())
        })
    }
}

/// One image reference found in a file, after variables were resolved where they could be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageUse {
    /// The reference as it will be pulled.
    pub reference: ImageReference,
    /// Where it is, in the format of [`Finding::location`].
    pub location: Location,
    /// Whether `--pin` may rewrite it: true in task definitions and the two image files.
    pub pinnable: bool,
}

/// What reading one file found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scan {
    /// Findings with their default severities; [`Policy::apply_severities`] adjusts them.
    pub findings: Vec<Finding>,
    /// Every image reference seen.
    pub images: Vec<ImageUse>,
}

/// How deep blocks, objects and lists may nest in a file read here: the default depth of
/// serde-saphyr's budget, far past any real template (CloudFormation's own limits keep a
/// template shallow, and Terraform blocks rarely go ten deep). JSON stops at `serde_json`'s
/// recursion limit of 128. Past the limit a file is refused, so a hostile one costs memory and
/// time in proportion to its size, never to its depth.
pub const MAX_NESTING: usize = 64;

/// A file with a NUL byte, refused before any reader sees it: it is binary, or UTF-16 without
/// a byte-order mark (every other byte of ASCII text is 0), which is valid UTF-8 and would
/// otherwise read as a file with nothing to judge. AWS reads these files as UTF-8.
fn nul_byte(bytes: &[u8]) -> Option<Scan> {
    let at = bytes.iter().position(|byte| *byte == 0)?;
    // Not UTF-8 up to the NUL (UTF-16 with a byte-order mark): the place is the byte.
    let prefix = String::from_utf8_lossy(&bytes[..at]);
    let finding = Finding::error(
        rules::INVALID_FILE,
        "the file is not UTF-8 text: it has a NUL byte",
    )
    .at(text::position(&prefix, prefix.len()))
    .help("save it as UTF-8; a file saved as UTF-16 converts with `iconv -f UTF-16 -t UTF-8`");
    Some(Scan {
        findings: vec![finding],
        images: Vec::new(),
    })
}

/// The text of `bytes`, or the scan that reports why the file is not UTF-8.
fn text_or_scan(bytes: &[u8]) -> Result<&str, Scan> {
    crate::syntax::utf8(bytes).map_err(|finding| Scan {
        findings: vec![finding.into_rule(rules::INVALID_FILE)],
        images: Vec::new(),
    })
}

/// Reads the file `bytes`, of kind `kind`: the findings before waivers and severities, and the
/// images. Callers that add findings of their own (the ECR lookups) then call [`finish`].
#[must_use]
pub fn scan(kind: FileKind, file_name: &str, bytes: &[u8], policy: &Policy) -> Scan {
    if let Some(scan) = nul_byte(bytes) {
        return scan;
    }
    match kind {
        FileKind::Dockerfile => dockerfile::check(bytes, policy),
        FileKind::Buildspec | FileKind::Workflow => buildspec::check(bytes, policy),
        FileKind::Terraform => terraform::check(bytes, policy),
        FileKind::CloudFormation => cloudformation::check(bytes, policy),
        FileKind::Pipeline => pipeline::check(bytes),
        FileKind::TaskDefinition | FileKind::ImageDefinitions | FileKind::ImageDetail => {
            images::check(kind, file_name, bytes, policy)
        }
    }
}

/// Applies the file's inline waivers, then the policy's severities, to `findings`.
#[must_use]
pub fn finish(
    kind: FileKind,
    bytes: &[u8],
    findings: Vec<Finding>,
    policy: &Policy,
) -> Vec<Finding> {
    let findings = match std::str::from_utf8(bytes) {
        Ok(text) if kind.has_comments() => waiver::apply(text, findings),
        _ => findings,
    };
    policy.apply_severities(findings)
}

/// [`scan`] and [`finish`]: the findings of one file, and its images.
#[must_use]
pub fn check(kind: FileKind, file_name: &str, bytes: &[u8], policy: &Policy) -> Scan {
    let mut scan = scan(kind, file_name, bytes, policy);
    scan.findings = finish(kind, bytes, std::mem::take(&mut scan.findings), policy);
    scan
}

/// Findings about one resolved reference at `location` under `policy`.
#[must_use]
pub fn check_reference(
    reference: &ImageReference,
    location: &Location,
    policy: &Policy,
) -> Vec<Finding> {
    if policy.allows(reference) {
        return Vec::new();
    }
    let mut findings = Vec::new();
    match tag_problem(reference, &policy.deny) {
        Some(TagProblem::Untagged(message)) => findings.push(
            Finding::policy(rules::UNTAGGED_IMAGE, message)
                .at(location)
                .help(TAG_HELP),
        ),
        Some(TagProblem::Denied { tag, message }) => {
            let rule = if tag.eq_ignore_ascii_case(crate::image_reference::IMPLICIT_TAG) {
                rules::LATEST_TAG
            } else {
                rules::DENIED_TAG
            };
            findings.push(Finding::policy(rule, message).at(location).help(TAG_HELP));
        }
        None => {}
    }
    if policy.require_digest && reference.digest().is_none() {
        findings.push(
            Finding::policy(
                rules::MISSING_DIGEST,
                format!(
                    "`{}` is not pinned by digest",
                    crate::secrets::shown_reference(&reference.to_string())
                ),
            )
            .at(location)
            .help("pin it as `name@sha256:…`; `ecs-tagcheck --ecr --pin` rewrites image files and task definitions"),
        );
    }
    findings
}

/// A reference that does not parse: reported under `invalid-file` with the parser's reason.
fn invalid_reference(
    text: &str,
    location: &Location,
    error: &crate::ImageReferenceError,
) -> Finding {
    Finding::error(
        rules::INVALID_FILE,
        format!(
            "`{}` is not an image reference: {error}",
            crate::secrets::shown_reference(text)
        ),
    )
    .at(location)
    .maybe_help(error.help())
}

/// Checks the reference written as `text`, recording it in `scan`.
fn check_text(text: &str, location: Location, pinnable: bool, policy: &Policy, scan: &mut Scan) {
    match ImageReference::parse(text) {
        Ok(reference) => {
            scan.findings
                .extend(check_reference(&reference, &location, policy));
            scan.images.push(ImageUse {
                reference,
                location,
                pinnable,
            });
        }
        Err(error) => scan
            .findings
            .push(invalid_reference(text, &location, &error)),
    }
}

/// Judges a reference whose registry or repository is a variable by its literal tag:
/// `${REPO}:latest` uses `latest` whatever `REPO` is, and `${ACCOUNT}.dkr.ecr…/web:1.4.2` is
/// tagged. `None` when the tag itself depends on a variable, so nothing can be said.
pub(super) fn literal_tag(
    text: &str,
    location: &Location,
    policy: &Policy,
) -> Option<Vec<Finding>> {
    let tail = text.rsplit('/').next().unwrap_or(text);
    if tail.contains('@') {
        return Some(Vec::new());
    }
    let (_, tag) = tail.rsplit_once(':')?;
    if tag.is_empty() || tag.contains(['$', '{', '}']) {
        return None;
    }
    if !policy
        .deny
        .iter()
        .any(|denied| denied.eq_ignore_ascii_case(tag))
    {
        return Some(Vec::new());
    }
    let rule = if tag.eq_ignore_ascii_case(crate::image_reference::IMPLICIT_TAG) {
        rules::LATEST_TAG
    } else {
        rules::DENIED_TAG
    };
    Some(vec![
        Finding::error(
            rule,
            format!(
                "`{}` uses the mutable tag `{tag}`, so nobody can tell which build it deploys",
                crate::secrets::shown_reference(text)
            ),
        )
        .at(location)
        .help(TAG_HELP),
    ])
}

#[cfg(test)]
mod hostile;
#[cfg(test)]
mod tests;
