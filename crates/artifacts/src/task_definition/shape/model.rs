//! The `RegisterTaskDefinition` input model as an indexed tree of statics.
//!
//! `register_input.json` is written by `generate_shape.py` from botocore's
//! `ecs/2014-11-13/service-2.json`; see that script for how to regenerate it. The build script
//! (`build.rs`) compiles it into the `MODEL` static, so checking a task definition starts
//! without parsing anything.

use serde_json::Number;

use super::ShapeType;

include!(concat!(env!("OUT_DIR"), "/register_input.rs"));

/// An index into [`Model::shapes`].
pub(crate) type ShapeId = usize;

/// The model.
#[derive(Debug)]
pub(crate) struct Model {
    pub(crate) botocore_version: &'static str,
    pub(crate) root: ShapeId,
    /// Sorted. Members of `TaskDefinition` that `RegisterTaskDefinitionRequest` lacks.
    pub(crate) describe_only: &'static [&'static str],
    pub(crate) shapes: &'static [Shape],
}

/// One shape of the model.
#[derive(Debug)]
pub(crate) struct Shape {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    /// Allowed string values, in model order; empty when any string is allowed.
    pub(crate) enum_values: &'static [&'static str],
    /// Length (strings), entry count (lists, maps) or value (numbers) bounds.
    pub(crate) min: Option<Bound>,
    pub(crate) max: Option<Bound>,
    /// Values under this shape are not repeated in messages (environment, credentials).
    pub(crate) sensitive: bool,
    pub(crate) deprecated: Option<&'static str>,
}

/// What a shape holds.
#[derive(Debug)]
pub(crate) enum Kind {
    Structure {
        /// Sorted by name, for binary search.
        members: &'static [Member],
        required: &'static [&'static str],
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
    pub(crate) name: &'static str,
    pub(crate) shape: ShapeId,
    pub(crate) deprecated: Option<&'static str>,
}

/// A `min` or `max` of the model, as written there.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Bound {
    Integer(i64),
    // The ECS model has integer bounds only today; botocore's format allows any number.
    #[cfg_attr(not(test), allow(dead_code))]
    Float(f64),
}

impl Bound {
    pub(crate) fn number(self) -> Option<Number> {
        match self {
            Self::Integer(value) => Some(Number::from(value)),
            Self::Float(value) => Number::from_f64(value),
        }
    }
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
                .binary_search_by(|member| member.name.cmp(name))
                .ok()
                .map(|index| &members[index]),
            _ => None,
        }
    }

    /// The member names of a structure, sorted; empty for other shapes.
    pub(crate) fn member_names(&self) -> impl Iterator<Item = &str> {
        let members = match &self.kind {
            Kind::Structure { members, .. } => members,
            _ => &[][..],
        };
        members.iter().map(|member| member.name)
    }
}

impl Model {
    pub(crate) fn get() -> &'static Self {
        &MODEL
    }

    pub(crate) fn shape(&self, id: ShapeId) -> &Shape {
        &self.shapes[id]
    }

    pub(crate) fn root(&self) -> &Shape {
        self.shape(self.root)
    }

    pub(crate) fn is_describe_only(&self, name: &str) -> bool {
        self.describe_only
            .binary_search_by(|known| (*known).cmp(name))
            .is_ok()
    }
}
