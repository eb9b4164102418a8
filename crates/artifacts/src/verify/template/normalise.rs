//! A CloudFormation pipeline put into the shape `aws codepipeline get-pipeline` prints
//! (camelCase structure, configuration keys as written), so that the checks of a live pipeline
//! read it unchanged. A value of the wrong type is an error that stops the check: the template
//! would not deploy.

use serde_json::{Map, Value, json};

use super::INVALID;
use super::resolve::{NO_VALUE, Resolver};
use crate::finding::Finding;
use crate::syntax::type_name;

fn is_no_value(value: &Value) -> bool {
    value.as_str() == Some(NO_VALUE) || value.get("Ref").and_then(Value::as_str) == Some(NO_VALUE)
}

fn wrong_type(at: &str, value: &Value, wanted: &str) -> Finding {
    Finding::error(
        INVALID,
        format!(
            "`{at}` is {}, where CloudFormation takes {wanted}",
            type_name(value)
        ),
    )
    .help("fix the template; cfn-lint reports the same")
}

pub(super) fn mapping<'v>(
    value: &'v Value,
    at: &str,
    wanted: &str,
) -> Result<&'v Map<String, Value>, Finding> {
    value
        .as_object()
        .ok_or_else(|| wrong_type(at, value, &format!("a mapping of {wanted}")))
}

fn list<'v>(
    map: &'v Map<String, Value>,
    key: &str,
    at: &str,
    wanted: &str,
) -> Result<&'v [Value], Finding> {
    match map.get(key) {
        None => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(wrong_type(
            &format!("{at}.{key}"),
            other,
            &format!("a list of {wanted}"),
        )),
    }
}

fn text(
    resolver: &Resolver,
    map: &Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<Option<String>, Finding> {
    match map.get(key) {
        None => Ok(None),
        Some(value) => resolver
            .text(value)
            .map(Some)
            .ok_or_else(|| wrong_type(&format!("{at}.{key}"), value, "a string")),
    }
}

fn required(
    resolver: &Resolver,
    map: &Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<String, Finding> {
    text(resolver, map, key, at)?.ok_or_else(|| {
        Finding::error(INVALID, format!("`{at}` has no `{key}`"))
            .help(format!("CloudFormation needs `{key}` there"))
    })
}

/// The pipeline as `get-pipeline` shows it: camelCase structure, configuration keys as they are.
pub(super) fn normalise(
    id: &str,
    properties: &Map<String, Value>,
    resolver: &Resolver,
) -> Result<Value, Finding> {
    let base = format!("Resources.{id}.Properties");
    let mut stages = Vec::new();
    for (s, stage) in list(properties, "Stages", &base, "stages")?
        .iter()
        .enumerate()
    {
        let at = format!("{base}.Stages[{s}]");
        let stage = mapping(stage, &at, "`Name` and `Actions`")?;
        let name = required(resolver, stage, "Name", &at)?;
        let at = format!("Resources.{id}.Stages[{name}]");
        let mut actions = Vec::new();
        for (a, action) in list(stage, "Actions", &at, "actions")?.iter().enumerate() {
            actions.push(normalise_action(action, &at, a, resolver)?);
        }
        stages.push(json!({"name": name, "actions": actions}));
    }
    let mut variables = Vec::new();
    for (v, variable) in list(properties, "Variables", &base, "variables")?
        .iter()
        .enumerate()
    {
        let at = format!("{base}.Variables[{v}]");
        let variable = mapping(variable, &at, "`Name` and `DefaultValue`")?;
        variables.push(json!({"name": required(resolver, variable, "Name", &at)?}));
    }
    let name = text(resolver, properties, "Name", &base)?.unwrap_or_else(|| id.to_owned());
    Ok(json!({"pipeline": {"name": name, "stages": stages, "variables": variables}}))
}

fn normalise_action(
    action: &Value,
    stage: &str,
    index: usize,
    resolver: &Resolver,
) -> Result<Value, Finding> {
    let at = format!("{stage}.Actions[{index}]");
    let action = mapping(
        action,
        &at,
        "`Name`, `ActionTypeId` and the rest of an action",
    )?;
    let name = required(resolver, action, "Name", &at)?;
    let at = format!("{stage}.Actions[{name}]");
    let at = at.as_str();
    let type_at = format!("{at}.ActionTypeId");
    let empty = Map::new();
    let type_id = match action.get("ActionTypeId") {
        Some(value) => mapping(
            value,
            &type_at,
            "`Category`, `Owner`, `Provider` and `Version`",
        )?,
        None => &empty,
    };
    let mut out = Map::new();
    out.insert("name".into(), json!(name));
    let mut action_type = Map::new();
    for key in ["Category", "Owner", "Provider", "Version"] {
        if let Some(value) = text(resolver, type_id, key, &type_at)? {
            action_type.insert(camel(key), json!(value));
        }
    }
    out.insert("actionTypeId".into(), Value::Object(action_type));
    let run_order = match action.get("RunOrder") {
        None => 1,
        Some(value) => resolver
            .text(value)
            .and_then(|order| order.parse::<u64>().ok())
            .ok_or_else(|| wrong_type(&format!("{at}.RunOrder"), value, "a whole number"))?,
    };
    out.insert("runOrder".into(), json!(run_order));
    for key in ["Namespace", "Region", "RoleArn"] {
        if let Some(value) = text(resolver, action, key, at)? {
            out.insert(camel(key), json!(value));
        }
    }
    for key in ["InputArtifacts", "OutputArtifacts"] {
        let mut names = Vec::new();
        for (i, artifact) in list(action, key, at, "artifacts with a `Name`")?
            .iter()
            .enumerate()
        {
            let item_at = format!("{at}.{key}[{i}]");
            let artifact = mapping(artifact, &item_at, "`Name`")?;
            names.push(json!({"name": required(resolver, artifact, "Name", &item_at)?}));
        }
        out.insert(camel(key), Value::Array(names));
    }
    out.insert(
        "configuration".into(),
        Value::Object(configuration(action, at, resolver)?),
    );
    let mut environment = Vec::new();
    for (i, variable) in list(action, "EnvironmentVariables", at, "variables")?
        .iter()
        .enumerate()
    {
        let item_at = format!("{at}.EnvironmentVariables[{i}]");
        let variable = mapping(variable, &item_at, "`Name`, `Value` and `Type`")?;
        environment.push(json!({
            "name": required(resolver, variable, "Name", &item_at)?,
            "value": text(resolver, variable, "Value", &item_at)?.unwrap_or_default(),
        }));
    }
    if !environment.is_empty() {
        out.insert("environmentVariables".into(), Value::Array(environment));
    }
    Ok(Value::Object(out))
}

/// The action's `Configuration`: every value a string where it resolves to one. The schema
/// also takes the whole configuration as a JSON string (`"format": "json"`).
fn configuration(
    action: &Map<String, Value>,
    at: &str,
    resolver: &Resolver,
) -> Result<Map<String, Value>, Finding> {
    let at = format!("{at}.Configuration");
    let parsed;
    let raw = match action.get("Configuration") {
        None => return Ok(Map::new()),
        Some(Value::String(text)) => {
            parsed = serde_json::from_str::<Value>(text).map_err(|error| {
                Finding::error(
                    INVALID,
                    format!("`{at}` is a string that is not a JSON object: {error}"),
                )
                .help("write the configuration as a mapping")
            })?;
            &parsed
        }
        Some(value) => value,
    };
    let raw = mapping(raw, &at, "configuration keys")?;
    Ok(raw
        .iter()
        .filter(|(_, value)| !is_no_value(value))
        .map(|(key, value)| {
            let value = resolver
                .text(value)
                .map_or_else(|| value.clone(), Value::String);
            (key.clone(), value)
        })
        .collect())
}

fn camel(key: &str) -> String {
    let mut chars = key.chars();
    chars
        .next()
        .map(|first| first.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}
