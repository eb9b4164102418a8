//! Compiles the ECS `RegisterTaskDefinition` model (`src/task_definition/register_input.json`,
//! written by `generate_shape.py` from botocore) into Rust statics in `OUT_DIR`, so that no
//! program parses it at run time: parsing it was half the instructions of every program that
//! checks a task definition. A model this script cannot read fails the build, naming the shape.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::{env, fs, path::PathBuf};

use serde_json::{Map, Value};

const SOURCE: &str = "src/task_definition/register_input.json";

fn main() {
    println!("cargo::rerun-if-changed={SOURCE}");
    let text = fs::read_to_string(SOURCE).unwrap_or_else(|error| panic!("{SOURCE}: {error}"));
    let model: Value =
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("{SOURCE}: {error}"));
    let code = generate(&model).unwrap_or_else(|error| panic!("{SOURCE}: {error}"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("register_input.rs"), code).expect("OUT_DIR is writable");
}

fn generate(model: &Value) -> Result<String, String> {
    let text = |value: &Value, what: &str| {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("`{what}` is not a string"))
    };
    let shapes = model["shapes"]
        .as_object()
        .ok_or("`shapes` is not an object")?;
    // Shapes are numbered in name order; members refer to them by number.
    let ids: BTreeMap<&str, usize> = shapes
        .keys()
        .enumerate()
        .map(|(id, name)| (name.as_str(), id))
        .collect();
    let id = |name: &str| {
        ids.get(name)
            .copied()
            .ok_or_else(|| format!("shape `{name}` is referenced but not defined"))
    };
    let mut describe_only = strings(&model["describe_only"], "describe_only")?;
    describe_only.sort_unstable();
    let mut code = String::new();
    let _ = writeln!(
        code,
        "/// The model, from `{SOURCE}`.\npub(crate) static MODEL: Model = Model {{\n    botocore_version: {:?},\n    root: {},\n    describe_only: &{describe_only:?},\n    shapes: &[",
        text(&model["botocore_version"], "botocore_version")?,
        id(&text(&model["root"], "root")?)?,
    );
    let sorted: BTreeMap<&String, &Value> = shapes.iter().collect();
    for (name, shape) in sorted {
        let shape = shape
            .as_object()
            .ok_or_else(|| format!("shape `{name}` is not an object"))?;
        let element = |part: &str| -> Result<usize, String> {
            id(shape
                .get(part)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("shape `{name}` lacks its `{part}` shape"))?)
        };
        let kind = match shape.get("type").and_then(Value::as_str).unwrap_or("") {
            "structure" => structure(name, shape, &id)?,
            "list" => format!("Kind::List({})", element("member")?),
            "map" => {
                element("key")?;
                format!("Kind::Map {{ value: {} }}", element("value")?)
            }
            other => format!("Kind::Scalar(ShapeType::{})", scalar(name, other)?),
        };
        let _ = writeln!(
            code,
            "        Shape {{ name: {name:?}, kind: {kind}, enum_values: &{:?}, min: {}, max: {}, sensitive: {}, deprecated: {:?} }},",
            strings(shape.get("enum").unwrap_or(&Value::Null), name)?,
            bound(shape.get("min"), name)?,
            bound(shape.get("max"), name)?,
            shape
                .get("sensitive")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            shape.get("deprecated").and_then(Value::as_str),
        );
    }
    code.push_str("    ],\n};\n");
    Ok(code)
}

/// A structure's members, sorted by name for binary search, and its required members.
fn structure(
    name: &str,
    shape: &Map<String, Value>,
    id: &impl Fn(&str) -> Result<usize, String>,
) -> Result<String, String> {
    let empty = Map::new();
    let object = |key: &str| shape.get(key).and_then(Value::as_object).unwrap_or(&empty);
    let deprecated = object("deprecated_members");
    let mut members = String::new();
    let sorted: BTreeMap<&String, &Value> = object("members").iter().collect();
    for (member, target) in sorted {
        let target = target
            .as_str()
            .ok_or_else(|| format!("member `{member}` of `{name}` is not a shape name"))?;
        let _ = write!(
            members,
            "Member {{ name: {member:?}, shape: {}, deprecated: {:?} }}, ",
            id(target)?,
            deprecated.get(member).and_then(Value::as_str),
        );
    }
    let required = strings(shape.get("required").unwrap_or(&Value::Null), name)?;
    Ok(format!(
        "Kind::Structure {{ members: &[{members}], required: &{required:?} }}"
    ))
}

/// The `ShapeType` variant of a scalar model type.
fn scalar(name: &str, kind: &str) -> Result<&'static str, String> {
    Ok(match kind {
        "string" => "String",
        "integer" => "Integer",
        "long" => "Long",
        "boolean" => "Boolean",
        "double" => "Double",
        "float" => "Float",
        "timestamp" => "Timestamp",
        "blob" => "Blob",
        other => return Err(format!("shape `{name}` has unknown type `{other}`")),
    })
}

fn bound(value: Option<&Value>, name: &str) -> Result<String, String> {
    Ok(match value {
        None => "None".to_owned(),
        Some(Value::Number(number)) if number.is_i64() => {
            format!("Some(Bound::Integer({number}))")
        }
        Some(Value::Number(number)) => format!(
            "Some(Bound::Float({:?}))",
            number
                .as_f64()
                .ok_or(format!("shape `{name}` has the bound `{number}`"))?
        ),
        Some(other) => return Err(format!("shape `{name}` has the bound `{other}`")),
    })
}

fn strings(value: &Value, owner: &str) -> Result<Vec<String>, String> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`{owner}` lists `{item}`, not a name"))
            })
            .collect(),
        other => Err(format!("`{owner}` has `{other}`, not a list of names")),
    }
}
