//! The `RegisterTaskDefinition` input shape of the ECS API, from the API's own model.
//!
//! The shape tree comes from botocore's `ecs/2014-11-13/service-2.json`, reduced by
//! `generate_shape.py` to `register_input.json` and compiled in. Every decision here (which
//! keys exist, which are required, which types and enum values are valid, which keys only
//! `DescribeTaskDefinition` returns) is read from that model, never from a hand-kept list, so
//! regenerating the file is all it takes to follow new ECS fields.
//!
//! What the model knows is what `aws ecs register-task-definition --cli-input-json` checks on
//! the client side (`docs/aws/local-endpoint.md#the-aws-cli-as-a-judge`), plus enum values and integer ranges,
//! which botocore leaves to the service. ECS's own semantic rules (Fargate cpu/memory pairs,
//! `image` being required in practice though the model does not say so) are the caller's.

mod check;
mod model;
mod suggest;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

use crate::finding::Finding;
use model::{Kind, Model, Shape};

/// The type of a shape in the API model (Smithy/botocore type names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ShapeType {
    /// A JSON object with known members.
    Structure,
    /// A JSON array.
    List,
    /// A JSON object with free-form keys.
    Map,
    /// A JSON string.
    String,
    /// A JSON integer that fits in 32 bits, signed.
    Integer,
    /// A JSON integer that fits in 64 bits, signed.
    Long,
    /// `true` or `false`.
    Boolean,
    /// A JSON number.
    Double,
    /// A JSON number.
    Float,
    /// A JSON number (epoch seconds) or string.
    Timestamp,
    /// A base64 JSON string.
    Blob,
}

/// One step of a path into a task definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PathSegment<'a> {
    /// An object key: a structure member or a map key.
    Key(&'a str),
    /// An array index.
    Index(usize),
}

/// Every structural problem in a `RegisterTaskDefinition` input document, at any depth.
///
/// Rules: `unknown-key` (with a `did you mean` help for near misses), `describe-only-key`,
/// `missing-key`, `wrong-type`, `invalid-enum`, `out-of-range` (the model's length and count
/// limits, and integers beyond 32 or 64 bits), and the warning `deprecated-key`. Locations are
/// JSON paths such as `$.containerDefinitions[0].portMappings[1].hostPort`.
///
/// Describe output must go through [`to_register_input`] first.
#[must_use]
pub fn check_structure(document: &Value) -> Vec<Finding> {
    check::check(Model::get(), document)
}

/// Turns what users have into `RegisterTaskDefinition` input, and names what it dropped.
///
/// Accepts register input, `DescribeTaskDefinition` output (`{"taskDefinition": {…}, "tags":
/// […]}`, whose non-empty sibling `tags` become the result's `tags`) or a bare `TaskDefinition`.
/// Removes exactly the members that `TaskDefinition` has and `RegisterTaskDefinitionRequest`
/// lacks, per the model. Empty strings, empty arrays, nulls and unknown keys stay: dropping
/// what the user wrote is how other tools lose settings, and [`check_structure`] reports the
/// rest. Other members of a describe response are kept beside the definition's members, so
/// `check_structure` reports them too, unless the definition already has a member of that name:
/// then the response's copy is dropped and named.
#[must_use]
pub fn to_register_input(document: Value) -> (Value, Vec<String>) {
    let model = Model::get();
    let mut dropped = Vec::new();
    let mut document = document;
    if let Value::Object(response) = &mut document
        && !response.contains_key("family")
        && !response.contains_key("containerDefinitions")
        && matches!(response.get("taskDefinition"), Some(Value::Object(_)))
        && let Some(Value::Object(definition)) = response.remove("taskDefinition")
    {
        document = Value::Object(unwrap_describe(
            std::mem::take(response),
            definition,
            &mut dropped,
        ));
    }
    if let Value::Object(map) = &mut document {
        for &name in model.describe_only {
            if map.remove(name).is_some() {
                dropped.push(name.to_owned());
            }
        }
    }
    (document, dropped)
}

fn unwrap_describe(
    response: Map<String, Value>,
    mut definition: Map<String, Value>,
    dropped: &mut Vec<String>,
) -> Map<String, Value> {
    for (key, value) in response {
        // `--include TAGS` prints `"tags": []` for an untagged definition: nothing to carry.
        if key == "tags" && value.as_array().is_some_and(Vec::is_empty) {
            continue;
        }
        if definition.contains_key(&key) {
            dropped.push(key);
        } else {
            definition.insert(key, value);
        }
    }
    definition
}

/// The top-level members of `RegisterTaskDefinitionRequest`, sorted.
pub fn input_member_names() -> impl Iterator<Item = &'static str> {
    Model::get().root().member_names()
}

/// The members `DescribeTaskDefinition` returns and `RegisterTaskDefinition` rejects, sorted.
pub fn describe_only_members() -> impl Iterator<Item = &'static str> {
    Model::get().describe_only.iter().copied()
}

/// The botocore release the embedded model was generated from.
#[must_use]
pub fn botocore_version() -> &'static str {
    Model::get().botocore_version
}

/// The model type at a path from the document root; `None` when the path leaves the model.
///
/// `[]` is the root structure; `[Key("containerDefinitions"), Index(0), Key("cpu")]` is
/// [`ShapeType::Integer`]. Any key under a map (`dockerLabels`, `logConfiguration.options`)
/// is the map's value type.
#[must_use]
pub fn member_type_at(path: &[PathSegment<'_>]) -> Option<ShapeType> {
    let model = Model::get();
    let mut shape = model.root();
    for segment in path {
        shape = step(model, shape, *segment)?;
    }
    Some(shape.shape_type())
}

/// [`member_type_at`] for an RFC 6901 JSON pointer such as `/containerDefinitions/0/cpu`.
///
/// Array steps take a decimal index or `-` (the append position of RFC 6902); `~1` and `~0`
/// are unescaped. `""` is the root.
#[must_use]
pub fn type_at_pointer(pointer: &str) -> Option<ShapeType> {
    let model = Model::get();
    let mut shape = model.root();
    if pointer.is_empty() {
        return Some(shape.shape_type());
    }
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        let segment = if matches!(shape.kind, Kind::List(_)) {
            PathSegment::Index(array_index(&token)?)
        } else {
            PathSegment::Key(&token)
        };
        shape = step(model, shape, segment)?;
    }
    Some(shape.shape_type())
}

/// An RFC 6901 array index (no leading zeros), with `-` mapped to an index nothing uses.
fn array_index(token: &str) -> Option<usize> {
    if token == "-" {
        return Some(usize::MAX);
    }
    if token.is_empty() || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    if !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    token.parse().ok()
}

fn step<'m>(model: &'m Model, shape: &'m Shape, segment: PathSegment<'_>) -> Option<&'m Shape> {
    match (&shape.kind, segment) {
        (Kind::Structure { .. }, PathSegment::Key(key)) => {
            shape.member(key).map(|member| model.shape(member.shape))
        }
        (Kind::Map { value }, PathSegment::Key(_)) => Some(model.shape(*value)),
        (Kind::List(member), PathSegment::Index(_)) => Some(model.shape(*member)),
        _ => None,
    }
}
