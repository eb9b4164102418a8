//! The deploy actions, simulated offline: an artifact set checked the way CodePipeline's ECS
//! and CodeDeployToECS actions will read it, before it ships.
//!
//! The caller hands in each input artifact as its files (read from a folder or a zip) and the
//! action's configuration; the checks are those of the single-file checkers, plus what only
//! the set shows: a file missing from its artifact, the wrong file for the action, placeholders
//! and image artifacts that do not pair up, an AppSpec container the task definition lacks, an
//! artifact over the action's size limit. For Blue/Green the action's own substitution is
//! carried out, and the task definition it would register is checked in full.

mod blue_green;
mod configuration;
mod ecs;
pub mod live;
mod pipeline;
pub mod service;
pub mod template;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::finding::Finding;
use crate::tag_policy::TagPolicy;

pub use blue_green::ImageInput;
pub use pipeline::{PipelineAction, deploy_action};

/// One input artifact: its files by path inside the artifact, with `/` separators.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Artifact {
    /// The artifact name, as the pipeline names it (`BuildArtifact`).
    pub name: String,
    /// Path inside the artifact to contents.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The size of the zip it came in, when it came in one.
    pub zip_size: Option<u64>,
}

impl Artifact {
    /// The file at `path` (with or without a leading `./`), as read.
    #[must_use]
    pub fn file(&self, path: &str) -> Option<&[u8]> {
        self.files
            .get(path.trim_start_matches("./"))
            .map(Vec::as_slice)
    }
}

/// What the deploy action is configured to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The ECS (rolling) action.
    Ecs {
        /// `FileName`, default `imagedefinitions.json`.
        file_name: String,
    },
    /// The CodeDeployToECS (Blue/Green) action.
    BlueGreen {
        /// `TaskDefinitionTemplateArtifact`; `None` for the first artifact holding the file.
        taskdef_artifact: Option<String>,
        /// `TaskDefinitionTemplatePath`, default `taskdef.json`.
        taskdef_path: String,
        /// `AppSpecTemplateArtifact`; `None` for the first artifact holding the file.
        appspec_artifact: Option<String>,
        /// `AppSpecTemplatePath`, default `appspec.yaml`.
        appspec_path: String,
        /// `Image<N>ArtifactName` and `Image<N>ContainerName`, in N order; empty to pair the
        /// placeholders with the image artifacts when that can only be done one way.
        images: Vec<ImageInput>,
    },
}

/// What the checks allow, and what the ECS action's target service runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The tag policy for every image.
    pub policy: TagPolicy,
    /// The container names of the service's current task definition, for the ECS action.
    pub service_containers: Option<Vec<String>>,
    /// Only some of the action's input artifacts are given (one artifact being bundled):
    /// check each file that is there, and leave out what needs the whole set (a missing
    /// template, pairing placeholders with image artifacts).
    pub partial: bool,
}

/// A finding and where it is: an artifact and, when it is about a file, the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// `BuildArtifact` or `BuildArtifact/taskdef.json`.
    pub place: Place,
    /// The finding.
    pub finding: Finding,
}

/// Where in the artifact set a finding is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// The action, one artifact or the artifacts together, by name: `the action`,
    /// `BuildArtifact`.
    Named(String),
    /// A file in an artifact: `BuildArtifact/taskdef.json`.
    File {
        /// The artifact's name.
        artifact: String,
        /// The file's path in the artifact, with `/` separators.
        path: String,
        /// The finding is about the task definition the Blue/Green action registers from this
        /// template, placeholders replaced: shown with ` (as registered)`.
        as_registered: bool,
    },
}

impl Place {
    /// The same file, as the action registers it.
    #[must_use]
    fn as_registered(&self) -> Self {
        match self {
            Self::File { artifact, path, .. } => Self::File {
                artifact: artifact.clone(),
                path: path.clone(),
                as_registered: true,
            },
            Self::Named(_) => self.clone(),
        }
    }
}

impl Place {
    /// The place as named from inside `artifact`: a file of it by its path alone
    /// (`taskdef.json`), anything else as [`Place`]'s `Display` names it.
    #[must_use]
    pub fn within(&self, artifact: &str) -> String {
        match self {
            Self::File {
                artifact: holder,
                path,
                as_registered,
            } if holder == artifact => {
                let registered = if *as_registered {
                    " (as registered)"
                } else {
                    ""
                };
                format!("{path}{registered}")
            }
            _ => self.to_string(),
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Named(name) => f.write_str(name),
            Self::File {
                artifact,
                path,
                as_registered,
            } => {
                write!(f, "{artifact}/{path}")?;
                if *as_registered {
                    f.write_str(" (as registered)")?;
                }
                Ok(())
            }
        }
    }
}

impl From<&str> for Place {
    fn from(name: &str) -> Self {
        Self::Named(name.to_owned())
    }
}

impl From<String> for Place {
    fn from(name: String) -> Self {
        Self::Named(name)
    }
}

/// The result of a verification.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Verification {
    /// Everything found, in the order found.
    pub findings: Vec<Located>,
    /// For Blue/Green: the task definition the action would register, placeholders replaced.
    pub final_task_definition: Option<Value>,
}

impl Verification {
    fn add(&mut self, place: impl Into<Place>, finding: Finding) {
        self.findings.push(Located {
            place: place.into(),
            finding,
        });
    }

    fn extend(&mut self, place: &Place, findings: impl IntoIterator<Item = Finding>) {
        for finding in findings {
            self.add(place.clone(), finding);
        }
    }
}

/// Checks `artifacts` as `action` will read them.
#[must_use]
pub fn verify(artifacts: &[Artifact], action: &Action, options: &Options) -> Verification {
    let mut verification = Verification::default();
    match action {
        Action::Ecs { file_name } => ecs::verify(artifacts, file_name, options, &mut verification),
        Action::BlueGreen { .. } => {
            blue_green::verify(artifacts, action, options, &mut verification);
        }
    }
    verification
}

/// The file `path` of `artifact`.
fn place(artifact: &Artifact, path: &str) -> Place {
    Place::File {
        artifact: artifact.name.clone(),
        path: path.to_owned(),
        as_registered: false,
    }
}

#[cfg(test)]
mod tests;
