//! The embedded `RegisterTaskDefinition` input model, parsed once into an indexed tree.
//!
//! `register_input.json` is written by `generate_shape.py` from botocore's
//! `ecs/2014-11-13/service-2.json`; see that script for how to regenerate it. The file is
//! constant data compiled into the binary, so a process-wide `OnceLock` holds the parsed form:
//! it is read on first use and never changes.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Number;

use super::ShapeType;

/// The generated model, checked in next to this module's parent.
const SOURCE: &str = include_str!("../register_input.json");

/// An index into [`Model::shapes`].
pub(crate) type ShapeId = usize;

/// The parsed model.
#[derive(Debug)]
pub(crate) struct Model {
    pub(crate) botocore_version: String,
    pub(crate) root: ShapeId,
    /// Sorted. Members of `TaskDefinition` that `RegisterTaskDefinitionRequest` lacks.
    pub(crate) describe_only: Vec<String>,
    pub(crate) shapes: Vec<Shape>,
}

/// One shape of the model.
#[derive(Debug)]
pub(crate) struct Shape {
    pub(crate) name: String,
    pub(crate) kind: Kind,
    /// Allowed string values, in model order; empty when any string is allowed.
    pub(crate) enum_values: Vec<String>,
    /// Length (strings), entry count (lists, maps) or value (numbers) bounds.
    pub(crate) min: Option<Number>,
    pub(crate) max: Option<Number>,
    /// Values under this shape are not repeated in messages (environment, credentials).
    pub(crate) sensitive: bool,
    pub(crate) deprecated: Option<String>,
}

/// What a shape holds.
#[derive(Debug)]
pub(crate) enum Kind {
    Structure {
        /// Sorted by name, for binary search.
        members: Vec<Member>,
        required: Vec<String>,
    },
    List(ShapeId),
    Map {
        value: ShapeId,
    },
    Scalar(ShapeType),
}

/// One member of a structure.
#[derive(Debug)]
pub(crate) struct Member {
    pub(crate) name: String,
    pub(crate) shape: ShapeId,
    pub(crate) deprecated: Option<String>,
}

impl Shape {
    pub(crate) fn shape_type(&self) -> ShapeType {
        match self.kind {
            Kind::Structure { .. } => ShapeType::Structure,
            Kind::List(_) => ShapeType::List,
            Kind::Map { .. } => ShapeType::Map,
            Kind::Scalar(scalar) => scalar,
        }
    }

    /// The member called `name`, when this is a structure that has one.
    pub(crate) fn member(&self, name: &str) -> Option<&Member> {
        match &self.kind {
            Kind::Structure { members, .. } => members
                .binary_search_by(|member| member.name.as_str().cmp(name))
                .ok()
                .map(|index| &members[index]),
            _ => None,
        }
    }

    /// The member names of a structure, sorted; empty for other shapes.
    pub(crate) fn member_names(&self) -> impl Iterator<Item = &str> {
        let members = match &self.kind {
            Kind::Structure { members, .. } => members.as_slice(),
            _ => &[],
        };
        members.iter().map(|member| member.name.as_str())
    }
}

impl Model {
    pub(crate) fn get() -> &'static Self {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| {
            Self::parse(SOURCE).expect("register_input.json is valid (a unit test parses it)")
        })
    }

    pub(crate) fn shape(&self, id: ShapeId) -> &Shape {
        &self.shapes[id]
    }

    pub(crate) fn root(&self) -> &Shape {
        self.shape(self.root)
    }

    pub(crate) fn is_describe_only(&self, name: &str) -> bool {
        self.describe_only
            .binary_search_by(|known| known.as_str().cmp(name))
            .is_ok()
    }

    pub(super) fn parse(source: &str) -> Result<Self, String> {
        let raw: RawModel = serde_json::from_str(source).map_err(|error| error.to_string())?;
        let ids: BTreeMap<&str, ShapeId> = raw
            .shapes
            .keys()
            .enumerate()
            .map(|(id, name)| (name.as_str(), id))
            .collect();
        let id = |name: &str| {
            ids.get(name)
                .copied()
                .ok_or_else(|| format!("shape `{name}` is referenced but not defined"))
        };
        let mut shapes = Vec::with_capacity(raw.shapes.len());
        for (name, raw_shape) in &raw.shapes {
            let target = |part: &Option<String>| {
                part.as_deref()
                    .ok_or_else(|| format!("shape `{name}` lacks its element shape"))
                    .and_then(id)
            };
            let kind = match raw_shape.kind.as_str() {
                "structure" => {
                    let mut members = raw_shape
                        .members
                        .iter()
                        .map(|(member, shape)| {
                            Ok(Member {
                                name: member.clone(),
                                shape: id(shape)?,
                                deprecated: raw_shape.deprecated_members.get(member).cloned(),
                            })
                        })
                        .collect::<Result<Vec<_>, String>>()?;
                    members.sort_by(|a, b| a.name.cmp(&b.name));
                    Kind::Structure {
                        members,
                        required: raw_shape.required.clone(),
                    }
                }
                "list" => Kind::List(target(&raw_shape.member)?),
                "map" => {
                    target(&raw_shape.key)?;
                    Kind::Map {
                        value: target(&raw_shape.value)?,
                    }
                }
                other => Kind::Scalar(
                    ShapeType::from_model(other)
                        .ok_or_else(|| format!("shape `{name}` has unknown type `{other}`"))?,
                ),
            };
            shapes.push(Shape {
                name: name.clone(),
                kind,
                enum_values: raw_shape.enum_values.clone(),
                min: raw_shape.min.clone(),
                max: raw_shape.max.clone(),
                sensitive: raw_shape.sensitive,
                deprecated: raw_shape.deprecated.clone(),
            });
        }
        let mut describe_only = raw.describe_only;
        describe_only.sort();
        Ok(Self {
            botocore_version: raw.botocore_version,
            root: id(&raw.root)?,
            describe_only,
            shapes,
        })
    }
}

/// The file as `generate_shape.py` writes it. Unknown fields are ignored, so a newer generator
/// can add information without breaking older code.
#[derive(Deserialize)]
struct RawModel {
    botocore_version: String,
    describe_only: Vec<String>,
    root: String,
    shapes: BTreeMap<String, RawShape>,
}

#[derive(Deserialize)]
struct RawShape {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    members: BTreeMap<String, String>,
    #[serde(default)]
    deprecated_members: BTreeMap<String, String>,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default, rename = "enum")]
    enum_values: Vec<String>,
    member: Option<String>,
    key: Option<String>,
    value: Option<String>,
    min: Option<Number>,
    max: Option<Number>,
    #[serde(default)]
    sensitive: bool,
    deprecated: Option<String>,
}
