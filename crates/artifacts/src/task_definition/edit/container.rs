//! Edits to one container definition.

use serde_json::{Map, Value, json};

use super::{Applied, ContainerEdit, Provenance, REVISION_LABEL, SOURCE_LABEL};
use crate::finding::Finding;
use crate::placeholder::ImagePlaceholder;
use crate::secrets::without_userinfo;

pub(super) fn apply_all(
    containers: &mut [Value],
    edits: &[(String, ContainerEdit)],
    provenance: &Provenance,
) -> Result<Applied, Vec<Finding>> {
    // Environment replacement drops the old list before any variable of the same run is set.
    for (name, edit) in edits {
        if *edit == ContainerEdit::ReplaceEnvironment
            && let Some(container) = find(containers, name)
        {
            container.insert("environment".to_owned(), Value::Array(Vec::new()));
        }
    }
    let mut auto: Vec<&str> = Vec::new();
    for (name, edit) in edits {
        let Some(container) = find(containers, name) else {
            continue;
        };
        match edit {
            ContainerEdit::Image(image) => {
                container.insert("image".to_owned(), Value::String(image.clone()));
            }
            ContainerEdit::Placeholder => auto.push(name),
            ContainerEdit::ReplaceEnvironment => {}
            ContainerEdit::Env { name, value } => {
                upsert_named(container, "environment", name, "value", value);
            }
            ContainerEdit::UnsetEnv(variable) => {
                if let Some(Value::Array(list)) = container.get_mut("environment") {
                    list.retain(|entry| {
                        entry.get("name").and_then(Value::as_str) != Some(variable)
                    });
                }
            }
            ContainerEdit::EnvironmentFile(arn) => {
                let files = array(container, "environmentFiles");
                let entry = json!({ "value": arn, "type": "s3" });
                if !files.contains(&entry) {
                    files.push(entry);
                }
            }
            ContainerEdit::Secret { name, value_from } => {
                upsert_named(container, "secrets", name, "valueFrom", value_from);
            }
            ContainerEdit::LogDriver(driver) => {
                object(container, "logConfiguration")
                    .insert("logDriver".to_owned(), Value::String(driver.clone()));
            }
            ContainerEdit::LogOption { name, value } => {
                let log = object(container, "logConfiguration");
                let options = log
                    .entry("options")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Some(options) = options.as_object_mut() {
                    options.insert(name.clone(), Value::String(value.clone()));
                }
            }
            ContainerEdit::DockerLabel { name, value } => {
                object(container, "dockerLabels")
                    .insert(name.clone(), Value::String(value.clone()));
            }
            ContainerEdit::Command(words) => {
                container.insert("command".to_owned(), json!(words));
            }
            ContainerEdit::EntryPoint(words) => {
                container.insert("entryPoint".to_owned(), json!(words));
            }
        }
    }
    stamp(containers, provenance);
    number_placeholders(containers, &auto)
}

fn find<'a>(containers: &'a mut [Value], name: &str) -> Option<&'a mut Map<String, Value>> {
    containers
        .iter_mut()
        .filter_map(Value::as_object_mut)
        .find(|container| container.get("name").and_then(Value::as_str) == Some(name))
}

/// The array member `key`, created when absent. A member of another type is replaced, which
/// the structure check would have refused anyway.
fn array<'a>(container: &'a mut Map<String, Value>, key: &str) -> &'a mut Vec<Value> {
    let slot = container
        .entry(key)
        .or_insert_with(|| Value::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    slot.as_array_mut().expect("made an array above")
}

fn object<'a>(container: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let slot = container
        .entry(key)
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut().expect("made an object above")
}

/// `environment` and `secrets` are lists of `{name, value|valueFrom}`: set by name, in place.
fn upsert_named(
    container: &mut Map<String, Value>,
    list_key: &str,
    name: &str,
    value_key: &str,
    value: &str,
) {
    let list = array(container, list_key);
    let entry = json!({ "name": name, value_key: value });
    match list
        .iter_mut()
        .find(|item| item.get("name").and_then(Value::as_str) == Some(name))
    {
        Some(existing) => *existing = entry,
        None => list.push(entry),
    }
}

/// OCI labels on every container, so a running task says which commit it is.
fn stamp(containers: &mut [Value], provenance: &Provenance) {
    let source = provenance
        .source
        .as_deref()
        .map(|url| without_userinfo(url).into_owned());
    let labels = [
        (REVISION_LABEL, &provenance.revision),
        (SOURCE_LABEL, &source),
    ];
    if labels.iter().all(|(_, value)| value.is_none()) {
        return;
    }
    for container in containers.iter_mut().filter_map(Value::as_object_mut) {
        let docker_labels = object(container, "dockerLabels");
        for (key, value) in &labels {
            if let Some(value) = value {
                docker_labels.insert((*key).to_owned(), Value::String(value.clone()));
            }
        }
    }
}

/// Gives each container in `auto` the lowest free `<IMAGEn_NAME>`, in task-definition order,
/// and lists every placeholder of the document.
fn number_placeholders(containers: &mut [Value], auto: &[&str]) -> Result<Applied, Vec<Finding>> {
    let image_of = |container: &Value| {
        container
            .get("image")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let name_of = |container: &Value| {
        container
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    // A container being renumbered gives up the placeholder it had, so it can keep its number.
    let mut taken: Vec<ImagePlaceholder> = containers
        .iter()
        .filter(|c| !auto.contains(&name_of(c).as_str()))
        .filter_map(&image_of)
        .filter_map(|image| ImagePlaceholder::from_image(&image))
        .collect();
    for container in containers.iter_mut() {
        if !auto.contains(&name_of(container).as_str()) {
            continue;
        }
        let Some(free) = ImagePlaceholder::all().find(|n| !taken.contains(n)) else {
            return Err(vec![
                Finding::error(
                    "placeholder",
                    format!("container `{}` needs a fifth image placeholder; the Blue/Green action has four", name_of(container)),
                )
                .help("give the other containers concrete images"),
            ]);
        };
        taken.push(free);
        if let Some(object) = container.as_object_mut() {
            object.insert(
                "image".to_owned(),
                Value::String(free.in_image().to_string()),
            );
        }
    }
    let mut placeholders: Vec<(ImagePlaceholder, String)> = containers
        .iter()
        .filter_map(|c| Some((ImagePlaceholder::from_image(&image_of(c)?)?, name_of(c))))
        .collect();
    placeholders.sort();
    Ok(Applied { placeholders })
}
