//! The images: each ECR image (tag or digest) exists in its repository, and its platform (of
//! each entry of an index of platforms, or of a single image's config blob) is the task's
//! `runtimePlatform`
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#runtime-platform>).

use serde_json::Value;

use super::{AccountFinding, Fact, unchecked};
use crate::{Finding, ImageReference};

/// An ECR image a container runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageQuestion {
    /// The first container that runs it.
    pub container: String,
    /// The image reference as written.
    pub image: String,
    /// The registry (account) id.
    pub registry_id: String,
    /// The registry's Region.
    pub region: String,
    /// The repository name.
    pub repository: String,
    /// The digest, else the tag (`latest` when the reference has neither).
    pub tag_or_digest: String,
    /// The task's platform as an OCI platform, `(os, architecture)`, when it sets one.
    pub platform: Option<(String, String)>,
    /// The tag of a reference that names a tag and the digest the build pushed
    /// (`repository:tag@sha256:…`): the tag must still point at that digest.
    pub pinned_tag: Option<String>,
}

impl ImageQuestion {
    /// The repository's ARN.
    #[must_use]
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:ecr:{}:{}:repository/{}",
            self.region, self.registry_id, self.repository
        )
    }
}

/// An image's manifest as ECR sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// `imageManifestMediaType`.
    pub media_type: String,
    /// The manifest, JSON text.
    pub manifest: String,
    /// A single image's platform, `(os, architecture)`, as its config blob names it; `None`
    /// when the blob was not read (an index, or a task that sets no platform).
    pub config: Option<Fact<(String, String)>>,
}

/// The largest config blob read: an image's config is a few kilobytes
/// (<https://github.com/opencontainers/image-spec/blob/main/config.md>), so a larger answer is
/// refused rather than read into memory.
pub const CONFIG_LIMIT: u64 = 1024 * 1024;

/// The task definition the ECS action registers: the service's, each container's image
/// replaced by its `imagedefinitions.json` entry (`images`: `(name, imageUri)`).
#[must_use]
pub fn with_images(task_definition: &Value, images: &[(String, String)]) -> Value {
    let mut registered = task_definition.clone();
    let containers = registered
        .get_mut("containerDefinitions")
        .and_then(Value::as_array_mut);
    for container in containers.into_iter().flatten() {
        let name = container.get("name").and_then(Value::as_str);
        if let Some((_, uri)) = images.iter().find(|(n, _)| Some(n.as_str()) == name) {
            container["image"] = Value::String(uri.clone());
        }
    }
    registered
}

/// The private ECR images of the containers, each image once.
#[must_use]
pub fn questions(document: &Value) -> Vec<ImageQuestion> {
    let platform = document.get("runtimePlatform").map(|platform| {
        let field = |name: &str, default: &'static str| {
            platform
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or(default)
                .to_owned()
        };
        // ECS's names as OCI's: `LINUX`, `WINDOWS_SERVER_*`; `X86_64`, `ARM64`; unset, Fargate
        // takes `LINUX` and `X86_64`.
        let os = field("operatingSystemFamily", "LINUX");
        let os = if os.starts_with("WINDOWS") {
            "windows"
        } else {
            "linux"
        };
        let arch = if field("cpuArchitecture", "X86_64") == "ARM64" {
            "arm64"
        } else {
            "amd64"
        };
        (os.to_owned(), arch.to_owned())
    });
    let mut asked: Vec<ImageQuestion> = Vec::new();
    let containers = document
        .get("containerDefinitions")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for container in containers {
        let Some(image) = container.get("image").and_then(Value::as_str) else {
            continue;
        };
        if asked.iter().any(|q| q.image == image) {
            continue;
        }
        let Ok(reference) = ImageReference::parse(image) else {
            continue;
        };
        let Some(ecr) = reference.ecr() else {
            continue;
        };
        let (Some(registry_id), Some(region)) = (ecr.registry_id, ecr.region) else {
            continue;
        };
        asked.push(ImageQuestion {
            container: container
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            image: image.to_owned(),
            registry_id: registry_id.to_owned(),
            region: region.to_owned(),
            repository: ecr.repository.to_owned(),
            tag_or_digest: reference.digest().map_or_else(
                || reference.effective_tag().unwrap_or("latest").to_owned(),
                |digest| digest.to_string(),
            ),
            platform: platform.clone(),
            pinned_tag: reference.digest().and(reference.tag()).map(str::to_owned),
        });
    }
    asked
}

/// Findings: an image that is not in its repository, an index without the task's platform, an
/// image that could not be read.
#[must_use]
pub fn judge(answers: &[(ImageQuestion, Fact<Manifest>)]) -> Vec<AccountFinding> {
    let mut found = Vec::new();
    for (question, fact) in answers {
        let finding = match fact {
            Fact::Missing => Finding::error(
                "image-missing",
                format!(
                    "image `{}` of container `{}` is not in repository `{}`: the task stops \
                     with `CannotPullContainerError`",
                    question.image, question.container, question.repository
                ),
            )
            .help("push the image before the deploy, or correct the tag or digest"),
            Fact::Denied { action } => unchecked(&format!("image `{}`", question.image), action),
            Fact::Found(manifest) => {
                let Some(wanted) = &question.platform else {
                    continue;
                };
                let mut platforms = index_platforms(&manifest.manifest);
                match &manifest.config {
                    Some(Fact::Found(platform)) if platforms.is_empty() => {
                        platforms.push(platform.clone());
                    }
                    Some(Fact::Denied { action }) => {
                        found.push(AccountFinding {
                            resource: question.arn(),
                            finding: unchecked(
                                &format!("the platform of image `{}`", question.image),
                                action,
                            )
                            .at_place(format!("container `{}`", question.container)),
                        });
                        continue;
                    }
                    _ => {}
                }
                if platforms.is_empty() || platforms.contains(wanted) {
                    continue;
                }
                let shown: Vec<String> = platforms
                    .iter()
                    .map(|(os, arch)| format!("`{os}/{arch}`"))
                    .collect();
                Finding::error(
                    "image-platform",
                    format!(
                        "image `{}` of container `{}` has no `{}/{}` image (the task's \
                         runtimePlatform); it has {}",
                        question.image,
                        question.container,
                        wanted.0,
                        wanted.1,
                        shown.join(", ")
                    ),
                )
                .help("build and push the image for the task's platform, or change runtimePlatform")
            }
        };
        found.push(AccountFinding {
            resource: question.arn(),
            finding: finding.at_place(format!("container `{}`", question.container)),
        });
    }
    found
}

/// Whether `manifest`'s platform is not decided: a single image's, whose config blob, the only
/// place that names its platform, was not read or is not in the repository.
#[must_use]
pub fn platform_undecided(manifest: &Manifest) -> bool {
    index_platforms(&manifest.manifest).is_empty()
        && !matches!(manifest.config, Some(Fact::Found(_) | Fact::Denied { .. }))
}

/// The digest of a single image's config blob, whose platform the task's is compared with;
/// `None` for an index, whose entries name their platforms
/// (<https://github.com/opencontainers/image-spec/blob/main/manifest.md>).
#[must_use]
pub fn config_digest(manifest: &str) -> Option<String> {
    let manifest = serde_json::from_str::<Value>(manifest).ok()?;
    if manifest.get("manifests").is_some() {
        return None;
    }
    let digest = manifest.get("config")?.get("digest")?.as_str()?;
    Some(digest.to_owned())
}

/// The `(os, architecture)` a config blob names; `None` when it is not a config's JSON
/// (<https://github.com/opencontainers/image-spec/blob/main/config.md#properties>).
#[must_use]
pub fn config_platform(blob: &[u8]) -> Option<(String, String)> {
    let config = serde_json::from_slice::<Value>(blob).ok()?;
    let field = |name: &str| config.get(name)?.as_str().map(str::to_owned);
    Some((field("os")?, field("architecture")?))
}

/// The `(os, architecture)` of each entry of an image index or manifest list; empty for a
/// single image's manifest, whose platform is in its config blob
/// (<https://github.com/opencontainers/image-spec/blob/main/image-index.md>).
fn index_platforms(manifest: &str) -> Vec<(String, String)> {
    let Ok(manifest) = serde_json::from_str::<Value>(manifest) else {
        return Vec::new();
    };
    manifest
        .get("manifests")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let platform = entry.get("platform")?;
            let os = platform.get("os")?.as_str()?;
            let arch = platform.get("architecture")?.as_str()?;
            // Attestation entries (`unknown/unknown`) are not images.
            (os != "unknown").then(|| (os.to_owned(), arch.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const HOST: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

    fn index(platforms: &[(&str, &str)]) -> Manifest {
        let manifests: Vec<Value> = platforms
            .iter()
            .map(|(os, arch)| json!({"platform": {"os": os, "architecture": arch}}))
            .collect();
        Manifest {
            media_type: "application/vnd.oci.image.index.v1+json".to_owned(),
            manifest: json!({"schemaVersion": 2, "manifests": manifests}).to_string(),
            config: None,
        }
    }

    #[test]
    fn asks_for_private_ecr_images_with_the_task_platform() {
        let document = json!({
            "runtimePlatform": {"cpuArchitecture": "ARM64"},
            "containerDefinitions": [
                {"name": "web", "image": format!("{HOST}/web:1.2")},
                {"name": "proxy", "image": "public.ecr.aws/nginx/nginx:1.27"},
                {"name": "side", "image": format!("{HOST}/side@sha256:{}", "a".repeat(64))},
            ],
        });
        let asked = questions(&document);
        let found: Vec<_> = asked
            .iter()
            .map(|q| {
                (
                    q.repository.as_str(),
                    q.tag_or_digest.as_str(),
                    q.region.as_str(),
                )
            })
            .collect();
        let digest = format!("sha256:{}", "a".repeat(64));
        assert_eq!(
            found,
            [
                ("web", "1.2", "eu-west-1"),
                ("side", digest.as_str(), "eu-west-1")
            ]
        );
        assert_eq!(
            asked[0].platform,
            Some(("linux".to_owned(), "arm64".to_owned()))
        );
        assert_eq!(
            asked[0].arn(),
            "arn:aws:ecr:eu-west-1:123456789012:repository/web"
        );
    }

    #[test]
    fn judges_missing_images_and_platforms() {
        let document = json!({"runtimePlatform": {"cpuArchitecture": "ARM64",
            "operatingSystemFamily": "LINUX"},
            "containerDefinitions": [{"name": "web", "image": format!("{HOST}/web:1.2")}]});
        let question = questions(&document).remove(0);
        let amd64 = index(&[("linux", "amd64"), ("unknown", "unknown")]);
        let found = judge(&[
            (question.clone(), Fact::Missing),
            (question.clone(), Fact::Found(amd64)),
        ]);
        let rules: Vec<_> = found.iter().map(|f| f.finding.rule).collect();
        assert_eq!(rules, ["image-missing", "image-platform"]);
        assert!(found[1].finding.message.ends_with("it has `linux/amd64`"));
        let both = index(&[("linux", "amd64"), ("linux", "arm64")]);
        let single = Manifest {
            media_type: "application/vnd.oci.image.manifest.v1+json".to_owned(),
            manifest: r#"{"schemaVersion":2,"layers":[]}"#.to_owned(),
            config: None,
        };
        assert!(
            judge(&[
                (question.clone(), Fact::Found(both)),
                (question.clone(), Fact::Found(single.clone()))
            ])
            .is_empty()
        );
        let config = |platform: Fact<(String, String)>| Manifest {
            config: Some(platform),
            ..single.clone()
        };
        let arm64 = config(Fact::Found(("linux".to_owned(), "arm64".to_owned())));
        let amd64 = config(Fact::Found(("linux".to_owned(), "amd64".to_owned())));
        let denied = config(Fact::Denied {
            action: "ecr:GetDownloadUrlForLayer",
        });
        assert!(platform_undecided(&single) && !platform_undecided(&arm64));
        let found = judge(&[
            (question.clone(), Fact::Found(arm64)),
            (question.clone(), Fact::Found(amd64)),
            (question, Fact::Found(denied)),
        ]);
        let rules: Vec<_> = found.iter().map(|f| f.finding.rule).collect();
        assert_eq!(rules, ["image-platform", "live-access-denied"]);
    }

    #[test]
    fn reads_a_single_image_config() {
        let single = r#"{"schemaVersion":2,"config":{"digest":"sha256:ab"},"layers":[]}"#;
        assert_eq!(config_digest(single).as_deref(), Some("sha256:ab"));
        assert_eq!(config_digest(&index(&[("linux", "amd64")]).manifest), None);
        let blob = br#"{"architecture":"arm64","os":"linux","variant":"v8","rootfs":{}}"#;
        assert_eq!(
            config_platform(blob),
            Some(("linux".to_owned(), "arm64".to_owned()))
        );
        assert_eq!(config_platform(b"not json"), None);
    }

    #[test]
    fn the_ecs_action_registers_the_image_definitions() {
        let service = json!({"containerDefinitions": [{"name": "web", "image": "old"}, {"name": "log", "image": "fluent"}]});
        let registered = with_images(&service, &[("web".to_owned(), "new".to_owned())]);
        assert_eq!(registered["containerDefinitions"][0]["image"], "new");
        assert_eq!(registered["containerDefinitions"][1]["image"], "fluent");
    }
}
