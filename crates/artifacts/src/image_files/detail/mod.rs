//! `imageDetail.json`, the image file of CodePipeline's CodeDeployToECS (Blue/Green) action.
//!
//! Rules (CodePipeline user guide, "imageDetail.json file for Amazon ECS blue/green deployment
//! actions"): a JSON object with `ImageURI` (upper-case `URI`), in a file named exactly
//! `imageDetail.json`. The action reads only `ImageURI` and puts it where the task definition
//! has its `<IMAGE1_NAME>` placeholder; the ECR source action also writes `ImageDigest`,
//! `RepositoryName`, `RegistryId`, `ImageTags` and a few more, all strings but `ImageTags`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Checked, check_image, decode_into, similar_key, type_name};
use crate::actions::blue_green::IMAGE_DETAIL;
use crate::finding::Finding;
use crate::image_reference::{Digest, EcrRegistryKind, ImageReference};
use crate::location::JsonPath;
use crate::tag_policy::TagPolicy;

/// The file, with the members that can be derived from an image reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageDetail {
    /// The image the placeholder is replaced with.
    #[serde(rename = "ImageURI")]
    pub image_uri: String,
    /// `sha256:…`, when known.
    #[serde(rename = "ImageDigest", skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
    /// The repository name, without the registry.
    #[serde(rename = "RepositoryName", skip_serializing_if = "Option::is_none")]
    pub repository_name: Option<String>,
    /// The 12-digit registry (account) id of a private ECR registry.
    #[serde(rename = "RegistryId", skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    /// The tags the image was referred to by.
    #[serde(rename = "ImageTags", skip_serializing_if = "Vec::is_empty", default)]
    pub image_tags: Vec<String>,
}

/// Why an image detail could not be derived.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{reference}` already names the digest `{written}`, not `{given}`")]
pub struct ConflictingDigest {
    /// The reference.
    pub reference: String,
    /// The digest in the reference.
    pub written: String,
    /// The digest given to pin it.
    pub given: String,
}

impl ImageDetail {
    /// Derives the file from a reference, pinning it by `digest` when one is given: the
    /// `ImageURI` is then `name@digest`, the form ECR's own source action writes.
    pub fn from_reference(
        reference: &ImageReference,
        digest: Option<Digest<'_>>,
    ) -> Result<Self, ConflictingDigest> {
        let image_uri = match (reference.digest(), digest) {
            (Some(written), Some(given)) if written != given => {
                return Err(ConflictingDigest {
                    reference: reference.to_string(),
                    written: written.to_string(),
                    given: given.to_string(),
                });
            }
            (None, Some(given)) => reference.pinned(&given),
            _ => reference.to_string(),
        };
        let ecr = reference.ecr();
        Ok(Self {
            image_uri,
            image_digest: digest.or_else(|| reference.digest()).map(|d| d.to_string()),
            repository_name: Some(
                ecr.map_or(reference.repository(), |ecr| ecr.repository)
                    .to_owned(),
            ),
            registry_id: ecr
                .filter(|ecr| matches!(ecr.kind, EcrRegistryKind::Private { .. }))
                .and_then(|ecr| ecr.registry_id)
                .map(str::to_owned),
            image_tags: reference.tag().map(str::to_owned).into_iter().collect(),
        })
    }

    /// Renders the file: pretty JSON, a trailing newline.
    #[must_use]
    pub fn render(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("strings always serialize");
        bytes.push(b'\n');
        bytes
    }
}

const KNOWN_KEYS: [&str; 8] = [
    "ImageURI",
    "ImageDigest",
    "RepositoryName",
    "RegistryId",
    "ImageTags",
    "ImageSizeInBytes",
    "Version",
    "ImagePushedAt",
];

/// Checks an existing file exactly as the CodeDeployToECS action reads it. `file_name` is the
/// file's base name, which the action requires to be exactly `imageDetail.json`.
#[must_use]
pub fn check(bytes: &[u8], file_name: Option<&str>, policy: TagPolicy) -> Checked<String> {
    let mut findings = Vec::new();
    if let Some(name) = file_name.filter(|name| *name != IMAGE_DETAIL) {
        findings.push(
            Finding::error(
                "file-name",
                format!("the Blue/Green action reads only `{IMAGE_DETAIL}`, not `{name}`"),
            )
            .help(format!(
                "rename the file to `{IMAGE_DETAIL}` (capital D, no `s`)"
            )),
        );
    }
    let Some(value) = decode_into(bytes, &mut findings) else {
        return Checked::failed(findings);
    };
    let Some(object) = value.as_object() else {
        findings.push(wrong_shape(&value));
        return Checked::failed(findings);
    };
    check_other_keys(object, &mut findings);
    let image_uri = match object.get("ImageURI") {
        Some(Value::String(text)) => text.clone(),
        Some(other) => {
            findings.push(
                Finding::error(
                    "wrong-type",
                    format!("`ImageURI` is {}, not a string", type_name(other)),
                )
                .at(JsonPath::root().key("ImageURI")),
            );
            return Checked {
                value: None,
                findings,
            };
        }
        None => {
            let finding = Finding::error(
                "missing-key",
                "the object has no `ImageURI`, the only key the action reads",
            )
            .at(JsonPath::root());
            let misspelt = object.keys().find(|key| {
                key.eq_ignore_ascii_case("ImageURI") || key.eq_ignore_ascii_case("ImageURL")
            });
            findings.push(match misspelt {
                Some(key) => finding.help(format!("rename `{key}` to `ImageURI`: key names are case-sensitive")),
                None => finding.help("write `{\"ImageURI\": \"<image>\"}`, or use `ecs-imagedefs --image-detail IMAGE`"),
            });
            return Checked {
                value: None,
                findings,
            };
        }
    };
    let (reference, image_findings) = check_image(&image_uri, policy);
    findings.extend(
        image_findings
            .into_iter()
            .map(|finding| finding.at(JsonPath::root().key("ImageURI"))),
    );
    if let Some(reference) = reference {
        check_consistency(&reference, object, &mut findings);
    }
    Checked {
        value: Some(image_uri),
        findings,
    }
}

fn wrong_shape(value: &Value) -> Finding {
    let looks_like_definitions = value.as_array().is_some_and(|entries| {
        entries
            .iter()
            .any(|entry| entry.get("name").is_some() || entry.get("imageUri").is_some())
    });
    if looks_like_definitions {
        Finding::error(
            "wrong-file",
            "this is imagedefinitions.json content (an array of `{\"name\", \"imageUri\"}`), which the ECS (rolling) \
             action reads; the Blue/Green action fails on it with `Exception while trying to read the image artifact file`",
        )
        .at(JsonPath::root())
        .help("write imageDetail.json with `ecs-imagedefs --image-detail IMAGE`")
    } else {
        Finding::error(
            "wrong-shape",
            format!("the file holds {}, not an object", type_name(value)),
        )
        .at(JsonPath::root())
        .help("the file is `{\"ImageURI\": \"<image>\"}`")
    }
}

fn check_other_keys(object: &Map<String, Value>, findings: &mut Vec<Finding>) {
    for (key, value) in object.iter().filter(|(key, _)| *key != "ImageURI") {
        let quoted = crate::suggest::shown(key);
        let at = JsonPath::root().key(key);
        if !KNOWN_KEYS.contains(&key.as_str()) {
            let finding = Finding::warning(
                "unknown-key",
                format!("the key `{quoted}` is not part of imageDetail.json and is ignored"),
            )
            .at(at.clone());
            findings.push(match similar_key(key, &KNOWN_KEYS) {
                Some(meant) => finding.help(format!("did you mean `{meant}`?")),
                None => finding,
            });
            continue;
        }
        let expected_ok = match key.as_str() {
            "ImageTags" => value
                .as_array()
                .is_some_and(|tags| tags.iter().all(Value::is_string)),
            _ => value.is_string(),
        };
        if !expected_ok {
            let expected = if key == "ImageTags" {
                "an array of strings"
            } else {
                "a string"
            };
            findings.push(
                Finding::warning(
                    "wrong-type",
                    format!("`{key}` is {}; ECR writes {expected}", type_name(value)),
                )
                .at(at),
            );
        }
    }
}

/// The informational keys should describe the same image as `ImageURI`.
fn check_consistency(
    reference: &ImageReference,
    object: &Map<String, Value>,
    findings: &mut Vec<Finding>,
) {
    let text = |key: &str| object.get(key).and_then(Value::as_str);
    if let (Some(written), Some(digest)) = (text("ImageDigest"), reference.digest())
        && written != digest.to_string()
    {
        findings.push(
            Finding::warning(
                "inconsistent-detail",
                format!("`ImageDigest` is `{written}` but `ImageURI` pins `{digest}`"),
            )
            .at(JsonPath::root().key("ImageDigest"))
            .help("the action deploys `ImageURI`; make the two agree"),
        );
    }
    if reference.digest().is_none() {
        findings.push(
            Finding::warning("not-pinned", format!("`{reference}` is not pinned by digest"))
                .at(JsonPath::root().key("ImageURI"))
                .help("use the `name@sha256:…` form (`ecs-imagedefs --image-detail IMAGE --digest sha256:…`) so every deployment runs one exact image"),
        );
    }
    if let Some(ecr) = reference.ecr() {
        if let Some(written) = text("RepositoryName").filter(|written| *written != ecr.repository) {
            findings.push(
                Finding::warning(
                    "inconsistent-detail",
                    format!(
                        "`RepositoryName` is `{written}` but `ImageURI` is in `{}`",
                        ecr.repository
                    ),
                )
                .at(JsonPath::root().key("RepositoryName")),
            );
        }
        if let (Some(written), Some(account)) = (text("RegistryId"), ecr.registry_id)
            && written != account
        {
            findings.push(
                Finding::warning(
                    "inconsistent-detail",
                    format!(
                        "`RegistryId` is `{written}` but `ImageURI` is in registry `{account}`"
                    ),
                )
                .at(JsonPath::root().key("RegistryId")),
            );
        }
    }
}

#[cfg(test)]
mod tests;
