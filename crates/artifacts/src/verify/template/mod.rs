//! A pipeline template checked against the buildspecs its CodeBuild actions run: what one
//! promises, the other must keep.
//!
//! cfn-lint checks the template's shape and which artifacts flow where, but not action
//! configurations, and nothing reads the buildspec alongside (`docs/aws/codepipeline.md#action-configuration-is-not-validated`). Here the
//! CloudFormation pipeline is put into the shape of `get-pipeline` output, so the deploy
//! actions go through the same checks as a live pipeline ([`super::deploy_action`]), and then
//! each CodeBuild action is held against its project's buildspec: output artifacts and
//! `secondary-artifacts`, the files the deploy actions read, `PrimarySource` and
//! `CODEBUILD_SRC_DIR_<name>`, `#{Namespace.VARIABLE}` and `exported-variables`; and each ECR
//! source action against the tag it tracks.
//!
//! Findings are located in the template as `Resources.<Pipeline>.Stages[Stage].Actions[Action]…`,
//! followed by the buildspec and line where the disagreement is in the buildspec.

mod artifacts;
mod buildspec;
mod cloudformation;
mod normalise;
mod resolve;
mod service;
mod sources;
mod variables;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde_json::{Map, Value};

pub use buildspec::BuildSpec;
pub use cloudformation::{BuildSpecSource, Template};
pub use service::{SERVICE_BOOTSTRAP_IMAGE, SERVICE_DESIRED_COUNT};

use super::configuration::configuration_findings;
use super::pipeline::{PipelineAction, deploy_action};
use crate::finding::Finding;
use crate::location::Location;
use crate::suggest::backticked;

/// A template or buildspec that cannot be read; the check stops there.
const INVALID: &str = "invalid-template";
/// A CodeBuild action's output artifacts and the buildspec's artifact blocks disagree.
pub const OUTPUT_ARTIFACTS: &str = "output-artifacts";
/// A deploy action reads a file its input artifact will not hold.
pub const ARTIFACT_FILE: &str = "artifact-file";
/// The buildspec that writes the task definition never names an `Image<N>ContainerName`.
pub const IMAGE_PLACEHOLDER: &str = "image-placeholder";
/// An ECR source action tracks a tag that can be moved to any image.
pub const ECR_SOURCE_MUTABLE_TAG: &str = "ecr-source-mutable-tag";
/// A CodeBuild action's `PrimarySource` is missing or not one of its inputs.
pub const PRIMARY_SOURCE: &str = "primary-source";
/// A buildspec reads `CODEBUILD_SRC_DIR_<name>` for no secondary input of the action.
pub const SOURCE_DIRECTORY: &str = "source-directory";
/// `#{Namespace.VARIABLE}` names no namespace of an earlier action.
pub const VARIABLE_NAMESPACE: &str = "variable-namespace";
/// `#{Namespace.VARIABLE}` names a variable the action does not output.
pub const EXPORTED_VARIABLE: &str = "exported-variable";
/// A CodeBuild project or its buildspec is outside what this check can read.
pub const CODEBUILD_PROJECT: &str = "codebuild-project";
/// A buildspec's `version` is not `0.2`.
pub const BUILDSPEC_VERSION: &str = "buildspec-version";

/// A buildspec file that a pipeline of the template runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuildSpecFile<'t> {
    /// `Source.BuildSpec`: a path relative to the primary source.
    pub path: &'t str,
    /// The logical id of the first project that names it.
    pub project: &'t str,
}

/// One action of a pipeline, with what the checks need of it.
#[derive(Debug)]
struct Step<'a> {
    stage: &'a str,
    name: &'a str,
    stage_index: usize,
    run_order: u64,
    provider: &'a str,
    category: &'a str,
    configuration: &'a Map<String, Value>,
    inputs: Vec<&'a str>,
    outputs: Vec<&'a str>,
    namespace: Option<&'a str>,
    action: &'a Value,
    /// `Resources.<Pipeline>.Stages[Stage].Actions[Action]`.
    path: String,
    /// For a CodeBuild action whose buildspec was read: the buildspec.
    build: Option<Build<'a>>,
}

/// A CodeBuild action's buildspec and the name it goes by in messages.
#[derive(Debug)]
struct Build<'a> {
    spec: &'a BuildSpec,
    shown: String,
    /// The path in the primary source, for a buildspec file.
    path: Option<&'a str>,
}

impl Step<'_> {
    fn full(&self) -> String {
        format!("{}/{}", self.stage, self.name)
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.configuration.get(key).and_then(Value::as_str)
    }

    /// `path.rest`, such as `….Actions[Build].OutputArtifacts`.
    fn at(&self, rest: &str) -> String {
        format!("{}.{rest}", self.path)
    }

    /// CodePipeline runs stages in order, and within a stage lower `runOrder` first; actions of
    /// the same `runOrder` run side by side, so neither sees the other's outputs or variables.
    fn runs_before(&self, other: &Step) -> bool {
        self.stage_index < other.stage_index
            || (self.stage_index == other.stage_index && self.run_order < other.run_order)
    }
}

impl Build<'_> {
    /// `buildspecs/dev.yml:14` for the key path `keys`, or the file alone.
    fn line(&self, keys: &[&str]) -> String {
        match self.spec.line(keys) {
            Some(line) => format!("{}:{line}", self.shown),
            None => self.shown.clone(),
        }
    }
}

impl Template {
    /// The buildspec files the template's pipelines run, each once, in pipeline order.
    #[must_use]
    pub fn buildspec_files(&self) -> Vec<BuildSpecFile<'_>> {
        let mut files: Vec<BuildSpecFile<'_>> = Vec::new();
        for pipeline in &self.pipelines {
            for action in actions(&pipeline.document).map(|(_, _, action)| action) {
                if action
                    .pointer("/actionTypeId/provider")
                    .and_then(Value::as_str)
                    != Some("CodeBuild")
                {
                    continue;
                }
                let name = action
                    .pointer("/configuration/ProjectName")
                    .and_then(Value::as_str);
                if let Some((project, found)) = name.and_then(|name| self.project(name))
                    && let BuildSpecSource::File(path) = &found.buildspec
                    && files.iter().all(|file| file.path != path)
                {
                    files.push(BuildSpecFile { path, project });
                }
            }
        }
        files
    }

    /// The ECS or CodeDeployToECS action `action` (`ACTION` or `STAGE/ACTION`; the only one when
    /// `None`) of pipeline `pipeline` (a logical id; the only one when `None`), read and checked
    /// as `verify::deploy_action` reads a `get-pipeline` document.
    pub fn deploy_action(
        &self,
        pipeline: Option<&str>,
        action: Option<&str>,
    ) -> Result<PipelineAction, Finding> {
        let ids = || backticked(self.pipelines.iter().map(|p| p.id.as_str()));
        let chosen = match pipeline {
            Some(wanted) => self
                .pipelines
                .iter()
                .find(|p| p.id == wanted)
                .ok_or_else(|| {
                    Finding::error(
                        "pipeline",
                        format!("the template has no pipeline `{wanted}`; it has {}", ids()),
                    )
                    .help("give the pipeline's logical id with --pipeline-resource")
                })?,
            None => match self.pipelines.as_slice() {
                [only] => only,
                _ => {
                    return Err(Finding::error(
                        "pipeline",
                        format!(
                            "the template has {} pipelines: {}",
                            self.pipelines.len(),
                            ids()
                        ),
                    )
                    .help("name one with --pipeline-resource LOGICAL_ID"));
                }
            },
        };
        let mut found = deploy_action(&chosen.document, action)?;
        found.findings = found
            .findings
            .into_iter()
            .map(|f| relocate(f, &chosen.id))
            .collect();
        Ok(found)
    }

    /// Checks every pipeline of the template against the buildspecs its CodeBuild projects
    /// name; `buildspecs` holds the files of [`Template::buildspec_files`] by path.
    #[must_use]
    pub fn check(&self, buildspecs: &BTreeMap<String, BuildSpec>) -> Vec<Finding> {
        let mut findings = Vec::new();
        for pipeline in &self.pipelines {
            let steps = self.steps(pipeline, buildspecs, &mut findings);
            for step in &steps {
                if matches!(step.provider, "ECS" | "CodeDeployToECS") {
                    match deploy_action(&pipeline.document, Some(&step.full())) {
                        Ok(found) => {
                            findings.extend(
                                found
                                    .findings
                                    .iter()
                                    .cloned()
                                    .map(|f| relocate(f, &pipeline.id)),
                            );
                            artifacts::reads(step, &found, &steps, &mut findings);
                        }
                        Err(finding) => findings.push(relocate(finding, &pipeline.id)),
                    }
                } else {
                    let checked =
                        configuration_findings(step.provider, step.configuration, &step.full());
                    findings.extend(checked.into_iter().map(|f| relocate(f, &pipeline.id)));
                }
                if step.provider == "CodeBuild" {
                    sources::primary_source(step, &mut findings);
                    artifacts::buildspec_source(step, &steps, &mut findings);
                }
                if let Some(build) = &step.build {
                    artifacts::outputs(step, build, &mut findings);
                    sources::source_dirs(step, build, &mut findings);
                }
                if step.provider == "ECR" && step.category == "Source" {
                    sources::ecr_source(step, self, &mut findings);
                }
            }
            variables::check(&pipeline.document, &steps, &mut findings);
        }
        service::check(&self.resources, &self.parameters, &mut findings);
        findings
    }

    fn steps<'a>(
        &'a self,
        pipeline: &'a cloudformation::Pipeline,
        buildspecs: &'a BTreeMap<String, BuildSpec>,
        findings: &mut Vec<Finding>,
    ) -> Vec<Step<'a>> {
        let mut steps = Vec::new();
        let mut versions_checked: Vec<String> = Vec::new();
        for (stage_index, stage, action) in actions(&pipeline.document) {
            let field = |pointer: &str| {
                action
                    .pointer(pointer)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            };
            let names = |key: &str| -> Vec<&'a str> {
                action
                    .get(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|a| a.get("name").and_then(Value::as_str))
                    .collect()
            };
            let name = field("/name");
            let mut step = Step {
                stage,
                name,
                stage_index,
                run_order: action.get("runOrder").and_then(Value::as_u64).unwrap_or(1),
                provider: field("/actionTypeId/provider"),
                category: field("/actionTypeId/category"),
                configuration: action
                    .get("configuration")
                    .and_then(Value::as_object)
                    .unwrap_or(&*EMPTY),
                inputs: names("inputArtifacts"),
                outputs: names("outputArtifacts"),
                namespace: action.get("namespace").and_then(Value::as_str),
                action,
                path: format!("Resources.{}.Stages[{stage}].Actions[{name}]", pipeline.id),
                build: None,
            };
            if step.provider == "CodeBuild" {
                step.build = self.build(&step, buildspecs, findings);
                if let Some(build) = &step.build
                    && !versions_checked.contains(&build.shown)
                {
                    versions_checked.push(build.shown.clone());
                    artifacts::version(&step, build, findings);
                }
            }
            steps.push(step);
        }
        steps
    }

    /// The buildspec of a CodeBuild action's project, or a warning that it cannot be read.
    fn build<'a>(
        &'a self,
        step: &Step,
        buildspecs: &'a BTreeMap<String, BuildSpec>,
        findings: &mut Vec<Finding>,
    ) -> Option<Build<'a>> {
        let name = step.text("ProjectName")?;
        let Some((id, project)) = self.project(name) else {
            findings.push(
                Finding::warning(CODEBUILD_PROJECT, format!("project `{name}` is not defined in this template, so its buildspec is not checked"))
                    .at_place(step.at("Configuration.ProjectName"))
                    .help("check the template that defines it, or name the project as `!Ref LogicalId`"),
            );
            return None;
        };
        let unread = |what: &str| {
            Finding::warning(CODEBUILD_PROJECT, format!("the buildspec of project `{id}` is {what}, which this check cannot read"))
                .at_place(step.at("Configuration.ProjectName"))
                .help("keep the buildspec inline in the template (`Source.BuildSpec: |`, where a push to a branch cannot change what a privileged project runs) or in the repository (`Source.BuildSpec: buildspecs/NAME.yml`), so this check can read it")
        };
        match &project.buildspec {
            BuildSpecSource::File(path) => {
                let spec = buildspecs.get(path);
                if spec.is_none() {
                    findings.push(unread(&format!("`{path}`")));
                }
                spec.map(|spec| Build {
                    spec,
                    shown: path.clone(),
                    path: Some(path),
                })
            }
            BuildSpecSource::Inline(spec) => Some(Build {
                spec,
                shown: format!("Resources.{id}.Properties.Source.BuildSpec"),
                path: None,
            }),
            BuildSpecSource::Elsewhere(what) => {
                findings.push(unread(what));
                None
            }
        }
    }
}

static EMPTY: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

/// Every action of a normalised pipeline: its stage's index and name, and the action.
fn actions(document: &Value) -> impl Iterator<Item = (usize, &str, &Value)> {
    let stages = document
        .pointer("/pipeline/stages")
        .and_then(Value::as_array);
    stages
        .into_iter()
        .flatten()
        .enumerate()
        .flat_map(|(index, stage)| {
            let name = stage
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let actions = stage.get("actions").and_then(Value::as_array);
            actions
                .into_iter()
                .flatten()
                .map(move |action| (index, name, action))
        })
}

/// A finding of `deploy_action`, located as `Stage/Action: configuration.Key`, located in
/// the template instead: `Resources.<Pipeline>.Stages[Stage].Actions[Action].Configuration.Key`.
fn relocate(finding: Finding, pipeline: &str) -> Finding {
    let Some(at) = finding.location.as_ref().and_then(Location::action_member) else {
        return finding.at_place(format!("Resources.{pipeline}"));
    };
    let (stage, action) = at.action.split_once('/').unwrap_or((&at.action, ""));
    let mut path = format!("Resources.{pipeline}.Stages[{stage}].Actions[{action}]");
    let mut rest = at.member.as_deref().unwrap_or_default().chars();
    if let Some(first) = rest.next() {
        path.push('.');
        path.push(first.to_ascii_uppercase());
        path.push_str(rest.as_str());
    }
    finding.at_place(path)
}

#[cfg(test)]
mod tests;
