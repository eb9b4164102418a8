//! Reading a CloudFormation template: its pipelines (see `normalise`), and the CodeBuild
//! projects and ECR repositories their actions name.
//!
//! serde-saphyr does not construct objects from tags, so `!Ref Name`, `!Sub '…'` and
//! `!GetAtt A.B` read as their plain scalar or sequence (as in `tagcheck::cloudformation`). A
//! value that equals the name of a template parameter stands for a `Ref` to it and takes the
//! parameter's `Default`; the long forms `{"Ref": …}`, `{"Fn::Sub": …}`, `{"Fn::GetAtt": …}`
//! and `{"Fn::Join": …}` read the same way.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::INVALID;
use super::buildspec::BuildSpec;
use super::normalise::{mapping, normalise};
use super::resolve::Resolver;
use crate::finding::Finding;

/// What a template holds that the checks read.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub(super) pipelines: Vec<Pipeline>,
    pub(super) projects: BTreeMap<String, Project>,
    pub(super) repositories: BTreeMap<String, Repository>,
    /// `Resources` as read, for the checks of other resource types (`service.rs`).
    pub(super) resources: Map<String, Value>,
    /// The names of the template's parameters.
    pub(super) parameters: Vec<String>,
}

/// One `AWS::CodePipeline::Pipeline` resource.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Pipeline {
    /// The logical id.
    pub(super) id: String,
    /// `{"pipeline": {"name", "stages": [{"name", "actions": [{"name", "actionTypeId", …}]}]}}`.
    pub(super) document: Value,
}

/// One `AWS::CodeBuild::Project` resource.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Project {
    /// `Name`, when it resolves.
    pub(super) name: Option<String>,
    /// `Source.BuildSpec`.
    pub(super) buildspec: BuildSpecSource,
}

/// Where a project's buildspec is.
#[derive(Clone, Debug, PartialEq)]
pub enum BuildSpecSource {
    /// A path in the primary source; `buildspec.yml` when the project names none.
    File(String),
    /// The buildspec itself, written into the template.
    Inline(Box<BuildSpec>),
    /// Somewhere this check cannot read: an S3 object, or a value that does not resolve.
    Elsewhere(String),
}

/// One `AWS::ECR::Repository` resource.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Repository {
    pub(super) name: Option<String>,
    /// `ImageTagMutability`; `None` when not set, which ECR reads as `MUTABLE`.
    pub(super) mutability: Option<String>,
    /// The `ImageTagMutabilityExclusionFilterValue`s (wildcards with `*`).
    pub(super) exclusions: Vec<String>,
}

impl Template {
    /// Reads a template, YAML with short-form tags or JSON.
    pub fn read(bytes: &[u8]) -> Result<Self, Finding> {
        let text = crate::syntax::utf8(bytes)?;
        let value: Value = serde_saphyr::from_str(text).map_err(|error| {
            crate::syntax::yaml_error(&error)
                .into_rule(INVALID)
                .help("fix the YAML (or JSON) syntax; cfn-lint names the same place")
        })?;
        let Some(resources) = value.get("Resources") else {
            return Err(Finding::error(
                INVALID,
                "this is not a CloudFormation template: it has no `Resources`",
            )
            .help("give the template that defines the AWS::CodePipeline::Pipeline"));
        };
        let resources = mapping(resources, "Resources", "resources by logical id")?;
        let resolver = Resolver {
            parameters: value.get("Parameters").and_then(Value::as_object),
        };
        let mut template = Self {
            pipelines: Vec::new(),
            projects: BTreeMap::new(),
            repositories: BTreeMap::new(),
            resources: resources.clone(),
            parameters: value
                .get("Parameters")
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default(),
        };
        for (id, resource) in resources {
            let at = format!("Resources.{id}");
            let resource = mapping(resource, &at, "`Type` and `Properties`")?;
            let empty = Value::Object(Map::new());
            let properties = resource.get("Properties").unwrap_or(&empty);
            match resource.get("Type").and_then(Value::as_str) {
                Some("AWS::CodePipeline::Pipeline") => {
                    let properties = mapping(
                        properties,
                        &format!("{at}.Properties"),
                        "the pipeline's properties",
                    )?;
                    template.pipelines.push(Pipeline {
                        id: id.clone(),
                        document: normalise(id, properties, &resolver)?,
                    });
                }
                Some("AWS::CodeBuild::Project") => {
                    let project = project(id, properties, &resolver)?;
                    template.projects.insert(id.clone(), project);
                }
                Some("AWS::ECR::Repository") => {
                    template
                        .repositories
                        .insert(id.clone(), repository(properties, &resolver));
                }
                _ => {}
            }
        }
        if template.pipelines.is_empty() {
            return Err(Finding::error(INVALID, "the template has no AWS::CodePipeline::Pipeline resource")
                .help("give the template that defines the pipeline; the CodeBuild projects it names may be in the same template"));
        }
        Ok(template)
    }

    /// The logical ids of the pipelines, sorted.
    #[must_use]
    pub fn pipeline_ids(&self) -> Vec<&str> {
        self.pipelines.iter().map(|p| p.id.as_str()).collect()
    }

    /// The project an action's `ProjectName` names: a logical id (`!Ref Project`), or the
    /// `Name` of a project.
    pub(super) fn project(&self, name: &str) -> Option<(&str, &Project)> {
        by_id_or_name(&self.projects, name, |p| p.name.as_deref())
    }

    /// The repository an ECR source's `RepositoryName` names, as a logical id or a name.
    pub(super) fn repository(&self, name: &str) -> Option<(&str, &Repository)> {
        by_id_or_name(&self.repositories, name, |r| r.name.as_deref())
    }
}

/// The resource whose logical id is `wanted` (what `!Ref` of most resources returns is the
/// physical name, so the template names them by logical id), or whose name property is.
fn by_id_or_name<'t, T>(
    resources: &'t BTreeMap<String, T>,
    wanted: &str,
    name_of: impl Fn(&T) -> Option<&str>,
) -> Option<(&'t str, &'t T)> {
    resources
        .get_key_value(wanted)
        .or_else(|| resources.iter().find(|(_, r)| name_of(r) == Some(wanted)))
        .map(|(id, resource)| (id.as_str(), resource))
}

fn project(id: &str, properties: &Value, resolver: &Resolver) -> Result<Project, Finding> {
    let at = format!("Resources.{id}.Properties");
    let properties = mapping(properties, &at, "the project's properties")?;
    let name = properties.get("Name").and_then(|n| resolver.text(n));
    let source = properties.get("Source").and_then(Value::as_object);
    let buildspec = match source.and_then(|s| s.get("BuildSpec")) {
        // CodeBuild's default: `buildspec.yml` at the root of the primary source.
        None => BuildSpecSource::File("buildspec.yml".to_owned()),
        Some(value) => match resolver.text(value) {
            Some(text) if text.contains('\n') => {
                let spec = BuildSpec::parse(text.as_bytes()).map_err(|finding| {
                    let location = finding
                        .location
                        .as_ref()
                        .map(|l| format!(", {l}"))
                        .unwrap_or_default();
                    let place = format!("{at}.Source.BuildSpec (the inline buildspec{location})");
                    finding.at_place(place)
                })?;
                BuildSpecSource::Inline(Box::new(spec))
            }
            Some(text) if text.starts_with("arn:") => {
                BuildSpecSource::Elsewhere(format!("the S3 object `{text}`"))
            }
            Some(text) if text.contains("${") => {
                BuildSpecSource::Elsewhere(format!("`{text}`, which does not resolve here"))
            }
            Some(path) => BuildSpecSource::File(path),
            None => BuildSpecSource::Elsewhere("a value that does not resolve here".to_owned()),
        },
    };
    Ok(Project { name, buildspec })
}

fn repository(properties: &Value, resolver: &Resolver) -> Repository {
    let field = |key: &str| properties.get(key).and_then(|v| resolver.text(v));
    let exclusions = properties
        .get("ImageTagMutabilityExclusionFilters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|f| {
            f.get("ImageTagMutabilityExclusionFilterValue")
                .and_then(|v| resolver.text(v))
        })
        .collect();
    Repository {
        name: field("RepositoryName"),
        mutability: field("ImageTagMutability"),
        exclusions,
    }
}
